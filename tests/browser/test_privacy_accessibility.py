"""axe-core finds nothing on the personal-data pages in fi, sv and en: a person's own data,
the retention dry run (with rows, refused, after a run) and erasure (search, not found,
confirmation, the confirmation refused)."""

import pytest

from applications.models import Mark
from soske import clock
from soske.privacy.models import RetentionRun
from soske.users.models import Role, User
from tests.privacy.test_retention import AFTER
from tests.privacy.world import application_of, decide, past_cohort

from .conftest import LANGUAGES, sign_in
from .test_accessibility import assert_lang, person

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("language", LANGUAGES)]


def test_my_data_page(page, context, live_server, axe, language):
    sign_in(context, live_server, person("hakija@example.org", language))
    page.goto("/privacy/my-data/")
    assert_lang(page, language)
    assert page.locator("main a[href='/privacy/my-data/download/']").count() == 1
    axe.check(page, "my data")
    axe.assert_clean()


def test_retention_page(page, context, live_server, axe, language):
    coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
    rejected = application_of(
        person("rejected@example.org", language), past_cohort(), org_name="Hylkylä"
    )
    decide(rejected, Mark.NOT_SELECTED, coordinator)
    sign_in(context, live_server, coordinator)
    with clock.travel(AFTER):
        page.goto("/staff/privacy/retention/")
        assert_lang(page, language)
        assert page.locator("main tbody tr").count() == 1
        axe.check(page, "retention dry run")

        page.locator("main button.btn-danger").click()  # without the confirmation
        page.wait_for_load_state()
        assert page.locator(".alert-danger").count() == 1
        assert not RetentionRun.objects.exists()
        axe.check(page, "retention run refused")

        page.locator("input[name=confirm]").check()
        page.locator("main button.btn-danger").click()
        page.wait_for_load_state()
        assert RetentionRun.objects.count() == 1
        axe.check(page, "retention after the run")
    axe.assert_clean()


def test_erasure_pages(page, context, live_server, axe, language):
    sign_in(context, live_server, person("cecilia@example.org", language, Role.COORDINATOR))
    target = person("maija@example.org", language)
    page.goto("/staff/privacy/erase/")
    assert_lang(page, language)
    axe.check(page, "erase search")
    page.goto("/staff/privacy/erase/?email=nobody%40example.org")
    assert page.locator(".error-summary").count() == 1
    axe.check(page, "erase search, nobody found")

    page.goto(f"/staff/privacy/erase/{target.pk}/")
    axe.check(page, "erase confirmation")
    page.locator("main button.btn-danger").click()  # without the confirmation
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert User.objects.get(pk=target.pk).email == "maija@example.org"
    axe.check(page, "erase confirmation refused")
    axe.assert_clean()
