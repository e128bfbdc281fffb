"""axe-core (WCAG 2.1 A and AA) finds nothing on the teams' work pages and the staff's
reading page, in fi, sv and en: the list of tasks, the submission page of every seed
assignment (categories, impact, employment, the risk matrix with the annex builder, the
operating model and pilot, the management presentation), a validation error, a save
refused because a team mate saved meanwhile, a version with feedback, and the staff's
page with its feedback form, its error state included. The pages fit a phone (390 px)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from deliverables import services
from deliverables.models import Kind, Verdict
from soske import clock
from soske.users.models import Role
from tests.deliverables.conftest import Teams
from tests.factories import CohortFactory

from .conftest import LANGUAGES, sign_in, t
from .test_accessibility import assert_lang, person, submit_form_of

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SOSKE_DELIVERABLES_SHOTS", "/tmp/shots-db"))
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class World:
    def __init__(self, language):
        self.coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
        self.teams = Teams(CohortFactory(name="Soske-akatemia 2031"), self.coordinator)
        for user in (self.teams.user, self.teams.other_user):
            user.language = language
            user.save(update_fields=["language"])
        now = clock.now()
        seeded = services.assignments_seed(cohort=self.teams.cohort, actor=self.coordinator)
        self.by_kind = {}
        for a in seeded:
            self.by_kind[a.kind] = services.assignment_update(
                assignment=a, actor=self.coordinator, opens_at=now - timedelta(days=1),
                due_at=now + timedelta(days=4), cutoff_at=now + timedelta(days=6),
            )  # fmt: skip
        kickoff = self.by_kind[Kind.KICKOFF]
        submission = services.submission_for(assignment=kickoff, team=self.teams.team)
        services.file_add(submission=submission, actor=self.teams.user,
                          upload=SimpleUploadedFile("kartoitus.pdf", PDF))  # fmt: skip
        submission = services.draft_save(submission=submission, actor=self.teams.user, content={
            "categories": {"rows": [
                {"category": "Siivouspalvelut", "annual_spend": "420000.00",
                 "risk": "Työllistämisen mahdollisuus", "chosen": True}]},
            "impact": {"subject": "Siivous", "estimated_value": "800000.00", "timetable": "",
                       "target_group": "Pitkäaikaistyöttömät", "expected_impact": "Työpaikkoja",
                       "indicators": "Henkilötyövuodet", "follow_up": ""},
        })  # fmt: skip
        self.version = services.submission_submit(
            submission=submission, actor=self.teams.user, token="b1"
        )
        services.feedback_give(version=self.version, actor=self.coordinator,
                               text="Hyvä alku. Lisätkää kuljetuspalvelut.",
                               verdict=Verdict.NEEDS_CHANGES,
                               upload=SimpleUploadedFile("huomiot.pdf", PDF))  # fmt: skip
        rights = self.by_kind[Kind.INTERIM_HUMAN_RIGHTS]
        theirs = services.submission_for(assignment=rights, team=self.teams.other_team)
        services.draft_save(submission=theirs, actor=self.teams.other_user, content={
            "risk_matrix": {"rows": [
                {"category": "Työvaatteet", "risk": "forced_labour", "likelihood": 4,
                 "severity": 5, "measures": "Auditointi"},
                {"category": "Siivous", "risk": "wages", "likelihood": 2, "severity": 3,
                 "measures": ""}]},
        })  # fmt: skip

    def url(self, assignment, suffix="", team=None):
        team = team or self.teams.team
        return f"/team/{team.pk}/work/{assignment.pk}/{suffix}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_team_work_pages(page, context, live_server, axe, language):
    w = World(language)
    sign_in(context, live_server, w.teams.user)

    page.goto(f"/team/{w.teams.team.pk}/work/")
    assert_lang(page, language)
    assert page.locator("main .assignment-list li").count() == 5  # not the other track's
    axe.check(page, "tasks")
    page.goto(f"/team/{w.teams.team.pk}/")
    axe.check(page, "team page with the next assignments")

    for kind in (Kind.PRE_ASSIGNMENT, Kind.KICKOFF, Kind.INTERIM_EMPLOYMENT,
                 Kind.DEVELOPMENT_TASK, Kind.MANAGEMENT):  # fmt: skip
        page.goto(w.url(w.by_kind[kind]))
        assert page.locator("main #work-form").count() == 1
        axe.check(page, f"submission {kind}")

    # a validation error: a row without its category
    kickoff = w.by_kind[Kind.KICKOFF]
    page.goto(w.url(kickoff))
    page.fill("#id_categories-1-risk", "Riski ilman ryhmää")
    submit_form_of(page, "save", containing="input[name=revision]")
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_categories-1-risk").input_value() == "Riski ilman ryhmää"
    axe.check(page, "submission with a validation error")

    # a team mate saves meanwhile: the save is refused, the text kept
    page.goto(w.url(kickoff))
    submission = kickoff.submissions.get(team=w.teams.team)
    theirs = {"impact": {**submission.draft["impact"], "timetable": "Syksy"}}
    services.draft_save(submission=submission, actor=w.teams.user, content=theirs)
    page.fill("#id_impact-timetable", "Kevät")
    submit_form_of(page, "save", containing="input[name=revision]")
    assert page.locator("#id_impact-timetable").input_value() == "Kevät"
    assert page.locator(".alert-danger").count() >= 1
    axe.check(page, "submission after a conflict")

    page.goto(w.url(kickoff, f"versions/{w.version.number}/"))
    assert page.get_by_text("Hyvä alku. Lisätkää kuljetuspalvelut.").count() == 1
    axe.check(page, "version with feedback")

    page.goto(w.url(kickoff, f"files/{submission.files.get().pk}/remove/"))
    axe.check(page, "remove a file")
    axe.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_risk_matrix_and_the_annex_builder(page, context, live_server, axe, language):
    w = World(language)
    sign_in(context, live_server, w.teams.other_user)
    rights = w.by_kind[Kind.INTERIM_HUMAN_RIGHTS]
    page.goto(w.url(rights, team=w.teams.other_team))
    assert_lang(page, language)
    assert page.locator("main .sheet-row .risk-critical").count() == 1
    assert (
        page.locator("main fieldset legend")
        .filter(has_text=t("Minimum responsibility obligations", language))
        .count()
        == 1
    )
    axe.check(page, "risk matrix and annex builder")
    page.select_option("#id_risk_matrix-2-likelihood", "3")
    submit_form_of(page, "save", containing="input[name=revision]")
    assert page.locator(".error-summary").count() == 1
    axe.check(page, "risk matrix with an incomplete row")
    axe.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_reading_page(page, context, live_server, axe, language):
    w = World(language)
    sign_in(context, live_server, w.coordinator)
    kickoff = w.by_kind[Kind.KICKOFF]
    page.goto(f"/staff/work/teams/{w.teams.team.pk}/assignments/{kickoff.pk}/")
    assert_lang(page, language)
    assert page.locator("main textarea[name=text]").count() == 1
    axe.check(page, "staff page with the feedback form")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "feedback form with errors")
    axe.assert_clean()


def test_the_pages_fit_a_phone(page, context, live_server):
    w = World("fi")
    SHOTS.mkdir(parents=True, exist_ok=True)
    kickoff = w.by_kind[Kind.KICKOFF]
    rights = w.by_kind[Kind.INTERIM_HUMAN_RIGHTS]
    pages = [
        (w.teams.user, f"/team/{w.teams.team.pk}/work/", "tasks"),
        (w.teams.user, w.url(kickoff), "kickoff"),
        (w.teams.user, w.url(w.by_kind[Kind.MANAGEMENT]), "management"),
        (w.teams.user, w.url(kickoff, "versions/1/"), "version"),
        (w.teams.other_user, w.url(rights, team=w.teams.other_team), "risk"),
        (w.coordinator, f"/staff/work/teams/{w.teams.team.pk}/assignments/{kickoff.pk}/",
         "staff"),
    ]  # fmt: skip
    for user, path, name in pages:
        context.clear_cookies()
        sign_in(context, live_server, user)
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 844})
            page.goto(path)
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
            scroll, client = page.evaluate(
                "[document.querySelector('main').scrollWidth,"
                " document.querySelector('main').clientWidth]"
            )
            assert scroll <= client, (name, width, scroll, client)


def test_the_draft_saves_itself_and_the_button_save_after_it_is_no_conflict(
    page, context, live_server
):
    w = World("fi")
    sign_in(context, live_server, w.teams.user)
    management = w.by_kind[Kind.MANAGEMENT]
    page.goto(w.url(management))
    page.fill("#id_management-comments", "Johtoryhmä hyväksyi suunnitelman.")
    expect(page.locator("#autosave-status")).to_contain_text(
        t("Draft saved automatically at", "fi"), timeout=10_000
    )
    submission = management.submissions.get(team=w.teams.team)
    assert submission.draft["management"]["comments"] == "Johtoryhmä hyväksyi suunnitelman."
    assert page.locator("#work-form input[name=revision]").input_value() == str(submission.revision)
    page.fill("#id_management-attendees_other", "Hallintojohtaja")
    page.get_by_role("button", name=t("Save draft", "fi")).click()
    expect(page.locator(".alert-success")).to_contain_text(t("The draft was saved.", "fi"))
    submission.refresh_from_db()
    assert submission.draft["management"]["attendees_other"] == "Hallintojohtaja"
    assert submission.draft["management"]["comments"] == "Johtoryhmä hyväksyi suunnitelman."
