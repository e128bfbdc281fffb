"""axe-core (WCAG 2.1 A and AA) finds nothing on the coordinators' programme pages, in fi,
sv and en: the cohort without a programme (the seed's pattern, with its error), the
programme, an event's edit page (and its errors), the new event, cancel and invite
confirmations (before and after the release), adding a material (and its error) and
removing one."""

import uuid
from datetime import timedelta

import pytest

from cohorts.models import Organisation, Team, TeamMembership, Track
from soske import clock
from soske.users.models import Role
from tests.factories import CohortFactory
from workshops import programme

from .conftest import LANGUAGES, sign_in
from .test_accessibility import assert_lang, person, submit_form_of

pytestmark = pytest.mark.browser


def world(language):
    coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
    empty = CohortFactory(name="Soske-akatemia 2032")
    cohort = CohortFactory(
        name="Soske-akatemia 2031",
        pre_assignment_text="Tutustu hankintastrategiaanne & tuo se mukaan.",
    )
    cohort.pre_assignment_due = (clock.now() + timedelta(days=20)).date()
    cohort.save()
    team = Team.objects.create(
        cohort=cohort,
        organisation=Organisation.objects.create(name="Espoon kaupunki", business_id="1234567-1"),
        track=Track.EMPLOYMENT,
        created_at=clock.now(),
    )
    TeamMembership.objects.create(
        team=team,
        name="Liisa",
        email="liisa@example.org",
        token=uuid.uuid4(),
        invited_at=clock.now(),
    )
    kickoff_day = (clock.helsinki(clock.now()) + timedelta(days=30)).date()
    events = programme.programme_from_pattern(cohort=cohort, kickoff=kickoff_day, actor=coordinator)
    kickoff = events[0]
    workshop = events[1]
    programme.material_add(
        event=workshop, actor=coordinator, title="Diat", url="https://example.org/diat"
    )
    programme.event_cancel(event=events[3], actor=coordinator)
    return coordinator, empty, cohort, kickoff, workshop


@pytest.mark.parametrize("language", LANGUAGES)
def test_programme_staff_pages(page, context, live_server, axe, language):
    coordinator, empty, cohort, kickoff, workshop = world(language)
    sign_in(context, live_server, coordinator)

    page.goto(f"/staff/programme/cohorts/{empty.pk}/")
    assert_lang(page, language)
    assert page.locator("#id_kickoff").count() == 1
    axe.check(page, "no programme: the seed's pattern")
    submit_form_of(page)  # without a date
    assert page.locator("#error-summary a[href='#id_kickoff']").count() == 1
    axe.check(page, "the seed's pattern without a date")

    page.goto(f"/staff/programme/cohorts/{cohort.pk}/")
    assert page.locator("main table tbody tr").count() == 6
    axe.check(page, "the programme")

    page.goto(f"/staff/programme/events/{workshop.pk}/")
    axe.check(page, "edit an event")
    page.locator("#id_end").fill("08:00")
    submit_form_of(page)
    assert page.locator("#error-summary a[href='#id_end']").count() == 1
    axe.check(page, "edit an event with an error")

    page.goto(f"/staff/programme/cohorts/{cohort.pk}/events/new/")
    axe.check(page, "new event")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "new event with errors")

    page.goto(f"/staff/programme/events/{kickoff.pk}/invite/")
    assert page.locator("main form[method=post]").count() == 0  # not released yet
    axe.check(page, "invite before the release")
    cohort.decisions_released_at = clock.now()
    cohort.save(update_fields=["decisions_released_at"])
    page.goto(f"/staff/programme/events/{kickoff.pk}/invite/")
    assert page.locator("main form[method=post]").count() == 1
    axe.check(page, "invite the kick-off")

    page.goto(f"/staff/programme/events/{workshop.pk}/cancel/")
    axe.check(page, "cancel an event")

    page.goto(f"/staff/programme/events/{workshop.pk}/materials/new/")
    axe.check(page, "add a material")
    page.locator("#id_title").fill("Tyhjä")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "add a material without a link or file")

    material = workshop.materials.get()
    page.goto(f"/staff/programme/materials/{material.pk}/remove/")
    axe.check(page, "remove a material")
    axe.assert_clean()
