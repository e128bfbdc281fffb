"""The outbox's tasks: they take ids and call the services (services never import tasks)."""

from celery import shared_task

from . import services


@shared_task(name=services.SEND_TASK)
def send_outgoing_email(email_id: int):
    # No Celery retries: a temporary failure leaves the row queued with its next_attempt_at,
    # and the sweeper sends it then (see services.RETRY_DELAYS).
    services.outbox_send(email_id=email_id)


@shared_task(name=services.SEND_MANY_TASK)
def send_outgoing_emails(email_ids: list[int]):
    """The rows one transaction wrote (a submit writes three): sent one after the other."""
    for email_id in email_ids:
        services.outbox_send(email_id=email_id)


@shared_task
def sweep_outbox():
    return len(services.outbox_sweep())
