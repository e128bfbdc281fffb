"""The team's pages of its work: the list of assignments, the one form with every worksheet
(drafts that are never lost, validation that keeps what was typed, submitting once), files,
and the versions with the staff's feedback beside them."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Track
from deliverables import services
from deliverables.models import Kind, Submission, SubmissionVersion, Verdict
from soske import clock
from tests.deliverables.conftest import member, new_team
from tests.queries import page_tables

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def open_assignment(teams, worksheets=("categories",), **fields):
    now = clock.now()
    values = dict(
        kind=Kind.OTHER, title_fi="Kartoitus", title_en="Mapping", worksheets=list(worksheets),
        instructions_fi="Kartoittakaa hankintaryhmät.",
        opens_at=now - timedelta(days=1), due_at=now + timedelta(days=5),
        cutoff_at=now + timedelta(days=7),
    )  # fmt: skip
    values.update(fields)
    return services.assignment_create(cohort=teams.cohort, actor=teams.coordinator, **values)


def url(teams, assignment, name="deliverables:submission", *extra):
    return reverse(name, args=[teams.team.pk, assignment.pk, *extra])


def form_values(response):
    """The hidden revision and token of the page's work form."""
    html = response.content.decode()
    revision = re.search(r'name="revision" value="(\d+)"', html).group(1)
    token = re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)
    return {"revision": revision, "token": token}


def categories_post(base, rows, total=None):
    data = {
        **base,
        "categories-TOTAL_FORMS": str(total or max(len(rows), 1)),
        "categories-INITIAL_FORMS": "0",
        "categories-MIN_NUM_FORMS": "0",
        "categories-MAX_NUM_FORMS": "200",
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"categories-{i}-{name}"] = value
    return data


@pytest.fixture(autouse=True)
def _in_english(teams):
    """The pages in English: the texts asserted here are the msgids (the Finnish and
    Swedish translations are checked in test_team_translations)."""
    for user in (teams.user, teams.other_user):
        user.language = "en"
        user.save(update_fields=["language"])


ROW = {"category": "Siivouspalvelut", "annual_spend": "420000", "risk": "Työllistäminen",
       "chosen": "on"}  # fmt: skip


# --- the list ---------------------------------------------------------------------------


def test_the_list_shows_open_and_upcoming_assignments_of_the_teams_track(teams):
    teams.cohort.refresh_from_db()
    now = clock.now()
    open_one = open_assignment(teams, event=teams.events[0])
    open_assignment(teams, title_en="Rights", audience=Track.HUMAN_RIGHTS)
    later = open_assignment(
        teams, title_fi="Myöhempi", title_en="Later", opens_at=now + timedelta(days=3),
        due_at=now + timedelta(days=9), cutoff_at=now + timedelta(days=9),
    )  # fmt: skip
    submission = services.submission_for(assignment=open_one, team=teams.team)
    services.draft_save(submission=submission, actor=teams.user,
                        content={"categories": {"rows": [{"category": "A"}]}})  # fmt: skip
    response = teams.client.get(reverse("deliverables:assignments", args=[teams.team.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert url(teams, open_one) in html
    assert "Rights" not in html  # the other track's
    assert "Later" in html and url(teams, later) not in html  # listed, not linked yet
    opens = clock.helsinki(later.opens_at)
    assert f"{opens.day} {opens:%b %Y}" in html  # English: 5 Dec 2026
    assert teams.events[0].title in html
    assert "Draft" in html  # the progress badge
    assert "Has unsubmitted changes" in html


def test_a_reopening_shows_its_own_deadline(teams):
    now = clock.now()
    assignment = open_assignment(
        teams, opens_at=now - timedelta(days=9), due_at=now - timedelta(days=3),
        cutoff_at=now - timedelta(days=2),
    )  # fmt: skip
    until = now + timedelta(days=2)
    services.reopen_for_team(assignment=assignment, team=teams.team, until=until,
                             actor=teams.coordinator)  # fmt: skip
    html = teams.client.get(reverse("deliverables:assignments", args=[teams.team.pk])).content
    local_until = clock.helsinki(until)
    assert f"Reopened for you until {local_until.day} {local_until:%b %Y}" in (html.decode())


def test_the_list_takes_the_same_queries_for_one_and_many_assignments_and_teams(teams):
    open_assignment(teams)
    client = teams.client
    path = reverse("deliverables:assignments", args=[teams.team.pk])
    client.get(path)
    with CaptureQueriesContext(connection) as one:
        client.get(path)
    for n in range(5):
        a = open_assignment(teams, title_fi=f"Lisä {n}")
        s = services.submission_for(assignment=a, team=teams.team)
        services.draft_save(submission=s, actor=teams.user, content={"categories": {"rows": []}})
        services.reopen_for_team(assignment=a, team=teams.team, actor=teams.coordinator,
                                 until=clock.now() + timedelta(days=30))  # fmt: skip
        # more teams of the cohort, with their own work
        other = new_team(teams.cohort, f"Kunta {n}", Track.EMPLOYMENT, f"444444{n}-{n}")
        theirs = services.submission_for(assignment=a, team=other)
        services.draft_save(submission=theirs, actor=teams.user,
                            content={"categories": {"rows": []}})  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(one)


@pytest.mark.parametrize(("closed", "reopened"), [(False, False), (True, False), (True, True)])
def test_the_form_reads_the_assignment_and_the_reopening_once(teams, closed, reopened):
    """Each read once per page (they were read up to four times), open, past its cut-off or
    reopened for the team: the reopening comes with the assignment, in its query."""
    assignment = open_assignment(teams)
    submission = services.submission_for(assignment=assignment, team=teams.team)
    services.draft_save(submission=submission, actor=teams.user,
                        content={"categories": {"rows": []}})  # fmt: skip
    at = assignment.cutoff_at + timedelta(minutes=1) if closed else clock.now()
    until = assignment.cutoff_at + timedelta(days=2)
    if reopened:
        services.reopen_for_team(assignment=assignment, team=teams.team, until=until,
                                 actor=teams.coordinator)  # fmt: skip
    with clock.travel(at), CaptureQueriesContext(connection) as queries:
        page = teams.client.get(url(teams, assignment))
    assert page.status_code == 200
    assert page.context["editable"] is (not closed or reopened)
    assert page.context["reopened"] is reopened
    assert page.context["until"] == (until if reopened else assignment.cutoff_at)
    assert page_tables(queries) == [
        '"cohorts_team"',
        '"deliverables_assignment"',
        '"deliverables_submission"',
        '"deliverables_submissionversion"',
        '"deliverables_submissionfile"',
    ]  # the layout's "my team" link: the team above says the person is a member


# --- the form ------------------------------------------------------------------------------


def test_saving_the_draft_stores_the_rows_and_raises_the_revision(teams):
    assignment = open_assignment(teams)
    page = teams.client.get(url(teams, assignment))
    assert page.status_code == 200
    assert "Kartoittakaa hankintaryhmät." in page.content.decode()
    response = teams.client.post(
        url(teams, assignment), categories_post({**form_values(page), "action": "save"}, [ROW])
    )
    assert response.status_code == 302
    submission = Submission.objects.get(team=teams.team, assignment=assignment)
    assert submission.revision == 1
    assert submission.draft["categories"]["rows"] == [
        {"category": "Siivouspalvelut", "annual_spend": "420000.00", "risk": "Työllistäminen",
         "chosen": True}
    ]  # fmt: skip
    assert submission.draft_saved_by == teams.user
    assert not submission.versions.exists()


def test_add_rows_saves_and_renders_more_empty_rows(teams):
    assignment = open_assignment(teams)
    page = teams.client.get(url(teams, assignment))
    response = teams.client.post(
        url(teams, assignment),
        categories_post({**form_values(page), "action": "rows:categories"}, [ROW]),
    )
    assert response.status_code == 302
    assert "extra_categories=3" in response["Location"]
    assert (
        Submission.objects.get(assignment=assignment).draft["categories"]["rows"][0]["category"]
        == "Siivouspalvelut"
    )
    page = teams.client.get(response["Location"])
    # the saved row, two empty rows as always and three more
    html = page.content.decode()
    assert 'name="categories-5-category"' in html
    assert 'name="categories-6-category"' not in html


def test_a_validation_error_keeps_the_typed_text_and_saves_nothing_of_that_worksheet(teams):
    assignment = open_assignment(teams, worksheets=["categories", "impact"])
    page = teams.client.get(url(teams, assignment))
    data = categories_post(
        {**form_values(page), "action": "save", "impact-subject": "Siivous",
         "impact-estimated_value": "paljon"},
        [{"category": "", "risk": "Riski ilman ryhmää"}],
    )  # fmt: skip
    response = teams.client.post(url(teams, assignment), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Riski ilman ryhmää" in html and 'value="paljon"' in html
    assert "Name the category of this row." in html
    assert "Not saved: Significant procurement categories, Impact pre-assessment" in html
    assert not Submission.objects.filter(assignment=assignment).exclude(draft={}).exists()


def test_one_invalid_worksheet_does_not_stop_the_other_from_being_saved(teams):
    assignment = open_assignment(teams, worksheets=["categories", "impact"])
    page = teams.client.get(url(teams, assignment))
    data = categories_post(
        {**form_values(page), "action": "save", "impact-subject": "Siivous"},
        [{"category": "", "risk": "Riski ilman ryhmää"}],
    )
    response = teams.client.post(url(teams, assignment), data)
    assert response.status_code == 400
    submission = Submission.objects.get(assignment=assignment)
    assert submission.draft["impact"]["subject"] == "Siivous"
    assert "categories" not in submission.draft
    html = response.content.decode()
    assert "Riski ilman ryhmää" in html
    # the page carries the new revision, so the corrected save is not a conflict
    assert form_values(response)["revision"] == str(submission.revision)


def test_a_stale_save_is_refused_with_the_typed_text_and_a_second_save_keeps_it(teams):
    assignment = open_assignment(teams)
    page = teams.client.get(url(teams, assignment))
    stale = form_values(page)
    # a team mate saves meanwhile
    submission = services.submission_for(assignment=assignment, team=teams.team)
    theirs = {"categories": {"rows": [{"category": "Toisen teksti"}]}}
    services.draft_save(submission=submission, actor=teams.user, base_revision=0, content=theirs)
    mine = {**ROW, "category": "Minun tekstini"}
    response = teams.client.post(
        url(teams, assignment), categories_post({**stale, "action": "save"}, [mine])
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Minun tekstini" in html
    assert "saved this work at" in html
    assert form_values(response)["revision"] == "1"
    assert 'id="conflict-saved"' in html and "Toisen teksti" in html  # to compare with
    assert (
        Submission.objects.get(pk=submission.pk).draft["categories"]["rows"][0]["category"]
        == "Toisen teksti"
    )
    again = teams.client.post(
        url(teams, assignment),
        categories_post({**form_values(response), "action": "save"}, [mine]),
    )
    assert again.status_code == 302
    assert (
        Submission.objects.get(pk=submission.pk).draft["categories"]["rows"][0]["category"]
        == "Minun tekstini"
    )


def test_submit_saves_and_makes_a_version_and_a_double_submit_makes_one(teams):
    assignment = open_assignment(teams)
    page = teams.client.get(url(teams, assignment))
    data = categories_post({**form_values(page), "action": "submit"}, [ROW])
    first = teams.client.post(url(teams, assignment), data)
    second = teams.client.post(url(teams, assignment), data)
    assert first.status_code == second.status_code == 302
    versions = SubmissionVersion.objects.filter(submission__assignment=assignment)
    assert versions.count() == 1
    version = versions.get()
    assert version.number == 1 and version.submitted_by == teams.user and not version.late
    assert version.data["categories"]["rows"][0]["category"] == "Siivouspalvelut"
    page = teams.client.get(url(teams, assignment))
    assert "Submitted as version 1." in page.content.decode()
    assert url(teams, assignment, "deliverables:version", 1) in page.content.decode()


def test_submitting_an_incomplete_work_saves_it_and_says_what_is_missing(teams):
    assignment = open_assignment(teams, worksheets=["impact"])
    page = teams.client.get(url(teams, assignment))
    response = teams.client.post(
        url(teams, assignment),
        {**form_values(page), "action": "submit", "impact-subject": "Siivous"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your changes were saved, but not submitted" in html
    assert "Target group" in html
    assert Submission.objects.get(assignment=assignment).draft["impact"]["subject"] == "Siivous"
    assert not SubmissionVersion.objects.exists()


def test_before_opening_and_after_the_cut_off_the_work_is_read_only_with_the_reason(teams):
    now = clock.now()
    later = open_assignment(
        teams, opens_at=now + timedelta(days=2), due_at=now + timedelta(days=4),
        cutoff_at=now + timedelta(days=4),
    )  # fmt: skip
    html = teams.client.get(url(teams, later)).content.decode()
    assert "This assignment opens on" in html and 'id="work-form"' not in html
    past = open_assignment(
        teams, opens_at=now - timedelta(days=9), due_at=now - timedelta(days=4),
        cutoff_at=now - timedelta(days=3),
    )  # fmt: skip
    response = teams.client.get(url(teams, past))
    assert "The cut-off of this assignment was" in response.content.decode()
    assert 'id="work-form"' not in response.content.decode()
    posted = teams.client.post(url(teams, past), categories_post({"revision": "0"}, [ROW]))
    assert posted.status_code == 400
    assert not Submission.objects.filter(assignment=past).exclude(draft={}).exists()


def test_every_seed_kind_renders_its_worksheets(teams):
    services.assignments_seed(cohort=teams.cohort, actor=teams.coordinator)
    now = clock.now()
    rights = teams.other_team
    for assignment in teams.cohort.assignments.all():
        services.assignment_update(assignment=assignment, actor=teams.coordinator,
                                   opens_at=now - timedelta(days=1),
                                   due_at=now + timedelta(days=3),
                                   cutoff_at=now + timedelta(days=4))  # fmt: skip
        team, client = (
            (rights, teams.other_client)
            if assignment.audience == Track.HUMAN_RIGHTS
            else (teams.team, teams.client)
        )
        response = client.get(reverse("deliverables:submission", args=[team.pk, assignment.pk]))
        assert response.status_code == 200, assignment.kind
        html = response.content.decode()
        for key in assignment.worksheets:
            assert f'id="sheet-{key}"' in html, (assignment.kind, key)
        if assignment.kind == Kind.INTERIM_HUMAN_RIGHTS:
            assert html.count('name="conduct_annex-obligations"') == 5
            assert html.count('name="conduct_annex-terms"') == 4
            assert "<legend" in html and "Critical 16–25" in html


def test_the_risk_matrix_shows_each_saved_rows_product_and_level_in_words(teams):
    assignment = open_assignment(teams, worksheets=["risk_matrix"], audience=Track.HUMAN_RIGHTS)
    submission = services.submission_for(assignment=assignment, team=teams.other_team)
    services.draft_save(submission=submission, actor=teams.other_user, content={"risk_matrix": {
        "rows": [{"category": "Tekstiilit", "risk": "child_labour", "likelihood": 4,
                  "severity": 5, "measures": "Auditointi"}]}})  # fmt: skip
    html = teams.other_client.get(
        reverse("deliverables:submission", args=[teams.other_team.pk, assignment.pk])
    ).content.decode()
    assert '<span class="risk-level risk-critical">20: Critical</span>' in html


def test_the_submission_page_takes_the_same_queries_for_one_and_many_versions(teams):
    assignment = open_assignment(teams)
    submission = services.submission_for(assignment=assignment, team=teams.team)
    path = url(teams, assignment)

    def submit(n):
        content = {"categories": {"rows": [{"category": f"R{n}"}]}}
        s = services.draft_save(submission=submission, actor=teams.user, content=content)
        version = services.submission_submit(submission=s, actor=teams.user, token=f"t{n}")
        services.file_add(submission=s, actor=teams.user,
                          upload=SimpleUploadedFile(f"f{n}.pdf", PDF))  # fmt: skip
        services.feedback_give(version=version, actor=teams.coordinator, text="Hyvä",
                               verdict=Verdict.NEEDS_CHANGES)  # fmt: skip

    submit(1)
    teams.client.get(path)
    with CaptureQueriesContext(connection) as one:
        teams.client.get(path)
    for n in range(2, 6):
        submit(n)
    other = new_team(teams.cohort, "Kolmas kunta", Track.EMPLOYMENT, "3333333-3")
    member(other, "Kaisa")
    with CaptureQueriesContext(connection) as many:
        assert teams.client.get(path).status_code == 200
    assert len(many) == len(one)


# --- files ---------------------------------------------------------------------------------


def test_a_file_is_attached_listed_downloaded_and_removed_after_confirmation(teams):
    assignment = open_assignment(teams)
    response = teams.client.post(
        url(teams, assignment, "deliverables:file_add"),
        {"file": SimpleUploadedFile("suunnitelma.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    stored = Submission.objects.get(assignment=assignment).files.get()
    assert stored.filename == "suunnitelma.pdf" and stored.uploaded_by == teams.user
    page = teams.client.get(url(teams, assignment)).content.decode()
    download = url(teams, assignment, "deliverables:file", stored.pk)
    assert download in page
    got = teams.client.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    remove = url(teams, assignment, "deliverables:file_remove", stored.pk)
    confirm = teams.client.get(remove)
    assert confirm.status_code == 200 and "suunnitelma.pdf" in confirm.content.decode()
    stored.refresh_from_db()
    assert stored.removed_at is None
    assert teams.client.post(remove).status_code == 302
    stored.refresh_from_db()
    assert stored.removed_at is not None
    assert download not in teams.client.get(url(teams, assignment)).content.decode()


def test_a_file_of_the_wrong_kind_is_refused_with_the_reason(teams):
    assignment = open_assignment(teams)
    response = teams.client.post(
        url(teams, assignment, "deliverables:file_add"),
        {"file": SimpleUploadedFile("ohjelma.exe", b"MZ\x90\x00binary")},
    )
    assert response.status_code == 400
    assert "This file is not of an accepted type" in response.content.decode()
    assert not Submission.objects.filter(assignment=assignment, files__isnull=False).exists()


def test_a_file_of_another_team_is_a_404(teams):
    assignment = open_assignment(teams, audience="both")
    theirs = services.submission_for(assignment=assignment, team=teams.other_team)
    item = services.file_add(submission=theirs, actor=teams.other_user,
                             upload=SimpleUploadedFile("heidan.pdf", PDF))  # fmt: skip
    assert teams.client.get(url(teams, assignment, "deliverables:file", item.pk)).status_code == 404
    assert (
        teams.client.get(url(teams, assignment, "deliverables:file_remove", item.pk)).status_code
        == 404
    )


# --- versions -------------------------------------------------------------------------------


def test_a_version_shows_its_content_files_and_the_feedback_beside_it(teams, storage):
    assignment = open_assignment(teams)
    submission = services.submission_for(assignment=assignment, team=teams.team)
    item = services.file_add(submission=submission, actor=teams.user,
                             upload=SimpleUploadedFile("liite.pdf", PDF))  # fmt: skip
    submission = services.draft_save(submission=submission, actor=teams.user, content={
        "categories": {"rows": [{"category": "Siivous", "annual_spend": "", "risk": "",
                                 "chosen": True}]}})  # fmt: skip
    version = services.submission_submit(submission=submission, actor=teams.user, token="v1")
    feedback = services.feedback_give(
        version=version, actor=teams.coordinator, text="Lisätkää kuljetukset.",
        verdict=Verdict.NEEDS_CHANGES,
        upload=SimpleUploadedFile("palaute.pdf", PDF),
    )  # fmt: skip
    services.file_remove(file=item, actor=teams.user)
    response = teams.client.get(url(teams, assignment, "deliverables:version", 1))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Siivous" in html and "liite.pdf" in html  # removed later, kept in the version
    assert "Lisätkää kuljetukset." in html and "Needs changes" in html
    feedback_url = url(teams, assignment, "deliverables:feedback_file", feedback.pk)
    assert feedback_url in html
    assert b"".join(teams.client.get(feedback_url).streaming_content) == PDF
    assert teams.client.get(url(teams, assignment, "deliverables:version", 2)).status_code == 404


def test_the_peer_phase_is_linked_when_open(teams):
    assignment = open_assignment(teams)
    peers = reverse("peers:assignment", args=[teams.team.pk, assignment.pk])
    assert peers not in teams.client.get(url(teams, assignment)).content.decode()
    services.peer_phase_open(assignment=assignment, actor=teams.coordinator)
    assert peers in teams.client.get(url(teams, assignment)).content.decode()


@pytest.mark.parametrize("name", ["deliverables:submission", "deliverables:annex"])
def test_another_tracks_assignment_is_a_404(teams, name):
    assignment = open_assignment(teams, worksheets=["conduct_annex"], audience=Track.HUMAN_RIGHTS)
    assert teams.client.get(url(teams, assignment, name)).status_code == 404


# --- autosave, the team page, the languages -------------------------------------------------


def test_an_autosave_answers_json_with_the_new_revision_and_a_stale_one_409(teams):
    assignment = open_assignment(teams)
    page = teams.client.get(url(teams, assignment))
    base = form_values(page)
    headers = {"X-Soske-Autosave": "1"}
    saved = teams.client.post(
        url(teams, assignment), categories_post({**base, "action": "save"}, [ROW]), headers=headers
    )
    assert saved.status_code == 200
    assert saved.json()["revision"] == 1 and saved.json()["invalid"] == []
    stale = teams.client.post(
        url(teams, assignment),
        categories_post({**base, "action": "save"}, [{**ROW, "category": "Toinen"}]),
        headers=headers,
    )
    assert stale.status_code == 409 and stale.json()["revision"] == 1
    assert (
        Submission.objects.get(assignment=assignment).draft["categories"]["rows"][0]["category"]
        == "Siivouspalvelut"
    )


def test_the_team_page_lists_the_next_assignments_or_the_old_pre_assignment_text(teams):
    teams.cohort.pre_assignment_text = "Tuokaa strategia mukaan."
    teams.cohort.save(update_fields=["pre_assignment_text"])
    path = reverse("team:detail", args=[teams.team.pk])
    html = teams.client.get(path).content.decode()
    assert "Tuokaa strategia mukaan." in html
    assert reverse("deliverables:assignments", args=[teams.team.pk]) in html
    assignment = open_assignment(teams)
    html = teams.client.get(path).content.decode()
    assert "Tuokaa strategia mukaan." not in html
    assert "Next assignments" in html and url(teams, assignment) in html


@pytest.mark.parametrize(
    "language, texts",
    [
        ("fi", ["Tehtävät", "Avoimet ja menneet tehtävät"]),
        ("sv", ["Uppgifter", "Öppna och tidigare uppgifter"]),
    ],
)
def test_the_pages_are_translated(teams, language, texts):
    assignment = open_assignment(teams)
    teams.user.language = language
    teams.user.save(update_fields=["language"])
    html = teams.client.get(reverse("deliverables:assignments", args=[teams.team.pk])).content
    for text in texts:
        assert text in html.decode()
    html = teams.client.get(url(teams, assignment)).content.decode()
    assert {"fi": "Palauta työ", "sv": "Lämna in arbetet"}[language] in html


def test_a_file_too_large_is_refused_with_the_sizes(teams):
    assignment = open_assignment(teams)
    big = PDF + b"0" * services.MAX_FILE_BYTES
    response = teams.client.post(
        url(teams, assignment, "deliverables:file_add"),
        {"file": SimpleUploadedFile("iso.pdf", big, content_type="application/pdf")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The file is too large" in html and "20.0\xa0MB" in html
    assert 'id="file-errors"' in html


def test_a_stale_submit_makes_no_version_and_keeps_the_typed_text(teams):
    assignment = open_assignment(teams)
    page = teams.client.get(url(teams, assignment))
    submission = services.submission_for(assignment=assignment, team=teams.team)
    theirs = {"categories": {"rows": [{"category": "Toisen teksti"}]}}
    services.draft_save(submission=submission, actor=teams.user, content=theirs)
    response = teams.client.post(
        url(teams, assignment),
        categories_post({**form_values(page), "action": "submit"}, [{**ROW, "category": "Oma"}]),
    )
    assert response.status_code == 409
    assert 'value="Oma"' in response.content.decode()
    assert not SubmissionVersion.objects.exists()
