"""The signed-in user and their roles come in one query (soske.users.backends, issue 13), and
the sessions of the backends used before stay signed in."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soske.users.backends import LEGACY_BACKENDS
from soske.users.models import Role, User
from soske.users.roles import grant_role
from tests.conftest import _person, client_for
from tests.factories import current_code

pytestmark = pytest.mark.django_db


def _sql(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [q["sql"] for q in queries.captured_queries]


def test_signed_in_brings_every_role_and_has_role_asks_no_more(db):
    both = _person("both@example.org", Role.REVIEWER)
    grant_role(both, Role.COORDINATOR)
    nobody = _person("nobody@example.org")
    with CaptureQueriesContext(connection) as queries:
        user = User.objects.signed_in(both.pk)
        assert user.has_role(Role.COORDINATOR) and user.has_role(Role.REVIEWER)
        assert not user.has_role(Role.APPLICANT)
        assert user.is_soske_staff and user.is_coordinator
        plain = User.objects.signed_in(nobody.pk)
        assert not plain.has_role(*Role) and not plain.is_soske_staff
    assert len(queries) == 2  # one per user, none for the roles
    assert User.objects.signed_in(10**9) is None


def test_a_staff_page_reads_the_user_and_the_roles_in_one_query(coordinator_client):
    response, sql = _sql(coordinator_client, "/staff/applications/")
    assert response.status_code == 200
    user_reads = [s for s in sql if s.startswith("SELECT u.*")]
    assert len(user_reads) == 1
    assert 'LEFT JOIN "users_user_groups"' in user_reads[0]
    # The roles were not asked again, by the layout, the rules or the view.
    assert not [s for s in sql if '"auth_group"' in s and s not in user_reads]


def test_a_role_taken_away_counts_at_the_next_request(reviewer):
    client = client_for(reviewer)
    assert client.get("/staff/applications/").status_code == 200
    reviewer.groups.clear()
    assert client.get("/staff/applications/").status_code == 403


def test_a_deactivated_account_is_signed_out(applicant):
    client = client_for(applicant)
    assert client.get("/applications/").status_code == 200
    User.objects.filter(pk=applicant.pk).update(is_active=False)
    assert client.get("/applications/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("old_path", sorted(LEGACY_BACKENDS))
def test_a_session_of_a_backend_used_before_stays_signed_in(reviewer, old_path):
    client = client_for(reviewer)
    session = client.session
    session[BACKEND_SESSION_KEY] = old_path
    session.save()
    assert client.get("/staff/applications/").status_code == 200
    stored = Session.objects.get(session_key=session.session_key).get_decoded()
    assert stored[BACKEND_SESSION_KEY] == LEGACY_BACKENDS[old_path]
    # Rewritten once: the next page finds the new path and writes nothing for it.
    response, sql = _sql(client, "/staff/applications/")
    assert response.status_code == 200
    assert not [s for s in sql if "django_session" in s and not s.startswith("SELECT")]


def test_an_unknown_backend_path_is_still_signed_out(applicant):
    client = client_for(applicant)
    session = client.session
    session[BACKEND_SESSION_KEY] = "somewhere.else.Backend"
    session.save()
    assert client.get("/applications/")["Location"].startswith("/accounts/login/")


def test_signing_in_through_allauth_stores_its_backend_of_ours(reviewer):
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": reviewer.email, "password": "correct horse battery"}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert client.session[BACKEND_SESSION_KEY] == "soske.users.backends.AuthenticationBackend"
    assert client.get("/staff/applications/").status_code == 200


@pytest.mark.parametrize("known", [True, False])
def test_a_failed_sign_in_runs_the_password_hasher_once(applicant, monkeypatch, known):
    """One password backend: with Django's ModelBackend beside allauth's, a wrong password
    (or an unknown address) was hashed by each of them, twice the work of PBKDF2."""
    from django.contrib.auth.hashers import MD5PasswordHasher  # the suite's hasher

    hashed = []  # every hash computed: a check of a password hashes it too (verify)
    encode = MD5PasswordHasher.encode
    monkeypatch.setattr(
        MD5PasswordHasher, "encode", lambda self, *a, **k: hashed.append(1) or encode(self, *a, **k)
    )
    email = applicant.email if known else "nobody@example.org"
    response = Client().post(reverse("account_login"), {"login": email, "password": "wrong 123"})
    assert response.status_code == 200  # the form again, with its error
    # A known address: its password checked; an unknown one: one hash to even out the timing.
    assert len(hashed) == 1


def test_authenticate_takes_the_address_as_email_or_as_username(applicant):
    """What other callers of django.contrib.auth.authenticate pass (the admin's own form
    passes `username`; the admin here signs in through allauth's page)."""
    from django.contrib.auth import authenticate

    for key in ("email", "username"):
        user = authenticate(None, **{key: applicant.email, "password": "correct horse battery"})
        assert user == applicant
        assert user.backend == "soske.users.backends.AuthenticationBackend"
    assert authenticate(None, username=applicant.email, password="wrong") is None
    assert Client().get("/admin/login/")["Location"].startswith(reverse("account_login"))
