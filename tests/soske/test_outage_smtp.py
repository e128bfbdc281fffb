"""Mail survives an SMTP outage: a mail server down for an afternoon loses no mail.

SMTP "down" is a closed loopback port (127.0.0.1:1: connection refused at once). The
outbox row is the guarantee: a mail that cannot go now is tried again on a schedule that
spans more than a day, and a failed one can be sent again.
"""

from datetime import timedelta

import pytest
from django.core import mail

from soske import clock
from soske.mail import services
from soske.mail.models import OutgoingEmail


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2


def _smtp_back(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _enqueue(key="outage:1"):
    return services.outbox_enqueue(
        key=key, to="a@example.org", language="fi", subject="Tärkeä", body_text="Viesti.\n"
    )


# --- the retry schedule -------------------------------------------------------------------


def test_the_retry_schedule_spans_more_than_a_day_at_most_an_hour_apart():
    delays = services.RETRY_DELAYS
    assert sum(delays, timedelta()) >= timedelta(hours=24)
    assert list(delays) == sorted(delays)  # the waits only grow
    assert delays[0] == timedelta(minutes=1)
    assert max(delays) == timedelta(hours=1)
    assert services.MAX_ATTEMPTS == len(delays) + 1
    assert services.retry_delay(1) == timedelta(minutes=1)
    assert services.retry_delay(services.MAX_ATTEMPTS - 1) == timedelta(hours=1)
    assert services.retry_delay(services.MAX_ATTEMPTS) is None


def test_the_sweeper_runs_at_least_as_often_as_the_shortest_wait(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]["schedule"]
    assert schedule <= services.RETRY_DELAYS[0].total_seconds()


def test_a_failed_attempt_leaves_the_row_queued_with_its_next_attempt(
    db, smtp_down, django_capture_on_commit_callbacks
):
    start = clock.now()
    with clock.travel(start), django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at == start + timedelta(minutes=1)
    # Not due yet: the sweeper leaves it; due: the sweeper sends it.
    with clock.travel(start + timedelta(seconds=59)):
        assert services.outbox_sweep() == []
    with clock.travel(start + timedelta(minutes=1)):
        assert services.outbox_sweep() == [email.pk]
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.next_attempt_at == start + timedelta(minutes=1) + timedelta(minutes=2)


def test_a_mail_server_down_for_a_day_loses_no_mail(
    db, settings, smtp_down, django_capture_on_commit_callbacks
):
    start = clock.now()
    with clock.travel(start), django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    # Down through 20 hours of attempts: the row is still queued, waiting for the next.
    moment = start
    while True:
        email.refresh_from_db()
        moment = email.next_attempt_at
        if moment - start > timedelta(hours=20):
            break
        with clock.travel(moment):
            assert services.outbox_sweep() == [email.pk]
    assert email.status == OutgoingEmail.Status.QUEUED
    assert mail.outbox == []
    # The server is back: the next attempt delivers it, once.
    _smtp_back(settings)
    with clock.travel(moment):
        assert services.outbox_sweep() == [email.pk]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    with clock.travel(moment + timedelta(days=2)):
        assert services.outbox_sweep() == []
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_the_row_is_failed_more_than_a_day_after_the_first(
    db, smtp_down, django_capture_on_commit_callbacks, caplog
):
    start = clock.now()
    with clock.travel(start), django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    email.refresh_from_db()
    last_attempt = start
    while email.status == OutgoingEmail.Status.QUEUED:
        last_attempt = email.next_attempt_at
        with clock.travel(last_attempt):
            services.outbox_sweep()
        email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == services.MAX_ATTEMPTS
    assert email.next_attempt_at is None
    assert last_attempt - start >= timedelta(hours=24)
    assert f"Outbox {email.pk} failed {services.MAX_ATTEMPTS} times, giving up" in caplog.text
    with clock.travel(last_attempt + timedelta(days=1)):
        assert services.outbox_sweep() == []


def test_send_again_gives_a_failed_row_a_fresh_start_and_sends_it_once(
    db, settings, django_capture_on_commit_callbacks
):
    now = clock.now()
    failed = OutgoingEmail.objects.create(
        key="failed",
        to="a@example.org",
        language="fi",
        subject="S",
        body_text="B",
        status=OutgoingEmail.Status.FAILED,
        attempts=services.MAX_ATTEMPTS,
        last_error="ConnectionRefusedError(111)",
        created_at=now - timedelta(days=2),
        updated_at=now - timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_resend(email_id=failed.pk)
        services.outbox_resend(email_id=failed.pk)  # a double click
    failed.refresh_from_db()
    assert failed.status == OutgoingEmail.Status.SENT
    assert failed.attempts == 1
    assert failed.last_error == ""
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outbox_resend(email_id=failed.pk) is None  # sent: left alone
    assert len(mail.outbox) == 1
