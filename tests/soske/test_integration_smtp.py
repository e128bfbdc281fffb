"""The outbox against a real SMTP server (aiosmtpd on 127.0.0.1, a free port).

Submitting an application sends the receipt over SMTP: the server gets it, to
the right person, with the copy of the answers, in the applicant's language. A
temporary refusal (4xx) leaves the row queued for a retry; a permanent one
(5xx) marks it failed.
"""

import email
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from applications.models import ApplicationVersion, Status
from soske import clock
from soske.mail.models import OutgoingEmail
from soske.mail.services import outbox_sweep
from tests.conftest import _person, client_for
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.integration


class CollectingHandler:
    """Accepts (or refuses, as told) every message and keeps what it accepted."""

    def __init__(self):
        self.messages = []
        self.mail_reply = None  # e.g. "553 5.7.1 Sender address rejected"
        self.rcpt_reply = None  # e.g. "550 5.1.1 No such user"
        self.data_reply = "250 OK"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply.startswith("250"):
            self.messages.append(
                {
                    "rcpt_tos": list(envelope.rcpt_tos),
                    "message": email.message_from_bytes(envelope.content, policy=policy.default),
                }
            )
        return self.data_reply

    def to(self, address, subject=None):
        """What arrived for `address` (with this subject: submitting sends more than one)."""
        return [
            m["message"]
            for m in self.messages
            if address in m["rcpt_tos"]
            and (subject is None or m["message"]["Subject"].strip() == subject)
        ]


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    handler = CollectingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield handler
    finally:
        controller.stop()


def _submit(user, application, django_capture_on_commit_callbacks, token="smtp-1"):
    client = client_for(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("applications:review", args=[application.pk]),
            {"privacy_consent": "on", "submit_token": token},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    version = ApplicationVersion.objects.get(application=application)
    return OutgoingEmail.objects.get(key=f"application-receipt:{version.pk}:{user.email}")


def test_receipt_arrives_at_the_smtp_server(
    smtp_server, applicant, complete_draft, django_capture_on_commit_callbacks
):
    receipt = _submit(applicant, complete_draft, django_capture_on_commit_callbacks)

    receipt.refresh_from_db()
    assert receipt.status == OutgoingEmail.Status.SENT
    assert receipt.attempts == 1
    assert receipt.last_error == ""
    # Django folds the encoded subject onto a continuation line: unfolded it is the same text.
    (message,) = smtp_server.to("alice@example.org", receipt.subject)
    assert message["To"] == "alice@example.org"
    assert "Testilän kaupunki" in receipt.subject
    assert message["Content-Language"] == "fi"
    body = message.get_body(preferencelist=("plain",)).get_content()
    # The copy of the answers, as the applicant gave them.
    for answer in ("Testilän kaupunki", "Siivouspalvelut", "Johtaja Testinen", "Uusimaa"):
        assert answer in body
    assert "Kopio vastauksistasi:" in body  # Finnish, the applicant's language
    # The manager's commitment request went out over the same server.
    assert len(smtp_server.to("johto@example.org")) == 1


def test_receipt_is_in_the_applicants_language(
    smtp_server, cohort, django_capture_on_commit_callbacks
):
    svensk = _person("sven@example.org", language="sv")
    application = ApplicationFactory(
        cohort=cohort, created_by=svensk, complete=True, org_name="Ekenäs stad"
    )
    receipt = _submit(svensk, application, django_capture_on_commit_callbacks)

    receipt.refresh_from_db()
    assert receipt.status == OutgoingEmail.Status.SENT
    assert receipt.language == "sv"
    (message,) = smtp_server.to("sven@example.org", receipt.subject)
    assert message["Content-Language"] == "sv"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Ekenäs stad" in body
    assert receipt.subject == "Soske-akademin: ansökan från Ekenäs stad har tagits emot"
    assert "En kopia av dina svar:" in body
    assert "A copy of your answers:" not in body
    assert "Kopio vastauksistasi:" not in body


def test_temporary_smtp_refusal_leaves_the_row_queued(
    smtp_server, applicant, complete_draft, django_capture_on_commit_callbacks
):
    smtp_server.data_reply = "451 4.7.1 Greylisted, try again later"
    receipt = _submit(applicant, complete_draft, django_capture_on_commit_callbacks)

    receipt.refresh_from_db()
    assert receipt.status == OutgoingEmail.Status.QUEUED
    assert receipt.attempts == 1
    assert receipt.last_error.startswith("451 ")
    assert "Greylisted" in receipt.last_error
    assert receipt.sent_at is None
    assert smtp_server.messages == []

    # The server accepts again: the next try (the sweeper's or the retry's) sends it.
    from soske.mail.tasks import send_outgoing_email

    smtp_server.data_reply = "250 OK"
    send_outgoing_email.delay(receipt.pk)
    receipt.refresh_from_db()
    assert receipt.status == OutgoingEmail.Status.SENT
    assert receipt.attempts == 2
    assert receipt.last_error == ""
    assert len(smtp_server.to("alice@example.org", receipt.subject)) == 1


@pytest.mark.parametrize(
    "stage, reply",
    [("data", "550 5.7.1 Message refused"), ("rcpt", "550 5.1.1 No such user")],
)
def test_permanent_smtp_refusal_marks_the_row_failed(
    smtp_server, applicant, complete_draft, django_capture_on_commit_callbacks, stage, reply
):
    setattr(smtp_server, f"{stage}_reply", reply)
    receipt = _submit(applicant, complete_draft, django_capture_on_commit_callbacks)

    receipt.refresh_from_db()
    assert receipt.status == OutgoingEmail.Status.FAILED
    assert receipt.attempts == 1
    assert "550" in receipt.last_error
    assert receipt.sent_at is None
    assert smtp_server.messages == []
    # A failed row is left alone: even long after, the sweeper does not queue it again.
    with clock.travel(clock.now() + timedelta(hours=1)):
        assert receipt.pk not in outbox_sweep()


def test_a_refused_sender_is_our_configuration_and_is_retried(
    smtp_server, applicant, complete_draft, django_capture_on_commit_callbacks
):
    """A 5xx to MAIL FROM says nothing about this message: every row would fail alike."""
    smtp_server.mail_reply = "553 5.7.1 Sender address rejected"
    receipt = _submit(applicant, complete_draft, django_capture_on_commit_callbacks)

    receipt.refresh_from_db()
    assert receipt.status == OutgoingEmail.Status.QUEUED
    assert receipt.attempts == 1
    assert receipt.last_error.startswith("553 ")
    assert smtp_server.messages == []
