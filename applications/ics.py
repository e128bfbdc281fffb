"""Interviews as calendar events: the mapping to the kernel's .ics builder and feed."""

import re

from django.utils import translation
from django.utils.translation import gettext as _

from soske.calendar.ics import CalendarEvent, Person, calendar_bytes

from .models import AttendeeRole, Interview, TeamRole

# The team role each attendee role of the booking form stands for; the rest are "other".
_ATTENDING_AS = {
    TeamRole.MANAGEMENT: AttendeeRole.MANAGEMENT,
    TeamRole.PROCUREMENT: AttendeeRole.PROCUREMENT,
    TeamRole.LINE_OF_BUSINESS: AttendeeRole.LINE_OF_BUSINESS,
    TeamRole.EMPLOYMENT_SERVICES: AttendeeRole.EMPLOYMENT_SERVICES,
}


def _named(name: str, names: str) -> bool:
    """Whether `name` is one of the free-text `names` (whole words, any case)."""
    name = " ".join(name.split()).casefold()
    if not name:
        return False
    text = " ".join(names.split()).casefold()
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def applicant_attendees(interview) -> list[Person]:
    """The applicant's side of the interview, each address once: the contact person, then
    everyone with an e-mail in the application whom the booking names as attending, by
    role (the manager for "management", team members by their role) or by name.

    Read from the booking and the application at each change, so the move and the
    cancellation reach the people the booking reached (an application is read-only once
    its call has closed).
    """
    application = interview.application
    roles = set(interview.attendee_roles or ())
    names = interview.attendee_names or ""
    candidates = [(application.contact_name, application.contact_email, None)]
    candidates.append((application.manager_name, application.manager_email, TeamRole.MANAGEMENT))
    candidates += [(m.name, m.email, m.role) for m in application.team.all()]
    people, seen = [], set()
    for index, (name, email, role) in enumerate(candidates):
        email = (email or "").strip().lower()
        if not email or email in seen:
            continue
        contact = index == 0
        by_role = role is not None and _ATTENDING_AS.get(role, AttendeeRole.OTHER) in roles
        if contact or by_role or _named(name, names):
            seen.add(email)
            people.append(Person(email, name))
    return people


def interview_event(interview, *, cancelled: bool = False) -> CalendarEvent:
    slot = interview.slot
    application = interview.application
    description = [application.cohort.localized_name]
    if slot.location and slot.meeting_url:
        description.append(slot.location)
    if slot.meeting_url:
        description.append(slot.meeting_url)
    attendees = [Person(p.email, p.get_full_name()) for p in slot.interviewers.all()]
    staff = {person.email.lower() for person in attendees}
    attendees += [p for p in applicant_attendees(interview) if p.email not in staff]
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
