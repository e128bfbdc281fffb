"""axe-core (WCAG 2.1 A and AA) finds nothing on the coordinators' deliverables pages, in
fi, sv and en: the overview with its matrix (and at 390 px without sideways scrolling of
the page), the overview of a cohort without assignments, the seed's set, the assignment
form (and its error), reopening (and its error), the remind and peer-phase confirmations,
and the annex builder's list (empty, with items, and with an error)."""

from datetime import timedelta

import pytest
from django.core.files.storage import FileSystemStorage

from deliverables import services
from deliverables.models import Feedback, SubmissionFile
from soske import clock
from soske.users.models import Role
from tests.deliverables.conftest import Teams
from tests.deliverables.world import deliverables_world
from tests.factories import CohortFactory

from .conftest import LANGUAGES, sign_in
from .test_accessibility import assert_lang, person, submit_form_of

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(SubmissionFile._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(Feedback._meta.get_field("file"), "storage", storage)
    return storage


def world(language):
    coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
    cohort = CohortFactory(name="Soske-akatemia 2031")
    teams = Teams(cohort, coordinator)
    work = deliverables_world(
        cohort, teams.team, teams.other_team, coordinator, teams.user, teams.other_user
    )
    services.reopen_for_team(
        assignment=work.open,
        team=teams.other_team,
        until=clock.now() + timedelta(days=30),
        actor=coordinator,
    )
    empty = CohortFactory(name="Soske-akatemia 2032")
    return coordinator, cohort, empty, work


@pytest.mark.parametrize("language", LANGUAGES)
def test_deliverables_staff_pages(page, context, live_server, axe, storage, language):
    coordinator, cohort, empty, work = world(language)
    sign_in(context, live_server, coordinator)
    base = "/staff/work"

    page.goto(f"{base}/cohorts/{cohort.pk}/")
    assert_lang(page, language)
    assert page.locator("main table.deliverables-matrix tbody tr").count() == 2
    assert page.locator("main table.deliverables-matrix .progress-badge").count() > 0
    axe.check(page, "the overview")
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    axe.check(page, "the overview at 390 px")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(f"{base}/cohorts/{empty.pk}/")
    assert page.locator(f"main a[href='{base}/cohorts/{empty.pk}/seed/']").count() == 1
    axe.check(page, "the overview without assignments")
    page.goto(f"{base}/cohorts/{empty.pk}/seed/")
    assert page.locator("main table tbody tr").count() == 6
    axe.check(page, "the seed's set")

    page.goto(f"{base}/cohorts/{cohort.pk}/assignments/new/")
    assert page.locator("main fieldset legend").count() >= 1  # the worksheets
    axe.check(page, "a new assignment")
    page.locator("#id_title_fi").fill("Markkinavuoropuhelu")
    page.locator("#id_opens_at").fill("2031-03-10T09:00")
    page.locator("#id_due_at").fill("2031-03-01T09:00")
    page.locator("#id_cutoff_at").fill("2031-03-12T09:00")
    submit_form_of(page)
    assert page.locator("#error-summary a[href='#id_due_at']").count() == 1
    assert page.locator("#id_title_fi").input_value() == "Markkinavuoropuhelu"
    axe.check(page, "a new assignment with an error")

    page.goto(f"{base}/assignments/{work.open.pk}/")
    axe.check(page, "edit an assignment")

    page.goto(f"{base}/assignments/{work.open.pk}/reopen/")
    assert page.locator("main form[method=post]").count() == 2  # withdraw + reopen
    axe.check(page, "reopen for a team")
    submit_form_of(page)  # without a team or a time
    assert page.locator("#error-summary a[href='#id_team']").count() == 1
    axe.check(page, "reopen with errors")

    page.goto(f"{base}/assignments/{work.pre_assignment.pk}/remind/")
    assert page.locator("main ul li").count() >= 2
    axe.check(page, "remind the teams")

    page.goto(f"{base}/assignments/{work.open.pk}/peer/open/")
    axe.check(page, "open the peer phase")
    page.goto(f"{base}/assignments/{work.development.pk}/peer/open/")
    axe.check(page, "the peer phase already open")

    page.goto(f"{base}/assignments/{work.pre_assignment.pk}/delete/")
    axe.check(page, "remove an assignment")

    page.goto(f"{base}/cohorts/{empty.pk}/annex/")
    axe.check(page, "the annex list, empty")
    page.goto(f"{base}/cohorts/{cohort.pk}/annex/")
    assert page.locator("main ol li").count() == len(services.SEED_CONDUCT_ITEMS)
    axe.check(page, "the annex list")
    page.locator("main ol li button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("#archived-title").count() == 1
    submit_form_of(page)  # the new item without text
    assert page.locator("#error-summary a[href='#id_text_fi']").count() == 1
    axe.check(page, "the annex list with an archived item and an error")
    axe.assert_clean()
