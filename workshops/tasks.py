from celery import shared_task

from . import programme, sparring


@shared_task
def send_programme_reminders():
    """Beat: reminders 7 days and 1 day before each event and each booked sparring."""
    return programme.send_event_reminders() + sparring.send_sparring_reminders()
