"""axe-core (WCAG 2.1 A and AA) finds nothing on any page of the call, in fi, sv and en.

Each test visits a group of pages, including the states that show errors, and
reports every violation of every page at once.
"""

import re
from datetime import timedelta

import pytest

from applications import services
from applications.steps import STEPS
from cohorts.models import Cohort
from soske import clock
from soske.users.models import Role
from tests.factories import ApplicationFactory, CohortFactory, UserFactory

from .conftest import LANGUAGES, set_language_cookie, sign_in, t

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("language", LANGUAGES)]


def person(email, language, role=None):
    """Staff get an activated authenticator app (tests.factories.TOTP_SECRET)."""
    from soske.users.models import STAFF_ROLES
    from soske.users.roles import grant_role

    user = UserFactory(email=email, language=language, totp=role in STAFF_ROLES)
    if role:
        grant_role(user, role)
    return user


def submitted_application(cohort, user, org_name="Testilän kaupunki"):
    application = ApplicationFactory(cohort=cohort, created_by=user, complete=True)
    application.org_name = org_name
    application.save(update_fields=["org_name"])
    services.application_submit(
        application=application,
        actor=user,
        at=clock.now(),
        submit_token="browser-token",
        consent=True,
    )
    application.refresh_from_db()
    return application


def submit_form_of(page, button_value=None, *, containing=None):
    """Submit a form the way a person does: with its (first) submit button.

    `containing` picks the form holding that field; otherwise the last POST form of main.
    """
    forms = page.locator("main form[method=post]")
    if containing:
        form = forms.filter(has=page.locator(containing)).first
    else:
        form = forms.last
    buttons = form.locator("button[type=submit]")
    if button_value:
        buttons = buttons.locator(f"xpath=self::*[@value='{button_value}']")
        buttons.last.click()
    else:
        buttons.first.click()
    page.wait_for_load_state()


def assert_lang(page, language):
    assert page.locator("html").get_attribute("lang") == language


def test_public_pages(page, context, live_server, axe, language):
    now = clock.now()
    open_cohort = CohortFactory(name="Soske-akatemia 2031")
    upcoming = CohortFactory(
        name="Soske-akatemia 2032",
        call_opens_at=now + timedelta(days=30),
        deadline=now + timedelta(days=60),
    )
    closed = CohortFactory(
        name="Soske-akatemia 2029",
        call_opens_at=now - timedelta(days=60),
        deadline=now - timedelta(days=1),
    )
    set_language_cookie(context, live_server, language)
    for cohort, phase in ((open_cohort, "open"), (upcoming, "upcoming"), (closed, "closed")):
        assert cohort.phase_at(now) == phase
        page.goto(f"/call/{cohort.slug}/")
        assert_lang(page, language)
        axe.check(page, f"call page, {phase}")
    page.goto("/")
    axe.check(page, "home page")
    page.goto("/privacy/")
    axe.check(page, "privacy notice")
    page.goto("/accessibility/")
    axe.check(page, "accessibility statement")
    axe.assert_clean()


def test_account_pages(page, context, live_server, axe, language):
    person("olemassa@example.org", language, Role.APPLICANT)
    set_language_cookie(context, live_server, language)

    page.goto("/accounts/login/")
    assert_lang(page, language)
    axe.check(page, "sign in")
    page.locator("input[name=login]").fill("olemassa@example.org")
    page.locator("input[name=password]").fill("wrong password")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "sign in with an error")

    page.goto("/accounts/signup/")
    axe.check(page, "sign up")
    page.locator("input[name=email]").fill("not-an-address")
    page.locator("input[name=password1]").fill("short")
    page.locator("input[name=password2]").fill("different")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    axe.check(page, "sign up with errors")

    page.goto("/accounts/password/reset/")
    axe.check(page, "password reset")
    page.locator("input[name=email]").fill("not-an-address")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "password reset with an error")

    # Signing up leads to the page that asks for the code sent by e-mail.
    page.goto("/accounts/signup/")
    page.locator("input[name=email]").fill(f"uusi-{language}@example.org")
    page.locator("input[name=password1]").fill("Kestava-hankinta-2030!")
    page.locator("input[name=password2]").fill("Kestava-hankinta-2030!")
    submit_form_of(page)
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    assert_lang(page, language)
    axe.check(page, "e-mail verification code")
    page.locator("input[name=code]").fill("WRONG")
    submit_form_of(page, containing="input[name=code]")
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "e-mail verification code with an error")
    axe.assert_clean()


def test_application_form_steps(page, context, live_server, axe, language):
    cohort = CohortFactory()
    applicant = person("alice@example.org", language, Role.APPLICANT)
    draft = ApplicationFactory(cohort=cohort, created_by=applicant)
    sign_in(context, live_server, applicant)

    for step in STEPS:
        url = f"/applications/{draft.pk}/step/{step.slug}/"
        page.goto(url)
        assert_lang(page, language)
        axe.check(page, f"step {step.slug}")
        page.goto(url + "?check=1")
        assert page.locator("#error-summary").count() == 1, step.slug
        axe.check(page, f"step {step.slug}, what is missing (?check=1)")

    # Errors after posting: a malformed business ID, a team member's malformed e-mail.
    page.goto(f"/applications/{draft.pk}/step/organisation/")
    page.locator("#id_business_id").fill("1234567-8")
    page.locator("#id_website").fill("not a link")
    submit_form_of(page, "stay")
    assert page.locator("#error-summary").count() == 1
    assert page.locator("#id_business_id").get_attribute("aria-invalid") == "true"
    axe.check(page, "organisation with errors")

    page.goto(f"/applications/{draft.pk}/step/team/")
    page.locator("#id_team-0-name").fill("Toini Toimiala")
    page.locator("#id_team-0-email").fill("not-an-address")
    submit_form_of(page, "stay")
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "team with errors")
    axe.assert_clean()


def test_applicant_pages(page, context, live_server, axe, language):
    cohort = CohortFactory()
    applicant = person("alice@example.org", language, Role.APPLICANT)
    draft = ApplicationFactory(cohort=cohort, created_by=applicant, org_name="Luonnoslan kunta")
    submitter = person("sam@example.org", language, Role.APPLICANT)
    submitted = submitted_application(cohort, submitter)

    sign_in(context, live_server, applicant)
    page.goto("/applications/")
    assert_lang(page, language)
    axe.check(page, "my applications")

    page.goto(f"/applications/{draft.pk}/review/")
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "preview with its problem list")
    submit_form_of(page)  # without the privacy consent
    assert page.locator("#submit-errors a[href='#id_privacy_consent']").count() == 1
    axe.check(page, "preview after a refused submit")

    page.goto(f"/applications/{draft.pk}/withdraw/")
    axe.check(page, "withdraw confirmation")

    page.goto(f"/applications/{draft.pk}/colleagues/")
    axe.check(page, "colleagues")
    page.locator("input[name=email]").fill("not-an-address")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    axe.check(page, "colleagues with an error")

    page.context.clear_cookies()
    sign_in(context, live_server, submitter)
    page.goto(f"/applications/{submitted.pk}/receipt/1/")
    assert_lang(page, language)
    assert page.get_by_role("heading", level=1).inner_text() == t("Application received", language)
    axe.check(page, "receipt")
    page.goto("/applications/")
    axe.check(page, "my applications, submitted")
    page.goto(f"/applications/{submitted.pk}/review/")
    axe.check(page, "preview of a submitted application")
    axe.assert_clean()


def test_commitment_page(page, context, live_server, axe, language):
    cohort = CohortFactory()
    submitted = submitted_application(cohort, person("sam@example.org", "fi", Role.APPLICANT))
    assert submitted.commitment_requested_at is not None
    set_language_cookie(context, live_server, language)
    page.goto(f"/commitment/{submitted.commitment_token}/")
    assert_lang(page, language)
    axe.check(page, "commitment, to confirm")
    submit_form_of(page)
    submitted.refresh_from_db()
    assert submitted.commitment_confirmed_at is not None
    axe.check(page, "commitment, confirmed")
    axe.assert_clean()


def test_staff_pages(page, context, live_server, axe, language):
    cohort = CohortFactory()
    submitted = submitted_application(cohort, person("sam@example.org", "fi", Role.APPLICANT))
    ApplicationFactory(cohort=cohort, org_name="Luonnoslan kunta")
    coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
    sign_in(context, live_server, coordinator)

    page.goto("/staff/applications/")
    assert_lang(page, language)
    axe.check(page, "staff list")
    page.goto(
        f"/staff/applications/?cohort={cohort.pk}&q=Testil&status=submitted"
        "&track=employment&org_type=municipality&sort=organisation"
    )
    assert page.locator(f"a[href='/staff/applications/{submitted.pk}/']").count() == 1
    axe.check(page, "staff list with filters")
    page.goto(f"/staff/applications/{submitted.pk}/")
    axe.check(page, "staff detail")

    page.goto("/staff/cohorts/")
    axe.check(page, "cohort list")
    page.goto("/staff/cohorts/new/")
    axe.check(page, "new cohort")
    submit_form_of(page)
    assert page.locator("#error-summary").count() == 1
    assert Cohort.objects.count() == 1
    axe.check(page, "new cohort with errors")
    page.goto(f"/staff/cohorts/{cohort.pk}/")
    axe.check(page, "cohort edit")
    page.locator("#id_name").fill("")
    submit_form_of(page)
    # One summary: the criteria and themes, which have no errors, show none.
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#error-summary a[href='#id_name']").count() == 1
    axe.check(page, "cohort edit with errors")
    axe.assert_clean()
