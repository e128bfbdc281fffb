from celery import shared_task

from . import programme, sparring


@shared_task
def send_programme_reminders():
    """Beat: reminders 7 days and 1 day before each event and each booked sparring."""
    return programme.send_event_reminders() + sparring.send_sparring_reminders()


@shared_task
def send_event_invitation(event_id, actor_id):
    """The coordinator's "send invitation": the mails are written here, not in the request.

    Sending twice is harmless: each person gets one mail per version of the event."""
    from django.contrib.auth import get_user_model

    from .models import Event

    event = Event.objects.select_related("cohort").get(pk=event_id)
    actor = get_user_model().objects.filter(pk=actor_id).first()
    try:
        return programme.event_invite(event=event, actor=actor)
    except programme.ProgrammeError:
        # Cancelled (or otherwise refused) since the coordinator pressed the button.
        return 0
