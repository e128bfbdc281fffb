"""axe-core (WCAG 2.1 A and AA) finds nothing on the peer phase's pages, in fi, sv and en:
the team's peer page (other teams' work, comments, the comment form and its error state),
the coordinators' moderation page (all and hidden comments) and the hide confirmation with
its error state. Both pages fit a phone (390 px) without sideways scrolling."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from cohorts.models import Track
from deliverables import services
from deliverables.models import Audience, Kind, SubmissionFile
from soske import clock
from soske.users.models import Role
from tests.deliverables.conftest import member, new_team
from tests.deliverables.test_peer_phase import plan
from tests.factories import CohortFactory

from .conftest import LANGUAGES, sign_in
from .test_accessibility import assert_lang, person, submit_form_of

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SOSKE_PEER_SHOTS", "/tmp/shots-dc"))
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(SubmissionFile._meta.get_field("file"), "storage", storage)
    return storage


class World:
    def __init__(self, language):
        self.coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
        self.cohort = CohortFactory(name="Soske-akatemia 2031")
        self.team = new_team(self.cohort, "Järvelän kaupunki", Track.EMPLOYMENT, "1111111-1")
        self.other = new_team(self.cohort, "Kallioniemen kunta", Track.HUMAN_RIGHTS, "2222222-2")
        self.third = new_team(self.cohort, "Pohjoisrannan kunta", Track.HUMAN_RIGHTS, "3333333-3")
        self.user = person("tiina@example.org", language)
        self.other_user = person("olli@example.org", language)
        member(self.team, "Tiina Tiimiläinen", user=self.user)
        member(self.other, "Olli Kallioniemi", user=self.other_user)
        now = clock.now()
        self.assignment = services.assignment_create(
            cohort=self.cohort,
            actor=self.coordinator,
            kind=Kind.DEVELOPMENT_TASK,
            audience=Audience.BOTH,
            title_fi="Kehittämistehtävä: toimintamalli ja pilottihankinta",
            title_sv="Utvecklingsuppgift: verksamhetsmodell och pilotupphandling",
            title_en="Development task: operating model and pilot procurement",
            worksheets=["operating_model", "pilot_plan"],
            opens_at=now - timedelta(days=10),
            due_at=now + timedelta(days=5),
            cutoff_at=now + timedelta(days=7),
        )
        for team, user, subject in (
            (self.team, self.user, "Kiinteistöjen siivouspalvelut"),
            (self.other, self.other_user, "Työvaatteet ja henkilösuojaimet"),
        ):
            submission = services.submission_for(assignment=self.assignment, team=team)
            services.file_add(
                submission=submission,
                actor=user,
                upload=SimpleUploadedFile("suunnitelma.pdf", PDF, content_type="application/pdf"),
            )
            services.draft_save(submission=submission, actor=user, content=plan(subject))
            services.submission_submit(submission=submission, actor=user, token=f"t-{team.pk}")
        services.peer_phase_open(assignment=self.assignment, actor=self.coordinator)
        self.assignment.refresh_from_db()
        services.peer_comment_add(
            assignment=self.assignment, author_team=self.other, team=self.team,
            actor=self.other_user, text="Selkeä toimintamalli ja hyvin valittu pilotti.",
        )  # fmt: skip
        services.peer_comment_add(
            assignment=self.assignment, author_team=self.team, team=self.other,
            actor=self.user, text="Riskiarvio on perusteellinen.",
        )  # fmt: skip
        rude = services.peer_comment_add(
            assignment=self.assignment, author_team=self.other, team=self.team,
            actor=self.other_user, text="Hyödytön suunnitelma.",
        )  # fmt: skip
        services.peer_comment_hide(comment=rude, actor=self.coordinator, reason="Asiaton")
        self.visible = services.peer_comment_add(
            assignment=self.assignment, author_team=self.team, team=self.third,
            actor=self.user, text="Odotamme teidän työtänne.",
        )  # fmt: skip

    @property
    def peer_url(self):
        return f"/team/{self.team.pk}/peers/{self.assignment.pk}/"

    @property
    def comments_url(self):
        return f"/staff/work/peers/{self.assignment.pk}/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_teams_peer_page(page, context, live_server, axe, storage, language):
    world = World(language)
    sign_in(context, live_server, world.user)
    page.goto(world.peer_url)
    assert_lang(page, language)
    received = page.locator("main").get_by_text("Selkeä toimintamalli ja hyvin valittu pilotti.")
    assert received.count() == 1
    assert page.locator("main").get_by_text("Hyödytön suunnitelma.").count() == 0  # hidden
    axe.check(page, "peer page")
    submit_form_of(page, containing=f"input[name=team][value='{world.other.pk}']")
    assert page.locator("#error-summary").count() == 1
    assert page.locator(f"#id_comment_{world.other.pk}_text[aria-invalid=true]").count() == 1
    axe.check(page, "peer page with an empty comment")
    axe.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_moderation_pages(page, context, live_server, axe, storage, language):
    world = World(language)
    sign_in(context, live_server, world.coordinator)
    page.goto(world.comments_url)
    assert_lang(page, language)
    axe.check(page, "moderation")
    page.goto(world.comments_url + "?show=hidden")
    axe.check(page, "moderation, hidden comments")
    page.goto(f"{world.comments_url}comments/{world.visible.pk}/hide/")
    axe.check(page, "hide confirmation")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "hide confirmation without a reason")
    axe.assert_clean()


def test_the_peer_and_moderation_pages_fit_a_phone(page, context, live_server, storage):
    world = World("fi")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for user, paths in (
        (world.user, ((world.peer_url, "peer"),)),
        (
            world.coordinator,
            (
                (world.comments_url, "moderation"),
                (f"{world.comments_url}comments/{world.visible.pk}/hide/", "hide"),
            ),
        ),
    ):
        context.clear_cookies()
        sign_in(context, live_server, user)
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 844})
            for path, name in paths:
                page.goto(path)
                page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
                scroll, client = page.evaluate(
                    "[document.querySelector('main').scrollWidth,"
                    " document.querySelector('main').clientWidth]"
                )
                assert scroll <= client, (name, width, scroll, client)
