"""Draft reminders: 7 days and 1 day before the deadline, once each, in the owner's language."""

from datetime import timedelta

import pytest
from celery import Task
from celery.utils.imports import symbol_by_name
from django.conf import settings
from django.core import mail
from django.utils import translation

from applications import services
from applications.models import ApplicationMember, Status
from applications.tasks import send_draft_reminders as send_draft_reminders_task
from soske import celery_app, clock
from soske.mail.models import OutgoingEmail
from tests.conftest import _person
from tests.factories import ApplicationFactory, UserFactory


def reminders():
    return OutgoingEmail.objects.filter(key__startswith="draft-reminder-").order_by("key")


def expected_subject(days, language):
    with translation.override(language):
        return translation.ngettext(
            "Soske academy: the application period ends in %(days)s day",
            "Soske academy: the application period ends in %(days)s days",
            days,
        ) % {"days": days}


def run(at, capture):
    with capture(execute=True):
        return services.send_draft_reminders(at=at)


def test_draft_owner_is_reminded_seven_days_before_the_deadline(
    draft, applicant, cohort, django_capture_on_commit_callbacks
):
    at = cohort.deadline - timedelta(days=7)
    assert run(at, django_capture_on_commit_callbacks) == 1

    (reminder,) = reminders()
    assert reminder.key == f"draft-reminder-7d:{draft.pk}:alice@example.org"
    assert reminder.to == "alice@example.org"
    assert reminder.language == "fi"
    assert reminder.subject == expected_subject(7, "fi")
    assert reminder.status == OutgoingEmail.Status.SENT
    assert f"/applications/{draft.pk}/review/" in reminder.body_text
    local = clock.helsinki(cohort.deadline)
    deadline = f"{local.day}.{local.month}.{local.year} klo {local.hour}.{local:%M}"
    assert deadline in reminder.body_text
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_draft_owner_is_reminded_one_day_before_the_deadline(
    draft, cohort, django_capture_on_commit_callbacks
):
    at = cohort.deadline - timedelta(days=1)
    assert run(at, django_capture_on_commit_callbacks) == 1

    (reminder,) = reminders()
    assert reminder.key == f"draft-reminder-1d:{draft.pk}:alice@example.org"
    assert reminder.subject == expected_subject(1, "fi")


def test_no_reminder_outside_the_two_windows(draft, cohort, django_capture_on_commit_callbacks):
    for at in (
        cohort.deadline - timedelta(days=7, seconds=1),
        cohort.deadline - timedelta(days=14),
        cohort.deadline,  # the deadline itself: too late to remind
        cohort.deadline + timedelta(hours=1),
    ):
        assert run(at, django_capture_on_commit_callbacks) == 0
    assert not reminders().exists()
    assert mail.outbox == []


def test_hourly_runs_send_each_reminder_once(draft, cohort, django_capture_on_commit_callbacks):
    """The job runs every hour from eight days before the deadline until it passes."""
    start = cohort.deadline - timedelta(days=8)
    sent = [
        run(start + timedelta(hours=hour), django_capture_on_commit_callbacks)
        for hour in range(8 * 24 + 2)
    ]
    assert sum(sent) == 2
    assert [r.key.split(":")[0] for r in reminders()] == ["draft-reminder-1d", "draft-reminder-7d"]
    assert len(mail.outbox) == 2


def test_running_the_job_twice_sends_nothing_twice(
    draft, cohort, django_capture_on_commit_callbacks
):
    at = cohort.deadline - timedelta(days=6)
    assert run(at, django_capture_on_commit_callbacks) == 1
    assert run(at, django_capture_on_commit_callbacks) == 0
    assert run(at + timedelta(hours=3), django_capture_on_commit_callbacks) == 0
    assert reminders().count() == 1
    assert len(mail.outbox) == 1


def test_a_draft_started_late_is_told_the_real_number_of_days(
    draft, cohort, django_capture_on_commit_callbacks
):
    """A draft begun three days before the deadline is not told 'seven days'."""
    at = cohort.deadline - timedelta(days=3)
    assert run(at, django_capture_on_commit_callbacks) == 1
    (reminder,) = reminders()
    assert reminder.subject == expected_subject(3, "fi")


def test_submitted_and_withdrawn_applications_get_no_reminder(
    cohort, django_capture_on_commit_callbacks
):
    ApplicationFactory(cohort=cohort, status=Status.SUBMITTED)
    ApplicationFactory(cohort=cohort, status=Status.WITHDRAWN)
    for days in (7, 1):
        assert run(cohort.deadline - timedelta(days=days), django_capture_on_commit_callbacks) == 0
    assert not reminders().exists()


def test_only_owners_of_drafts_are_reminded(draft, cohort, django_capture_on_commit_callbacks):
    colleague = UserFactory(email="colleague@example.org")
    ApplicationMember.objects.create(
        application=draft,
        user=colleague,
        role=ApplicationMember.Role.EDITOR,
        added_at=clock.now(),
    )
    assert run(cohort.deadline - timedelta(days=1), django_capture_on_commit_callbacks) == 1
    assert [r.to for r in reminders()] == ["alice@example.org"]


def test_a_closed_or_other_cohort_is_not_reminded_about(
    draft, cohort, django_capture_on_commit_callbacks
):
    from tests.factories import CohortFactory

    later = CohortFactory(
        call_opens_at=cohort.deadline + timedelta(days=30),
        deadline=cohort.deadline + timedelta(days=60),
    )
    ApplicationFactory(cohort=later)
    assert run(cohort.deadline - timedelta(days=1), django_capture_on_commit_callbacks) == 1
    assert [r.key for r in reminders()] == [f"draft-reminder-1d:{draft.pk}:alice@example.org"]


@pytest.mark.parametrize("language", ["sv", "en", "fi"])
def test_reminder_is_in_the_owners_language(cohort, language, django_capture_on_commit_callbacks):
    owner = _person(f"owner-{language}@example.org", language=language)
    application = ApplicationFactory(cohort=cohort, created_by=owner)
    # The job runs in whatever language the worker happens to have active.
    with translation.override("fi" if language != "fi" else "en"):
        assert run(cohort.deadline - timedelta(days=1), django_capture_on_commit_callbacks) == 1

    (reminder,) = reminders()
    assert reminder.key == f"draft-reminder-1d:{application.pk}:{owner.email}"
    assert reminder.language == language
    assert reminder.subject == expected_subject(1, language)
    with translation.override(language):
        still_draft = translation.gettext(
            "Your application to %(cohort)s is still a draft. It must be submitted by "
            "%(deadline)s (Finnish time)."
        ).split("%(cohort)s")[0]
    assert still_draft in reminder.body_text
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == language
    assert (
        reminder.subject
        == {
            "fi": "Soske-akatemia: hakuaika päättyy 1 päivän kuluttua",
            "sv": "Soske-akademin: ansökningstiden går ut om 1 dag",
            "en": "Soske academy: the application period ends in 1 day",
        }[language]
    )


def test_the_celery_task_reminds_at_the_clocks_time(
    draft, cohort, django_capture_on_commit_callbacks
):
    with clock.travel(cohort.deadline - timedelta(days=7, hours=-2)):
        with django_capture_on_commit_callbacks(execute=True):
            sent = send_draft_reminders_task.delay().get()
        with django_capture_on_commit_callbacks(execute=True):
            again = send_draft_reminders_task.delay().get()
    assert (sent, again) == (1, 0)
    (reminder,) = reminders()
    assert reminder.key == f"draft-reminder-7d:{draft.pk}:alice@example.org"
    assert reminder.status == OutgoingEmail.Status.SENT
    assert reminder.created_at == cohort.deadline - timedelta(days=7, hours=-2)
    assert len(mail.outbox) == 1


def test_the_celery_task_outside_the_windows_sends_nothing(draft, cohort):
    with clock.travel(cohort.deadline - timedelta(days=10)):
        assert send_draft_reminders_task.delay().get() == 0
    assert not reminders().exists()


def test_beat_schedule_names_real_tasks():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} >= {
        "soske.mail.tasks.sweep_outbox",
        "applications.tasks.send_draft_reminders",
    }
    for entry in schedule.values():
        task = symbol_by_name(entry["task"])  # imports the module, fails on a typo
        assert isinstance(task, Task)
        assert task.name == entry["task"]
        assert entry["task"] in celery_app.tasks  # registered under the name beat sends
        assert entry["schedule"] > 0
    # Hourly reminders so no draft owner misses a window; the sweeper more often than
    # a row may be stuck.
    assert schedule["draft-reminders"]["schedule"] <= 3600
    from soske.mail.services import STUCK_AFTER

    assert schedule["outbox-sweep"]["schedule"] <= STUCK_AFTER.total_seconds()
