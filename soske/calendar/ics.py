"""iCalendar (.ics) from plain event data: invitations, updates, cancellations and feeds.

It knows no app: an app maps its objects to `CalendarEvent` (a stable `uid`, a
`sequence` that rises with each change) and asks for the bytes. Times are written in
Europe/Helsinki with its VTIMEZONE, so a calendar shows them right across DST.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from soske import clock

PRODID = "-//Soske//Soske academy//FI"


@dataclass(frozen=True)
class Person:
    email: str
    name: str = ""


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across changes: "<uuid>@soske"
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    attendees: tuple[Person, ...] = field(default_factory=tuple)
    organizer: Person | None = None  # None: Soske, from DEFAULT_FROM_EMAIL
    cancelled: bool = False


def soske_organizer() -> Person:
    return Person(settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip(">"), "Soske")


def _address(email, name="", *, attendee=True):
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = vText(name)
    if attendee:
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
    return address


def event_component(data: CalendarEvent) -> Event:
    event = Event()
    event.add("uid", data.uid)
    event.add("sequence", data.sequence)
    event.add("dtstamp", clock.now())
    event.add("dtstart", clock.helsinki(data.starts_at))
    event.add("dtend", clock.helsinki(data.ends_at))
    event.add("summary", data.summary)
    if data.location:
        event.add("location", data.location)
    if data.description:
        event.add("description", data.description)
    organizer = data.organizer or soske_organizer()
    event.add("organizer", _address(organizer.email, organizer.name, attendee=False))
    for person in data.attendees:
        event.add("attendee", _address(person.email, person.name))
    event.add("status", "CANCELLED" if data.cancelled else "CONFIRMED")
    return event


def calendar_bytes(events, *, method: str = "", name: str = "") -> bytes:
    """A calendar of `events`: with METHOD REQUEST or CANCEL for a mail, none for a feed."""
    if method not in ("", "REQUEST", "CANCEL"):
        raise ValueError(f"unknown METHOD {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for data in events:
        calendar.add_component(event_component(data))
    calendar.add_missing_timezones()
    return calendar.to_ical()
