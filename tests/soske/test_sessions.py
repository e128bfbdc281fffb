"""soske.users.sessions reads Django's session rows with one plain statement (issue 13): the
same sessions load, expired and unknown ones do not, and nothing else about sessions
changed."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from soske.users.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_setting_names_this_engine():
    assert settings.SESSION_ENGINE == "soske.users.sessions"


def test_a_session_saved_by_django_loads_the_same_in_one_plain_statement():
    django_store = DjangoStore()
    django_store.update({"a": 1, "text": "ääkköset <&>", "nested": {"list": [1, 2]}})
    django_store.save()
    store = SessionStore(django_store.session_key)
    with CaptureQueriesContext(connection) as queries:
        data = store.load()
    assert data == DjangoStore(django_store.session_key).load()
    assert data["text"] == "ääkköset <&>"
    assert len(queries) == 1
    assert queries[0]["sql"].startswith('SELECT "session_data" FROM "django_session"')
    assert store.session_key == django_store.session_key


def test_an_expired_or_unknown_session_loads_empty_and_loses_its_key():
    store = SessionStore()
    store["who"] = "me"
    store.save()
    key = store.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None
    # A moment before the expiry it still loads: the comparison is with the stored moment.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(seconds=30)
    )
    assert SessionStore(key).load() == {"who": "me"}


def test_writing_and_ending_a_session_work_as_before(applicant_client):
    assert applicant_client.get("/applications/").status_code == 200
    key = applicant_client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(key).load()["_auth_user_id"]
    applicant_client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert applicant_client.get("/applications/")["Location"].startswith("/accounts/login/")
