from celery import shared_task

from . import services


@shared_task(
    bind=True,
    autoretry_for=(services.TemporaryMailError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=services.MAX_ATTEMPTS,
)
def send_outgoing_email(self, email_id: int):
    services.outbox_send(email_id=email_id)


@shared_task
def sweep_outbox():
    return len(services.outbox_sweep())
