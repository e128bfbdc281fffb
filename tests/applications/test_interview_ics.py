"""The .ics attached to every interview mail, read back with icalendar as a calendar would.

Interviews on Friday 23 October 2026 (summer time, UTC+3) and Monday 26 October 2026
(winter time, UTC+2: the clocks went back in the night of the 25th).
"""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from applications import interviews
from soske import clock
from soske.calendar.models import CalendarFeed
from soske.mail.models import OutgoingEmail

from .interview_world import NOW, hki, interview_cohort, slot_at, submitted_application, utc

ALICE = "alice@example.org"
RITA = "rita.reviewer@example.org"
CECILIA = "cecilia.coordinator@example.org"


@pytest.fixture(autouse=True)
def _before_the_interviews(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with clock.travel(NOW):
        yield


@pytest.fixture(autouse=True)
def _english(applicant, reviewer, coordinator):
    for person in (applicant, reviewer, coordinator):
        person.language = "en"
        person.save(update_fields=["language"])


@pytest.fixture
def icohort(db):
    return interview_cohort()


@pytest.fixture
def application(icohort, applicant):
    return submitted_application(icohort, applicant)


@pytest.fixture
def friday(icohort, reviewer, coordinator):
    return slot_at(icohort, hki(2026, 10, 23, 9), reviewer, coordinator)


@pytest.fixture
def monday(icohort, reviewer, coordinator):
    return slot_at(
        icohort,
        hki(2026, 10, 26, 9),
        reviewer,
        coordinator,
        location="",
        meeting_url="https://meet.example.org/soske-26",
    )


def mail_to(email, template) -> OutgoingEmail:
    return OutgoingEmail.objects.get(key__startswith=f"{template}:", to=email)


def parse(message: OutgoingEmail) -> Calendar:
    (attachment,) = message.attachments
    return Calendar.from_ical(attachment["content"])


def event_of(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def book_move_cancel(application, applicant, first, second):
    interview = interviews.interview_book(
        application=application, slot=first, actor=applicant, at=clock.now()
    )
    interviews.interview_move(interview=interview, slot=second, actor=applicant, at=clock.now())
    interviews.interview_cancel(
        interview=interview, actor=applicant, at=clock.now(), reason="Ei sovi."
    )
    interview.refresh_from_db()
    return interview


def test_the_invitation_carries_the_helsinki_time_zone(application, applicant, friday):
    interviews.interview_book(application=application, slot=friday, actor=applicant, at=clock.now())
    calendar = parse(mail_to(ALICE, "interview_booked"))
    assert calendar["version"] == "2.0"
    assert calendar["prodid"] == "-//Soske//Soske academy//FI"
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["tzid"] == "Europe/Helsinki"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    # The VTIMEZONE alone (what a calendar without tz data reads) gives the right offsets.
    tz = zone.to_tz()
    assert datetime(2026, 10, 23, 9, tzinfo=tz).utcoffset() == timedelta(hours=3)
    assert datetime(2026, 10, 26, 9, tzinfo=tz).utcoffset() == timedelta(hours=2)
    event = event_of(calendar)
    assert event["dtstart"].params["TZID"] == "Europe/Helsinki"
    assert event["dtend"].params["TZID"] == "Europe/Helsinki"
    assert event.decoded("dtstamp") == NOW


def test_uid_stays_sequence_rises_and_the_cancel_says_cancel(
    application, applicant, friday, monday
):
    interview = book_move_cancel(application, applicant, friday, monday)
    assert interview.sequence == 2
    for email in (ALICE, RITA, CECILIA):
        calendars = [
            parse(mail_to(email, t))
            for t in ("interview_booked", "interview_moved", "interview_cancelled")
        ]
        events = [event_of(c) for c in calendars]
        assert [str(e["uid"]) for e in events] == [f"{interview.uid}@soske"] * 3
        assert [e["sequence"] for e in events] == [0, 1, 2]
        assert [str(c["method"]) for c in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
        assert [str(e["status"]) for e in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
        assert [e.decoded("dtstart") for e in events] == [
            utc(2026, 10, 23, 6),
            utc(2026, 10, 26, 7),
            utc(2026, 10, 26, 7),
        ]
        for calendar in calendars:
            assert [z["tzid"] for z in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]


def test_start_and_end_are_right_on_both_sides_of_the_change_to_winter_time(
    application, applicant, friday, monday
):
    interview = interviews.interview_book(
        application=application, slot=friday, actor=applicant, at=clock.now()
    )
    booked = mail_to(ALICE, "interview_booked")
    event = event_of(parse(booked))
    assert event.decoded("dtstart") == utc(2026, 10, 23, 6)
    assert event.decoded("dtend") == utc(2026, 10, 23, 7)
    assert "DTSTART;TZID=Europe/Helsinki:20261023T090000" in booked.attachments[0]["content"]
    assert "23 Oct 2026, 09:00–10:00 (Europe/Helsinki, UTC+03:00)" in booked.body_text

    interviews.interview_move(interview=interview, slot=monday, actor=applicant, at=clock.now())
    moved = mail_to(ALICE, "interview_moved")
    event = event_of(parse(moved))
    assert event.decoded("dtstart") == utc(2026, 10, 26, 7)
    assert event.decoded("dtend") == utc(2026, 10, 26, 8)
    assert "DTSTART;TZID=Europe/Helsinki:20261026T090000" in moved.attachments[0]["content"]
    assert "26 Oct 2026, 09:00–10:00 (Europe/Helsinki, UTC+02:00)" in moved.body_text
    assert str(event["location"]) == "https://meet.example.org/soske-26"


def test_organiser_and_attendees(application, applicant, friday):
    interviews.interview_book(application=application, slot=friday, actor=applicant, at=clock.now())
    for email in (ALICE, RITA, CECILIA):
        event = event_of(parse(mail_to(email, "interview_booked")))
        organizer = event["organizer"]
        assert str(organizer) == "mailto:soske@soske.example"
        assert organizer.params["CN"] == "Soske"
        attendees = event["attendee"]
        assert sorted(str(a) for a in attendees) == [
            f"mailto:{ALICE}",
            f"mailto:{CECILIA}",
            f"mailto:{RITA}",
        ]
        names = {str(a): a.params["CN"] for a in attendees}
        assert names[f"mailto:{ALICE}"] == "Testi Yhteyshenkilö"  # the contact person
        assert str(event["summary"]) == "Soske academy interview: Testilän kaupunki"
        assert str(event["location"]) == "Kaupungintalo, Helsinki"


def test_the_summary_is_in_the_recipients_language(application, applicant, reviewer, friday):
    reviewer.language = "fi"
    reviewer.save(update_fields=["language"])
    interviews.interview_book(application=application, slot=friday, actor=applicant, at=clock.now())
    english = event_of(parse(mail_to(ALICE, "interview_booked")))
    assert str(english["summary"]) == "Soske academy interview: Testilän kaupunki"
    finnish = mail_to(RITA, "interview_booked")
    assert finnish.language == "fi"
    # Same event, whatever the words: one UID for everyone.
    assert event_of(parse(finnish))["uid"] == english["uid"]


def test_the_reminder_states_the_time_with_its_zone(application, applicant, monday):
    interviews.interview_book(application=application, slot=monday, actor=applicant, at=clock.now())
    assert interviews.send_interview_reminders(at=hki(2026, 10, 25, 8)) == 3
    reminder = mail_to(ALICE, "interview-reminder")
    assert "26 Oct 2026, 09:00–10:00 (Europe/Helsinki, UTC+02:00)" in reminder.body_text
    assert "https://meet.example.org/soske-26" in reminder.body_text


def test_the_feed_is_a_calendar_with_the_zone_and_the_cancelled_marked(
    application, applicant, coordinator, anonymous, friday, monday
):
    interview = book_move_cancel(application, applicant, friday, monday)
    again = interviews.interview_book(
        application=application, slot=friday, actor=applicant, at=clock.now()
    )
    feed = CalendarFeed.objects.create(user=coordinator, token="t" * 43, created_at=NOW)
    response = anonymous.get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert "method" not in calendar  # a subscription, not an invitation
    assert [z["tzid"] for z in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"{interview.uid}@soske", f"{again.uid}@soske"}
    cancelled = events[f"{interview.uid}@soske"]
    assert (str(cancelled["status"]), cancelled["sequence"]) == ("CANCELLED", 2)
    assert cancelled.decoded("dtstart") == utc(2026, 10, 26, 7)
    booked = events[f"{again.uid}@soske"]
    assert (str(booked["status"]), booked["sequence"]) == ("CONFIRMED", 0)
    assert booked.decoded("dtstart") == utc(2026, 10, 23, 6)


def test_attendees_are_asked_to_answer_and_the_organiser_has_no_attendee_role():
    from soske.calendar.ics import _address

    attendee = _address("a@example.org", "A")
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["RSVP"] == "TRUE"
    organiser = _address("soske@soske.example", "Soske", attendee=False)
    assert "ROLE" not in organiser.params
