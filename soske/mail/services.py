"""The outbox: write a message with the change that causes it, send it after commit."""

import logging
import smtplib
import uuid
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Min, Q
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from soske import clock
from soske.db import insert_unless_exists

from .context import MissingObject, Unstorable, context_dump, context_load, context_load_many
from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# How long a row may sit in SENDING (a worker died mid-send), or in QUEUED with its task
# lost, before the sweeper queues it again.
STUCK_AFTER = timedelta(minutes=10)
# The wait after each failed attempt: growing, then hourly, so that a mail server down
# for an afternoon (or a night) loses nothing. The last attempt is made more than a day
# after the first; when it fails too the row is FAILED and shows on the staff outbox page.
RETRY_DELAYS = tuple(timedelta(minutes=m) for m in (1, 2, 5, 10, 20, 30, *([60] * 23)))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# The task that sends one row, by name: tasks call services, services never import tasks.
SEND_TASK = "soske.mail.tasks.send_outgoing_email"
SEND_MANY_TASK = "soske.mail.tasks.send_outgoing_emails"


def render_message(template: str, context: dict, language: str) -> tuple[str, str]:
    """Render `mail/<template>_subject.txt` and `_body.txt` in `language`."""
    return (
        render_subject(template, context, language),
        _render_part(template, "body", context, language).strip() + "\n",
    )


def render_subject(template: str, context: dict, language: str) -> str:
    """`mail/<template>_subject.txt` in `language`, on one line."""
    return " ".join(_render_part(template, "subject", context, language).split())


def _render_part(template: str, part: str, context: dict, language: str) -> str:
    with translation.override(language):
        ctx = {"SITE_URL": settings.SITE_URL, "LANGUAGE_CODE": language, **context}
        return _render_text(f"mail/{template}_{part}.txt", ctx)


def _render_text(name: str, context: dict) -> str:
    """Plain text is not HTML: `&` stays `&` (no autoescaping, whatever the template)."""
    return get_template(name).template.render(Context(context, autoescape=False))


def outbox_enqueue(
    *,
    key: str,
    to: str,
    language: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: list | None = None,
    template: str = "",
    context: dict | None = None,
) -> OutgoingEmail | None:
    """Write a message once per key and send it after the surrounding commit.

    Returns None when a message with this key exists already: re-running a
    trigger is harmless. With `template` (and its stored `context`) and no body, the send
    task renders the message.
    """
    moment = clock.now()
    email = OutgoingEmail(
        key=key[:255],
        to=to,
        language=language,
        subject=subject[:300],
        body_text=body_text,
        body_html=body_html,
        attachments=attachments or [],
        template=template,
        context=context or {},
        created_at=moment,
        updated_at=moment,
    )
    # One statement: a row with this key already there is no error and does not break the
    # surrounding transaction (it used to take a savepoint and its release per row).
    if not insert_unless_exists(email, unique="key"):
        return None
    _send_after_commit(email.pk)
    return email


def render_in_task() -> bool:
    """A broker is configured (Celery does not run eagerly): the worker renders the mail,
    not the request. `MAIL_RENDER_IN_TASK` (True/False) overrides the choice."""
    forced = getattr(settings, "MAIL_RENDER_IN_TASK", None)
    if forced is not None:
        return bool(forced)
    return not current_app.conf.task_always_eager


def outbox_enqueue_template(
    *,
    key: str,
    to: str,
    language: str,
    template: str,
    context: dict,
    attachments: list | None = None,
) -> OutgoingEmail | None:
    """Write `mail/<template>_*.txt` for `to` in `language`, once per key.

    With a broker the row keeps the template and the context (model instances as
    references) and the send task renders it after the commit: no template is rendered in
    the request. Without one (eager Celery), or when the context holds something that
    cannot be stored, the message is rendered here as before."""
    if render_in_task():
        try:
            stored = context_dump(context)
        except Unstorable as exc:
            logger.info("Outbox %s: rendered in the request (%s)", key, exc)
        else:
            # Nothing is rendered here, so no need to look for the key first: the unique
            # key refuses a second row.
            return outbox_enqueue(
                key=key,
                to=to,
                language=language,
                subject="",
                body_text="",
                attachments=attachments,
                template=template,
                context=stored,
            )
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


def outbox_render(email: OutgoingEmail) -> OutgoingEmail:
    """Render a row that waits for it (in its recipient's language) and store the text.

    Raises MissingObject when a row its context refers to is gone."""
    if not email.awaits_rendering:
        return email
    subject, body = render_message(email.template, context_load(email.context), email.language)
    email.subject = subject[:300]
    email.body_text = body
    email.save(update_fields=["subject", "body_text"])
    return email


def outbox_preview(email: OutgoingEmail) -> tuple[str, str]:
    """The subject and body a row is (or will be) sent with: for a row the task has not
    rendered yet, rendered now in its recipient's language, and neither stored nor sent
    (the person's data export). Raises MissingObject when a row its context refers to is
    gone."""
    if not email.awaits_rendering:
        return email.subject, email.body_text
    subject, body = render_message(email.template, context_load(email.context), email.language)
    return subject[:300], body


def outbox_subjects(emails) -> dict[int, str]:
    """{pk: the subject to show} for these rows (the staff's outbox page). The rows the
    task has not rendered yet are worked out together, not stored: their contexts are
    loaded with a query per model referenced (context_load_many), whatever their number."""
    subjects = {email.pk: email.subject for email in emails}
    # Not `awaits_rendering`: the page defers the bodies, and reading one is a query a row.
    waiting = [email for email in emails if not email.subject and email.template]
    for email, context in zip(
        waiting, context_load_many([email.context for email in waiting]), strict=True
    ):
        if isinstance(context, MissingObject):
            continue  # what the mail was about is gone: the task will mark it failed
        subjects[email.pk] = render_subject(email.template, context, email.language)[:300]
    return subjects


# The most rows not rendered yet whose subjects one search of the outbox page works out.
SEARCH_WORKOUT_LIMIT = 200


def outbox_search_unrendered(rows, text: str, *, limit: int | None = None) -> tuple[dict, bool]:
    """({pk: subject}, partial): the rows among `rows` that the send task has not rendered yet
    and whose subject, worked out, contains `text` (in any case), and whether more such rows
    were waiting than were worked out.

    A stored subject is searched by the database; only a row not rendered yet needs the
    work-out, and those are the queue: a few, while the workers keep up. The work is
    bounded all the same: at most `limit` (SEARCH_WORKOUT_LIMIT) of them, the oldest first,
    are worked out (one query for the rows, one per model their contexts refer to). With
    more waiting (the workers down for hours), the newer ones are found by their address
    only until the workers catch up, and `partial` says so for the page to tell: a search
    never renders thousands of subjects in the request."""
    limit = SEARCH_WORKOUT_LIMIT if limit is None else limit
    waiting = list(
        rows.filter(subject="").exclude(template="").order_by("created_at", "pk")[: limit + 1]
    )
    partial = len(waiting) > limit
    needle = text.casefold()
    subjects = {
        pk: subject
        for pk, subject in outbox_subjects(waiting[:limit]).items()
        if subject and needle in subject.casefold()
    }
    return subjects, partial


def unique_key(prefix: str) -> str:
    return f"{prefix}:{uuid.uuid4().hex}"


class _Batch:
    """The rows written in one transaction (and savepoint): one task publish for all."""

    def __init__(self, pk: int):
        self.ids = [pk]
        self.done = False

    def __call__(self):
        self.done = True  # (a test's captured callbacks stay listed after they ran)
        if len(self.ids) == 1:
            _dispatch(self.ids[0])
        else:
            _dispatch_many(self.ids)


def _send_after_commit(pk: int) -> None:
    # robust: nothing after the commit may turn the user's saved change into an error.
    # A row written in the same transaction and savepoint as the previous one joins its
    # callback (a submit writes three: one publish instead of three); the savepoints must
    # match so that a rolled-back savepoint drops exactly its own rows' nudge.
    connection = transaction.get_connection()
    pending = getattr(connection, "run_on_commit", None)
    if connection.in_atomic_block and pending:
        sids, callback, _robust = pending[-1]
        if (
            isinstance(callback, _Batch)
            and not callback.done
            and set(sids) == set(connection.savepoint_ids)
        ):
            callback.ids.append(pk)
            return
    transaction.on_commit(_Batch(pk), robust=True)


def _dispatch_many(ids: list[int]) -> bool:
    try:
        current_app.tasks[SEND_MANY_TASK].delay(ids)
    except Exception as exc:  # noqa: BLE001 - whatever the broker raises, the rows stay
        logger.warning("Outbox %s: could not queue the send task (%r); the sweeper will", ids, exc)
        OutgoingEmail.objects.filter(pk__in=ids, status=OutgoingEmail.Status.QUEUED).update(
            next_attempt_at=clock.now()
        )
        return False
    return True


def _dispatch(pk: int) -> bool:
    """Hand one row to a worker. The row is the guarantee, the task only a nudge: when the
    broker is down (the publish fails fast, see the CELERY_BROKER_* settings) the row is
    made due at once, the sweeper sends it when the broker is back, and the user's saved
    change never turns into an error."""
    try:
        current_app.tasks[SEND_TASK].delay(pk)
    except Exception as exc:  # noqa: BLE001 - whatever the broker raises, the row stays
        logger.warning("Outbox %s: could not queue the send task (%r); the sweeper will", pk, exc)
        OutgoingEmail.objects.filter(pk=pk, status=OutgoingEmail.Status.QUEUED).update(
            next_attempt_at=clock.now()
        )
        return False
    return True


def outbox_send(*, email_id: int) -> OutgoingEmail | None:
    """Send one queued message; on a temporary failure it stays queued for its next attempt.

    Only a QUEUED row is taken: a row in SENDING is another worker's, and sending it here
    too could deliver it twice. If that worker died, the sweeper queues the row again once
    it has been in flight for STUCK_AFTER.
    """
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=email_id, status=OutgoingEmail.Status.QUEUED)
            .first()
        )
        if email is None:
            return None
        email.status = OutgoingEmail.Status.SENDING
        email.attempts += 1
        email.updated_at = clock.now()
        email.save(update_fields=["status", "attempts", "updated_at"])

    try:
        outbox_render(email)
    except MissingObject as exc:
        # What the mail was about was deleted or erased meanwhile: nothing to tell.
        _mark(email, OutgoingEmail.Status.FAILED, str(exc))
        logger.warning("Outbox %s not rendered: %s", email.pk, exc)
        return email
    except Exception as exc:  # noqa: BLE001 - a failed render is an attempt like any other
        logger.exception("Outbox %s: rendering failed", email.pk)
        return _retry_later(email, f"rendering failed: {exc!r}")
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
        return _retry_later(email, repr(exc))
    email.status = OutgoingEmail.Status.SENT
    email.sent_at = clock.now()
    email.updated_at = email.sent_at
    email.next_attempt_at = None
    email.last_error = ""
    email.save(update_fields=["status", "sent_at", "updated_at", "next_attempt_at", "last_error"])
    return email


def _text(answer) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)


def _refused(email, exc, *, temporary, error):
    if temporary:
        return _retry_later(email, error)
    _mark(email, OutgoingEmail.Status.FAILED, error)
    logger.error("Outbox %s refused permanently: %s", email.pk, error)
    return email


def retry_delay(attempts: int) -> timedelta | None:
    """The wait after the `attempts`-th failed attempt; None: that was the last one."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS[max(attempts, 1) - 1]


def _retry_later(email, error):
    delay = retry_delay(email.attempts)
    if delay is None:
        _mark(email, OutgoingEmail.Status.FAILED, error)
        logger.error("Outbox %s failed %s times, giving up: %s", email.pk, email.attempts, error)
        return email
    _mark(email, OutgoingEmail.Status.QUEUED, error, wait=delay)
    logger.warning(
        "Outbox %s: attempt %s failed (%s), next in %s", email.pk, email.attempts, error, delay
    )
    return email


def _mark(email, status, error, *, wait=None):
    """Record the outcome of an attempt; `wait`: the time until the next one (none: no
    next attempt)."""
    email.status = status
    email.last_error = error[:2000]
    email.updated_at = clock.now()
    email.next_attempt_at = email.updated_at + wait if wait is not None else None
    email.save(update_fields=["status", "last_error", "updated_at", "next_attempt_at"])


SWEEP_BATCH = 500


def outbox_sweep() -> list[int]:
    """Queue the rows that are due: a retry whose time has come, a row whose task was lost
    (queued for STUCK_AFTER with no attempt time of its own), a row left in SENDING by a
    worker that died (in flight for STUCK_AFTER: it is put back to QUEUED first)."""
    now = clock.now()
    cutoff = now - STUCK_AFTER
    OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENDING, updated_at__lt=cutoff).update(
        status=OutgoingEmail.Status.QUEUED, next_attempt_at=now
    )
    due = Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, updated_at__lt=cutoff)
    ids = list(
        OutgoingEmail.objects.filter(due, status=OutgoingEmail.Status.QUEUED)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    # A task is on its way for each: the next sweeps leave them alone for STUCK_AFTER.
    OutgoingEmail.objects.filter(pk__in=ids).update(next_attempt_at=now + STUCK_AFTER)
    for position, pk in enumerate(ids):
        if not _dispatch(pk):
            # The broker is down: the rest stay due for the next sweep.
            OutgoingEmail.objects.filter(pk__in=ids[position:]).update(next_attempt_at=now)
            return ids[:position]
    return ids


def outbox_resend(*, email_id: int) -> OutgoingEmail | None:
    """Send a queued or failed row again now, with a fresh retry schedule (staff's button).

    Harmless to repeat: a row that is sending or sent is left alone.
    """
    now = clock.now()
    updated = OutgoingEmail.objects.filter(
        pk=email_id, status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.FAILED]
    ).update(status=OutgoingEmail.Status.QUEUED, attempts=0, next_attempt_at=now, updated_at=now)
    if not updated:
        return None
    _send_after_commit(email_id)
    return OutgoingEmail.objects.get(pk=email_id)


def outbox_resend_failed() -> int:
    """Send every failed row again (staff's "send all failed")."""
    ids = list(
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        outbox_resend(email_id=pk)
    return len(ids)


def outbox_backlog() -> dict:
    """What waits in the outbox, for /healthz/ and the staff page: one query (issue 13)."""
    now = clock.now()
    waiting = Q(status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING])
    row = OutgoingEmail.objects.aggregate(
        oldest=Min("created_at", filter=waiting),
        queued=Count("pk", filter=waiting),
        failed=Count("pk", filter=Q(status=OutgoingEmail.Status.FAILED)),
    )
    oldest = row["oldest"]
    return {
        "queued": row["queued"],
        "failed": row["failed"],
        "oldest_queued_seconds": int((now - oldest).total_seconds()) if oldest else 0,
    }
