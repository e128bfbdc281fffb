"""axe-core (WCAG 2.1 A and AA) finds nothing on any page of the interviews, in fi, sv and en.

The applicant's booking, moving and cancelling, and the staff's week calendar, slot
series, reminders, interview notes, booking on behalf and calendar subscription: each
page in each of its states, the ones that show errors included. And the booking can be
made with the keyboard alone.
"""

from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from applications import interviews
from applications.models import Interview, Status
from soske import clock
from soske.users.models import Role
from tests.factories import ApplicationFactory, CohortFactory

from .conftest import LANGUAGES, sign_in, t
from .test_accessibility import assert_lang, person, submit_form_of, submitted_application

pytestmark = pytest.mark.browser


def at_helsinki(days: int, hour: int, minute: int = 0) -> datetime:
    day = clock.helsinki(clock.now()).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=clock.HELSINKI)


def iso_week(moment: datetime) -> str:
    year, week, _day = clock.helsinki(moment).isocalendar()
    return f"{year}-W{week:02d}"


class World:
    """One call with interview slots, and applications in every booking state.

    - `unbooked`: submitted, no interview, free slots to choose from;
    - `movable`: booked three days ahead, so it can still be moved or cancelled;
    - `locked`: booked (by staff) for in a couple of hours, past the 24 h cut-off;
    - `empty`: submitted to a call that has no slots at all.
    """

    def __init__(self, language):
        self.coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
        self.interviewer = person("ilkka@example.org", language, Role.COORDINATOR)
        self.applicant = person("alice@example.org", language, Role.APPLICANT)
        self.cohort = CohortFactory(name="Soske-akatemia 2031")
        self.day = at_helsinki(3, 10)
        free = [at_helsinki(3, h) for h in (9, 10, 11)]
        booked = [at_helsinki(3, 13)]
        soon = [clock.now().replace(second=0, microsecond=0) + timedelta(hours=2)]
        slots = {}
        for starts in (free, booked, soon):
            for slot in interviews.slots_create(
                cohort=self.cohort,
                starts=starts,
                duration_minutes=60,
                location="Kaupungintalo, Helsinki",
                meeting_url="https://meet.example.org/soske",
                interviewers=[self.coordinator, self.interviewer],
                actor=self.coordinator,
            ):
                slots[slot.starts_at] = slot
        self.unbooked = submitted_application(self.cohort, self.applicant, "Vapaala kunta")
        self.movable = submitted_application(self.cohort, self.applicant, "Siirtola kaupunki")
        self.locked = submitted_application(self.cohort, self.applicant, "Lukkola kunta")
        now = clock.now()
        self.movable_interview = interviews.interview_book(
            application=self.movable,
            slot=slots[booked[0]],
            actor=self.applicant,
            at=now,
            attendee_roles=["management", "procurement"],
            attendee_names="Johtaja Testinen, hankintajohtaja",
        )
        self.locked_interview = interviews.interview_book(
            application=self.locked,
            slot=slots[soon[0]],
            actor=self.coordinator,
            at=now,
            staff=True,
        )
        other = CohortFactory(name="Soske-akatemia 2032")
        self.empty = ApplicationFactory(cohort=other, created_by=self.applicant, complete=True)
        self.empty.status = Status.SUBMITTED
        self.empty.submitted_at = now
        self.empty.save(update_fields=["status", "submitted_at"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_applicant_interview_pages(page, context, live_server, axe, language):
    world = World(language)
    sign_in(context, live_server, world.applicant)

    page.goto(f"/applications/{world.unbooked.pk}/interview/")
    assert_lang(page, language)
    assert page.locator("main input[type=radio][name=slot]").count() == 3
    axe.check(page, "booking, free slots")
    submit_form_of(page)  # without choosing a time
    assert page.locator("#error-summary a[href='#id_slot_0']").count() == 1
    assert not world.unbooked.interviews.exists()
    axe.check(page, "booking without a time")

    page.goto(f"/applications/{world.empty.pk}/interview/")
    assert page.locator("main input[type=radio]").count() == 0
    axe.check(page, "booking, no free slots")

    page.goto(f"/applications/{world.movable.pk}/interview/")
    assert page.locator("main textarea[name=reason]").count() == 1
    axe.check(page, "booked, can be moved")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "move without a time")

    page.goto(f"/applications/{world.locked.pk}/interview/")
    assert page.locator("main form[method=post]").count() == 0
    axe.check(page, "booked, past the cut-off")

    page.goto(f"/applications/{world.movable.pk}/interview/cancel/")
    axe.check(page, "cancel")
    submit_form_of(page)  # without a reason
    assert page.locator("#error-summary a[href='#id_reason']").count() == 1
    assert page.locator("#id_reason").get_attribute("aria-invalid") == "true"
    assert Interview.objects.get(pk=world.movable_interview.pk).state == "booked"
    axe.check(page, "cancel without a reason")
    axe.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_interview_pages(page, context, live_server, axe, language):
    world = World(language)
    cohort = world.cohort.pk
    sign_in(context, live_server, world.coordinator)

    page.goto(f"/staff/interviews/?cohort={cohort}&week={iso_week(world.day)}")
    assert_lang(page, language)
    assert page.locator(f"a[href='/staff/interviews/{world.movable_interview.pk}/']").count() == 1
    assert page.locator("form[action$='/delete/']").count() == 3
    axe.check(page, "week calendar")

    page.goto(f"/staff/interviews/slots/new/?cohort={cohort}")
    axe.check(page, "add slots")
    first_day = (clock.helsinki(clock.now()) + timedelta(days=4)).date()
    page.locator("#id_first_day").fill(first_day.isoformat())
    page.locator("#id_last_day").fill((first_day - timedelta(days=1)).isoformat())
    page.locator("#id_location").fill("Kaupungintalo")
    submit_form_of(page)  # and no interviewer chosen
    summary = page.locator("#error-summary")
    assert summary.locator("a[href='#id_last_day']").count() == 1
    assert summary.locator("a[href='#id_interviewers_0']").count() == 1
    axe.check(page, "add slots with errors")

    page.goto(f"/staff/interviews/unbooked/?cohort={cohort}")
    assert page.locator(f"a[href='/staff/applications/{world.unbooked.pk}/']").count() == 1
    axe.check(page, "no interview yet")

    page.goto(f"/staff/interviews/{world.movable_interview.pk}/")
    assert page.locator("main input[type=checkbox][name^=check_]").count() >= 1
    axe.check(page, "interview: application, guide, notes")
    outcome = page.locator("#id_outcome")
    outcome.evaluate("el => el.removeAttribute('maxlength')")
    outcome.fill("x" * 2001)
    submit_form_of(page)
    assert page.locator("#error-summary a[href='#id_outcome']").count() == 1
    axe.check(page, "interview notes with an error")

    page.goto(f"/staff/applications/{world.unbooked.pk}/interview/")
    axe.check(page, "manage: book on behalf")
    submit_form_of(page, containing="input[name=action][value=book]")
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "manage: book on behalf without a time")

    page.goto(f"/staff/applications/{world.movable.pk}/interview/")
    assert page.locator("main input[name=action][value=cancel]").count() == 1
    axe.check(page, "manage: move or cancel")
    page.once("dialog", lambda dialog: dialog.accept())
    submit_form_of(page, containing="input[name=action][value=cancel]")
    # The move form has a "reason" too: the summary leads to the cancel form's own field.
    assert page.locator("#error-summary a[href='#id_cancel_reason']").count() == 1
    assert page.locator("#id_cancel_reason").get_attribute("aria-invalid") == "true"
    assert Interview.objects.get(pk=world.movable_interview.pk).state == "booked"
    axe.check(page, "manage: cancel without a reason")

    page.goto(f"/staff/applications/{world.locked.pk}/interview/")
    axe.check(page, "manage: interview within the cut-off")

    page.goto("/staff/calendar-feed/")
    assert page.locator("#feed-url").count() == 0
    axe.check(page, "calendar subscription, no address")
    submit_form_of(page)
    assert page.locator("#feed-url").count() == 1
    axe.check(page, "calendar subscription with an address")
    axe.assert_clean()


def tab_to(page, target, *, limit=60) -> list[str]:
    """Press Tab until `target` has the focus; what got the focus on the way."""
    passed = []
    for _step in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
        passed.append(page.evaluate("() => document.activeElement.id"))
    expect(target).to_be_focused()
    return passed


def test_a_booking_can_be_made_with_the_keyboard_alone(page, context, live_server):
    world = World("fi")
    sign_in(context, live_server, world.applicant)
    page.goto(f"/applications/{world.unbooked.pk}/interview/")
    radios = page.locator("main input[type=radio][name=slot]")
    submit = page.get_by_role("button", name=t("Book this time"), exact=True)

    # From the top of the page, Tab reaches the times and then the button.
    tab_to(page, radios.first)
    passed = tab_to(page, submit)
    assert "id_attendee_names" in passed
    # Sent without a time: the error summary takes the focus, and its link leads
    # into the group of times.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    expect(summary.locator("a[href='#id_slot_0']")).to_be_focused()
    page.keyboard.press("Enter")
    expect(radios.first).to_be_focused()
    # The arrow keys move between the times and choose one; Tab goes on to the button.
    page.keyboard.press("ArrowDown")
    expect(radios.nth(1)).to_be_focused()
    expect(radios.nth(1)).to_be_checked()
    chosen = radios.nth(1).get_attribute("value")
    tab_to(page, submit)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    interview = world.unbooked.interviews.get()
    assert str(interview.slot_id) == chosen
    assert interview.state == Interview.State.BOOKED
    expect(page.locator("main .alert-info[role=status]")).to_be_visible()
