"""The kernel's calendars: the .ics builder from plain event data, and one personal feed
that every app contributes to through the registry.

Times: Friday 23 October 2026 is summer time (UTC+3), Monday 26 October winter time
(UTC+2): Finland turns the clocks back in the night of the 25th.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from applications import interviews
from soske import clock
from soske.calendar import registry
from soske.calendar.ics import CalendarEvent, Person, calendar_bytes
from soske.calendar.models import CalendarFeed
from soske.calendar.services import feed_create
from tests.applications.interview_world import (
    NOW,
    hki,
    interview_cohort,
    messages_of,
    slot_at,
    submitted_application,
    utc,
)
from tests.conftest import client_for


def event(**changes) -> CalendarEvent:
    data = {
        "uid": "kickoff-1@soske",
        "sequence": 0,
        "starts_at": hki(2026, 10, 23, 9),
        "ends_at": hki(2026, 10, 23, 12),
        "summary": "Kick-off",
        "location": "Helsinki, Pasila",
        "description": "Bring the team.",
        "attendees": (Person("alice@example.org", "Alice A"),),
    }
    data.update(changes)
    return CalendarEvent(**data)


def parse(body: bytes):
    calendar = Calendar.from_ical(body)
    return calendar, calendar.walk("VEVENT")


# --- the builder -------------------------------------------------------------------------


def test_times_are_written_in_helsinki_time_right_across_dst():
    summer = event(starts_at=hki(2026, 10, 23, 9), ends_at=hki(2026, 10, 23, 10))
    winter = event(uid="w@soske", starts_at=hki(2026, 10, 26, 9), ends_at=hki(2026, 10, 26, 10))
    body = calendar_bytes([summer, winter])
    calendar, (first, second) = parse(body)
    assert [z["tzid"] for z in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    assert b"DTSTART;TZID=Europe/Helsinki:20261023T090000" in body
    assert b"DTSTART;TZID=Europe/Helsinki:20261026T090000" in body
    assert first.decoded("dtstart") == utc(2026, 10, 23, 6)
    assert second.decoded("dtstart") == utc(2026, 10, 26, 7)
    assert second.decoded("dtend") == utc(2026, 10, 26, 8)


def test_an_invitation_then_an_update_then_a_cancellation_keep_the_uid_and_raise_the_sequence():
    sent = [
        calendar_bytes([event(sequence=0)], method="REQUEST"),
        calendar_bytes([event(sequence=1, starts_at=hki(2026, 10, 26, 9))], method="REQUEST"),
        calendar_bytes([event(sequence=2, cancelled=True)], method="CANCEL"),
    ]
    seen = []
    for body in sent:
        calendar, (only,) = parse(body)
        seen.append((str(calendar["method"]), str(only["uid"]), only["sequence"], only["status"]))
    assert seen == [
        ("REQUEST", "kickoff-1@soske", 0, "CONFIRMED"),
        ("REQUEST", "kickoff-1@soske", 1, "CONFIRMED"),
        ("CANCEL", "kickoff-1@soske", 2, "CANCELLED"),
    ]


def test_attendees_are_asked_to_answer_and_the_organiser_is_soske(settings):
    settings.DEFAULT_FROM_EMAIL = "Soske <soske@soske.example>"
    _calendar, (only,) = parse(calendar_bytes([event()], method="REQUEST"))
    (attendee,) = [only["attendee"]]
    assert str(attendee) == "mailto:alice@example.org"
    assert (
        attendee.params["CN"],
        attendee.params["ROLE"],
        attendee.params["PARTSTAT"],
        attendee.params["RSVP"],
    ) == ("Alice A", "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE")
    assert str(only["organizer"]) == "mailto:soske@soske.example"
    assert only["organizer"].params["CN"] == "Soske"
    assert "ROLE" not in only["organizer"].params
    assert (str(only["summary"]), str(only["location"]), str(only["description"])) == (
        "Kick-off",
        "Helsinki, Pasila",
        "Bring the team.",
    )


def test_a_feed_has_no_method_and_an_unknown_method_is_refused():
    calendar, _events = parse(calendar_bytes([event()], name="Soske"))
    assert "method" not in calendar
    assert str(calendar["x-wr-calname"]) == "Soske"
    with pytest.raises(ValueError):
        calendar_bytes([event()], method="PUBLISH")


# --- the personal feed -------------------------------------------------------------------


@pytest.fixture
def programme_source():
    """A source as the programme app will register: one event for everyone who asks."""

    def source(user):
        return [event(uid=f"kickoff-{user.pk}@soske", summary=f"Kick-off for {user.email}")]

    registry.register_feed_source(source)
    registry.register_feed_source(source)  # registering twice adds it once
    yield source
    registry.unregister_feed_source(source)


@pytest.fixture
def booked(applicant, reviewer):
    with clock.travel(NOW):
        cohort = interview_cohort()
        application = submitted_application(cohort, applicant)
        slot = slot_at(cohort, hki(2026, 10, 26, 9), reviewer)
        interview = interviews.interview_book(
            application=application, slot=slot, actor=applicant, at=clock.now()
        )
    return interview


def feed_uids(client, token):
    response = client.get(reverse("calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    return sorted(str(e["uid"]) for e in Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_feed_holds_the_registered_sources_and_the_interviews(
    anonymous, applicant, reviewer, booked, programme_source
):
    applicant_feed = feed_create(user=applicant)
    reviewer_feed = feed_create(user=reviewer)
    # The applicant sees their own booked interview, the interviewer theirs.
    assert feed_uids(anonymous, applicant_feed.token) == [
        f"{booked.uid}@soske",
        f"kickoff-{applicant.pk}@soske",
    ]
    assert feed_uids(anonymous, reviewer_feed.token) == [
        f"{booked.uid}@soske",
        f"kickoff-{reviewer.pk}@soske",
    ]


def test_someone_elses_interview_is_not_in_my_feed(anonymous, other_applicant, booked):
    feed = feed_create(user=other_applicant)
    assert feed_uids(anonymous, feed.token) == []


def test_the_applicants_cancelled_interview_leaves_the_feed(anonymous, applicant, booked):
    feed = feed_create(user=applicant)
    with clock.travel(NOW):
        interviews.interview_cancel(
            interview=booked, actor=applicant, at=clock.now(), reason="Sairastuminen"
        )
    assert feed_uids(anonymous, feed.token) == []


def test_the_feed_is_in_the_persons_language(anonymous, applicant, booked):
    applicant.language = "sv"
    applicant.save(update_fields=["language"])
    feed = feed_create(user=applicant)
    calendar = Calendar.from_ical(
        anonymous.get(reverse("calendar_feed", args=[feed.token])).content
    )
    assert str(calendar["x-wr-calname"]) == "Soske-kalender"


def test_any_signed_in_person_makes_and_revokes_their_address(applicant, anonymous, booked):
    client = client_for(applicant)
    page = client.get(reverse("calendar_settings"))
    assert page.status_code == 200
    assert page.context["feed"] is None

    response = client.post(reverse("calendar_settings"), {"action": "create"}, follow=True)
    assert response.redirect_chain == [(reverse("calendar_settings"), 302)]
    feed = CalendarFeed.objects.get(user=applicant)
    assert response.context["url"] == f"http://127.0.0.1/calendar/{feed.token}.ics"
    assert feed_uids(anonymous, feed.token) == [f"{booked.uid}@soske"]

    response = client.post(reverse("calendar_settings"), {"action": "revoke"}, follow=True)
    assert messages_of(response) == ["Kalenteriosoite poistettiin käytöstä. Se ei enää toimi."]
    assert anonymous.get(reverse("calendar_feed", args=[feed.token])).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is not None


def test_a_revoked_or_unknown_token_is_404_at_once(anonymous, applicant):
    feed = feed_create(user=applicant)
    newer = feed_create(user=applicant)  # a new address ends the old one
    assert anonymous.get(reverse("calendar_feed", args=[feed.token])).status_code == 404
    assert anonymous.get(reverse("calendar_feed", args=[newer.token])).status_code == 200
    assert anonymous.get(reverse("calendar_feed", args=["x" * 43])).status_code == 404


def test_the_address_page_needs_a_signed_in_person(anonymous):
    response = anonymous.get(reverse("calendar_settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_feed_asks_each_source_once_and_orders_the_events_by_time(
    anonymous, applicant, programme_source
):
    calls = []

    def counting(user):
        calls.append(user.pk)
        return [event(uid=f"e{i}@soske", starts_at=NOW + timedelta(days=i)) for i in range(5)]

    registry.register_feed_source(counting)
    try:
        feed = feed_create(user=applicant)
        uids = feed_uids(anonymous, feed.token)
    finally:
        registry.unregister_feed_source(counting)
    assert calls == [applicant.pk]
    assert len(uids) == 6
    events = Calendar.from_ical(
        anonymous.get(reverse("calendar_feed", args=[feed.token])).content
    ).walk("VEVENT")
    starts = [e.decoded("dtstart") for e in events]
    assert starts == sorted(starts)
