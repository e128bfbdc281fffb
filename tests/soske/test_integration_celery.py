"""The outbox through a real Celery worker on Redis.

The worker runs in a thread of this process (celery.contrib.testing), with its
own database connection, so the test uses `transactional_db`: the rows the
worker reads are committed. The broker is the Redis of REDIS_URL, on a database
number of its own (REDIS_URL's plus 8: the cache, which the tests clear, keeps
REDIS_URL's, and test runs on other database numbers never share a queue).
Without REDIS_URL the tests are skipped, except in CI, where a missing Redis is a
failure.
"""

import os
import time
from datetime import timedelta
from urllib.parse import urlparse, urlunparse

import pytest
from celery import signals
from celery.app.trace import reset_worker_optimizations
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connections
from django.urls import reverse
from kombu import pools as kombu_pools

from applications.models import ApplicationVersion, Status
from soske import celery_app, clock
from soske.mail import services as mail_services
from soske.mail.models import OutgoingEmail
from soske.mail.tasks import send_outgoing_email, sweep_outbox
from tests.conftest import client_for

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

BROKER_DB_OFFSET = 8
WAIT_SECONDS = 20


def _broker_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("REDIS_URL is not set: CI must run the Celery integration tests on Redis")
        pytest.skip("REDIS_URL is not set: no Redis to run a real Celery worker on")
    parts = urlparse(url)
    number = int(parts.path.strip("/") or 0) + BROKER_DB_OFFSET
    return urlunparse(parts._replace(path=f"/{number}"))


def _require_redis(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        message = f"Redis at {url} does not answer: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def _close_worker_connections(**kwargs):
    # The worker thread's connections must not outlive the test (PostgreSQL cannot drop a
    # test database somebody is still connected to). Celery's Django fixup closes them
    # after each task too; this makes it explicit.
    connections.close_all()


@pytest.fixture
def celery_worker(transactional_db, settings):
    """A real worker consuming from Redis; tasks are not run eagerly meanwhile."""
    url = _broker_url()
    _require_redis(url)
    conf = celery_app.conf
    saved = {
        key: conf[key] for key in ("broker_url", "task_always_eager", "worker_hijack_root_logger")
    }
    conf.update(broker_url=url, task_always_eager=False, worker_hijack_root_logger=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Forget connection pools made for another broker (the in-memory one of unit tests).
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    signals.task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with celery_app.connection_for_write() as connection:
            connection.default_channel.queue_purge(conf.task_default_queue)
        with start_worker(celery_app, pool="solo", perform_ping_check=False) as worker:
            yield worker
    finally:
        signals.task_postrun.disconnect(_close_worker_connections)
        reset_worker_optimizations(celery_app)
        kombu_pools.reset()  # closes and forgets the Redis connections of this test
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        conf.update(saved)


def wait_for(predicate, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"Waited {WAIT_SECONDS} s for {what}")


def _status(pk):
    return OutgoingEmail.objects.values_list("status", flat=True).get(pk=pk)


def test_submitting_sends_the_receipt_through_the_worker(celery_worker, applicant, complete_draft):
    assert celery_app.conf.task_always_eager is False
    response = client_for(applicant).post(
        reverse("applications:review", args=[complete_draft.pk]),
        {"privacy_consent": "on", "submit_token": "worker-1"},
    )
    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.SUBMITTED
    version = ApplicationVersion.objects.get(application=complete_draft)
    receipt = OutgoingEmail.objects.get(key=f"application-receipt:{version.pk}:alice@example.org")

    wait_for(lambda: _status(receipt.pk) == OutgoingEmail.Status.SENT, "the receipt to be sent")
    receipt.refresh_from_db()
    assert receipt.attempts == 1
    assert receipt.sent_at is not None
    assert receipt.last_error == ""
    # The worker sent it (locmem backend, shared by the threads of this process).
    (message,) = [m for m in mail.outbox if m.subject == receipt.subject]
    assert message.to == ["alice@example.org"]
    assert "Siivouspalvelut" in message.body


def test_an_outbox_row_is_sent_by_the_worker(celery_worker):
    email = mail_services.outbox_enqueue(
        key="integration:direct",
        to="direct@example.org",
        language="sv",
        subject="Hej",
        body_text="Ett meddelande.\n",
    )  # autocommit: the row is committed and the task published at once
    wait_for(lambda: _status(email.pk) == OutgoingEmail.Status.SENT, "the row to be sent")
    (message,) = [m for m in mail.outbox if m.to == ["direct@example.org"]]
    assert message.subject == "Hej"
    assert message.extra_headers["Content-Language"] == "sv"


@pytest.mark.parametrize(
    "stuck_status", [OutgoingEmail.Status.SENDING, OutgoingEmail.Status.QUEUED]
)
def test_sweeper_requeues_a_row_stuck_longer_than_stuck_after(celery_worker, stuck_status):
    now = clock.now()
    long_ago = now - mail_services.STUCK_AFTER - timedelta(minutes=1)
    stuck = OutgoingEmail.objects.create(
        key="integration:stuck",
        to="stuck@example.org",
        language="fi",
        subject="Jumissa",
        body_text="Lähtee viimein.\n",
        status=stuck_status,
        attempts=1,
        created_at=long_ago,
        updated_at=long_ago,
    )
    recent = OutgoingEmail.objects.create(
        key="integration:recent",
        to="recent@example.org",
        language="fi",
        subject="Matkalla",
        body_text="Juuri jonossa.\n",
        status=stuck_status,
        created_at=now,
        updated_at=now,
    )
    failed = OutgoingEmail.objects.create(
        key="integration:failed",
        to="failed@example.org",
        language="fi",
        subject="Hylätty",
        body_text="Ei lähde.\n",
        status=OutgoingEmail.Status.FAILED,
        attempts=8,
        created_at=long_ago,
        updated_at=long_ago,
    )

    sweep_outbox.delay()  # through the broker: the worker sweeps, then sends

    wait_for(lambda: _status(stuck.pk) == OutgoingEmail.Status.SENT, "the stuck row to be sent")
    stuck.refresh_from_db()
    assert stuck.attempts == 2
    assert [m.to for m in mail.outbox] == [["stuck@example.org"]]
    # A row in flight for less than STUCK_AFTER, and a failed row, are left alone.
    assert _status(recent.pk) == stuck_status
    assert _status(failed.pk) == OutgoingEmail.Status.FAILED


def test_a_task_for_a_sent_row_does_nothing(celery_worker):
    now = clock.now()
    sent = OutgoingEmail.objects.create(
        key="integration:sent",
        to="sent@example.org",
        language="fi",
        subject="Jo lähetetty",
        body_text="x\n",
        status=OutgoingEmail.Status.SENT,
        attempts=1,
        created_at=now,
        updated_at=now,
        sent_at=now,
    )
    send_outgoing_email.delay(sent.pk)
    # A marker row sent after it proves the worker has handled the first task.
    marker = mail_services.outbox_enqueue(
        key="integration:marker", to="marker@example.org", language="fi", subject="M", body_text="m"
    )
    wait_for(lambda: _status(marker.pk) == OutgoingEmail.Status.SENT, "the marker to be sent")
    sent.refresh_from_db()
    assert sent.attempts == 1
    assert [m.to for m in mail.outbox] == [["marker@example.org"]]


def test_a_row_whose_publish_failed_is_sent_by_the_sweeper_through_the_worker(celery_worker):
    """The broker was down when the row was written: the failed publish left it due."""
    now = clock.now()
    due = OutgoingEmail.objects.create(
        key="integration:publish-failed",
        to="later@example.org",
        language="fi",
        subject="Myöhemmin",
        body_text="Lähtee, kun välittäjä palaa.\n",
        created_at=now,
        updated_at=now,
        next_attempt_at=now,
    )
    sweep_outbox.delay()
    wait_for(lambda: _status(due.pk) == OutgoingEmail.Status.SENT, "the due row to be sent")
    due.refresh_from_db()
    assert due.attempts == 1
    assert due.next_attempt_at is None
    assert [m.to for m in mail.outbox] == [["later@example.org"]]


def test_smtp_down_the_worker_leaves_the_row_queued_and_it_goes_out_when_smtp_is_back(
    celery_worker, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    email = mail_services.outbox_enqueue(
        key="integration:smtp-down",
        to="patient@example.org",
        language="fi",
        subject="Kärsivällinen",
        body_text="Odottaa palvelinta.\n",
    )
    wait_for(
        lambda: OutgoingEmail.objects.filter(pk=email.pk, attempts=1, status="queued").exists(),
        "the first attempt to fail",
    )
    email.refresh_from_db()
    assert "ConnectionRefusedError" in email.last_error
    retry_at = email.next_attempt_at
    assert retry_at - email.updated_at == mail_services.RETRY_DELAYS[0]
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # back
    with clock.travel(retry_at):
        sweep_outbox.delay()
        wait_for(lambda: _status(email.pk) == OutgoingEmail.Status.SENT, "the retry to send it")
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.last_error == ""
    assert [m.to for m in mail.outbox] == [["patient@example.org"]]


def test_the_reviews_spreadsheet_is_built_by_the_worker(celery_worker, coordinator, cohort):
    """The request only queues the job (issue 13): the row is still queued when the page
    opens, the worker builds the file, and the status the page polls turns into its link."""
    import io

    from openpyxl import load_workbook

    from soske.exports.models import Export, ExportState

    client = client_for(coordinator)
    response = client.post(reverse("staff:reviews_export", args=[cohort.pk]))
    assert response.status_code == 302
    export = Export.objects.get()
    status_url = reverse("exports:status", args=[export.pk])
    wait_for(lambda: client.get(status_url).json()["state"] == ExportState.DONE, "the build")
    status = client.get(status_url).json()
    assert status["url"] == reverse("exports:download", args=[export.pk])
    download = client.get(status["url"])
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 1  # the header: the cohort has no reviews yet
    assert sheet["A1"].value == "Organisaatio"
