"""The deliverables' state changes: the seed's set, the window of a team, drafts that are
never lost, versions, feedback, reminders and the peer phase."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from deliverables import services
from deliverables.models import Assignment, Kind, PeerComment, SubmissionState, Verdict
from deliverables.selectors import Progress, overview, team_assignments
from soske import clock
from soske.activity.models import ActivityEntry
from soske.mail.models import OutgoingEmail

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
CATEGORIES = {"rows": [{"category": "Siivous", "annual_spend": "1000.00", "risk": "",
                        "chosen": True}]}  # fmt: skip


def _open(teams, **fields):
    now = clock.now()
    values = dict(
        kind=Kind.OTHER, title_fi="Kartoitus", worksheets=["categories"],
        opens_at=now - timedelta(days=1), due_at=now + timedelta(days=5),
        cutoff_at=now + timedelta(days=7),
    )  # fmt: skip
    values.update(fields)
    return services.assignment_create(cohort=teams.cohort, actor=teams.coordinator, **values)


def test_the_seed_set_is_given_in_one_step_and_repeating_it_adds_nothing(teams):
    teams.cohort.pre_assignment_text = "Tuokaa hankintastrategia mukaan."
    teams.cohort.save()
    created = services.assignments_seed(cohort=teams.cohort, actor=teams.coordinator)
    assert [a.kind for a in created] == [
        Kind.PRE_ASSIGNMENT, Kind.KICKOFF, Kind.INTERIM_EMPLOYMENT, Kind.INTERIM_HUMAN_RIGHTS,
        Kind.DEVELOPMENT_TASK, Kind.MANAGEMENT,
    ]  # fmt: skip
    pre = created[0]
    assert pre.instructions_fi == "Tuokaa hankintastrategia mukaan."
    assert pre.event == teams.events[0]  # the kick-off
    assert created[1].worksheets == ["categories", "impact"]
    assert created[3].audience == "human_rights"
    for assignment in created:
        assert assignment.opens_at < assignment.due_at <= assignment.cutoff_at
    assert teams.cohort.conduct_items.count() == 9
    assert services.assignments_seed(cohort=teams.cohort, actor=teams.coordinator) == []
    assert Assignment.objects.filter(cohort=teams.cohort).count() == 6


def test_a_double_submit_makes_one_version_and_a_resubmission_keeps_the_old(teams):
    assignment = _open(teams)
    submission = services.submission_for(assignment=assignment, team=teams.team)
    submission = services.draft_save(
        submission=submission, actor=teams.user, content={"categories": CATEGORIES}
    )
    first = services.submission_submit(submission=submission, actor=teams.user, token="t1")
    again = services.submission_submit(submission=submission, actor=teams.user, token="t1")
    assert first.pk == again.pk and submission.versions.count() == 1
    assert not first.late
    changed = {"rows": CATEGORIES["rows"] + [{"category": "Kuljetus", "annual_spend": "",
                                              "risk": "", "chosen": False}]}  # fmt: skip
    submission = services.draft_save(
        submission=submission, actor=teams.user, content={"categories": changed}
    )
    second = services.submission_submit(submission=submission, actor=teams.user, token="t2")
    assert [v.number for v in submission.versions.all()] == [1, 2]
    first.refresh_from_db()
    assert first.data == {"categories": CATEGORIES}
    assert second.data == {"categories": changed}


def test_an_unchanged_or_incomplete_work_is_not_submitted(teams):
    assignment = _open(teams)
    submission = services.submission_for(assignment=assignment, team=teams.team)
    with pytest.raises(services.DeliverableError) as raised:
        services.submission_submit(submission=submission, actor=teams.user, token="t0")
    assert raised.value.code == "incomplete"
    services.draft_save(submission=submission, actor=teams.user, content={"categories": CATEGORIES})
    services.submission_submit(submission=submission, actor=teams.user, token="t1")
    with pytest.raises(services.DeliverableError) as raised:
        services.submission_submit(submission=submission, actor=teams.user, token="t2")
    assert raised.value.code == "unchanged"


def test_a_save_from_an_older_revision_is_refused_not_lost(teams):
    assignment = _open(teams)
    submission = services.submission_for(assignment=assignment, team=teams.team)
    saved = services.draft_save(
        submission=submission, actor=teams.user, content={"categories": CATEGORIES}, base_revision=0
    )
    assert saved.revision == 1
    with pytest.raises(services.DraftConflict):
        services.draft_save(
            submission=submission, actor=teams.user, content={"categories": {"rows": []}},
            base_revision=0,
        )  # fmt: skip
    saved.refresh_from_db()
    assert saved.draft == {"categories": CATEGORIES}


def test_late_until_the_cutoff_then_refused_unless_reopened_for_the_team(teams):
    assignment = _open(teams)
    submission = services.submission_for(assignment=assignment, team=teams.team)
    services.draft_save(submission=submission, actor=teams.user, content={"categories": CATEGORIES})
    late = services.submission_submit(
        submission=submission, actor=teams.user, token="t1", at=clock.now() + timedelta(days=6)
    )
    assert late.late
    with clock.travel(clock.now() + timedelta(days=8)):
        with translation.override("fi"), pytest.raises(services.DeliverableError) as raised:
            services.draft_save(submission=submission, actor=teams.user, content={})
        assert "takaraja oli" in raised.value.message
        services.reopen_for_team(
            assignment=assignment, team=teams.team, until=clock.now() + timedelta(days=1),
            actor=teams.coordinator,
        )  # fmt: skip
        services.draft_save(
            submission=submission, actor=teams.user, content={"categories": {"rows": []}}
        )
    assert ActivityEntry.objects.filter(action="assignment.reopened").count() == 1


def test_an_assignment_of_the_other_track_is_not_the_teams(teams):
    assignment = _open(teams, audience="human_rights")
    submission = services.submission_for(assignment=assignment, team=teams.team)
    with pytest.raises(services.DeliverableError):
        services.draft_save(submission=submission, actor=teams.user, content={})
    assert [c.assignment for c in team_assignments(teams.team)] == []


def test_a_file_is_checked_by_content_and_a_removed_one_stays_in_its_version(teams):
    assignment = _open(teams)
    submission = services.submission_for(assignment=assignment, team=teams.team)
    with pytest.raises(services.DeliverableError):
        services.file_add(
            submission=submission, actor=teams.user,
            upload=SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf"),
        )  # fmt: skip
    stored = services.file_add(
        submission=submission, actor=teams.user,
        upload=SimpleUploadedFile("suunnitelma.pdf", PDF, content_type="application/pdf"),
    )  # fmt: skip
    services.draft_save(submission=submission, actor=teams.user, content={"categories": CATEGORIES})
    version = services.submission_submit(submission=submission, actor=teams.user, token="t1")
    services.file_remove(file=stored, actor=teams.user)
    assert list(version.files.all()) == [stored]
    assert not submission.files.filter(removed_at__isnull=True).exists()


def test_feedback_sets_the_state_and_mails_every_member(teams):
    assignment = _open(teams)
    submission = services.submission_for(assignment=assignment, team=teams.team)
    services.draft_save(submission=submission, actor=teams.user, content={"categories": CATEGORIES})
    version = services.submission_submit(submission=submission, actor=teams.user, token="t1")
    services.feedback_give(
        version=version, actor=teams.coordinator, text="Lisätkää kuljetus.",
        verdict=Verdict.NEEDS_CHANGES,
    )  # fmt: skip
    submission.refresh_from_db()
    assert submission.state == SubmissionState.NEEDS_CHANGES
    mails = OutgoingEmail.objects.filter(key__startswith="submission-feedback:")
    assert sorted(m.to for m in mails) == sorted([teams.tiina.email, teams.eero.email])
    assert all("Lisätkää kuljetus." in m.body_text for m in mails)
    assert overview(teams.cohort).rows[1].cells[0].status == Progress.NEEDS_CHANGES


def test_reminders_go_to_the_teams_without_a_submission_once_a_day(teams):
    assignment = _open(teams)
    submission = services.submission_for(assignment=assignment, team=teams.team)
    services.draft_save(submission=submission, actor=teams.user, content={"categories": CATEGORIES})
    services.submission_submit(submission=submission, actor=teams.user, token="t1")
    assert services.remind_unsubmitted(assignment=assignment, actor=teams.coordinator) == 1
    assert services.remind_unsubmitted(assignment=assignment, actor=teams.coordinator) == 0
    assert [m.to for m in OutgoingEmail.objects.filter(key__startswith="assignment-rem")] == [
        teams.olli.email
    ]


def test_peer_comments_need_the_open_phase_and_a_coordinator_can_hide_one(teams):
    assignment = _open(teams)
    with pytest.raises(services.DeliverableError):
        services.peer_comment_add(
            assignment=assignment, author_team=teams.team, team=teams.other_team,
            actor=teams.user, text="Hyvä",
        )  # fmt: skip
    services.peer_phase_open(assignment=assignment, actor=teams.coordinator)
    assignment.refresh_from_db()
    with pytest.raises(services.DeliverableError):
        services.peer_comment_add(
            assignment=assignment, author_team=teams.team, team=teams.team,
            actor=teams.user, text="Oma",
        )  # fmt: skip
    comment = services.peer_comment_add(
        assignment=assignment, author_team=teams.team, team=teams.other_team,
        actor=teams.user, text="Hyvä malli",
    )  # fmt: skip
    services.peer_comment_hide(comment=comment, actor=teams.coordinator, reason="Asiaton")
    assert list(PeerComment.objects.visible()) == []
    entry = ActivityEntry.objects.get(action="peer_comment.hidden")
    assert entry.actor == teams.coordinator
    services.peer_comment_hide(comment=comment, actor=teams.coordinator, hidden=False)
    assert list(PeerComment.objects.visible()) == [comment]


def test_the_overview_reads_in_constant_queries(teams, django_assert_max_num_queries):
    for _ in range(3):
        _open(teams)
    with django_assert_max_num_queries(4):
        few = overview(teams.cohort)
        assert len(few.rows) == 2 and len(few.assignments) == 3
