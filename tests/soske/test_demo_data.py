from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.management import call_command

from applications.models import Application, Status
from cohorts.models import Cohort, Track
from cohorts.validators import validate_business_id
from soske import clock
from soske.users.models import User

HELSINKI = ZoneInfo("Europe/Helsinki")


def test_seed_cohort_has_the_seeds_exact_dates(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    seed = Cohort.objects.get(slug="soske-2021-2022")
    assert seed.call_opens_at.astimezone(HELSINKI).date() == date(2021, 11, 10)
    assert seed.deadline.astimezone(HELSINKI).date() == date(2021, 12, 10)
    assert (seed.interviews_start, seed.interviews_end) == (date(2021, 11, 16), date(2021, 12, 17))
    assert seed.selection_date == date(2021, 12, 20)
    assert seed.kickoff_date == date(2022, 1, 20)
    assert seed.closing_date == date(2022, 4, 6)
    assert seed.max_selected == 6
    assert [c.key for c in seed.criteria.all()] == [
        "will_to_develop",
        "management_commitment",
        "strategic_anchoring",
        "multidisciplinary_team",
    ]
    weights = [c.weight for c in seed.criteria.all()]
    assert weights == sorted(weights, reverse=True)


def test_live_cohort_is_open_on_the_day_the_demo_starts(db):
    moment = datetime(2026, 11, 28, 12, 0, tzinfo=HELSINKI)
    with clock.travel(moment):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
        live = Cohort.objects.get(slug="soske-2026")
        assert live.is_open_at(clock.now())
    applications = Application.objects.filter(cohort=live)
    assert applications.count() >= 12
    assert applications.filter(status=Status.SUBMITTED).count() >= 5
    assert applications.filter(status=Status.DRAFT).count() >= 3
    submitted_tracks = set(
        applications.filter(status=Status.SUBMITTED).values_list("track", flat=True)
    )
    assert submitted_tracks == {Track.EMPLOYMENT, Track.HUMAN_RIGHTS}
    for business_id in applications.exclude(business_id="").values_list("business_id", flat=True):
        validate_business_id(business_id)  # raises on an invalid one
    assert User.objects.filter(groups__name="coordinator").exists()
    assert User.objects.filter(groups__name="reviewer").exists()


def test_seeding_twice_changes_nothing(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (Cohort.objects.count(), Application.objects.count(), User.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Cohort.objects.count(), Application.objects.count(), User.objects.count()) == counts


def test_the_seed_cohort_shows_the_programme_as_it_happened(db):
    from workshops.models import Attendance, EventKind, SparringBooking

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    seed = Cohort.objects.get(slug="soske-2021-2022")
    assert seed.teams.filter(active=True).count() == 6
    joint = [
        (
            e.kind,
            e.starts_at.astimezone(HELSINKI).strftime("%d.%m.%Y %H-"),
            e.invited_at is not None,
        )
        for e in seed.events.exclude(kind=EventKind.SPARRING_ROUND)
    ]
    assert joint == [
        ("kickoff", "20.01.2022 09-", True),
        ("workshop", "09.02.2022 09-", True),
        ("workshop", "09.03.2022 13-", True),
        ("closing", "06.04.2022 09-", True),
    ]
    rounds = list(seed.events.filter(kind=EventKind.SPARRING_ROUND))
    assert len(rounds) == 2
    for round_ in rounds:
        bookings = SparringBooking.objects.filter(round=round_, state="booked")
        assert bookings.count() == 6
        assert all(b.notes and b.next_steps for b in bookings)
    came = Attendance.objects.filter(event__cohort=seed, attended=True).count()
    missed = Attendance.objects.filter(event__cohort=seed, attended=False).count()
    assert came > 0 and missed > 0
    assert User.objects.get(email="tiimi@soske.example").team_memberships.count() == 1


def test_the_live_cohorts_programme_is_planned_not_sent(db):
    moment = datetime(2026, 11, 28, 12, 0, tzinfo=HELSINKI)
    with clock.travel(moment):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    live = Cohort.objects.get(slug="soske-2026")
    kinds = [e.kind for e in live.events.all()]
    assert kinds == [
        "kickoff",
        "workshop",
        "sparring_round",
        "workshop",
        "sparring_round",
        "closing",
    ]
    assert not live.events.filter(invited_at__isnull=False).exists()
    assert live.events.first().starts_at.astimezone(HELSINKI).date() == live.kickoff_date


# --- The deliverables -----------------------------------------------------------------


def test_the_seed_cohorts_six_teams_handed_in_complete_worksheets_on_time(db):
    from deliverables.models import Kind, Submission, SubmissionVersion
    from deliverables.services import missing
    from deliverables.worksheets import WORKSHEETS

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    seed = Cohort.objects.get(slug="soske-2021-2022")
    assignments = {a.kind: a for a in seed.assignments.all()}
    assert sorted(assignments) == sorted(
        [Kind.PRE_ASSIGNMENT, Kind.KICKOFF, Kind.INTERIM_EMPLOYMENT, Kind.INTERIM_HUMAN_RIGHTS,
         Kind.DEVELOPMENT_TASK, Kind.MANAGEMENT]
    )  # fmt: skip
    due = {
        kind: a.due_at.astimezone(HELSINKI).strftime("%d.%m.%Y") for kind, a in assignments.items()
    }
    assert due == {
        Kind.PRE_ASSIGNMENT: "19.01.2022",
        Kind.KICKOFF: "07.02.2022",
        Kind.INTERIM_EMPLOYMENT: "08.02.2022",
        Kind.INTERIM_HUMAN_RIGHTS: "08.03.2022",
        Kind.DEVELOPMENT_TASK: "30.03.2022",
        Kind.MANAGEMENT: "05.04.2022",
    }
    teams = list(seed.teams.filter(active=True))
    assert len(teams) == 6
    for team in teams:
        for assignment in assignments.values():
            if not assignment.concerns(team.track):
                assert not Submission.objects.filter(assignment=assignment, team=team).exists()
                continue
            submission = Submission.objects.get(assignment=assignment, team=team)
            assert missing(submission) == [], (team, assignment.kind)
            version = submission.latest_version
            assert version.data == submission.draft
            for key in assignment.worksheets:
                assert WORKSHEETS[key].missing(version.data[key]) == [], (team, key)
    versions = SubmissionVersion.objects.filter(submission__assignment__cohort=seed)
    assert versions.count() == 6 * 5 + 1  # each team: 5 of the 6 assignments; one resubmitted
    assert not versions.filter(late=True).exists()
    for version in versions.select_related("submission__assignment"):
        assignment = version.submission.assignment
        assert assignment.opens_at <= version.submitted_at <= assignment.due_at
        assert version.submitted_at.astimezone(HELSINKI).year == 2022


def test_the_seed_cohort_shows_feedback_one_work_sent_back_and_accepted_as_version_2(db):
    from deliverables.models import Feedback, Kind, Submission

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    seed = Cohort.objects.get(slug="soske-2021-2022")
    assert Feedback.objects.filter(version__submission__assignment__cohort=seed).count() >= 12
    sent_back = Submission.objects.get(
        assignment__cohort=seed, assignment__kind=Kind.KICKOFF, state="accepted",
        versions__number=2,
    )  # fmt: skip
    verdicts = [
        (f.version.number, f.verdict)
        for f in Feedback.objects.filter(version__submission=sent_back).order_by("created_at")
    ]
    assert verdicts == [(1, "needs_changes"), (2, "accepted")]


def test_the_seed_cohorts_management_presentations_were_in_april(db):
    from deliverables.models import Kind, Submission

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    presentations = Submission.objects.filter(
        assignment__cohort__slug="soske-2021-2022", assignment__kind=Kind.MANAGEMENT
    ).select_related("latest_version")
    assert presentations.count() == 6
    for submission in presentations:
        data = submission.latest_version.data["management"]
        assert data["presented_on"].startswith("2022-04-")
        assert data["attendees"] and data["decision"] and data["comments"]


def test_every_seed_team_commented_on_every_other_and_one_comment_is_hidden(db):
    from deliverables.models import Kind, PeerComment

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    seed = Cohort.objects.get(slug="soske-2021-2022")
    development = seed.assignments.get(kind=Kind.DEVELOPMENT_TASK)
    assert development.peer_phase_open
    comments = PeerComment.objects.filter(assignment=development)
    pairs = {(c.author_team_id, c.team_id) for c in comments.visible()}
    team_ids = list(seed.teams.values_list("pk", flat=True))
    assert pairs == {(a, b) for a in team_ids for b in team_ids if a != b}
    (hidden,) = comments.filter(hidden_at__isnull=False)
    assert hidden.hidden_by.groups.filter(name="coordinator").exists()
    assert hidden.hidden_reason


def test_the_live_cohort_has_the_seed_set_not_yet_open(db):
    moment = datetime(2026, 11, 28, 12, 0, tzinfo=HELSINKI)
    with clock.travel(moment):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    live = Cohort.objects.get(slug="soske-2026")
    assignments = list(live.assignments.all())
    assert len(assignments) == 6
    assert all(a.opens_at > moment for a in assignments)
    assert not live.assignments.filter(submissions__isnull=False).exists()


def test_the_seed_cohorts_teams_have_six_month_follow_up_answers_for_some(db):
    from deliverables.models import FollowUp

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    rows = FollowUp.objects.filter(team__cohort__slug="soske-2021-2022")
    assert rows.count() == 6
    assert set(rows.values_list("round", flat=True)) == {6}
    assert sorted(
        rows.filter(answered_at__isnull=False).values_list("team__organisation__name", flat=True)
    ) == ["Järvelän kaupunki", "Kallioniemen kunta", "Länsilaakson kuntayhtymä"]
    assert {clock.helsinki(r.sent_at).date() for r in rows} == {date(2022, 10, 7)}
    # loading again adds nothing
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert rows.count() == 6
