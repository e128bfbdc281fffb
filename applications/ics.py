"""Interviews as calendar events: the mapping to the kernel's .ics builder and feed."""

from django.utils import translation
from django.utils.translation import gettext as _

from soske.calendar.ics import CalendarEvent, Person, calendar_bytes

from .models import Interview


def interview_event(interview, *, cancelled: bool = False) -> CalendarEvent:
    slot = interview.slot
    application = interview.application
    description = [application.cohort.name]
    if slot.location and slot.meeting_url:
        description.append(slot.location)
    if slot.meeting_url:
        description.append(slot.meeting_url)
    attendees = [Person(p.email, p.get_full_name()) for p in slot.interviewers.all()]
    if application.contact_email:
        attendees.append(Person(application.contact_email, application.contact_name))
    return CalendarEvent(
        uid=f"{interview.uid}@soske",
        sequence=interview.sequence,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=_("Soske academy interview: %(org)s") % {"org": application.org_name or "–"},
        location=slot.meeting_url or slot.location,
        description="\n".join(description),
        attendees=tuple(attendees),
        cancelled=cancelled,
    )


def interview_calendar(interview, *, method: str, language: str) -> bytes:
    """A one-event calendar for an e-mail: METHOD REQUEST or CANCEL."""
    with translation.override(language):
        event = interview_event(interview, cancelled=method == "CANCEL")
        return calendar_bytes([event], method=method)


def interview_feed_events(user):
    """The feed source: a staff member's interviews as interviewer (the cancelled marked
    so), and the interview an applicant's application has booked."""
    if not user.is_authenticated:
        return []
    interviews = Interview.objects.select_related("slot", "application__cohort").prefetch_related(
        "slot__interviewers"
    )
    events = []
    if user.is_soske_staff:
        for interview in interviews.filter(slot__interviewers=user):
            events.append(
                interview_event(interview, cancelled=interview.state == Interview.State.CANCELLED)
            )
    seen = {event.uid for event in events}
    own = interviews.filter(application__members__user=user, state=Interview.State.BOOKED)
    for interview in own.distinct():
        event = interview_event(interview)
        if event.uid not in seen:
            events.append(event)
    return events
