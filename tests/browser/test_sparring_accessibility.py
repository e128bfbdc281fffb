"""axe-core (WCAG 2.1 A and AA) finds nothing on the staff pages of sparring, attendance
and the cohort's teams, in fi, sv and en, their error states included; the attendance
list fits a phone (390 px) without sideways scrolling."""

import os
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from soske import clock
from soske.users.models import Role
from tests.factories import CohortFactory
from tests.workshops.sparring_world import joint_event, slots, sparring_round, team_of
from workshops import attendance, sparring

from .conftest import LANGUAGES, sign_in
from .test_accessibility import assert_lang, person, submit_form_of

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SOSKE_SPARRING_SHOTS", "/tmp/shots-pc"))


def at_helsinki(days: int, hour: int) -> datetime:
    day = clock.helsinki(clock.now()).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=clock.HELSINKI)


class World:
    def __init__(self, language):
        self.coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
        self.cohort = CohortFactory(name="Soske-akatemia 2031")
        first = clock.helsinki(clock.now()).date() + timedelta(days=10)
        self.round = sparring_round(self.cohort, first=(first.year, first.month, first.day))
        booked, self.free = slots(
            self.round,
            self.coordinator,
            datetime.combine(first + timedelta(days=1), time(9), tzinfo=clock.HELSINKI),
            datetime.combine(first + timedelta(days=1), time(12), tzinfo=clock.HELSINKI),
        )
        self.team = team_of(self.cohort, "Siirtola kaupunki", members=3, joined=1)
        self.unbooked = team_of(self.cohort, "Vapaala kunta", members=2)
        self.booking = sparring.sparring_book(
            team=self.team, slot=booked, actor=self.coordinator, at=clock.now()
        )
        self.workshop = joint_event(self.cohort, start=at_helsinki(5, 9))
        ids = list(self.team.memberships.values_list("pk", flat=True))
        attendance.attendance_plan(
            team=self.team, event=self.workshop, membership_ids=ids[:2], actor=self.coordinator
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_sparring_pages(page, context, live_server, axe, language):
    world = World(language)
    sign_in(context, live_server, world.coordinator)

    page.goto(f"/staff/programme/rounds/{world.round.pk}/")
    assert_lang(page, language)
    axe.check(page, "sparring round")
    submit_form_of(page)  # book on a team's behalf without choosing
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "book for a team without a choice")

    page.goto(f"/staff/programme/rounds/{world.round.pk}/slots/new/")
    axe.check(page, "publish slots")
    page.fill("#id_first_day", "2001-01-01")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "publish slots with errors")

    page.goto(f"/staff/programme/bookings/{world.booking.pk}/")
    axe.check(page, "booking notes")
    submit_form_of(page, containing="input[name=action][value=move]")
    assert page.locator("#move-errors").count() == 1
    axe.check(page, "move without a slot")
    axe.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_attendance_and_teams_pages(page, context, live_server, axe, language):
    world = World(language)
    sign_in(context, live_server, world.coordinator)

    page.goto(f"/staff/programme/events/{world.workshop.pk}/attendance/")
    axe.check(page, "attendance list")
    submit_form_of(page)
    assert page.locator(".alert-success").count() == 1
    axe.check(page, "attendance saved")

    page.goto(f"/staff/programme/cohorts/{world.cohort.pk}/attendance/")
    axe.check(page, "attendance matrix")

    page.goto(f"/staff/programme/cohorts/{world.cohort.pk}/teams/")
    axe.check(page, "the cohort's teams")

    page.goto(f"/staff/programme/cohorts/{world.cohort.pk}/teams/{world.team.pk}/members/new/")
    axe.check(page, "add a member")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "add a member with errors")
    axe.assert_clean()


def test_the_attendance_list_fits_a_phone(page, context, live_server):
    world = World("fi")
    sign_in(context, live_server, world.coordinator)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 844})
        for path, name in (
            (f"/staff/programme/events/{world.workshop.pk}/attendance/", "attendance"),
            (f"/staff/programme/rounds/{world.round.pk}/", "round"),
            (f"/staff/programme/cohorts/{world.cohort.pk}/teams/", "teams"),
            (f"/staff/programme/cohorts/{world.cohort.pk}/attendance/", "matrix"),
        ):
            page.goto(path)
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
            # the page's own content never scrolls sideways (at 1366 px the staff navbar of
            # base.html may, with a long e-mail address: not this page's)
            scroll, client = page.evaluate(
                "[document.querySelector('main').scrollWidth,"
                " document.querySelector('main').clientWidth]"
            )
            assert scroll <= client, (name, width, scroll, client)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/staff/programme/events/{world.workshop.pk}/attendance/")
    box = page.locator("main input[name=came]").first.bounding_box()
    assert box["height"] >= 30 and box["width"] >= 30  # WCAG 2.5.5: a big target
    assert page.locator("main input[name=came]:checked").count() == 2
