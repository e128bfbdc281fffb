"""Every message of the account forms is translated on the Finnish and Swedish pages:
the same bad input in English and in fi/sv must not give the same words."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

CASES = [
    # (page, what is posted)
    ("account_signup", {"email": "uusi@example.org", "password1": "abc", "password2": "abc"}),
    (
        "account_signup",
        {"email": "uusi@example.org", "password1": "12345678901", "password2": "12345678901"},
    ),  # fmt: skip
    (
        "account_signup",
        {"email": "uusi@example.org", "password1": "password", "password2": "password"},
    ),  # fmt: skip
    ("account_signup", {"email": "ei-osoite", "password1": "x", "password2": "y"}),
    ("account_signup", {"email": "", "password1": "", "password2": ""}),
    ("account_login", {"login": "kuka@example.org", "password": "väärä"}),
    ("account_login", {"login": "", "password": ""}),
    ("account_reset_password", {"email": "ei-osoite"}),
]


def _errors(language, name, data) -> list[str]:
    client = Client()
    client.cookies["soske_language"] = language
    response = client.post(reverse(name), data)
    form = response.context["form"]
    return sorted(str(m) for messages in form.errors.values() for m in messages)


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize(("name", "data"), CASES)
def test_no_message_of_the_account_forms_stays_in_english(db, settings, language, name, data):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False
    UserFactory(email="kuka@example.org")
    english = _errors("en", name, data)
    translated = _errors(language, name, data)
    assert english, "the case gives no error to compare"
    assert len(english) == len(translated)
    untranslated = sorted(set(english) & set(translated))
    assert untranslated == []
