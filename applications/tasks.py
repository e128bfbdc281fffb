from celery import shared_task

from soske import clock

from . import services


@shared_task
def send_draft_reminders():
    return services.send_draft_reminders(at=clock.now())
