"""The outbox: write a message with the change that causes it, send it after commit."""

import logging
import smtplib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from soske import clock

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# How long a row may sit in QUEUED or SENDING before the sweeper queues it again.
STUCK_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 8


class TemporaryMailError(Exception):
    """The SMTP server asked us to try again later."""


def render_message(template: str, context: dict, language: str) -> tuple[str, str]:
    """Render `mail/<template>_subject.txt` and `_body.txt` in `language`."""
    with translation.override(language):
        ctx = {"SITE_URL": settings.SITE_URL, "LANGUAGE_CODE": language, **context}
        subject = render_to_string(f"mail/{template}_subject.txt", ctx)
        body = render_to_string(f"mail/{template}_body.txt", ctx)
    return " ".join(subject.split()), body.strip() + "\n"


def outbox_enqueue(
    *,
    key: str,
    to: str,
    language: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: list | None = None,
) -> OutgoingEmail | None:
    """Write a message once per key and send it after the surrounding commit.

    Returns None when a message with this key exists already: re-running a
    trigger is harmless.
    """
    moment = clock.now()
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                key=key[:255],
                to=to,
                language=language,
                subject=subject[:300],
                body_text=body_text,
                body_html=body_html,
                attachments=attachments or [],
                created_at=moment,
                updated_at=moment,
            )
    except IntegrityError:
        return None
    _send_after_commit(email.pk)
    return email


def outbox_enqueue_template(
    *,
    key: str,
    to: str,
    language: str,
    template: str,
    context: dict,
    attachments: list | None = None,
) -> OutgoingEmail | None:
    if OutgoingEmail.objects.filter(key=key[:255]).exists():
        return None
    subject, body = render_message(template, context, language)
    return outbox_enqueue(
        key=key,
        to=to,
        language=language,
        subject=subject,
        body_text=body,
        attachments=attachments,
    )


def unique_key(prefix: str) -> str:
    return f"{prefix}:{uuid.uuid4().hex}"


def _send_after_commit(pk: int) -> None:
    from .tasks import send_outgoing_email

    # robust: a broker or SMTP hiccup must never turn the user's saved change into an error;
    # the sweeper sends the row later.
    transaction.on_commit(lambda: send_outgoing_email.delay(pk), robust=True)


def outbox_send(*, email_id: int) -> OutgoingEmail | None:
    """Send one queued message. Raises TemporaryMailError when SMTP says later."""
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .filter(
                pk=email_id, status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING]
            )
            .first()
        )
        if email is None:
            return None
        email.status = OutgoingEmail.Status.SENDING
        email.attempts += 1
        email.updated_at = clock.now()
        email.save(update_fields=["status", "attempts", "updated_at"])

    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Content-Language": email.language},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for item in email.attachments:
        message.attach(item["filename"], item["content"], item["mimetype"])
    # smtplib's exceptions are OSErrors: the server's own answers are told apart first,
    # and only what is left (lost connection, timeout, refused port) is retried blindly.
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        answers = list(exc.recipients.values())
        temporary = any(400 <= code < 500 for code, _message in answers)
        error = "; ".join(f"{code} {_text(message)}" for code, message in answers)
        return _refused(email, exc, temporary=temporary, error=error)
    except smtplib.SMTPResponseException as exc:
        # Only a 5xx about this message (its DATA) is final; a 5xx on connect, HELO, login
        # or the sender is our configuration and every row would fail alike: retry those.
        temporary = 400 <= exc.smtp_code < 500 or not isinstance(exc, smtplib.SMTPDataError)
        error = f"{exc.smtp_code} {_text(exc.smtp_error)}"
        return _refused(email, exc, temporary=temporary, error=error)
    except OSError as exc:  # includes the other SMTPExceptions, ConnectionError, TimeoutError
        _mark(email, OutgoingEmail.Status.QUEUED, repr(exc))
        raise TemporaryMailError(str(exc)) from exc
    email.status = OutgoingEmail.Status.SENT
    email.sent_at = clock.now()
    email.updated_at = email.sent_at
    email.last_error = ""
    email.save(update_fields=["status", "sent_at", "updated_at", "last_error"])
    return email


def _text(answer) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)


def _refused(email, exc, *, temporary, error):
    if temporary:
        _mark(email, OutgoingEmail.Status.QUEUED, error)
        raise TemporaryMailError(error) from exc
    _mark(email, OutgoingEmail.Status.FAILED, error)
    logger.error("Outbox %s refused permanently: %s", email.pk, error)
    return email


def _mark(email, status, error):
    email.status = status
    email.last_error = error[:2000]
    email.updated_at = clock.now()
    if status == OutgoingEmail.Status.QUEUED and email.attempts >= MAX_ATTEMPTS:
        email.status = OutgoingEmail.Status.FAILED
    email.save(update_fields=["status", "last_error", "updated_at"])


def outbox_sweep() -> list[int]:
    """Queue again the rows that have waited too long (lost task, dead worker)."""
    cutoff = clock.now() - STUCK_AFTER
    ids = list(
        OutgoingEmail.objects.filter(
            status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING],
            updated_at__lt=cutoff,
        ).values_list("pk", flat=True)[:500]
    )
    from .tasks import send_outgoing_email

    for pk in ids:
        send_outgoing_email.delay(pk)
    return ids
