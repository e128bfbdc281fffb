"""axe-core (WCAG 2.1 A and AA) finds nothing on the next-cohort and follow-up pages, in
fi, sv and en: the cohort copy (its form, a field error, and the preview), the follow-up
questionnaire through its signed link (empty, with an error, answered), a bad link, the
team member's page, and the coordinators' follow-up table."""

from datetime import timedelta

import pytest

from deliverables import followup as services
from deliverables.models import FollowUp
from soske import clock
from soske.users.models import Role
from tests.deliverables.conftest import Teams
from tests.factories import CohortFactory

from .conftest import LANGUAGES, set_language_cookie, sign_in
from .test_accessibility import assert_lang, person, submit_form_of

pytestmark = pytest.mark.browser


def world(language):
    coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
    cohort = CohortFactory(name="Soske-akatemia 2031", kickoff_date=clock.now().date())
    teams = Teams(cohort, coordinator)
    teams.user.language = language
    teams.user.save()
    rows = [
        FollowUp.objects.create(
            team=team,
            round=6,
            email=member.email,
            language=language,
            sent_at=clock.now(),
            closes_on=(clock.now() + timedelta(days=180)).date(),
        )  # fmt: skip
        for team, member in teams.members()
    ]
    services.followup_answer(
        followup=rows[1],
        answers={
            "published": "yes",
            "contract_signed": "no",
            "social_conditions": "Ehto",
            "results": "",
            "model_in_use": "in_progress",
        },  # fmt: skip
    )
    return coordinator, cohort, teams, rows


@pytest.mark.parametrize("language", LANGUAGES)
def test_cohort_copy_pages(page, context, live_server, axe, language):
    coordinator, cohort, _teams, _rows = world(language)
    sign_in(context, live_server, coordinator)
    page.goto(f"/staff/cohorts/{cohort.pk}/copy/")
    assert_lang(page, language)
    axe.check(page, "the copy form")
    page.locator("#id_slug").fill(cohort.slug)  # taken
    page.locator("#id_kickoff_date").fill("2033-01-20")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "the copy form with an error")
    page.locator("#id_slug").fill("soske-2033")
    submit_form_of(page)
    assert page.locator("#preview-title").count() == 1
    axe.check(page, "the copy's preview")
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    axe.check(page, "the copy's preview at 390 px")


@pytest.mark.parametrize("language", LANGUAGES)
def test_followup_pages(page, context, live_server, axe, language):
    coordinator, _cohort, teams, rows = world(language)
    set_language_cookie(context, live_server, language)
    url = f"/follow-up/{services.followup_token(rows[0])}/"
    page.goto(url)
    assert_lang(page, language)
    axe.check(page, "the questionnaire by its link")
    page.locator("#id_results").fill("Kaksi työllistyi")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    assert page.locator("#id_results").input_value() == "Kaksi työllistyi"
    axe.check(page, "the questionnaire with errors")
    for name in ("published", "contract_signed", "model_in_use"):
        page.locator(f"input[name={name}][value=yes]").check()
    submit_form_of(page)
    assert FollowUp.objects.get(pk=rows[0].pk).answered_at is not None
    axe.check(page, "the questionnaire answered")
    page.goto("/follow-up/not-a-token/")
    axe.check(page, "a bad link")

    sign_in(context, live_server, teams.user)
    page.goto(f"/team/{teams.team.pk}/work/")
    assert page.locator(f"main a[href='/team/{teams.team.pk}/follow-up/6/']").count() == 1
    axe.check(page, "the team's tasks with the questionnaire")
    page.goto(f"/team/{teams.team.pk}/follow-up/6/")
    axe.check(page, "the questionnaire on the team's page")

    sign_in(context, live_server, coordinator)
    page.goto("/staff/follow-up/")
    assert page.locator("main table tbody tr").count() == 2
    axe.check(page, "the follow-up table")
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    axe.check(page, "the follow-up table at 390 px")
