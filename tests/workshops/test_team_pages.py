"""The programme as a team member sees it: the team's calendar (list and month), an event
page with its materials, .ics and attendance plan, and the booking of the organisation's
sparring. And the programme's part of the person's one calendar feed."""

import re
import uuid
from datetime import date, datetime, time, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from cohorts.models import Organisation, Team, TeamMembership, TeamRole, Track
from soske import clock
from soske.mail.models import OutgoingEmail
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.queries import page_tables
from workshops import calendar as programme_calendar
from workshops import programme, sparring
from workshops.models import (
    Attendance,
    Audience,
    EventKind,
    Material,
    SparringBooking,
)
from workshops.templatetags.programme import span


def fi(message, **params) -> str:
    """What the page says in Finnish (the services' messages are translated elsewhere)."""
    with translation.override("fi"):
        text = translation.gettext(message)
        return text % params if params else text


def fi_span(start, end) -> str:
    with translation.override("fi"):
        return span(start, end)


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def helsinki(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.HELSINKI)


def member(team, name, *, role="", user=None, email=None):
    return TeamMembership.objects.create(
        team=team,
        name=name,
        role=role,
        email=email or (user.email if user else f"{uuid.uuid4().hex[:8]}@example.org"),
        user=user,
        token=uuid.uuid4(),
        invited_at=clock.now(),
        joined_at=clock.now() if user else None,
    )


def new_team(cohort, name, track, business_id):
    return Team.objects.create(
        cohort=cohort,
        organisation=Organisation.objects.create(name=name, business_id=business_id),
        track=track,
        created_at=clock.now(),
    )


class Programme:
    """A cohort with an employment-track team (Tiina joined it, its employment-services
    representative Eero is invited) and a human-rights team (Olli); the seed's programme
    with the kick-off in 30 days, a human-rights-only workshop, a cancelled event, and
    sparring round 1 with three free slots."""

    def __init__(self, cohort, coordinator):
        self.cohort = cohort
        self.coordinator = coordinator
        cohort.decisions_released_at = clock.now()
        cohort.save(update_fields=["decisions_released_at"])
        self.team = new_team(cohort, "Työllistäjä kunta", Track.EMPLOYMENT, "1111111-1")
        self.other_team = new_team(cohort, "Oikeudet kaupunki", Track.HUMAN_RIGHTS, "2222222-2")
        self.user = UserFactory(email="tiina@example.org", first_name="Tiina")
        self.other_user = UserFactory(email="olli@example.org", first_name="Olli")
        self.tiina = member(self.team, "Tiina", role=TeamRole.PROCUREMENT, user=self.user)
        self.eero = member(self.team, "Eero", role=TeamRole.EMPLOYMENT_SERVICES)
        self.olli = member(self.other_team, "Olli", user=self.other_user)
        self.kickoff_day = (clock.helsinki(clock.now()) + timedelta(days=30)).date()
        events = programme.programme_from_pattern(
            cohort=cohort, kickoff=self.kickoff_day, actor=coordinator
        )
        self.pattern = events
        self.kickoff = events[0]
        self.workshop_1 = events[1]
        self.round = events[2]
        self.workshop_2 = events[3]
        self.closing = events[5]
        self.human_rights_only = programme.event_create(
            cohort=cohort,
            actor=coordinator,
            kind=EventKind.WORKSHOP,
            audience=Audience.HUMAN_RIGHTS,
            title_fi="Ihmisoikeusklinikka",
            starts_at=helsinki(self.kickoff_day + timedelta(days=1), 9),
            ends_at=helsinki(self.kickoff_day + timedelta(days=1), 11),
        )
        self.cancelled = programme.event_create(
            cohort=cohort,
            actor=coordinator,
            kind=EventKind.WORKSHOP,
            title_fi="Peruttu tilaisuus",
            starts_at=helsinki(self.kickoff_day + timedelta(days=2), 9),
            ends_at=helsinki(self.kickoff_day + timedelta(days=2), 11),
        )
        programme.event_cancel(event=self.cancelled, actor=coordinator)
        day = clock.helsinki(self.round.starts_at).date() + timedelta(days=1)
        self.slots = sparring.slots_create(
            round=self.round,
            starts=[helsinki(day, hour) for hour in (9, 12, 15)],
            sparrers=[coordinator],
            location="Motiva, Helsinki",
            meeting_url="https://meet.example.org/sparraus",
            actor=coordinator,
        )
        self.client = client_for(self.user)
        self.other_client = client_for(self.other_user)

    def url(self, name, *args, team=None):
        return reverse(f"programme:{name}", args=[(team or self.team).pk, *args])

    def book(self, slot, team=None):
        return sparring.sparring_book(
            team=team or self.team, slot=slot, actor=self.coordinator, at=clock.now()
        )


@pytest.fixture
def storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(Material._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def p(cohort, coordinator, storage):
    return Programme(cohort, coordinator)


def event_links(html, team) -> set[int]:
    return {int(pk) for pk in re.findall(rf'href="/team/{team.pk}/events/(\d+)/"', html)}


def cells(html) -> dict[str, str]:
    """The month grid's cells by their date: data-date -> the cell's HTML."""
    return dict(re.findall(r'<td[^>]*data-date="([\d-]+)"[^>]*>(.*?)</td>', html, re.S))


# --- The calendar --------------------------------------------------------------------------


def test_the_calendar_lists_the_live_events_of_the_teams_cohort_and_track(p):
    response = p.client.get(p.url("calendar"))
    assert response.status_code == 200
    html = response.content.decode()
    assert event_links(html, p.team) == {event.pk for event in p.pattern}
    assert "Ihmisoikeusklinikka" not in html
    assert "Peruttu tilaisuus" not in html
    # the other team's calendar has its track's own workshop, and never the cancelled one
    other = p.other_client.get(p.url("calendar", team=p.other_team)).content.decode()
    assert event_links(other, p.other_team) == {e.pk for e in p.pattern} | {p.human_rights_only.pk}


def test_each_event_has_its_time_place_link_materials_and_add_to_calendar(p):
    programme.event_update(
        event=p.kickoff,
        actor=p.coordinator,
        location="Säätytalo, Helsinki",
        meeting_url="https://meet.example.org/aloitus",
    )
    Material.objects.create(
        event=p.kickoff,
        title="Diat",
        url="https://example.org/diat.pdf",
        added_by=p.coordinator,
        added_at=clock.now(),
    )
    html = p.client.get(p.url("calendar")).content.decode()
    assert fi_span(p.kickoff.starts_at, p.kickoff.ends_at) in html
    assert "Säätytalo, Helsinki" in html
    assert 'href="https://meet.example.org/aloitus"' in html
    assert 'href="https://example.org/diat.pdf">Diat</a>' in html
    assert f'href="{p.url("event_ics", p.kickoff.pk)}">Lisää kalenteriin' in html
    # the round without a booking invites to book
    assert f'href="{p.url("sparring", p.round.pk)}">Varaa sparrauksenne' in html


def test_the_calendar_shows_the_teams_sparring_and_the_round_says_its_time(p):
    p.book(p.slots[1])
    html = p.client.get(p.url("calendar")).content.decode()
    assert "Varaa sparrauksenne" not in html.split("Organisaatiokohtainen sparraus 2")[0]
    assert "Sparrauksenne: " + fi_span(p.slots[1].starts_at, p.slots[1].ends_at) in html
    assert f'href="{p.url("sparring_ics", p.round.pk)}"' in html


def test_the_month_view_is_a_grid_from_monday_to_sunday_with_the_events_on_their_days(p):
    first = p.kickoff_day.replace(day=1)
    with clock.travel(helsinki(p.kickoff_day - timedelta(days=3), 12)):
        response = p.client.get(p.url("calendar") + f"?view=month&month={first:%Y-%m}")
    html = response.content.decode()
    headers = re.findall(r'<th scope="col"><abbr title="([^"]+)">', html)
    assert headers == [
        "maanantai",
        "tiistai",
        "keskiviikko",
        "torstai",
        "perjantai",
        "lauantai",
        "sunnuntai",
    ]
    grid = cells(html)
    assert len(grid) % 7 == 0
    assert date.fromisoformat(next(iter(grid))).weekday() == 0
    assert f'/events/{p.kickoff.pk}/"' in grid[p.kickoff_day.isoformat()]
    today = (p.kickoff_day - timedelta(days=3)).isoformat()
    assert re.search(rf'<td[^>]*aria-current="date"[^>]*data-date="{today}"', html)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    assert f'href="?view=month&amp;month={previous:%Y-%m}"' in html
    assert f'href="?view=month&amp;month={following:%Y-%m}"' in html


def test_the_month_view_puts_events_on_their_helsinki_day_across_the_change_to_summer_time(
    p,
):
    # 2027: summer time starts on Sunday 28.3. at 03:00. 00:30 on the Sunday is still
    # the Saturday in UTC, and 00:30 on the Monday is Sunday 21:30 in UTC.
    sunday = programme.event_create(
        cohort=p.cohort,
        actor=p.coordinator,
        kind=EventKind.WORKSHOP,
        title_fi="Yöpaja sunnuntaina",
        starts_at=helsinki(date(2027, 3, 28), 0, 30),
        ends_at=helsinki(date(2027, 3, 28), 5),
    )
    monday = programme.event_create(
        cohort=p.cohort,
        actor=p.coordinator,
        kind=EventKind.WORKSHOP,
        title_fi="Yöpaja maanantaina",
        starts_at=helsinki(date(2027, 3, 29), 0, 30),
        ends_at=helsinki(date(2027, 3, 29), 2),
    )
    assert sunday.starts_at.astimezone(clock.HELSINKI).utcoffset() == timedelta(hours=2)
    assert monday.starts_at.astimezone(clock.HELSINKI).utcoffset() == timedelta(hours=3)
    html = p.client.get(p.url("calendar") + "?view=month&month=2027-03").content.decode()
    grid = cells(html)
    assert "Yöpaja sunnuntaina" in grid["2027-03-28"]
    assert "0.30 Yöpaja sunnuntaina" in grid["2027-03-28"]
    assert "Yöpaja maanantaina" in grid["2027-03-29"]
    assert "0.30 Yöpaja maanantaina" in grid["2027-03-29"]
    assert "Yöpaja" not in grid["2027-03-27"]


def test_a_month_that_is_not_a_month_or_out_of_range_shows_the_current_one(p):
    with clock.travel(helsinki(date(2027, 5, 14), 12)):
        for month in ("2027-13", "9999-12", "0001-01", "2027-05-01", "x"):
            response = p.client.get(p.url("calendar") + f"?view=month&month={month}")
            assert response.status_code == 200
            assert "2027-05-14" in cells(response.content.decode())


@pytest.mark.parametrize("view", ["", "?view=month"])
def test_the_calendar_takes_as_many_queries_with_many_events_and_teams_as_with_one(
    p, cohort, coordinator, view
):
    url = p.url("calendar") + view
    p.book(p.slots[0])  # one event of each kind, and the team's sparring
    p.client.get(url)  # warm up the session and the caches of the first request
    with CaptureQueriesContext(connection) as few:
        assert p.client.get(url).status_code == 200
    for n in range(8):
        team = new_team(cohort, f"Kunta {n}", Track.EMPLOYMENT, f"33333{n:02d}-3")
        member(team, f"Jäsen {n}")
        event = programme.event_create(
            cohort=cohort,
            actor=coordinator,
            kind=EventKind.WORKSHOP,
            title_fi=f"Lisätyöpaja {n}",
            starts_at=helsinki(p.kickoff_day + timedelta(days=n), 13),
            ends_at=helsinki(p.kickoff_day + timedelta(days=n), 15),
        )
        Material.objects.create(
            event=event,
            title=f"Linkki {n}",
            url="https://example.org/",
            added_by=coordinator,
            added_at=clock.now(),
        )
    p.book(p.slots[1], team=Team.objects.get(organisation__name="Kunta 0"))
    p.book(p.slots[2], team=p.other_team)
    with CaptureQueriesContext(connection) as many:
        response = p.client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)
    # The team (its membership known from the same query), the events, their materials for
    # the list only, the team's bookings; the layout's "my team" link asks nothing more.
    materials = ['"workshops_material"'] if not view else []
    assert page_tables(many) == [
        '"cohorts_team"',
        '"workshops_event"',
        *materials,
        '"workshops_sparringbooking"',
    ]


# --- An event ------------------------------------------------------------------------------


def test_the_event_page_has_the_description_time_place_and_materials(p, storage):
    programme.event_update(
        event=p.workshop_1,
        actor=p.coordinator,
        description_fi="Työllistämisen ehdot hankinnoissa.",
        location="Kuntatalo, Helsinki",
    )
    material = Material(
        event=p.workshop_1, title="Ennakkotehtävä", filename="tehtava.pdf",
        added_by=p.coordinator, added_at=clock.now(),
    )  # fmt: skip
    material.file.save("tehtava.pdf", ContentFile(PDF), save=False)
    material.save()
    response = p.client.get(p.url("event", p.workshop_1.pk))
    html = response.content.decode()
    assert "Työllistämisen ehdot hankinnoissa." in html
    assert "Kuntatalo, Helsinki" in html
    download = p.url("material", p.workshop_1.pk, material.pk)
    assert f'href="{download}">Ennakkotehtävä</a>' in html
    file_response = p.client.get(download)
    assert file_response.status_code == 200
    assert b"".join(file_response.streaming_content) == PDF
    assert 'filename="tehtava.pdf"' in file_response["Content-Disposition"]
    assert file_response["X-Content-Type-Options"] == "nosniff"


def test_another_teams_material_address_with_this_teams_event_is_404(p, storage):
    other = programme.event_create(
        cohort=p.cohort, actor=p.coordinator, kind=EventKind.WORKSHOP, title_fi="Muu",
        starts_at=helsinki(p.kickoff_day, 13), ends_at=helsinki(p.kickoff_day, 14),
    )  # fmt: skip
    material = Material.objects.create(
        event=other, title="Muu", url="https://example.org/", added_by=p.coordinator,
        added_at=clock.now(),
    )  # fmt: skip
    assert p.client.get(p.url("material", p.kickoff.pk, material.pk)).status_code == 404


def test_an_event_of_the_other_track_of_another_cohort_or_cancelled_is_404(p, coordinator):
    from tests.factories import CohortFactory

    elsewhere = programme.event_create(
        cohort=CohortFactory(), actor=coordinator, kind=EventKind.WORKSHOP, title_fi="Muualla",
        starts_at=helsinki(p.kickoff_day, 9), ends_at=helsinki(p.kickoff_day, 10),
    )  # fmt: skip
    for event in (p.human_rights_only, p.cancelled, elsewhere):
        assert p.client.get(p.url("event", event.pk)).status_code == 404
        assert p.client.get(p.url("event_ics", event.pk)).status_code == 404
    # the other track's team sees its own workshop
    assert (
        p.other_client.get(p.url("event", p.human_rights_only.pk, team=p.other_team)).status_code
        == 200
    )


def ics_event(response):
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    return event


def test_the_ics_of_an_event_parses_with_its_helsinki_times_uid_and_sequence(p):
    response = p.client.get(p.url("event_ics", p.kickoff.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="soske-{p.kickoff_day}.ics"'
    event = ics_event(response)
    assert str(event["UID"]) == f"{p.kickoff.uid}@soske"
    assert event["SEQUENCE"] == 0
    start = event.decoded("DTSTART")
    assert start == helsinki(p.kickoff_day, 9)
    assert start.tzinfo.key == "Europe/Helsinki" if hasattr(start.tzinfo, "key") else True
    assert event.decoded("DTEND") == helsinki(p.kickoff_day, 11)


def test_the_ics_carries_winter_and_summer_time_and_a_rising_sequence(p):
    # The kick-off (January or February) is winter time, the closing event (April)
    # summer time: 9.00 in Helsinki is 7.00 and 6.00 UTC.
    winter = helsinki(date(2027, 3, 24), 9)
    summer = helsinki(date(2027, 3, 31), 9)
    programme.event_invite(event=p.workshop_2, actor=p.coordinator)
    programme.event_update(
        event=p.workshop_2,
        actor=p.coordinator,
        starts_at=winter,
        ends_at=winter + timedelta(hours=3),
    )
    programme.event_update(
        event=p.closing, actor=p.coordinator, starts_at=summer, ends_at=summer + timedelta(hours=3)
    )
    first = ics_event(p.client.get(p.url("event_ics", p.workshop_2.pk)))
    second = ics_event(p.client.get(p.url("event_ics", p.closing.pk)))
    assert first.decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert first.decoded("DTSTART").astimezone(clock.HELSINKI).hour == 9
    assert second.decoded("DTSTART").utcoffset() == timedelta(hours=3)
    assert second.decoded("DTSTART").astimezone(clock.HELSINKI).hour == 9
    # the invited event changed once: its sequence rose, the uninvited one's did not
    assert first["SEQUENCE"] == 1
    assert second["SEQUENCE"] == 0
    assert str(first["UID"]) == f"{p.workshop_2.uid}@soske"


# --- The attendance plan ------------------------------------------------------------------


def test_the_team_names_who_attends_and_the_page_keeps_it(p):
    url = p.url("event", p.kickoff.pk)
    response = p.client.post(url, {"members": [str(p.tiina.pk)]})
    assert response.status_code == 302
    assert set(
        Attendance.objects.filter(event=p.kickoff, planned=True).values_list(
            "membership_id", flat=True
        )
    ) == {p.tiina.pk}
    html = p.client.get(url).content.decode()
    assert re.search(rf'value="{p.tiina.pk}"[^>]*checked', html)
    assert not re.search(rf'value="{p.eero.pk}"[^>]*checked', html)
    # unticking everyone plans nobody
    p.client.post(url, {"members": []})
    assert not Attendance.objects.filter(event=p.kickoff, planned=True).exists()


def test_a_member_of_another_team_cannot_be_named(p):
    response = p.client.post(p.url("event", p.kickoff.pk), {"members": [str(p.olli.pk)]})
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_the_page_says_when_the_employment_services_representative_is_missing(p):
    notice = "työllisyyspalvelujen edustajaa ei ole nimetty"
    url = p.url("event", p.workshop_1.pk)
    assert notice in p.client.get(url).content.decode()
    assert notice not in p.client.get(p.url("event", p.workshop_2.pk)).content.decode()
    assert notice not in p.client.get(p.url("event", p.kickoff.pk)).content.decode()
    p.client.post(url, {"members": [str(p.tiina.pk), str(p.eero.pk)]})
    assert notice not in p.client.get(url).content.decode()
    # a human-rights team is not expected to bring one
    other = p.other_client.get(p.url("event", p.workshop_1.pk, team=p.other_team))
    assert notice not in other.content.decode()


def test_after_the_start_the_plan_is_read_only(p):
    p.client.post(p.url("event", p.kickoff.pk), {"members": [str(p.tiina.pk)]})
    with clock.travel(p.kickoff.starts_at + timedelta(minutes=5)):
        page = p.client.get(p.url("event", p.kickoff.pk)).content.decode()
        response = p.client.post(p.url("event", p.kickoff.pk), {"members": []}, follow=True)
    assert 'type="checkbox"' not in page
    assert "<li>Tiina (Hankinta-asiantuntija)</li>" in page or "<li>Tiina" in page
    assert "ei voi enää muuttaa" in response.content.decode()
    assert Attendance.objects.get(event=p.kickoff, membership=p.tiina).planned is True


# --- Sparring ------------------------------------------------------------------------------


def test_the_sparring_page_offers_the_free_slots_grouped_by_day(p):
    p.book(p.slots[1], team=p.other_team)
    html = p.client.get(p.url("sparring", p.round.pk)).content.decode()
    assert html.count("<legend") == 1
    radios = re.findall(r'type="radio" name="slot" value="(\d+)"', html)
    assert radios == [str(p.slots[0].pk), str(p.slots[2].pk)]
    assert 'id="id_slot_0"' in html


def test_booking_through_the_page_mails_the_team_and_the_sparrer_an_ics(p):
    response = p.client.post(p.url("sparring", p.round.pk), {"slot": p.slots[0].pk})
    assert response.status_code == 302
    booking = SparringBooking.objects.get(team=p.team, state="booked")
    assert booking.slot == p.slots[0]
    assert booking.booked_by == p.user
    mails = OutgoingEmail.objects.filter(key__startswith=f"sparring_booked:{booking.pk}:")
    assert sorted(m.to for m in mails) == sorted(
        ["cecilia.coordinator@example.org", "tiina@example.org", p.eero.email]
    )
    for mail in mails:
        (attachment,) = mail.attachments
        assert attachment["mimetype"].startswith("text/calendar; method=REQUEST")
        event = Calendar.from_ical(attachment["content"]).walk("VEVENT")[0]
        assert str(event["UID"]) == f"sparring-{booking.uid}@soske"
    page = p.client.get(p.url("sparring", p.round.pk)).content.decode()
    assert "Motiva, Helsinki" in page
    assert 'href="https://meet.example.org/sparraus"' in page


def test_a_double_click_books_once(p):
    url = p.url("sparring", p.round.pk)
    p.client.post(url, {"slot": p.slots[0].pk})
    second = p.client.post(url, {"slot": p.slots[0].pk}, follow=True)
    assert SparringBooking.objects.filter(team=p.team).count() == 1
    assert OutgoingEmail.objects.filter(key__startswith="sparring_booked:").count() == 3
    assert not OutgoingEmail.objects.filter(key__startswith="sparring_moved:").exists()
    assert "Tämä on jo sparrausaikanne." in second.content.decode()


def test_moving_through_the_page_keeps_the_booking_and_sends_the_update(p):
    booking = p.book(p.slots[0])
    response = p.client.post(p.url("sparring", p.round.pk), {"slot": p.slots[2].pk})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.slot == p.slots[2]
    assert booking.sequence == 1
    moved = OutgoingEmail.objects.filter(key__startswith=f"sparring_moved:{booking.pk}:1:")
    assert moved.count() == 3
    event = Calendar.from_ical(moved.first().attachments[0]["content"]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == p.slots[2].starts_at


def test_a_slot_taken_meanwhile_reaches_the_service_and_its_message_is_shown(p):
    url = p.url("sparring", p.round.pk)
    p.client.get(url)  # the page was opened with all three free
    p.book(p.slots[1], team=p.other_team)
    response = p.client.post(url, {"slot": p.slots[1].pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert fi(
        "Another team booked this slot a moment ago. Choose another one from the list."
    ) in html.replace("&#x27;", "'")
    assert not SparringBooking.objects.filter(team=p.team).exists()
    radios = re.findall(r'type="radio" name="slot" value="(\d+)"', html)
    assert radios == [str(p.slots[0].pk), str(p.slots[2].pk)]


def test_booking_without_a_time_shows_the_error(p):
    response = p.client.post(p.url("sparring", p.round.pk), {})
    html = response.content.decode()
    assert 'href="#id_slot_0"' in html
    assert 'aria-invalid="true"' in html
    assert not SparringBooking.objects.exists()


def test_cancelling_asks_first_then_cancels_and_mails_a_cancellation(p):
    booking = p.book(p.slots[0])
    url = p.url("sparring_cancel", p.round.pk)
    page = p.client.get(url)
    assert page.status_code == 200
    assert SparringBooking.objects.get(pk=booking.pk).state == "booked"
    response = p.client.post(url)
    assert response.status_code == 302
    assert SparringBooking.objects.get(pk=booking.pk).state == "cancelled"
    cancelled = OutgoingEmail.objects.filter(key__startswith=f"sparring_cancelled:{booking.pk}:")
    assert cancelled.count() == 3
    assert cancelled.first().attachments[0]["mimetype"].startswith("text/calendar; method=CANCEL")
    # nothing left to cancel
    assert p.client.get(url).status_code == 404


def test_within_the_cut_off_the_page_says_it_can_no_longer_be_changed_here(p):
    booking = p.book(p.slots[0])
    with clock.travel(p.slots[0].starts_at - timedelta(hours=3)):
        html = p.client.get(p.url("sparring", p.round.pk)).content.decode()
        moved = p.client.post(p.url("sparring", p.round.pk), {"slot": p.slots[2].pk})
        cancelled = p.client.post(p.url("sparring_cancel", p.round.pk), follow=True)
    assert "Sparrausta ei voi enää muuttaa täällä." in html
    assert 'type="radio"' not in html
    assert moved.status_code == 302
    refusal = fi(
        "The sparring can no longer be changed here: it starts within %(hours)s hours. "
        "Contact the staff.",
        hours=24,
    )
    assert refusal in cancelled.content.decode()
    booking.refresh_from_db()
    assert (booking.slot, booking.state) == (p.slots[0], "booked")


def test_the_team_reads_its_sparring_notes_and_no_other_team_ever_does(p):
    booking = p.book(p.slots[0])
    other = p.book(p.slots[1], team=p.other_team)
    sparring.sparring_save_notes(
        booking=booking, notes="Pilotiksi siivouspalvelut.", next_steps="Markkinavuoropuhelu.",
        actor=p.coordinator,
    )  # fmt: skip
    sparring.sparring_save_notes(
        booking=other, notes="Toisen tiimin salaisuus.", next_steps="Toisen askeleet.",
        actor=p.coordinator,
    )  # fmt: skip
    own = p.client.get(p.url("sparring", p.round.pk)).content.decode()
    assert "Pilotiksi siivouspalvelut." in own
    assert "Markkinavuoropuhelu." in own
    assert "Toisen tiimin salaisuus." not in own
    for path in (
        p.url("sparring", p.round.pk),
        p.url("calendar"),
        p.url("sparring_ics", p.round.pk),
    ):
        response = p.other_client.get(path)
        assert response.status_code == 404
    theirs = p.other_client.get(p.url("sparring", p.round.pk, team=p.other_team))
    assert "Pilotiksi siivouspalvelut." not in theirs.content.decode()
    assert "Toisen tiimin salaisuus." in theirs.content.decode()


def test_the_sparring_ics_is_the_teams_booking(p):
    booking = p.book(p.slots[0])
    response = p.client.get(p.url("sparring_ics", p.round.pk))
    event = ics_event(response)
    assert str(event["UID"]) == f"sparring-{booking.uid}@soske"
    assert event.decoded("DTSTART") == p.slots[0].starts_at


def test_a_round_of_the_other_track_is_404(p):
    round_hr = programme.event_create(
        cohort=p.cohort, actor=p.coordinator, kind=EventKind.SPARRING_ROUND,
        audience=Audience.HUMAN_RIGHTS, title_fi="Ihmisoikeussparraus",
        starts_at=p.round.starts_at, ends_at=p.round.ends_at,
    )  # fmt: skip
    assert p.client.get(p.url("sparring", round_hr.pk)).status_code == 404
    # and an event that is not a round has no sparring page
    assert p.client.get(p.url("sparring", p.kickoff.pk)).status_code == 404


def test_the_team_page_links_the_calendar(p):
    html = p.client.get(reverse("team:detail", args=[p.team.pk])).content.decode()
    assert f'href="{p.url("calendar")}"' in html


# --- The feed source ----------------------------------------------------------------------


def test_a_members_feed_has_their_events_and_sparring_but_not_the_other_tracks_or_teams(p):
    booking = p.book(p.slots[0])
    other = p.book(p.slots[1], team=p.other_team)
    uids = {entry.uid for entry in programme_calendar.programme_feed(p.user)}
    joint = {f"{e.uid}@soske" for e in p.pattern if e.kind != EventKind.SPARRING_ROUND}
    assert uids == joint | {f"sparring-{booking.uid}@soske"}
    other_uids = {entry.uid for entry in programme_calendar.programme_feed(p.other_user)}
    assert other_uids == joint | {
        f"{p.human_rights_only.uid}@soske",
        f"sparring-{other.uid}@soske",
    }


def test_the_sparrer_has_every_sparring_of_theirs_in_the_feed(p):
    booking = p.book(p.slots[0])
    other = p.book(p.slots[1], team=p.other_team)
    sparring.sparring_cancel(booking=other, actor=p.coordinator, at=clock.now(), staff=True)
    uids = {entry.uid for entry in programme_calendar.programme_feed(p.coordinator)}
    assert uids == {f"sparring-{booking.uid}@soske"}


def test_a_left_team_or_a_moved_event_in_the_feed(p):
    programme.event_invite(event=p.kickoff, actor=p.coordinator)
    programme.event_update(
        event=p.kickoff,
        actor=p.coordinator,
        starts_at=p.kickoff.starts_at + timedelta(hours=1),
        ends_at=p.kickoff.ends_at + timedelta(hours=1),
    )
    entries = {e.uid: e for e in programme_calendar.programme_feed(p.user)}
    assert entries[f"{p.kickoff.uid}@soske"].sequence == 1
    p.team.active = False
    p.team.save(update_fields=["active"])
    assert programme_calendar.programme_feed(p.user) == []


def test_the_first_workshop_is_the_first_of_the_teams_track(p):
    """A human-rights-only workshop earlier in the cohort does not make workshop 1 the
    employment team's second (the service used to count every track's workshops)."""
    from workshops.attendance import missing_employment_services

    assert p.human_rights_only.starts_at < p.workshop_1.starts_at
    assert missing_employment_services(p.team, p.workshop_1, set()) is True
    assert missing_employment_services(p.team, p.workshop_1, {p.eero.pk}) is False
    assert missing_employment_services(p.team, p.human_rights_only, set()) is False


def test_the_my_team_link_asks_no_query_on_a_team_page_and_one_elsewhere(p):
    """The layout shows "My team" to a member; on a team page the team, loaded through the
    member's own scope, already says so (issue 13); elsewhere the layout asks once."""
    home = reverse("team:home")
    for path, asked in ((p.url("calendar"), 0), (reverse("applications:mine"), 1)):
        with CaptureQueriesContext(connection) as queries:
            page = p.client.get(path)
        assert page.status_code == 200
        assert f'href="{home}"' in page.content.decode()
        membership = [q for q in queries if 'FROM "cohorts_teammembership"' in q["sql"]]
        assert len(membership) == asked, path
