"""axe-core finds nothing on the pages of the second factor, in fi, sv and en: setting up the
authenticator app (with a wrong code), the recovery codes, the code asked at sign-in (with a
wrong code), the account's security page, the sessions, and the coordinators' staff
accounts and reset pages. Staff sign in through the form and type the app's code."""

import pytest
from allauth.mfa.models import Authenticator

from soske.users.mfa import totp_code
from soske.users.models import Role
from soske.users.roles import grant_role
from tests.factories import UserFactory, current_code

from .conftest import LANGUAGES, set_language_cookie, sign_in, t
from .test_accessibility import assert_lang, person

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("language", LANGUAGES)]

PASSWORD = "correct horse battery"


def _sign_in_with_password(page, email):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def _submit_code(page, code):
    page.locator("input[name=code]").fill(code)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def _wrong(code):
    return code[:-1] + str((int(code[-1]) + 5) % 10)


def test_setting_up_the_authenticator_app(page, context, live_server, axe, language, settings):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False
    set_language_cookie(context, live_server, language)
    user = UserFactory(email="rita@example.org", language=language)
    grant_role(user, Role.REVIEWER)

    _sign_in_with_password(page, user.email)
    page.goto("/staff/applications/")
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    assert_lang(page, language)
    axe.check(page, "totp activate")

    secret = page.locator("main #authenticator_secret, main input[readonly]").first.input_value()
    _submit_code(page, _wrong(totp_code(secret)))
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    assert page.locator("main .invalid-feedback, main .errorlist, main [id$=_error]").count() > 0
    axe.check(page, "totp activate wrong code")

    _submit_code(page, totp_code(secret))
    assert page.url.endswith("/accounts/2fa/recovery-codes/")
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    axe.check(page, "recovery codes")

    page.goto("/accounts/2fa/")
    axe.check(page, "account security")
    page.goto("/accounts/sessions/")
    axe.check(page, "sessions")
    page.goto("/staff/applications/")
    assert page.url.endswith("/staff/applications/")
    axe.assert_clean()


def test_the_code_asked_at_sign_in(page, context, live_server, axe, language, settings):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False
    set_language_cookie(context, live_server, language)
    user = person("rita@example.org", language, Role.REVIEWER)

    _sign_in_with_password(page, user.email)
    assert page.url.endswith("/accounts/2fa/authenticate/")
    assert_lang(page, language)
    axe.check(page, "authenticate")

    code = current_code()
    _submit_code(page, _wrong(code))
    assert page.url.endswith("/accounts/2fa/authenticate/")
    assert page.get_by_text(t("Incorrect code.", language)).count() >= 1
    axe.check(page, "authenticate wrong code")

    _submit_code(page, code)
    page.goto("/staff/applications/")
    assert page.url.endswith("/staff/applications/")
    axe.assert_clean()


def test_staff_accounts_and_the_reset(page, context, live_server, axe, language):
    coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
    reviewer = person("rita@example.org", "fi", Role.REVIEWER)
    UserFactory(email="uusi@example.org")
    grant_role(UserFactory(email="sami@example.org", totp=False), Role.REVIEWER)
    sign_in(context, live_server, coordinator)

    page.goto("/staff/accounts/")
    assert_lang(page, language)
    assert page.locator("main tbody tr").count() == 3
    axe.check(page, "staff accounts")

    page.goto(f"/staff/accounts/{reviewer.pk}/reset-second-factor/")
    axe.check(page, "reset confirmation")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/staff/accounts/")
    assert not Authenticator.objects.filter(user=reviewer).exists()
    axe.check(page, "staff accounts after reset")
    axe.assert_clean()
