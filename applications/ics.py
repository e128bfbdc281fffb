"""iCalendar (.ics) for interviews: invitations, updates, cancellations and feeds."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from soske import clock

PRODID = "-//Soske//Soske academy//FI"


def _address(email, name="", *, attendee=True):
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = vText(name)
    if attendee:
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
    return address


def interview_event(interview, *, cancelled: bool = False) -> Event:
    slot = interview.slot
    application = interview.application
    event = Event()
    event.add("uid", f"{interview.uid}@soske")
    event.add("sequence", interview.sequence)
    event.add("dtstamp", clock.now())
    event.add("dtstart", clock.helsinki(slot.starts_at))
    event.add("dtend", clock.helsinki(slot.ends_at))
    event.add(
        "summary",
        _("Soske academy interview: %(org)s") % {"org": application.org_name or "–"},
    )
    location = slot.meeting_url or slot.location
    if location:
        event.add("location", location)
    description = [application.cohort.name]
    if slot.location and slot.meeting_url:
        description.append(slot.location)
    if slot.meeting_url:
        description.append(slot.meeting_url)
    event.add("description", "\n".join(description))
    event.add(
        "organizer",
        _address(settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip(">"), "Soske", attendee=False),
    )
    for person in slot.interviewers.all():
        event.add("attendee", _address(person.email, person.get_full_name()))
    if application.contact_email:
        event.add("attendee", _address(application.contact_email, application.contact_name))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def interview_calendar(interview, *, method: str, language: str) -> bytes:
    """A one-event calendar for an e-mail: METHOD REQUEST or CANCEL."""
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("method", method)
        calendar.add_component(interview_event(interview, cancelled=method == "CANCEL"))
        calendar.add_missing_timezones()
        return calendar.to_ical()


def feed_calendar(interviews, *, language: str) -> bytes:
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("Soske interviews"))
        for interview in interviews:
            calendar.add_component(
                interview_event(interview, cancelled=interview.state == "cancelled")
            )
        calendar.add_missing_timezones()
        return calendar.to_ical()
