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


# --- rows the send task has not rendered yet (a broker is configured) ----------------------


@pytest.fixture
def unrendered(settings, applicant, cohort):
    """`unrendered(org, language=...)`: a commitment request as the request writes it with a
    broker: the template and its context, no subject nor body until the task renders it."""
    from soske.mail.services import outbox_enqueue_template
    from tests.factories import ApplicationFactory

    settings.MAIL_RENDER_IN_TASK = True
    made = []

    def make(org, *, language="fi", to=None, application=None):
        application = application or ApplicationFactory(
            cohort=cohort, created_by=applicant, org_name=org
        )
        row = outbox_enqueue_template(
            key=f"commitment:{org}:{len(made)}",
            to=to or f"johto{len(made)}@example.org",
            language=language,
            template="commitment_request",
            context={"application": application, "confirm_url": "https://soske.example/c/"},
        )
        assert (row.subject, row.body_text) == ("", "")
        made.append(row)
        return row

    return make


def test_the_search_finds_a_row_not_rendered_yet_by_its_subject(
    rows, unrendered, coordinator_client
):
    ahvenala = unrendered("Ahvenala")
    bobila = unrendered("Bobila")
    swedish = unrendered("Ceseborg", language="sv")

    response = coordinator_client.get(LIST, {"q": "AHVENALA"})
    assert _shown(response) == [ahvenala.key]
    assert response.context["emails"][0].subject == (
        "Vahvista organisaation Ahvenala sitoutuminen Soske-akatemiaan"
    )
    # A word of the Finnish subject finds the Finnish rows; the Swedish row by its own words.
    assert _shown(coordinator_client.get(LIST, {"q": "sitoutuminen"})) == [
        ahvenala.key,
        bobila.key,
    ]
    assert _shown(coordinator_client.get(LIST, {"q": "förbinder sig"})) == [swedish.key]
    # The stored subject and the address are searched as before, beside them.
    assert _shown(coordinator_client.get(LIST, {"q": "vesi"})) == ["failed"]
    assert _shown(coordinator_client.get(LIST, {"q": "johto1@"})) == [bobila.key]
    # The status filter still applies: these rows are queued, not failed.
    assert _shown(coordinator_client.get(LIST, {"q": "Ahvenala", "status": "failed"})) == []
    # Worked out for the page, never stored: the task still renders them.
    assert set(
        OutgoingEmail.objects.filter(template="commitment_request").values_list(
            "subject", "body_text"
        )
    ) == {("", "")}


def test_a_row_whose_object_is_gone_is_found_by_its_address_only(unrendered, coordinator_client):
    gone = unrendered("Poistola", to="poistola@example.org")
    gone_application_pk = gone.context["application"]["pk"]
    from applications.models import Application

    Application.objects.filter(pk=gone_application_pk).delete()
    kept = unrendered("Pysyvä")
    assert _shown(coordinator_client.get(LIST, {"q": "Poistola"})) == [gone.key]  # the address
    response = coordinator_client.get(LIST, {"q": "sitoutuminen"})
    assert _shown(response) == [kept.key]
    response = coordinator_client.get(LIST)
    assert [(e.key, e.subject) for e in response.context["emails"]] == [
        (gone.key, ""),
        (kept.key, "Vahvista organisaation Pysyvä sitoutuminen Soske-akatemiaan"),
    ]


def test_one_search_works_out_a_bounded_number_of_subjects(
    unrendered, coordinator_client, monkeypatch
):
    """Only rows not rendered yet are worked out, the oldest first, at most
    SEARCH_WORKOUT_LIMIT of them a request: a queue of thousands (the workers down) is
    not rendered in the request; the newer rows are found by their address meanwhile."""
    from django.test.signals import template_rendered

    from soske.mail import services

    monkeypatch.setattr(services, "SEARCH_WORKOUT_LIMIT", 2)
    _row("stored", OutgoingEmail.Status.QUEUED, subject="Valmis aihe")  # no work-out
    oldest, second, newest = (unrendered(org) for org in ("Aa Oy", "Bb Oy", "Cc Oy"))
    subjects = []

    def listen(sender, template, context, **kwargs):
        if template.name == "mail/commitment_request_subject.txt":
            subjects.append(context["application"].org_name)

    template_rendered.connect(listen)
    try:
        response = coordinator_client.get(LIST, {"q": "sitoutuminen"})
    finally:
        template_rendered.disconnect(listen)
    assert _shown(response) == [oldest.key, second.key]
    assert subjects == ["Aa Oy", "Bb Oy"]  # each once: the page reuses the search's work
    # The page says that newer messages were not searched by subject.
    assert response.context["search_partial"] is True
    assert "2 vanhimman joukosta" in response.content.decode()
    # Past the bound a row is found by its address still.
    assert _shown(coordinator_client.get(LIST, {"q": newest.to})) == [newest.key]
    # With as many waiting as the bound, or no search, nothing is said.
    monkeypatch.setattr(services, "SEARCH_WORKOUT_LIMIT", 3)
    for query in ({"q": "sitoutuminen"}, {}):
        response = coordinator_client.get(LIST, query)
        assert response.context["search_partial"] is False
        assert "vanhimman joukosta" not in response.content.decode()
    assert len(_shown(coordinator_client.get(LIST, {"q": "sitoutuminen"}))) == 3


@pytest.mark.parametrize("query", [{}, {"q": "sitoutuminen"}])
def test_the_query_count_does_not_grow_with_rows_not_rendered_yet(
    unrendered, coordinator_client, query
):
    unrendered("Yksi Oy")
    with CaptureQueriesContext(connection) as one:
        assert len(coordinator_client.get(LIST, query).context["emails"]) == 1
    for number in range(30):
        unrendered(f"Monta {number} Oy")
    with CaptureQueriesContext(connection) as many:
        emails = coordinator_client.get(LIST, query).context["emails"]
    assert len(emails) == 31
    assert emails[-1].subject == "Vahvista organisaation Monta 29 Oy sitoutuminen Soske-akatemiaan"
    assert len(many) == len(one)
