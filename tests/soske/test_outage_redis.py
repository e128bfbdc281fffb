"""Signing in and writing mail survive Redis being down (nothing listening on REDIS_URL).

Redis "down" is a closed loopback port (127.0.0.1:1). The cache behind allauth's rate
limits degrades to "nothing cached" (with a warning); publishing a task fails fast and
leaves the outbox row for the sweeper.
"""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from kombu import pools as kombu_pools

from soske import celery_app, clock
from soske.cache import ResilientRedisCache
from soske.mail import services
from soske.mail.models import OutgoingEmail
from tests.soske.test_settings import SETUP, _run

DEAD = "redis://127.0.0.1:1/0"


def _enqueue(key):
    return services.outbox_enqueue(
        key=key, to="a@example.org", language="fi", subject="Tärkeä", body_text="Viesti.\n"
    )


def test_with_redis_url_the_cache_degrades_and_the_timeouts_are_short():
    result = _run(
        ["-c", SETUP + "; from django.conf import settings; print(settings.CACHES)"],
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert result.returncode == 0, result.stderr
    caches = eval(result.stdout.split("started\n", 1)[1])  # noqa: S307 - our own repr
    assert caches["default"]["BACKEND"] == "soske.cache.ResilientRedisCache"
    assert caches["default"]["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


@pytest.fixture
def broker_down():
    """The producer's broker is a closed port; the unit tests' eager mode is off."""
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager")}
    conf.update(broker_url=DEAD, task_always_eager=False)
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        kombu_pools.reset()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        conf.update(saved)


def test_publishing_to_the_broker_is_tried_once_with_short_timeouts(settings):
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert settings.CELERY_TASK_PUBLISH_RETRY is False
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 1
    assert options["socket_connect_timeout"] <= 1 and options["socket_timeout"] <= 1
    assert options["max_retries"] == 1 and options["interval_start"] == 0


def test_with_the_broker_down_a_mail_is_written_and_the_sweeper_sends_it_later(
    db, broker_down, django_capture_on_commit_callbacks, caplog
):
    start = clock.now()
    with clock.travel(start), django_capture_on_commit_callbacks(execute=True):
        email = _enqueue("broker-down")  # returns: no exception reaches the caller
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 0
    assert email.next_attempt_at == start  # due at once for the sweeper
    assert "could not queue the send task" in caplog.text
    # The sweeper, while the broker is still down, leaves it due.
    with clock.travel(start + timedelta(minutes=1)):
        assert services.outbox_sweep() == []
    email.refresh_from_db()
    assert email.next_attempt_at == start + timedelta(minutes=1)
    assert mail.outbox == []

    # The broker is back (here: the unit tests' eager Celery): the next sweep sends it.
    celery_app.conf.task_always_eager = True
    with clock.travel(start + timedelta(minutes=2)):
        assert services.outbox_sweep() == [email.pk]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_submitting_an_application_with_the_broker_down_succeeds(
    broker_down, applicant, complete_draft, django_capture_on_commit_callbacks
):
    from tests.conftest import client_for

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(applicant).post(
            reverse("applications:review", args=[complete_draft.pk]),
            {"privacy_consent": "on", "submit_token": "broker-down-1"},
        )
    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.status == "submitted"
    waiting = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED)
    assert waiting.count() >= 1
    assert all(email.next_attempt_at is not None for email in waiting)


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "soske.cache.ResilientRedisCache",
            "LOCATION": DEAD,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.ACCOUNT_RATE_LIMITS_ENABLED = True
    ResilientRedisCache._last_warning = float("-inf")


def test_signing_in_works_with_redis_down(cache_down, anonymous, applicant, caplog):
    applicant.set_password("oikein-hyva-salasana")
    applicant.save()
    with caplog.at_level(logging.WARNING, logger="soske.cache"):
        response = anonymous.post(
            reverse("account_login"),
            {"login": applicant.email, "password": "oikein-hyva-salasana"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert anonymous.session["_auth_user_id"] == str(applicant.pk)
    (warning,) = [r for r in caplog.records if r.name == "soske.cache"]
    assert warning.getMessage().startswith("Cache (Redis) unavailable")


def test_a_wrong_password_with_redis_down_is_the_normal_form_error(
    cache_down, anonymous, applicant
):
    response = anonymous.post(
        reverse("account_login"), {"login": applicant.email, "password": "väärin"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_cache_degrades_to_nothing_cached_when_redis_is_down(cache_down):
    from django.core.cache import cache

    assert cache.get("missing", "default") == "default"
    assert cache.add("k", 1) is True  # as if stored: a lock taken with add() is granted
    cache.set("k", 1)  # dropped, no error
    assert cache.get_many(["k"]) == {}
    with pytest.raises(ValueError):
        cache.incr("k")
