"""Keyboard use: the skip link, and the error summary that takes the focus."""

import pytest
from playwright.sync_api import expect

from soske.users.models import Role
from soske.users.roles import grant_role
from tests.factories import ApplicationFactory, CohortFactory, UserFactory

from .conftest import sign_in, t

pytestmark = pytest.mark.browser


def test_first_tab_reaches_the_skip_link_which_moves_to_the_content(page):
    cohort = CohortFactory()
    page.goto(f"/call/{cohort.slug}/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    assert skip.inner_text() == t("Skip to main content")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    expect(page.locator("main")).to_be_focused()


def test_error_summary_takes_the_focus_and_its_links_lead_to_the_fields(page, context, live_server):
    cohort = CohortFactory()
    applicant = UserFactory(email="alice@example.org")
    grant_role(applicant, Role.APPLICANT)
    draft = ApplicationFactory(cohort=cohort, created_by=applicant)
    sign_in(context, live_server, applicant)

    page.goto(f"/applications/{draft.pk}/step/organisation/")
    page.locator("#id_business_id").fill("1234567-8")
    page.get_by_role("button", name=t("Save draft"), exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    # What was typed is kept, and the summary's link goes to the field.
    assert page.locator("#id_business_id").input_value() == "1234567-8"
    page.keyboard.press("Tab")
    link = summary.locator("a[href='#id_business_id']")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_business_id")).to_be_focused()
