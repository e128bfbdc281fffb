"""The staff outbox page: coordinators see the queued and failed mail and send it again."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soske import clock
from soske.mail.models import OutgoingEmail
from tests.conftest import client_for

LIST = reverse("outbox:list")


def _row(key, status, *, to=None, subject="Hakemus vastaanotettu", attempts=0, error=""):
    moment = clock.now() - timedelta(hours=1)
    return OutgoingEmail.objects.create(
        key=key,
        to=to or f"{key}@example.org",
        language="fi",
        subject=subject,
        body_text="B",
        status=status,
        attempts=attempts,
        last_error=error,
        created_at=moment,
        updated_at=moment,
        next_attempt_at=moment + timedelta(hours=2) if status == "queued" else None,
    )


@pytest.fixture
def rows(db):
    return {
        "queued": _row("queued", OutgoingEmail.Status.QUEUED, attempts=3, error="451 Greylisted"),
        "failed": _row(
            "failed",
            OutgoingEmail.Status.FAILED,
            to="sahko@example.org",
            subject="Sähkö & Vesi Oy: kutsu",
            attempts=31,
            error="ConnectionRefusedError(111, 'Connection refused')",
        ),
        "sent": _row("sent", OutgoingEmail.Status.SENT),
    }


def _shown(response):
    return [email.key for email in response.context["emails"]]


def test_the_page_lists_queued_and_failed_mail_with_their_errors(rows, coordinator_client):
    response = coordinator_client.get(LIST)
    assert response.status_code == 200
    assert response.templates[0].name == "mail/outbox.html"
    assert "base.html" in [t.name for t in response.templates]
    assert _shown(response) == ["queued", "failed"]
    page = response.content.decode()
    assert "sahko@example.org" in page
    assert "Sähkö &amp; Vesi Oy: kutsu" in page  # escaped once, as HTML
    assert "ConnectionRefusedError(111, &#x27;Connection refused&#x27;)" in page
    assert "451 Greylisted" in page
    assert '<th scope="col">Yrityksiä</th>' in page  # Finnish first
    assert 'for="id_q"' in page and 'for="id_status"' in page  # labelled filters
    assert 'aria-label="Suodata lähtevät viestit"' in page
    assert response.context["backlog"] == {
        "queued": 1,
        "failed": 1,
        "oldest_queued_seconds": response.context["backlog"]["oldest_queued_seconds"],
    }


@pytest.mark.parametrize(
    "query, shown",
    [
        ({"status": "failed"}, ["failed"]),
        ({"status": "queued"}, ["queued"]),
        ({"q": "SAHKO@"}, ["failed"]),
        ({"q": "vesi"}, ["failed"]),
        ({"q": "nobody"}, []),
        ({"status": "sent"}, ["queued", "failed"]),  # not a choice: the filter is ignored
    ],
)
def test_filter_by_status_and_search(rows, coordinator_client, query, shown):
    assert _shown(coordinator_client.get(LIST, query)) == shown


def test_send_again_sends_a_failed_row_once(
    rows, coordinator_client, django_capture_on_commit_callbacks
):
    failed = rows["failed"]
    path = reverse("outbox:resend", args=[failed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(path, {"status": "failed"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?status=failed"
    failed.refresh_from_db()
    assert failed.status == OutgoingEmail.Status.SENT
    assert failed.attempts == 1
    assert [m.to for m in mail.outbox] == [["sahko@example.org"]]
    assert mail.outbox[0].subject == "Sähkö & Vesi Oy: kutsu"
    # Again: the row is sent, nothing more goes out.
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(path, follow=True)
    assert len(mail.outbox) == 1
    assert [str(m) for m in response.context["messages"]] == [
        "Viesti osoitteeseen sahko@example.org lähetetään uudelleen.",
        "Viesti osoitteeseen sahko@example.org on jo lähdössä tai lähetetty.",
    ]
    assert _shown(response) == ["queued"]


def test_send_all_failed(rows, coordinator_client, django_capture_on_commit_callbacks):
    second = _row("failed-2", OutgoingEmail.Status.FAILED, attempts=1, error="550 refused")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("outbox:resend_failed"), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "2 epäonnistunutta viestiä lähetetään uudelleen."
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["failed-2@example.org", "sahko@example.org"]
    assert OutgoingEmail.objects.get(pk=second.pk).status == OutgoingEmail.Status.SENT
    assert OutgoingEmail.objects.get(pk=rows["queued"].pk).status == OutgoingEmail.Status.QUEUED


@pytest.mark.parametrize("persona", ["applicant_client", "reviewer_client"])
def test_the_page_and_its_buttons_are_for_coordinators_only(
    rows, request, persona, django_capture_on_commit_callbacks
):
    client = request.getfixturevalue(persona)
    assert client.get(LIST).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("outbox:resend", args=[rows["failed"].pk])).status_code == 403
        assert client.post(reverse("outbox:resend_failed")).status_code == 403
    assert mail.outbox == []
    assert OutgoingEmail.objects.get(pk=rows["failed"].pk).status == OutgoingEmail.Status.FAILED


def test_the_buttons_are_post_only(rows, coordinator_client):
    assert (
        coordinator_client.get(reverse("outbox:resend", args=[rows["failed"].pk])).status_code
        == 405
    )
    assert coordinator_client.get(reverse("outbox:resend_failed")).status_code == 405


@pytest.mark.parametrize("language, heading", [("sv", "Utkorgen"), ("en", "Outbox")])
def test_the_page_in_swedish_and_english(rows, coordinator, language, heading):
    coordinator.language = language
    coordinator.save()
    page = client_for(coordinator).get(LIST).content.decode()
    assert f"<h1>{heading}</h1>" in page


def test_the_query_count_does_not_grow_with_the_rows(db, coordinator_client):
    _row("one", OutgoingEmail.Status.FAILED)
    with CaptureQueriesContext(connection) as one:
        assert len(coordinator_client.get(LIST).context["emails"]) == 1
    for number in range(30):
        _row(f"many-{number}", OutgoingEmail.Status.QUEUED)
    with CaptureQueriesContext(connection) as many:
        assert len(coordinator_client.get(LIST).context["emails"]) == 31
    assert len(many) == len(one)
