"""The results book's pages: starting a build only queues the job, the page and its JSON
status show the progress, versions download with their names; a team's summary page is
its members' only."""

import pytest
from django.urls import reverse

from deliverables.models import BookState, ResultsBook
from tests.conftest import client_for
from tests.deliverables.book_world import complete_work


@pytest.fixture
def worked(teams, coordinator):
    complete_work(teams, coordinator=coordinator)
    return teams


def test_starting_the_book_queues_one_job_and_the_page_shows_it(worked, coordinator):
    client = client_for(coordinator)
    start = reverse("results_book:start", args=[worked.cohort.pk])
    response = client.post(start, {"language": "sv"})
    assert response.status_code == 302
    row = ResultsBook.objects.get()
    # The test's transaction never commits, so the job was not run: queued is what the
    # request leaves behind (rendering never runs in a web request).
    assert (row.state, row.language, row.created_by) == (BookState.QUEUED, "sv", coordinator)
    client.post(start, {"language": "fi"})
    assert ResultsBook.objects.count() == 1
    page = client.get(reverse("results_book:cohort", args=[worked.cohort.pk]))
    html = page.content.decode()
    assert 'role="status"' in html and 'aria-live="polite"' in html
    assert "Jonossa" in html or "Queued" in html
    status = client.get(reverse("results_book:status", args=[worked.cohort.pk])).json()
    assert status["state"] == "queued" and status["active"] is True


def test_a_finished_book_downloads_under_its_name(
    worked, coordinator, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("results_book:start", args=[worked.cohort.pk]), {"language": "fi"})
    row = ResultsBook.objects.get()
    assert row.state == BookState.DONE, row.error
    status = client.get(reverse("results_book:status", args=[worked.cohort.pk])).json()
    assert status["url"] == reverse("results_book:download", args=[row.pk])
    response = client.get(status["url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert row.filename in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_bad_language_is_refused_with_a_message(worked, coordinator):
    client = client_for(coordinator)
    response = client.post(
        reverse("results_book:start", args=[worked.cohort.pk]), {"language": "de"}, follow=True
    )
    assert ResultsBook.objects.count() == 0
    assert [str(m) for m in response.context["messages"]] == ["Valitse kirjan kieli."]


def test_a_team_builds_its_own_summary_and_no_other_teams(
    worked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        worked.client.post(reverse("team_summary:start", args=[worked.team.pk]), {"language": "fi"})
    row = ResultsBook.objects.get()
    assert row.team == worked.team and row.state == BookState.DONE, row.error
    download = reverse("team_summary:download", args=[worked.team.pk, row.pk])
    assert worked.client.get(download).status_code == 200
    # Olli of the other team reaches neither the page nor the file.
    assert (
        worked.other_client.get(reverse("team_summary:page", args=[worked.team.pk])).status_code
        == 404
    )
    assert worked.other_client.get(download).status_code == 404
    other_path = reverse("team_summary:download", args=[worked.other_team.pk, row.pk])
    assert worked.other_client.get(other_path).status_code == 404
