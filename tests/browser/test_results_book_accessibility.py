"""The results book's page and a team's summary page: axe-core finds nothing in fi, sv
and en; a queued job's progress reaches the polite live region without a reload, and the
download link appears when the worker is done."""

import re
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.storage import FileSystemStorage
from playwright.sync_api import expect

from cohorts.models import Organisation, Team, TeamMembership, Track
from deliverables import book_jobs
from deliverables.models import BookState, Feedback, ResultsBook, SubmissionFile
from soske import clock
from soske.users.models import Role
from tests.deliverables.book_world import complete_work
from tests.factories import CohortFactory
from workshops import programme

from .conftest import LANGUAGES, sign_in, t
from .test_accessibility import assert_lang, person

pytestmark = pytest.mark.browser


@pytest.fixture
def storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private")
    for model in (SubmissionFile, Feedback, ResultsBook):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    return storage


def _team(cohort, name, track, business_id, user):
    team = Team.objects.create(
        cohort=cohort,
        organisation=Organisation.objects.create(name=name, business_id=business_id),
        track=track,
        created_at=clock.now(),
    )
    TeamMembership.objects.create(
        team=team, name=user.first_name or user.email, email=user.email, user=user,
        token=uuid.uuid4(), invited_at=clock.now(), joined_at=clock.now(),
    )  # fmt: skip
    return team


def _world(language):
    coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
    member = person("tiina@example.org", language)
    other = person("olli@example.org", language)
    cohort = CohortFactory(name="Soske-akatemia 2031")
    kickoff = (clock.helsinki(clock.now()) + timedelta(days=30)).date()
    programme.programme_from_pattern(cohort=cohort, kickoff=kickoff, actor=coordinator)
    team = _team(cohort, "Työllistäjä kunta", Track.EMPLOYMENT, "1111111-1", member)
    other_team = _team(cohort, "Oikeudet kaupunki", Track.HUMAN_RIGHTS, "2222222-2", other)
    world = SimpleNamespace(
        cohort=cohort, coordinator=coordinator, member=member, team=team,
        members=lambda: [(team, member), (other_team, other)],
    )  # fmt: skip
    complete_work(world, coordinator=coordinator)
    return world


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_results_book_page_shows_the_progress_and_the_download(
    page, context, live_server, axe, language, storage
):
    world = _world(language)
    sign_in(context, live_server, world.coordinator)
    page.goto(f"{live_server.url}/staff/work/books/cohorts/{world.cohort.pk}/")
    assert_lang(page, language)
    axe.check(page, "results book, none yet")

    # A job the worker has not picked up yet: the page polls and announces.
    row, started = book_jobs.book_start(
        cohort=world.cohort, actor=world.coordinator, language=language
    )
    assert started
    ResultsBook.objects.filter(pk=row.pk).update(state=BookState.QUEUED)
    page.reload()
    region = page.locator("#book-status-text")
    assert region.get_attribute("aria-live") == "polite"
    expect(region).to_have_text(t("Queued: the job starts in a moment.", language))
    axe.check(page, "results book, queued")
    book_jobs.book_build(row.pk)
    expect(region).to_contain_text(re.compile(r"\.pdf"), timeout=15000)
    link = page.locator("#book-status-link a")
    expect(link).to_have_attribute("href", re.compile(rf"/staff/work/books/{row.pk}/download/"))
    axe.check(page, "results book, done")

    sign_in(context, live_server, world.member)
    page.goto(f"{live_server.url}/team/{world.team.pk}/summary/")
    assert_lang(page, language)
    axe.check(page, "team summary")
    axe.assert_clean()
