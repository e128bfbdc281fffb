"""The deadline, judged in Helsinki time against the moment the request arrived.

Aware datetimes are built with zoneinfo Europe/Helsinki. "A second before" is
computed in UTC: arithmetic on a Helsinki datetime is wall-clock arithmetic
and goes wrong across a daylight-saving change, which is exactly what these
tests are about.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, ApplicationVersion, Status
from cohorts.models import Cohort
from soske import clock
from soske.mail.models import OutgoingEmail
from tests.factories import ApplicationFactory, CohortFactory

HELSINKI = ZoneInfo("Europe/Helsinki")
SECOND = timedelta(seconds=1)

ENDED = "The application period has ended. The application can no longer be changed."
READ_ONLY = "The application can no longer be changed."


def utc(moment):
    return moment.astimezone(UTC)


def cohort_with(deadline, grace=timedelta(0)):
    """A cohort whose call opened well before `deadline`, read back from the database."""
    cohort = CohortFactory(
        call_opens_at=utc(deadline) - timedelta(days=30), deadline=deadline, grace=grace
    )
    return Cohort.objects.get(pk=cohort.pk)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english(_fast_password_hashing, applicant):
    applicant.language = "en"
    applicant.save(update_fields=["language"])


def submit(client, application, token="tok"):
    return client.post(
        reverse("applications:review", args=[application.pk]),
        {"privacy_consent": "on", "submit_token": token},
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# Deadlines on ordinary and daylight-saving days. 2026-10-25: clocks go back at 04:00
# EEST to 03:00 EET, so 03:00–03:59 happens twice (fold=0 is the first, UTC+3; fold=1 the
# second, UTC+2). 2027-03-28: clocks go forward at 03:00 EET to 04:00 EEST, so 03:00–03:59
# does not exist and 04:00 EEST is the first moment after the gap.
DEADLINES = {
    "ordinary-winter-day": datetime(2026, 12, 10, 16, 0, tzinfo=HELSINKI),
    "ordinary-summer-day": datetime(2027, 6, 10, 16, 0, tzinfo=HELSINKI),
    "autumn-dst-first-0330": datetime(2026, 10, 25, 3, 30, fold=0, tzinfo=HELSINKI),
    "autumn-dst-second-0330": datetime(2026, 10, 25, 3, 30, fold=1, tzinfo=HELSINKI),
    "spring-dst-0400-after-gap": datetime(2027, 3, 28, 4, 0, tzinfo=HELSINKI),
    "spring-dst-afternoon": datetime(2027, 3, 28, 16, 0, tzinfo=HELSINKI),
}


def test_the_dst_deadlines_are_the_instants_we_mean():
    assert utc(DEADLINES["autumn-dst-first-0330"]) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert utc(DEADLINES["autumn-dst-second-0330"]) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert utc(DEADLINES["spring-dst-0400-after-gap"]) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    # A second before 04:00 EEST is 02:59:59 EET on the wall clock, not 03:59:59.
    before = utc(DEADLINES["spring-dst-0400-after-gap"]) - SECOND
    assert before.astimezone(HELSINKI).strftime("%H:%M:%S %Z") == "02:59:59 EET"


@pytest.mark.parametrize("name", sorted(DEADLINES))
def test_submit_a_second_before_the_deadline_is_accepted(name, applicant, applicant_client):
    deadline = DEADLINES[name]
    cohort = cohort_with(deadline)
    application = ApplicationFactory(cohort=cohort, created_by=applicant, complete=True)
    moment = utc(deadline) - SECOND
    with clock.travel(moment):
        response = submit(applicant_client, application)
    version = ApplicationVersion.objects.get(application=application)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:receipt", args=[application.pk, 1])
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert version.submitted_at == moment


@pytest.mark.parametrize("name", sorted(DEADLINES))
def test_submit_exactly_at_the_deadline_is_accepted(name, applicant, applicant_client):
    deadline = DEADLINES[name]
    application = ApplicationFactory(
        cohort=cohort_with(deadline), created_by=applicant, complete=True
    )
    with clock.travel(utc(deadline)):
        response = submit(applicant_client, application)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


@pytest.mark.parametrize("name", sorted(DEADLINES))
def test_submit_a_second_after_the_deadline_is_refused(name, applicant, applicant_client):
    deadline = DEADLINES[name]
    application = ApplicationFactory(
        cohort=cohort_with(deadline), created_by=applicant, complete=True
    )
    with clock.travel(utc(deadline) + SECOND):
        response = submit(applicant_client, application)
    assert response.status_code == 200
    assert messages_of(response) == [ENDED]
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert application.version == 0
    assert ApplicationVersion.objects.filter(application=application).count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_first_0345_on_the_autumn_dst_day_is_before_a_second_0330_deadline(
    applicant, applicant_client
):
    """On the wall clock 03:45 is after 03:30, but the first 03:45 (EEST) comes 45 minutes
    before the second 03:30 (EET): a wall-clock comparison would refuse it."""
    deadline = DEADLINES["autumn-dst-second-0330"]
    application = ApplicationFactory(
        cohort=cohort_with(deadline), created_by=applicant, complete=True
    )
    first_0345 = datetime(2026, 10, 25, 3, 45, fold=0, tzinfo=HELSINKI)
    with clock.travel(first_0345):
        response = submit(applicant_client, application)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


GRACE_CASES = {
    # name: (deadline, grace)
    "ordinary-day-15-min": (datetime(2026, 12, 10, 16, 0, tzinfo=HELSINKI), timedelta(minutes=15)),
    # The grace runs across the spring gap: 02:55 EET + 10 min = 04:05 EEST.
    "across-spring-gap": (datetime(2027, 3, 28, 2, 55, tzinfo=HELSINKI), timedelta(minutes=10)),
    # The grace runs across the autumn repeat: 03:50 EEST + 20 min = 03:10 EET.
    "across-autumn-repeat": (
        datetime(2026, 10, 25, 3, 50, fold=0, tzinfo=HELSINKI),
        timedelta(minutes=20),
    ),
}


def test_grace_periods_end_at_the_instants_we_mean():
    deadline, grace = GRACE_CASES["across-spring-gap"]
    closes = (utc(deadline) + grace).astimezone(HELSINKI)
    assert closes.strftime("%Y-%m-%d %H:%M %Z") == "2027-03-28 04:05 EEST"
    deadline, grace = GRACE_CASES["across-autumn-repeat"]
    closes = (utc(deadline) + grace).astimezone(HELSINKI)
    assert (closes.strftime("%H:%M %Z"), closes.fold) == ("03:10 EET", 1)


@pytest.mark.parametrize("name", sorted(GRACE_CASES))
def test_submit_within_the_grace_period_is_accepted(name, applicant, applicant_client):
    deadline, grace = GRACE_CASES[name]
    cohort = cohort_with(deadline, grace)
    assert cohort.closes_at == utc(deadline) + grace
    first = ApplicationFactory(cohort=cohort, created_by=applicant, complete=True)
    with clock.travel(utc(deadline) + SECOND):
        response = submit(applicant_client, first, token="just-after-deadline")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Status.SUBMITTED
    # ...and up to the last second of the grace.
    first.motivation = "Päivitetty."
    first.save()
    with clock.travel(utc(deadline) + grace):
        response = submit(applicant_client, first, token="last-second-of-grace")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.version == 2


@pytest.mark.parametrize("name", sorted(GRACE_CASES))
def test_submit_a_second_after_the_grace_period_is_refused(name, applicant, applicant_client):
    deadline, grace = GRACE_CASES[name]
    application = ApplicationFactory(
        cohort=cohort_with(deadline, grace), created_by=applicant, complete=True
    )
    with clock.travel(utc(deadline) + grace + SECOND):
        response = submit(applicant_client, application)
    assert response.status_code == 200
    assert messages_of(response) == [ENDED]
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert ApplicationVersion.objects.count() == 0


def test_without_grace_a_second_after_the_deadline_is_refused_even_if_others_have_grace(
    applicant, applicant_client
):
    deadline = DEADLINES["ordinary-winter-day"]
    cohort_with(deadline, timedelta(hours=1))  # another cohort's grace does not leak
    application = ApplicationFactory(
        cohort=cohort_with(deadline), created_by=applicant, complete=True
    )
    with clock.travel(utc(deadline) + SECOND):
        response = submit(applicant_client, application)
    assert messages_of(response) == [ENDED]
    application.refresh_from_db()
    assert application.status == Status.DRAFT


# --- slow processing: the arrival counts, not the moment the work is done ------------------


def test_submission_that_arrived_in_time_but_is_processed_late_is_accepted(
    applicant, applicant_client, monkeypatch
):
    deadline = DEADLINES["ordinary-winter-day"]
    application = ApplicationFactory(
        cohort=cohort_with(deadline), created_by=applicant, complete=True
    )
    arrived = utc(deadline) - SECOND
    processed = utc(deadline) + timedelta(minutes=5)
    original = services.application_submit

    def slow_submit(**kwargs):
        with clock.travel(processed):  # the server was busy for five minutes
            assert clock.now() > deadline
            return original(**kwargs)

    monkeypatch.setattr(services, "application_submit", slow_submit)
    with clock.travel(arrived):
        response = submit(applicant_client, application)
    assert response.status_code == 302
    application.refresh_from_db()
    version = ApplicationVersion.objects.get(application=application)
    assert application.status == Status.SUBMITTED
    # The record shows the moment it arrived, not a time after the deadline.
    assert version.submitted_at == arrived
    assert application.submitted_at == arrived


def test_step_saved_in_time_but_processed_late_is_stored(applicant, applicant_client, monkeypatch):
    deadline = DEADLINES["spring-dst-0400-after-gap"]
    application = ApplicationFactory(cohort=cohort_with(deadline), created_by=applicant)
    original = services.application_save_step

    def slow_save(**kwargs):
        with clock.travel(utc(deadline) + timedelta(minutes=2)):
            return original(**kwargs)

    monkeypatch.setattr(services, "application_save_step", slow_save)
    with clock.travel(utc(deadline) - SECOND):
        response = applicant_client.post(
            reverse("applications:step", args=[application.pk, "organisation"]),
            {"org_name": "Viime hetken kunta", "action": "stay"},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.org_name == "Viime hetken kunta"


def test_request_arrival_is_stamped_before_the_view_runs(applicant, applicant_client, monkeypatch):
    from applications import views

    seen = {}
    original = views._my_application

    def spy(request, pk):
        seen["arrived_at"] = request.arrived_at
        return original(request, pk)

    monkeypatch.setattr(views, "_my_application", spy)
    application = ApplicationFactory(created_by=applicant)
    moment = datetime(2026, 12, 1, 12, 0, tzinfo=HELSINKI)
    with clock.travel(moment):
        applicant_client.get(reverse("applications:review", args=[application.pk]))
    assert seen["arrived_at"] == moment


# --- after the deadline the form is read-only ---------------------------------------------


@pytest.fixture
def closed_application(applicant):
    """A draft with some answers in a cohort whose deadline was 28.3.2027 04:00 EEST."""
    deadline = DEADLINES["spring-dst-0400-after-gap"]
    application = ApplicationFactory(
        cohort=cohort_with(deadline, timedelta(minutes=5)),
        created_by=applicant,
        org_name="Myöhäinen kunta",
        motivation="Alkuperäinen.",
    )
    return application, utc(deadline) + timedelta(minutes=5) + SECOND


def test_after_the_deadline_the_step_is_read_only_and_says_so(closed_application, applicant_client):
    application, after = closed_application
    with clock.travel(after):
        response = applicant_client.get(
            reverse("applications:step", args=[application.pk, "organisation"])
        )
    assert response.status_code == 200
    assert response.context["editable"] is False
    content = response.content.decode()
    # The deadline is shown in Helsinki time (EEST, after the spring change).
    assert (
        "The application period ended on 28 Mar 2027, 04:00. "
        "The application can be read but no longer changed."
    ) in content
    assert "<fieldset disabled>" in content
    assert 'name="action" value="next"' not in content
    assert response.context["form"]["org_name"].value() == "Myöhäinen kunta"


def test_after_the_deadline_saving_a_step_changes_nothing(closed_application, applicant_client):
    application, after = closed_application
    before = Application.objects.get(pk=application.pk)
    with clock.travel(after):
        response = applicant_client.post(
            reverse("applications:step", args=[application.pk, "motivation"]),
            {"motivation": "Muutettu myöhässä.", "action": "stay"},
        )
    assert response.status_code == 200
    assert messages_of(response) == [READ_ONLY]
    application.refresh_from_db()
    assert application.motivation == "Alkuperäinen."
    assert application.updated_at == before.updated_at


def test_after_the_deadline_the_preview_has_no_submit_button(closed_application, applicant_client):
    application, after = closed_application
    with clock.travel(after):
        response = applicant_client.get(reverse("applications:review", args=[application.pk]))
    content = response.content.decode()
    assert response.context["editable"] is False
    assert 'name="privacy_consent"' not in content
    assert reverse("applications:withdraw", args=[application.pk]) not in content


def test_after_the_deadline_team_invite_and_withdraw_posts_change_nothing(
    closed_application, applicant_client
):
    application, after = closed_application
    with clock.travel(after):
        team = applicant_client.post(
            reverse("applications:step", args=[application.pk, "team"]),
            {
                "team-TOTAL_FORMS": "1",
                "team-INITIAL_FORMS": "0",
                "team-0-name": "Myöhäinen Jäsen",
                "team-0-role": "procurement",
                "action": "stay",
            },
        )
        invite = applicant_client.post(
            reverse("applications:invite", args=[application.pk]),
            {"email": "late@example.org"},
        )
        # (a browser's POST always carries the CSRF token, so it is never empty)
        withdraw = applicant_client.post(
            reverse("applications:withdraw", args=[application.pk]), {"confirm": "yes"}
        )
    assert messages_of(team) == [READ_ONLY]
    assert invite.status_code == 200
    assert invite.context["form"].errors["email"] == [ENDED]
    assert withdraw["Location"] == reverse("applications:mine")
    with clock.travel(after):
        assert messages_of(applicant_client.get(withdraw["Location"])) == [ENDED]
    application.refresh_from_db()
    assert application.team.count() == 0
    assert application.invites.count() == 0
    assert application.status == Status.DRAFT
    assert OutgoingEmail.objects.count() == 0


def test_starting_an_application_after_the_deadline_is_refused(applicant, applicant_client):
    deadline = DEADLINES["ordinary-winter-day"]
    cohort = cohort_with(deadline)
    with clock.travel(utc(deadline) + SECOND):
        response = applicant_client.post(
            reverse("applications:start", args=[cohort.slug]), follow=True
        )
    assert messages_of(response) == ["The call is not open: no new applications are accepted."]
    assert Application.objects.filter(cohort=cohort).count() == 0


# --- the coordinator sets a deadline in Helsinki time ---------------------------------------


def cohort_form_data(deadline_text, slug):
    return {
        "name": "DST-kohortti",
        "slug": slug,
        "call_opens_at": "2027-02-01T09:00",
        "deadline": deadline_text,
        "grace_minutes": "0",
        "interview_cutoff_hours": "24",
        "interviews_start": "2027-04-01",
        "interviews_end": "2027-04-20",
        "selection_date": "2027-04-30",
        "kickoff_date": "",
        "closing_date": "",
        "max_selected": "6",
        "score_min": "0",
        "score_max": "5",
    }


@pytest.mark.parametrize(
    "deadline_text",
    [
        "2027-03-28T03:30",  # skipped: the clocks jump from 03:00 to 04:00
        "2026-10-25T03:30",  # ambiguous: happens twice
    ],
)
def test_a_deadline_that_does_not_exist_or_is_ambiguous_in_helsinki_is_refused(
    deadline_text, coordinator, coordinator_client
):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    data = cohort_form_data(deadline_text, "dst-bad")
    data["call_opens_at"] = "2026-09-01T09:00"
    response = coordinator_client.post(reverse("cohorts:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["deadline"] == [
        f"{deadline_text.replace('T', ' ')}:00 couldn’t be interpreted in time zone "
        "Europe/Helsinki; it may be ambiguous or it may not exist."
    ]
    assert not Cohort.objects.filter(slug="dst-bad").exists()


def test_a_deadline_typed_on_the_spring_dst_day_is_stored_as_helsinki_time(coordinator_client):
    response = coordinator_client.post(
        reverse("cohorts:create"), cohort_form_data("2027-03-28T04:00", "dst-ok")
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(slug="dst-ok")
    assert cohort.deadline == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert cohort.call_opens_at == datetime(2027, 2, 1, 7, 0, tzinfo=UTC)
