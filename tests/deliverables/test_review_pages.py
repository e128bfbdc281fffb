"""The staff's reading page of a team's work: every version with its content, files and
feedback, and the feedback form on the latest version, which mails the team."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Track
from deliverables import services
from deliverables.models import Feedback, Kind, SubmissionState, Verdict
from soske import clock
from soske.mail.models import OutgoingEmail
from tests.conftest import client_for
from tests.deliverables.conftest import member, new_team

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def work(teams, coordinator):
    """An open mapping assignment the team submitted twice, with a file."""
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    now = clock.now()
    assignment = services.assignment_create(
        cohort=teams.cohort, actor=teams.coordinator, kind=Kind.OTHER, title_fi="Kartoitus",
        title_en="Mapping", worksheets=["categories"], opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=5), cutoff_at=now + timedelta(days=7),
    )  # fmt: skip
    submission = services.submission_for(assignment=assignment, team=teams.team)
    services.file_add(submission=submission, actor=teams.user,
                      upload=SimpleUploadedFile("kartoitus.pdf", PDF))  # fmt: skip
    for n, name in ((1, "Siivous"), (2, "Ruokapalvelut")):
        submission = services.draft_save(submission=submission, actor=teams.user, content={
            "categories": {"rows": [{"category": name, "annual_spend": "1000.00", "risk": "",
                                     "chosen": True}]}})  # fmt: skip
        services.submission_submit(submission=submission, actor=teams.user, token=f"t{n}")
    submission.refresh_from_db()
    return assignment, submission


def page_url(teams, assignment):
    return reverse("deliverables_review:submission", args=[teams.team.pk, assignment.pk])


def test_staff_read_every_version_with_its_content_and_files(teams, work, coordinator_client):
    assignment, submission = work
    response = coordinator_client.get(page_url(teams, assignment))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Työllistäjä kunta: Mapping" in html
    assert "Siivous" in html and "Ruokapalvelut" in html
    assert html.index("Version 2") < html.index("Version 1")
    item = submission.files.get()
    download = reverse("deliverables_review:file", args=[teams.team.pk, assignment.pk, item.pk])
    assert download in html
    assert b"".join(coordinator_client.get(download).streaming_content) == PDF
    assert "Feedback on version 2" in html


def test_feedback_is_saved_on_the_latest_version_and_mails_the_team(
    teams, work, coordinator, coordinator_client
):
    assignment, submission = work
    response = coordinator_client.post(
        page_url(teams, assignment),
        {"text": "Lisätkää kuljetukset.", "verdict": Verdict.NEEDS_CHANGES, "version": "2",
         "file": SimpleUploadedFile("huomiot.pdf", PDF)},
    )  # fmt: skip
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.version == submission.latest_version and feedback.version.number == 2
    assert feedback.author == coordinator and feedback.text == "Lisätkää kuljetukset."
    assert feedback.filename == "huomiot.pdf"
    submission.refresh_from_db()
    assert submission.state == SubmissionState.NEEDS_CHANGES
    # Tiina (joined) and Eero (invited) are both told
    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == sorted(
        [teams.tiina.email, teams.eero.email]
    )
    html = coordinator_client.get(page_url(teams, assignment)).content.decode()
    file_url = reverse(
        "deliverables_review:feedback_file", args=[teams.team.pk, assignment.pk, feedback.pk]
    )
    assert "Lisätkää kuljetukset." in html and file_url in html
    assert b"".join(coordinator_client.get(file_url).streaming_content) == PDF


def test_feedback_without_text_or_verdict_is_refused_and_keeps_what_was_typed(
    teams, work, coordinator_client
):
    assignment, _submission = work
    response = coordinator_client.post(
        page_url(teams, assignment), {"text": "Puolikas ajatus", "version": "2"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Puolikas ajatus" in html and 'id="error-summary"' in html
    assert "Choose whether the work is accepted or needs changes." in html
    assert not Feedback.objects.exists() and not OutgoingEmail.objects.exists()


def test_feedback_written_on_an_older_version_is_not_put_on_a_newer_one(
    teams, work, coordinator_client
):
    assignment, _submission = work
    response = coordinator_client.post(
        page_url(teams, assignment),
        {"text": "Versiosta 1", "verdict": Verdict.ACCEPTED, "version": "1"},
    )
    assert response.status_code == 400
    assert "The team submitted version 2 while you were writing" in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_reviewer_gives_feedback_too_and_a_team_member_gets_403(teams, work, reviewer):
    assignment, _submission = work
    client = client_for(reviewer)
    response = client.post(
        page_url(teams, assignment), {"text": "Hyvä", "verdict": "accepted", "version": "2"}
    )
    assert response.status_code == 302 and Feedback.objects.get().author == reviewer
    assert teams.client.get(page_url(teams, assignment)).status_code == 403
    assert teams.client.post(page_url(teams, assignment), {"text": "x"}).status_code == 403


def test_an_assignment_of_the_other_track_is_a_404_for_staff(teams, coordinator_client):
    now = clock.now()
    other = services.assignment_create(
        cohort=teams.cohort, actor=teams.coordinator, kind=Kind.OTHER, title_fi="Oikeudet",
        audience=Track.HUMAN_RIGHTS, worksheets=["risk_matrix"],
        opens_at=now - timedelta(days=1), due_at=now + timedelta(days=2),
        cutoff_at=now + timedelta(days=2),
    )  # fmt: skip
    assert coordinator_client.get(page_url(teams, other)).status_code == 404


def test_a_work_not_started_shows_no_feedback_form(teams, coordinator_client):
    now = clock.now()
    assignment = services.assignment_create(
        cohort=teams.cohort, actor=teams.coordinator, kind=Kind.OTHER, title_fi="Tyhjä",
        worksheets=["answer"], opens_at=now - timedelta(days=1), due_at=now + timedelta(days=2),
        cutoff_at=now + timedelta(days=2),
    )  # fmt: skip
    response = coordinator_client.get(page_url(teams, assignment))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert 'name="verdict"' not in response.content.decode()


def test_the_page_takes_the_same_queries_for_one_and_many_versions(
    teams, work, coordinator, coordinator_client
):
    assignment, submission = work
    services.feedback_give(version=submission.latest_version, actor=coordinator,
                           text="Palaute", verdict=Verdict.NEEDS_CHANGES)  # fmt: skip
    path = page_url(teams, assignment)
    coordinator_client.get(path)
    with CaptureQueriesContext(connection) as two:
        coordinator_client.get(path)
    for n in range(3, 8):
        submission = services.draft_save(submission=submission, actor=teams.user, content={
            "categories": {"rows": [{"category": f"R{n}", "annual_spend": "", "risk": "",
                                     "chosen": False}]}})  # fmt: skip
        version = services.submission_submit(submission=submission, actor=teams.user,
                                             token=f"t{n}")  # fmt: skip
        services.feedback_give(version=version, actor=coordinator, text=f"Palaute {n}",
                               verdict=Verdict.NEEDS_CHANGES)  # fmt: skip
    other = new_team(teams.cohort, "Kolmas kunta", Track.EMPLOYMENT, "3333333-3")
    member(other, "Kaisa")
    with CaptureQueriesContext(connection) as many:
        assert coordinator_client.get(path).status_code == 200
    assert len(many) == len(two)
