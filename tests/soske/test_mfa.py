"""Staff accounts: a second factor (allauth.mfa) before any signed-in page opens, recovery
codes, the coordinator's reset, staff sessions that end after a working day, signing out
everywhere, and the demo's known secret."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from soske.activity.models import ActivityEntry
from soske.mail.models import OutgoingEmail
from soske.users.mfa import DEMO_TOTP_SECRET, has_second_factor, totp_code
from soske.users.models import Role, User
from tests.conftest import _person, client_for
from tests.factories import TOTP_SECRET, UserFactory, current_code, give_totp

PASSWORD = "correct horse battery"
SETUP = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False


def _sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


# --- enforcement --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/staff/applications/", "/staff/outbox/", "/dashboard/", "/admin/", "/calendar/"]
)
def test_staff_without_an_authenticator_are_sent_to_set_one_up(staff_without_mfa_client, path):
    response = staff_without_mfa_client.get(path)
    assert response.status_code == 302
    assert response["Location"] == SETUP


def test_an_admin_site_user_without_a_role_needs_one_too(db):
    boss = UserFactory(email="root@example.org", is_staff=True, is_superuser=True, totp=False)
    response = client_for(boss).get("/admin/")
    assert response["Location"] == SETUP
    give_totp(boss)
    assert client_for(boss).get("/admin/").status_code == 200


def test_the_setup_logout_language_and_public_pages_stay_open(staff_without_mfa_client, cohort):
    client = staff_without_mfa_client
    # force_login leaves no recent sign-in: allauth asks for the password first
    assert client.get(SETUP)["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("healthz")).status_code in (200, 503)
    assert client.get(reverse("cohorts:home")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "sv"})["Location"] == "/"
    assert client.post(reverse("account_logout"))["Location"] == "/"
    assert client.get("/staff/applications/")["Location"].startswith("/accounts/login/")


def test_applicants_are_not_asked_and_may_turn_it_on_and_off(applicant_client, applicant):
    assert applicant_client.get(reverse("applications:mine")).status_code == 200
    response = applicant_client.get(reverse("mfa_index"))
    assert response.status_code == 200
    assert reverse("mfa_activate_totp") in response.content.decode()
    # the account page leads to the person's own data too
    assert f'href="{reverse("privacy:my_data")}"' in response.content.decode()
    give_totp(applicant)
    page = applicant_client.get(reverse("mfa_index")).content.decode()
    assert reverse("mfa_deactivate_totp") in page


def test_staff_cannot_turn_their_authenticator_off(reviewer):
    client = Client()
    _sign_in(client, reviewer.email)
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    page = client.get(reverse("mfa_index")).content.decode()
    assert reverse("mfa_deactivate_totp") not in page
    assert reverse("usersessions_list") in page
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert has_second_factor(reviewer)


# --- signing in -----------------------------------------------------------------------------


def test_a_staff_member_signs_in_sets_up_the_app_and_gets_recovery_codes(db):
    rita = _person("rita.new@example.org", Role.REVIEWER, language="en", totp=False)
    client = Client()
    response = _sign_in(client, rita.email)
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard"))["Location"] == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # the key, for typing into the app
    wrong = client.post(SETUP, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors == {"code": ["Incorrect code."]}
    response = client.post(SETUP, {"code": totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert set(Authenticator.objects.filter(user=rita).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert len(codes.context["unused_codes"]) == 10
    assert client.get("/staff/applications/").status_code == 200


def test_signing_in_asks_for_the_code_and_a_wrong_one_is_refused(reviewer):
    client = Client()
    response = _sign_in(client, reviewer.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/staff/applications/")["Location"].startswith("/accounts/login/")
    code = current_code()
    wrong_code = code[:-1] + str((int(code[-1]) + 5) % 10)
    wrong = client.post(reverse("mfa_authenticate"), {"code": wrong_code})
    assert wrong.status_code == 200
    assert "code" in wrong.context["form"].errors
    assert client.get("/staff/applications/")["Location"].startswith("/accounts/login/")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response["Location"] == reverse("dashboard")
    assert client.get("/staff/applications/").status_code == 200


def test_the_wrong_code_is_told_in_finnish_and_swedish(reviewer):
    messages = {}
    for language in ("en", "fi", "sv"):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        reviewer.language = language
        reviewer.save(update_fields=["language"])
        _sign_in(client, reviewer.email)
        response = client.post(reverse("mfa_authenticate"), {"code": "00000a"})
        messages[language] = response.context["form"].errors["code"][0]
    assert messages["en"] == "Incorrect code."
    assert messages["fi"] != messages["en"] and messages["sv"] != messages["en"]
    assert messages["fi"] != messages["sv"]


def test_a_recovery_code_signs_in_once(reviewer):
    code = RecoveryCodes.activate(reviewer).get_unused_codes()[0]
    client = Client()
    _sign_in(client, reviewer.email)
    assert client.post(reverse("mfa_authenticate"), {"code": code})["Location"] == "/dashboard/"
    again = Client()
    _sign_in(again, reviewer.email)
    assert again.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200


# --- sessions -----------------------------------------------------------------------------


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_staff_sessions_end_after_a_working_day_without_a_request(reviewer_client):
    reviewer_client.get("/staff/applications/")
    assert settings.STAFF_SESSION_IDLE_SECONDS == 9 * 3600
    assert 9 * 3600 - 60 < reviewer_client.session.get_expiry_age() <= 9 * 3600
    left = _expiry(reviewer_client) - timezone.now()
    assert timedelta(hours=9) - timedelta(minutes=1) < left <= timedelta(hours=9)


def _age_session(client, seconds):
    """Make the staff session's last renewal `seconds` older, as if no page had been opened
    for that long (its stored expiry and the row's move back together)."""
    session = client.session
    expiry = session.get_expiry_date() - timedelta(seconds=seconds)
    session.set_expiry(expiry)
    session.save()
    assert _expiry(client) == expiry


def test_a_staff_page_soon_after_another_writes_no_session(reviewer_client):
    """The idle expiry moves at most every STAFF_SESSION_RENEW_SECONDS: pages in between read
    the session and write nothing (issue 13: a write was 3 statements on every staff page)."""
    from soske.users.middleware import STAFF_SESSION_RENEW_SECONDS

    assert STAFF_SESSION_RENEW_SECONDS == 300
    reviewer_client.get("/staff/applications/")
    before = _expiry(reviewer_client)
    _age_session(reviewer_client, 60)
    aged = _expiry(reviewer_client)
    with CaptureQueriesContext(connection) as queries:
        assert reviewer_client.get("/staff/applications/").status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if "django_session" in s and not s.startswith("SELECT")]
    assert not [s for s in sql if "mfa_authenticator" in s]  # noted in the session
    assert _expiry(reviewer_client) == aged < before


def test_a_staff_page_after_the_renewal_interval_moves_the_expiry(reviewer_client):
    reviewer_client.get("/staff/applications/")
    _age_session(reviewer_client, 301)
    with CaptureQueriesContext(connection) as queries:
        assert reviewer_client.get("/staff/applications/").status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert [s for s in sql if s.startswith("UPDATE") and "django_session" in s]
    assert [s for s in sql if "mfa_authenticator" in s]  # the factor is checked again
    left = _expiry(reviewer_client) - timezone.now()
    assert timedelta(hours=9) - timedelta(minutes=1) < left <= timedelta(hours=9)


def test_a_factor_removed_behind_the_session_is_noticed_at_the_next_renewal(reviewer_client):
    """mfa_reset ends the sessions at once; a factor deleted another way (the admin site)
    sends the staff member to set one up within STAFF_SESSION_RENEW_SECONDS."""
    reviewer = User.objects.get(pk=reviewer_client.session["_auth_user_id"])
    assert reviewer_client.get("/staff/applications/").status_code == 200
    Authenticator.objects.filter(user=reviewer).delete()
    assert reviewer_client.get("/staff/applications/").status_code == 200  # within the window
    _age_session(reviewer_client, 301)
    assert reviewer_client.get("/staff/applications/")["Location"] == SETUP


def test_the_first_staff_page_after_signing_in_writes_no_session(reviewer):
    """Signing in sets the staff expiry and notes the factor: the page after it only reads."""
    client = Client()
    _sign_in(client, reviewer.email)
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    left = _expiry(client) - timezone.now()
    assert timedelta(hours=9) - timedelta(minutes=1) < left <= timedelta(hours=9)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/applications/").status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if "django_session" in s and not s.startswith("SELECT")]
    assert not [s for s in sql if "mfa_authenticator" in s]


def test_others_keep_the_default_session(applicant_client):
    applicant_client.get(reverse("applications:mine"))
    assert applicant_client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert _expiry(applicant_client) - timezone.now() > timedelta(days=13)


def test_sign_out_everywhere_ends_the_other_sessions(reviewer):
    phone, laptop = Client(), Client()
    for client in (phone, laptop):
        _sign_in(client, reviewer.email)
        client.post(reverse("mfa_authenticate"), {"code": current_code()})
        cache.clear()  # allauth refuses a code used once: forget it for the second sign-in
    assert phone.get("/staff/applications/").status_code == 200
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert len(page.context["sessions"]) == 2
    laptop.post(reverse("usersessions_list"))
    assert phone.get("/staff/applications/")["Location"].startswith("/accounts/login/")
    assert laptop.get("/staff/applications/").status_code == 200


# --- the coordinator's reset ------------------------------------------------------------------


def test_a_coordinator_resets_a_lost_second_factor_after_confirming(
    coordinator_client, coordinator, reviewer
):
    RecoveryCodes.activate(reviewer)
    lost_laptop = Client()
    _sign_in(lost_laptop, reviewer.email)
    lost_laptop.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert lost_laptop.get("/staff/applications/").status_code == 200
    url = reverse("staff_accounts:mfa_reset", args=[reviewer.pk])
    page = coordinator_client.get(url)
    assert page.status_code == 200
    assert reviewer.email in page.content.decode()
    assert Authenticator.objects.filter(user=reviewer).count() == 2  # nothing yet
    response = coordinator_client.post(url)
    assert response["Location"] == reverse("staff_accounts:list")
    assert Authenticator.objects.filter(user=reviewer).count() == 0
    entry = ActivityEntry.objects.get(action="account.mfa_reset")
    assert (entry.actor, entry.target_id) == (coordinator, reviewer.pk)
    assert entry.subject == reviewer.email
    assert entry.before == {"authenticators": ["recovery_codes", "totp"]}
    mail = OutgoingEmail.objects.get(to=reviewer.email)
    with translation.override("fi"):
        assert mail.subject == translation.gettext(
            "Soske academy: the second factor of your account was reset"
        )
    assert settings.SITE_URL + SETUP in mail.body_text
    assert lost_laptop.get("/staff/applications/")["Location"].startswith("/accounts/login/")
    assert client_for(reviewer).get("/staff/applications/")["Location"] == SETUP


def test_the_reset_is_refused_for_oneself_and_when_nothing_is_set_up(
    coordinator_client, coordinator, staff_without_mfa
):
    response = coordinator_client.post(
        reverse("staff_accounts:mfa_reset", args=[coordinator.pk]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Et voi nollata omaa toista tunnistautumistasi: käytä palautuskoodia."
    ]
    assert has_second_factor(coordinator)
    response = coordinator_client.post(
        reverse("staff_accounts:mfa_reset", args=[staff_without_mfa.pk]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Tällä tilillä ei ole nollattavaa toista tunnistautumista."
    ]
    assert not ActivityEntry.objects.filter(action="account.mfa_reset").exists()
    assert not OutgoingEmail.objects.exists()


def test_only_coordinators_reset_and_only_staff_accounts(
    reviewer_client, coordinator_client, coordinator, applicant
):
    give_totp(applicant)
    url = reverse("staff_accounts:mfa_reset", args=[coordinator.pk])
    assert reviewer_client.post(url).status_code == 403
    assert has_second_factor(coordinator)
    applicant_url = reverse("staff_accounts:mfa_reset", args=[applicant.pk])
    assert coordinator_client.post(applicant_url).status_code == 404
    assert has_second_factor(applicant)


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("staff_accounts:list"))
    assert response.status_code == 200
    return len(queries), response


def test_the_staff_accounts_list_shows_who_has_a_second_factor_in_constant_queries(
    coordinator_client, coordinator
):
    few, response = _list_queries(coordinator_client)
    assert [(p.email, p.has_totp) for p in response.context["people"]] == [
        (coordinator.email, True)
    ]
    for i in range(6):
        _person(f"staff{i}@example.org", Role.REVIEWER, totp=i % 2 == 0)
    _person("hakija@example.org", Role.APPLICANT)
    many, response = _list_queries(coordinator_client)
    people = {p.email: p.has_totp for p in response.context["people"]}
    assert len(people) == 7
    assert people["staff1@example.org"] is False and people["staff2@example.org"] is True
    assert "hakija@example.org" not in people
    assert many == few


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_staff_have_the_known_secret_and_demo_code_prints_its_code(db):
    call_command("seed_demo", stdout=StringIO())
    staff = User.objects.filter(groups__name__in=["reviewer", "coordinator"]).distinct()
    assert staff.count() >= 3
    for user in staff:
        assert Authenticator.objects.filter(user=user, type="totp").count() == 1
    out = StringIO()
    call_command("demo_code", "koordinaattori@soske.example", stdout=out)
    assert out.getvalue().strip() in {
        totp_code(DEMO_TOTP_SECRET, at=moment)
        for moment in (timezone.now().timestamp(), timezone.now().timestamp() - 30)
    }
    client = Client()
    client.post(
        reverse("account_login"),
        {"login": "koordinaattori@soske.example", "password": "soske-demo-2026"},
    )
    response = client.post(reverse("mfa_authenticate"), {"code": out.getvalue().strip()})
    assert response["Location"] == reverse("dashboard")
    assert TOTP_SECRET != DEMO_TOTP_SECRET


def test_signing_in_with_a_mailed_code_still_asks_for_the_app_code(reviewer):
    client = Client()
    response = client.post(reverse("account_request_login_code"), {"email": reviewer.email})
    assert response["Location"] == reverse("account_confirm_login_code")
    body = OutgoingEmail.objects.get(to=reviewer.email).body_text
    mailed = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": mailed})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/staff/applications/")["Location"].startswith("/accounts/login/")
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert client.get("/staff/applications/").status_code == 200
