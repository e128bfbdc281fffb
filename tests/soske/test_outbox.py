from datetime import timedelta

from django.core import mail

from soske import clock
from soske.mail.models import OutgoingEmail
from soske.mail.services import outbox_enqueue, outbox_enqueue_template, outbox_sweep


def test_same_key_is_written_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox_enqueue(
            key="k:1", to="a@example.org", language="fi", subject="S", body_text="B"
        )
        second = outbox_enqueue(
            key="k:1", to="a@example.org", language="fi", subject="S", body_text="B"
        )
    assert first is not None
    assert second is None
    assert OutgoingEmail.objects.filter(key="k:1").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@example.org"]
    assert mail.outbox[0].extra_headers["Content-Language"] == "fi"


def test_nothing_is_sent_when_the_transaction_rolls_back(db, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                outbox_enqueue(
                    key="k:rollback", to="a@example.org", language="fi", subject="S", body_text="B"
                )
                raise RuntimeError("the change that caused the mail failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not OutgoingEmail.objects.filter(key="k:rollback").exists()
    assert mail.outbox == []


def test_template_is_rendered_in_the_recipients_language(db):
    email = outbox_enqueue_template(
        key="invite:sv",
        to="s@example.org",
        language="sv",
        template="application_invite",
        context={
            "application": type(
                "A", (), {"org_name": "Org", "cohort": type("C", (), {"name": "Soske"})()}
            )(),
            "inviter": type("U", (), {"email": "x@e.org"})(),
            "accept_url": "http://127.0.0.1/x",
        },
    )
    assert email.language == "sv"
    assert "http://127.0.0.1/x" in email.body_text


def test_sweeper_requeues_rows_stuck_in_flight(db):
    moment = clock.now()
    stuck = OutgoingEmail.objects.create(
        key="stuck",
        to="a@example.org",
        language="fi",
        subject="S",
        body_text="B",
        status=OutgoingEmail.Status.SENDING,
        created_at=moment - timedelta(hours=1),
        updated_at=moment - timedelta(hours=1),
    )
    fresh = OutgoingEmail.objects.create(
        key="fresh",
        to="b@example.org",
        language="fi",
        subject="S",
        body_text="B",
        status=OutgoingEmail.Status.QUEUED,
        created_at=moment,
        updated_at=moment,
    )
    assert outbox_sweep() == [stuck.pk]
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == OutgoingEmail.Status.SENT  # eager Celery sent it at once
    assert fresh.status == OutgoingEmail.Status.QUEUED
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


# --- defects: the subject line, a row in flight ------------------------------------------


def test_a_subject_is_plain_text_and_keeps_its_ampersand():
    from soske.mail.services import render_message

    application = type(
        "A",
        (),
        {"org_name": "Sähkö & Vesi Oy <Pori>", "cohort": type("C", (), {"name": "Soske"})()},
    )()
    subject, body = render_message(
        "application_receipt", {"application": application, "version": None}, "fi"
    )
    assert subject == "Soske-akatemia: hakemus vastaanotettu (Sähkö & Vesi Oy <Pori>)"
    assert "&amp;" not in subject and "&lt;" not in subject
    assert "Sähkö & Vesi Oy <Pori>" in body


def test_a_row_another_worker_is_sending_is_left_to_it(db):
    """A second task for the same row (a duplicate delivery, a re-queue) must not send it
    while the first worker is still at it: the row would go out twice."""
    from soske.mail.services import outbox_send

    moment = clock.now()
    in_flight = OutgoingEmail.objects.create(
        key="in-flight",
        to="a@example.org",
        language="fi",
        subject="S",
        body_text="B",
        status=OutgoingEmail.Status.SENDING,
        attempts=1,
        created_at=moment,
        updated_at=moment,
    )
    assert outbox_send(email_id=in_flight.pk) is None
    in_flight.refresh_from_db()
    assert in_flight.status == OutgoingEmail.Status.SENDING
    assert in_flight.attempts == 1
    assert mail.outbox == []
    # Nor does the sweeper take it back while it is young.
    assert outbox_sweep() == []
    assert mail.outbox == []
