"""Sparring: staff publish slots in a round's window, each team books one, moves or cancels
it until the cut-off (staff at any time), and the sparrer's notes reach the team."""

from datetime import timedelta

import icalendar
import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cohorts.models import Track
from soske import clock
from soske.mail.models import OutgoingEmail
from tests.factories import UserFactory
from tests.queries import page_tables
from workshops import sparring
from workshops.models import SparringBooking, SparringSlot
from workshops.sparring import SparringError
from workshops.sparring_views import BookForm

from .sparring_world import NOW, hki, slots, sparring_round, team_of


@pytest.fixture(autouse=True)
def _now():
    with clock.travel(NOW), translation.override("en"):
        yield


@pytest.fixture
def round(cohort):
    return sparring_round(cohort)


@pytest.fixture
def team(cohort):
    return team_of(cohort, "Kunta A")


@pytest.fixture
def other_team(cohort):
    return team_of(cohort, "Kunta B", track=Track.HUMAN_RIGHTS)


def _ics(row):
    attachment = row.attachments[0]
    return icalendar.Calendar.from_ical(attachment["content"]).walk("VEVENT")[0]


# --- Slots ---------------------------------------------------------------------------


def test_slots_inside_the_window_are_published_with_their_sparrers(round, reviewer):
    created = slots(round, reviewer, hki(2026, 3, 10, 9), hki(2026, 3, 10, 12))
    assert [s.starts_at for s in created] == [hki(2026, 3, 10, 9), hki(2026, 3, 10, 12)]
    assert [s.duration_minutes for s in created] == [120, 120]
    assert list(created[0].sparrers.all()) == [reviewer]


def test_a_slot_outside_the_window_is_refused_and_nothing_is_published(round, reviewer):
    with pytest.raises(SparringError, match="outside the round's window"):
        slots(round, reviewer, hki(2026, 3, 10, 9), hki(2026, 3, 20, 23))
    assert SparringSlot.objects.count() == 0


def test_a_sparrer_cannot_have_two_overlapping_slots(round, reviewer, coordinator):
    slots(round, reviewer, hki(2026, 3, 10, 9))
    with pytest.raises(SparringError) as refusal:
        sparring.slots_create(
            round=round,
            starts=[hki(2026, 3, 10, 10)],
            sparrers=[coordinator, reviewer],
            location="Motiva",
            actor=coordinator,
        )
    assert refusal.value.code == "overlap"
    # another sparrer at the same time is fine
    assert len(slots(round, coordinator, hki(2026, 3, 10, 10))) == 1


def test_a_booked_slot_cannot_be_removed_a_free_one_can(round, reviewer, team):
    booked, free = slots(round, reviewer, hki(2026, 3, 10, 9), hki(2026, 3, 10, 12))
    sparring.sparring_book(team=team, slot=booked, actor=reviewer, at=NOW)
    with pytest.raises(SparringError, match="cancel the booking first"):
        sparring.slot_remove(slot=booked, actor=reviewer)
    sparring.slot_remove(slot=free, actor=reviewer)
    assert list(SparringSlot.objects.values_list("pk", flat=True)) == [booked.pk]


# --- Bookings --------------------------------------------------------------------------


def test_booking_mails_the_members_and_the_sparrer_an_ics_with_a_stable_uid(round, reviewer, team):
    (slot,) = slots(round, reviewer, hki(2026, 3, 10, 9))
    booking = sparring.sparring_book(team=team, slot=slot, actor=reviewer, at=NOW)
    rows = OutgoingEmail.objects.filter(key__startswith="sparring_booked:")
    recipients = sorted(r.to for r in rows)
    assert recipients == sorted([reviewer.email, *team.memberships.values_list("email", flat=True)])
    event = _ics(rows.first())
    assert str(event["UID"]) == f"sparring-{booking.uid}@soske"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == hki(2026, 3, 10, 9)


def test_moving_raises_the_sequence_and_keeps_the_uid(round, reviewer, team):
    first, second = slots(round, reviewer, hki(2026, 3, 10, 9), hki(2026, 3, 11, 9))
    booking = sparring.sparring_book(team=team, slot=first, actor=reviewer, at=NOW)
    moved = sparring.sparring_move(booking=booking, slot=second, actor=reviewer, at=NOW)
    assert (moved.pk, moved.slot_id, moved.sequence) == (booking.pk, second.pk, 1)
    event = _ics(OutgoingEmail.objects.filter(key__startswith="sparring_moved:").first())
    assert str(event["UID"]) == f"sparring-{booking.uid}@soske"
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == hki(2026, 3, 11, 9)


def test_cancelling_sends_a_cancel_and_frees_the_slot(round, reviewer, team, cohort):
    (slot,) = slots(round, reviewer, hki(2026, 3, 10, 9))
    booking = sparring.sparring_book(team=team, slot=slot, actor=reviewer, at=NOW)
    cancelled = sparring.sparring_cancel(booking=booking, actor=reviewer, at=NOW)
    assert (cancelled.state, cancelled.sequence) == (SparringBooking.State.CANCELLED, 1)
    row = OutgoingEmail.objects.filter(key__startswith="sparring_cancelled:").first()
    assert "method=CANCEL" in row.attachments[0]["mimetype"]
    assert str(_ics(row)["STATUS"]) == "CANCELLED"
    another = team_of(cohort, "Kunta C")
    assert sparring.sparring_book(team=another, slot=slot, actor=reviewer, at=NOW).slot == slot


def test_within_the_cutoff_a_team_cannot_book_or_move_but_staff_can(round, reviewer, team):
    soon, later = slots(round, reviewer, hki(2026, 3, 10, 9), hki(2026, 3, 11, 9))
    at = hki(2026, 3, 9, 12)  # 21 hours before the first slot
    with pytest.raises(SparringError, match="within 24 hours"):
        sparring.sparring_book(team=team, slot=soon, actor=reviewer, at=at)
    booking = sparring.sparring_book(team=team, slot=soon, actor=reviewer, at=at, staff=True)
    with pytest.raises(SparringError, match="within 24 hours"):
        sparring.sparring_move(booking=booking, slot=later, actor=reviewer, at=at)
    with pytest.raises(SparringError, match="within 24 hours"):
        sparring.sparring_cancel(booking=booking, actor=reviewer, at=at)
    moved = sparring.sparring_move(booking=booking, slot=later, actor=reviewer, at=at, staff=True)
    assert moved.slot == later


def test_a_round_of_the_other_track_is_refused(cohort, reviewer, other_team):
    round = sparring_round(cohort, audience=Track.EMPLOYMENT)
    (slot,) = slots(round, reviewer, hki(2026, 3, 10, 9))
    with pytest.raises(SparringError, match="other track"):
        sparring.sparring_book(team=other_team, slot=slot, actor=reviewer, at=NOW)
    assert SparringBooking.objects.count() == 0


def test_one_booking_per_team_and_round(round, reviewer, team):
    first, second = slots(round, reviewer, hki(2026, 3, 10, 9), hki(2026, 3, 11, 9))
    sparring.sparring_book(team=team, slot=first, actor=reviewer, at=NOW)
    with pytest.raises(SparringError) as refusal:
        sparring.sparring_book(team=team, slot=second, actor=reviewer, at=NOW)
    assert refusal.value.code == "exists"


def test_a_taken_slot_is_refused_with_the_taken_message(round, reviewer, team, other_team):
    (slot,) = slots(round, reviewer, hki(2026, 3, 10, 9))
    sparring.sparring_book(team=team, slot=slot, actor=reviewer, at=NOW)
    with pytest.raises(SparringError) as refusal:
        sparring.sparring_book(team=other_team, slot=slot, actor=reviewer, at=NOW)
    assert refusal.value.code == "taken"


def test_notes_are_saved_stripped_with_who_and_when(round, reviewer, team):
    (slot,) = slots(round, reviewer, hki(2026, 3, 10, 9))
    booking = sparring.sparring_book(team=team, slot=slot, actor=reviewer, at=NOW)
    saved = sparring.sparring_save_notes(
        booking=booking, notes="  Siivous  ", next_steps="Vuoropuhelu\n", actor=reviewer
    )
    saved.refresh_from_db()
    assert (saved.notes, saved.next_steps, saved.notes_by, saved.notes_at) == (
        "Siivous",
        "Vuoropuhelu",
        reviewer,
        NOW,
    )


# --- Reminders --------------------------------------------------------------------------


def test_unbooked_teams_and_the_reminder_once_a_day(cohort, round, reviewer, team, other_team):
    (slot,) = slots(round, reviewer, hki(2026, 3, 10, 9))
    sparring.sparring_book(team=team, slot=slot, actor=reviewer, at=NOW)
    assert list(sparring.unbooked_teams(round)) == [other_team]
    assert sparring.sparring_remind_unbooked(round=round, actor=reviewer, at=NOW) == 2
    assert sparring.sparring_remind_unbooked(round=round, actor=reviewer, at=NOW) == 0
    tomorrow = NOW + timedelta(days=1)
    assert sparring.sparring_remind_unbooked(round=round, actor=reviewer, at=tomorrow) == 2
    rows = OutgoingEmail.objects.filter(key__startswith="sparring-book-reminder:")
    assert sorted({r.to for r in rows}) == sorted(
        other_team.memberships.values_list("email", flat=True)
    )
    path = reverse("programme:sparring", args=[other_team.pk, round.pk])
    assert path in rows.first().body_text


def test_reminders_7_days_and_1_day_before_once_and_again_after_a_move(round, reviewer, team):
    first, second = slots(round, reviewer, hki(2026, 3, 16, 9), hki(2026, 3, 17, 9))
    booking = sparring.sparring_book(team=team, slot=first, actor=reviewer, at=NOW)
    people = 1 + team.memberships.count()
    seven_before = hki(2026, 3, 9, 10)
    assert sparring.send_sparring_reminders(at=seven_before) == people
    assert sparring.send_sparring_reminders(at=seven_before) == 0  # the schedule ran twice
    one_before = hki(2026, 3, 15, 10)
    assert sparring.send_sparring_reminders(at=one_before) == people
    assert sparring.send_sparring_reminders(at=one_before) == 0
    sparring.sparring_move(booking=booking, slot=second, actor=reviewer, at=one_before, staff=True)
    # the new time is two days away: its 7-day reminder now, its 1-day one the day before
    assert sparring.send_sparring_reminders(at=one_before) == people
    assert sparring.send_sparring_reminders(at=hki(2026, 3, 16, 10)) == people
    assert sparring.send_sparring_reminders(at=hki(2026, 3, 16, 10)) == 0


def test_a_first_run_within_a_day_sends_one_reminder_not_two(round, reviewer, team):
    (slot,) = slots(round, reviewer, hki(2026, 3, 16, 9))
    sparring.sparring_book(team=team, slot=slot, actor=reviewer, at=NOW)
    people = 1 + team.memberships.count()
    assert sparring.send_sparring_reminders(at=hki(2026, 3, 15, 12)) == people
    keys = OutgoingEmail.objects.filter(key__startswith="sparring-reminder:")
    assert {k.split(":")[2] for k in keys.values_list("key", flat=True)} == {"1"}


# --- The staff pages ------------------------------------------------------------------


def test_round_page_shows_slots_bookings_and_unbooked_teams(
    round, reviewer, reviewer_client, team, other_team
):
    booked, free = slots(round, reviewer, hki(2026, 3, 10, 9), hki(2026, 3, 10, 12))
    booking = sparring.sparring_book(team=team, slot=booked, actor=reviewer, at=NOW)
    response = reviewer_client.get(reverse("sparring_staff:round", args=[round.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("sparring_staff:booking", args=[booking.pk]) in body
    assert reverse("sparring_staff:slot_remove", args=[free.pk]) in body
    assert reverse("sparring_staff:slot_remove", args=[booked.pk]) not in body
    assert [t.pk for t in response.context["unbooked"]] == [other_team.pk]


def test_round_page_names_each_slots_sparrers_in_order_and_who_booked_it(
    round, reviewer, reviewer_client, team
):
    reviewer.language = "en"  # the page reads in English
    reviewer.save(update_fields=["language"])
    booked, free = slots(round, reviewer, hki(2026, 3, 10, 9), hki(2026, 3, 10, 12))
    nameless = UserFactory(first_name="", last_name="", email="sparraaja@example.org")
    booked.sparrers.add(nameless)
    booking = sparring.sparring_book(team=team, slot=booked, actor=reviewer, at=NOW)
    body = reviewer_client.get(reverse("sparring_staff:round", args=[round.pk])).content.decode()
    names = f"<td>{reviewer.get_full_name()}, sparraaja@example.org</td>"
    link = f'<td><a href="{reverse("sparring_staff:booking", args=[booking.pk])}">Kunta A</a></td>'
    assert f"{names}\n      {link}" in body
    assert f"<td>{reviewer.get_full_name()}</td>\n      <td>Free</td>" in body


def test_staff_book_on_a_teams_behalf(round, reviewer, reviewer_client, team):
    (slot,) = slots(round, reviewer, hki(2026, 3, 10, 9))
    response = reviewer_client.post(
        reverse("sparring_staff:book", args=[round.pk]), {"team": team.pk, "slot": slot.pk}
    )
    assert response.status_code == 302
    booking = SparringBooking.objects.get()
    assert (booking.team, booking.slot, booking.booked_by) == (team, slot, reviewer)


def test_staff_booking_a_taken_slot_shows_the_taken_message(
    round, reviewer, reviewer_client, team, other_team
):
    reviewer.language = "en"  # the messages read in English
    reviewer.save(update_fields=["language"])
    (slot,) = slots(round, reviewer, hki(2026, 3, 10, 9))
    sparring.sparring_book(team=team, slot=slot, actor=reviewer, at=NOW)
    response = reviewer_client.post(
        reverse("sparring_staff:book", args=[round.pk]), {"team": other_team.pk, "slot": slot.pk}
    )
    assert response.status_code == 200
    assert "Another team booked this slot a moment ago" in response.content.decode()


def test_publishing_slots_with_the_series_form(round, reviewer, reviewer_client):
    response = reviewer_client.post(
        reverse("sparring_staff:slots_new", args=[round.pk]),
        {
            "first_day": "2026-03-10",
            "last_day": "2026-03-11",
            "weekdays": ["1", "2"],
            "day_start": "09:00",
            "day_end": "13:00",
            "duration_minutes": "120",
            "gap_minutes": "0",
            "location": "Motiva",
            "sparrers": [reviewer.pk],
        },
    )
    assert response.status_code == 302
    assert list(SparringSlot.objects.values_list("starts_at", flat=True)) == [
        hki(2026, 3, 10, 9),
        hki(2026, 3, 10, 11),
        hki(2026, 3, 11, 9),
        hki(2026, 3, 11, 11),
    ]


def test_a_day_outside_the_round_is_a_field_error(round, reviewer, reviewer_client):
    response = reviewer_client.post(
        reverse("sparring_staff:slots_new", args=[round.pk]),
        {"first_day": "2026-04-01", "last_day": "2026-04-02", "weekdays": ["1"],
         "day_start": "09:00", "day_end": "13:00", "duration_minutes": "120",
         "gap_minutes": "0", "location": "Motiva", "sparrers": [reviewer.pk]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "first_day" in response.context["form"].errors
    assert SparringSlot.objects.count() == 0


def test_the_reminder_button_reminds_once_a_day(round, reviewer_client, team):
    path = reverse("sparring_staff:remind", args=[round.pk])
    reviewer_client.post(path)
    reviewer_client.post(path)
    assert OutgoingEmail.objects.filter(key__startswith="sparring-book-reminder:").count() == 2


def test_booking_page_saves_notes_moves_and_cancels(round, reviewer, reviewer_client, team):
    first, second = slots(round, reviewer, hki(2026, 3, 10, 9), hki(2026, 3, 11, 9))
    booking = sparring.sparring_book(team=team, slot=first, actor=reviewer, at=NOW)
    path = reverse("sparring_staff:booking", args=[booking.pk])
    reviewer_client.post(path, {"action": "notes", "notes": "Hyvä", "next_steps": "Jatko"})
    reviewer_client.post(path, {"action": "move", "slot": second.pk})
    booking.refresh_from_db()
    assert (booking.notes, booking.next_steps, booking.slot) == ("Hyvä", "Jatko", second)
    reviewer_client.post(path, {"action": "cancel"})
    booking.refresh_from_db()
    assert booking.state == SparringBooking.State.CANCELLED


def _round_queries(client, round):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("sparring_staff:round", args=[round.pk])).status_code == 200
    # Each read once: the round, the teams without a booking (the booking form offers the
    # same list), the slots, their sparrers' names and bookings, the free slots for the form.
    assert page_tables(queries) == [
        '"workshops_event"',
        '"cohorts_team"',
        '"workshops_sparringslot"',
        '"workshops_sparringslot_sparrers"',
        '"workshops_sparringbooking"',
        '"workshops_sparringslot"',
    ]
    return len(queries)


def test_round_page_queries_do_not_grow_with_the_teams(cohort, round, reviewer, reviewer_client):
    def grow(n, first_day):
        starts = [hki(2026, 3, first_day + i // 3, 9 + 3 * (i % 3)) for i in range(n)]
        for i, slot in enumerate(slots(round, reviewer, *starts)):
            team = team_of(cohort, f"Kunta {first_day}-{i}")
            sparring.sparring_book(team=team, slot=slot, actor=reviewer, at=NOW)
            team_of(cohort, f"Kunta {first_day}-{i} ilman")

    grow(1, 9)
    one = _round_queries(reviewer_client, round)
    grow(6, 10)
    assert _round_queries(reviewer_client, round) == one


def test_the_booking_form_offers_the_teams_the_page_read_with_the_same_markup(
    round, reviewer, team, other_team
):
    slots(round, reviewer, hki(2026, 3, 10, 9), hki(2026, 3, 10, 12))
    render = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render
    own_query = render(Context({"form": BookForm(round=round, at=NOW)}))
    teams = list(sparring.unbooked_teams(round))
    with CaptureQueriesContext(connection) as queries:
        given = render(Context({"form": BookForm(round=round, at=NOW, teams=teams)}))
    assert given == own_query
    assert f'<option value="{team.pk}">Kunta A</option>' in given
    assert page_tables(queries) == ['"workshops_sparringslot"', '"users_user"']  # no teams
