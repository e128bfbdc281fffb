"""/healthz/ says whether the app can work: 200 when the database (and Redis, when it is
configured) answer, 503 naming what is down; the outbox backlog is reported alongside."""

import os
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from soske import clock
from soske.mail.models import OutgoingEmail


def _row(key, status, age):
    moment = clock.now() - age
    return OutgoingEmail.objects.create(
        key=key,
        to=f"{key}@example.org",
        language="fi",
        subject="S",
        body_text="B",
        status=status,
        created_at=moment,
        updated_at=moment,
    )


def test_healthy_without_redis_reports_the_database_and_an_empty_outbox(db, settings, anonymous):
    settings.REDIS_URL = ""
    response = anonymous.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "down": [],
        "checks": {"database": "ok"},
        "outbox": {"queued": 0, "failed": 0, "oldest_queued_seconds": 0},
    }


def test_a_backlog_is_reported_but_is_no_outage(db, settings, anonymous):
    settings.REDIS_URL = ""
    now = clock.now()
    with clock.travel(now):
        _row("old", OutgoingEmail.Status.QUEUED, timedelta(hours=2))
        _row("new", OutgoingEmail.Status.SENDING, timedelta(minutes=1))
        _row("failed", OutgoingEmail.Status.FAILED, timedelta(days=2))
        _row("sent", OutgoingEmail.Status.SENT, timedelta(days=3))
        response = anonymous.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["outbox"] == {
        "queued": 2,
        "failed": 1,
        "oldest_queued_seconds": 7200,
    }


def test_redis_down_is_a_503_naming_redis(db, settings, anonymous):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = anonymous.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["down"] == ["redis"]
    assert body["checks"] == {"database": "ok", "redis": "down"}
    assert body["outbox"]["queued"] == 0


def test_the_database_down_is_a_503_naming_the_database(db, settings, anonymous, monkeypatch):
    settings.REDIS_URL = ""

    def dead_cursor():
        raise OperationalError("connection to server at 127.0.0.1 refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", dead_cursor)
        response = anonymous.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "down",
        "down": ["database"],
        "checks": {"database": "down"},
    }


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_with_redis_up_both_checks_are_ok(db, settings, anonymous):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = anonymous.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_one_query_checks_the_database_and_reads_the_backlog(
    db, settings, anonymous, django_assert_num_queries
):
    settings.REDIS_URL = ""
    _row("old", OutgoingEmail.Status.QUEUED, timedelta(minutes=5))
    with django_assert_num_queries(1):
        response = anonymous.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["outbox"]["queued"] == 1
