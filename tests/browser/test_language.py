"""The language buttons in the header switch the whole page and remember the choice."""

import pytest

from soske.users.models import Role, User
from tests.factories import CohortFactory, UserFactory

from .conftest import sign_in, t

pytestmark = pytest.mark.browser


def switch_to(page, language):
    page.locator(f"header form button[name=language][value={language}]").click()
    page.wait_for_load_state()


def test_anonymous_visitor_switches_language_and_stays_on_the_page(page, context):
    cohort = CohortFactory()
    page.goto(f"/call/{cohort.slug}/")
    assert page.locator("html").get_attribute("lang") == "fi"
    switch_to(page, "sv")
    assert page.url.endswith(f"/call/{cohort.slug}/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("header button[value=sv]").get_attribute("aria-current") == "true"
    cookie = {c["name"]: c["value"] for c in context.cookies()}
    assert cookie["soske_language"] == "sv"
    page.goto("/privacy/")
    assert page.locator("html").get_attribute("lang") == "sv"
    switch_to(page, "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name=t("Privacy notice", "en"), exact=True).count() == 1


def test_signed_in_choice_is_stored_on_the_account(page, context, live_server):
    from soske.users.roles import grant_role

    user = UserFactory(email="alice@example.org", language="fi")
    grant_role(user, Role.APPLICANT)
    sign_in(context, live_server, user)
    page.goto("/applications/")
    assert page.locator("html").get_attribute("lang") == "fi"
    switch_to(page, "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert User.objects.get(pk=user.pk).language == "en"
    assert page.get_by_role("heading", level=1).inner_text() == t("My applications", "en")
