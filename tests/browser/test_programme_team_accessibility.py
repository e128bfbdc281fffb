"""axe-core (WCAG 2.1 A and AA) finds nothing on the team's programme pages, in fi, sv and
en: the calendar (list and month), an event page with its attendance plan, and the
sparring booking in each of its states, the ones that show errors included. The month
view and the slot booking work with the keyboard alone, and the month view fits 320 px."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from soske import clock
from soske.users.models import Role
from tests.factories import CohortFactory
from tests.workshops.test_team_pages import Programme
from workshops import programme, sparring
from workshops.models import Material, SparringBooking

from .conftest import LANGUAGES, sign_in, t
from .test_accessibility import assert_lang, person, submit_form_of
from .test_interview_accessibility import tab_to

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def world(language) -> Programme:
    coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
    p = Programme(CohortFactory(name="Soske-akatemia 2031"), coordinator)
    p.user.language = language
    p.user.save(update_fields=["language"])
    programme.event_update(
        event=p.kickoff,
        actor=coordinator,
        location="Säätytalo, Snellmaninkatu 9–11, Helsinki",
        meeting_url="https://meet.example.org/soske-aloitustilaisuus-2031",
        description_fi="Tervetuloa! Esittäytyminen, ohjelma ja ennakkotehtävä.",
    )
    Material.objects.create(
        event=p.kickoff,
        title="Ennakkotehtävän ohje",
        url="https://example.org/ennakkotehtava.pdf",
        added_by=coordinator,
        added_at=clock.now(),
    )
    return p


def month_of(p) -> str:
    return f"{p.kickoff_day:%Y-%m}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_team_calendar_and_event_pages(page, context, live_server, axe, language):
    p = world(language)
    sign_in(context, live_server, p.user)

    page.goto(p.url("calendar"))
    assert_lang(page, language)
    assert page.locator(f"main a[href='{p.url('event_ics', p.kickoff.pk)}']").count() == 1
    axe.check(page, "calendar, list")

    page.goto(p.url("calendar") + f"?view=month&month={month_of(p)}")
    assert page.locator("main table.month-grid thead th").count() == 7
    axe.check(page, "calendar, month")
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    expect(page.locator("main .month-days")).to_be_visible()
    expect(page.locator("main table.month-grid")).to_be_hidden()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    axe.check(page, "calendar, month at 320 px")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(p.url("event", p.kickoff.pk))
    assert page.locator("main input[type=checkbox][name=members]").count() == 2
    axe.check(page, "event")
    page.goto(p.url("event", p.workshop_1.pk))
    assert page.locator("main .alert-warning").count() == 1
    axe.check(page, "workshop 1, employment services missing")
    # A member who is no longer on offer (removed meanwhile): the error summary.
    page.locator("main input[name=members]").first.evaluate(
        "el => { el.value = '999999'; el.checked = true; }"
    )
    submit_form_of(page)
    assert page.locator("#error-summary a[href='#id_members_0']").count() == 1
    axe.check(page, "attendance plan with an error")
    page.goto(p.url("event", p.round.pk))
    axe.check(page, "the sparring round as an event")
    axe.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_team_sparring_pages(page, context, live_server, axe, language):
    p = world(language)
    sign_in(context, live_server, p.user)
    url = p.url("sparring", p.round.pk)

    page.goto(url)
    assert_lang(page, language)
    assert page.locator("main fieldset legend").count() == 1
    assert page.locator("main input[type=radio][name=slot]").count() == 3
    axe.check(page, "sparring, free slots")
    submit_form_of(page)  # without choosing a time
    assert page.locator("#error-summary a[href='#id_slot_0']").count() == 1
    axe.check(page, "sparring without a time")

    # Another team takes the second slot while the page is open.
    page.goto(url)
    p.book(p.slots[1], team=p.other_team)
    page.locator(f"main input[type=radio][value='{p.slots[1].pk}']").check()
    submit_form_of(page)
    expect(page.locator(".alert-danger, .alert-error").first).to_be_visible()
    assert not SparringBooking.objects.filter(team=p.team).exists()
    axe.check(page, "sparring, taken meanwhile")

    page.locator(f"main input[type=radio][value='{p.slots[0].pk}']").check()
    submit_form_of(page)
    booking = SparringBooking.objects.get(team=p.team, state="booked")
    sparring.sparring_save_notes(
        booking=booking,
        notes="Pilotiksi valittiin siivouspalvelut.",
        next_steps="Markkinavuoropuhelu maaliskuussa.",
        actor=p.coordinator,
    )
    page.goto(url)
    assert page.locator("main #notes-title").count() == 1
    axe.check(page, "sparring booked, with notes")

    page.goto(p.url("sparring_cancel", p.round.pk))
    axe.check(page, "cancel the sparring")

    page.goto(p.url("calendar"))
    axe.check(page, "calendar with the sparring")

    with clock.travel(p.slots[0].starts_at - timedelta(hours=2)):
        page.goto(url)
        assert page.locator("main form[method=post]").count() == 0
        axe.check(page, "sparring past the cut-off")
    axe.assert_clean()


def test_the_month_view_works_with_the_keyboard(page, context, live_server):
    p = world("fi")
    sign_in(context, live_server, p.user)
    page.goto(p.url("calendar") + f"?view=month&month={month_of(p)}")
    following = (p.kickoff_day.replace(day=1) + timedelta(days=32)).replace(day=1)
    previous = page.get_by_role("link", name=t("Previous month"), exact=True)
    tab_to(page, previous)
    next_link = page.get_by_role("link", name=t("Next month"), exact=True)
    page.keyboard.press("Tab")
    expect(next_link).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"month={following:%Y-%m}")
    # Back, and on to the kick-off in the grid: Enter opens the event.
    page.goto(p.url("calendar") + f"?view=month&month={month_of(p)}")
    event_link = page.locator(
        f"main td[data-date='{p.kickoff_day.isoformat()}'] a[href='{p.url('event', p.kickoff.pk)}']"
    )
    tab_to(page, event_link, limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(p.url("event", p.kickoff.pk))


def test_a_sparring_can_be_booked_with_the_keyboard_alone(page, context, live_server):
    p = world("fi")
    sign_in(context, live_server, p.user)
    page.goto(p.url("sparring", p.round.pk))
    radios = page.locator("main input[type=radio][name=slot]")
    submit = page.get_by_role("button", name=t("Book this time"), exact=True)
    tab_to(page, radios.first)
    tab_to(page, submit)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    expect(summary.locator("a[href='#id_slot_0']")).to_be_focused()
    page.keyboard.press("Enter")
    expect(radios.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(radios.nth(1)).to_be_focused()
    expect(radios.nth(1)).to_be_checked()
    chosen = radios.nth(1).get_attribute("value")
    tab_to(page, submit)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    booking = SparringBooking.objects.get(team=p.team, state="booked")
    assert str(booking.slot_id) == chosen
    expect(page.locator("main .alert-info")).to_be_visible()
