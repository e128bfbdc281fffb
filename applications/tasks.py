from celery import shared_task

from soske import clock

from . import services


@shared_task
def send_draft_reminders():
    return services.send_draft_reminders(at=clock.now())


@shared_task
def send_interview_reminders():
    from .interviews import send_interview_reminders as send

    return send(at=clock.now())
