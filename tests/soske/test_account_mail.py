"""allauth's mails name the service: never an empty site name ("Terve palvelusta !")."""

import re

import pytest
from django.utils import translation

from soske.mail.models import OutgoingEmail
from soske.users.adapter import AccountAdapter
from tests.factories import UserFactory

# Every allauth mail the project's settings can send (e-mail login, verification by code,
# password reset by link, login by code, the security notifications).
TEMPLATES = [
    "account/email/email_confirmation_signup",
    "account/email/email_confirmation",
    "account/email/password_reset_key",
    "account/email/password_reset_code",
    "account/email/login_code",
    "account/email/account_already_exists",
    "account/email/unknown_account",
    "account/email/password_changed",
    "account/email/password_set",
    "account/email/password_reset",
    "account/email/email_changed",
    "account/email/email_deleted",
]


def _context(user):
    return {
        "user": user,
        "code": "QX7K2M",
        "key": "abc",
        "activate_url": "http://127.0.0.1:8000/accounts/confirm-email/abc/",
        "password_reset_url": "http://127.0.0.1:8000/accounts/password/reset/key/abc/",
        "signup_url": "http://127.0.0.1:8000/accounts/signup/",
        "email": user.email,
        "from_email": "old@example.org",
        "to_email": user.email,
        "deleted_email": "old@example.org",
        "timestamp": None,
        "ip": "127.0.0.1",
        "user_agent": "Firefox",
    }


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_account_mail_names_the_service(db, settings, language, template):
    user = UserFactory(email="uusi@example.org", language=language)
    with translation.override(language):
        AccountAdapter().send_mail(template, user.email, _context(user))
    mail = OutgoingEmail.objects.get()
    text = mail.subject + "\n" + mail.body_text
    assert "Soske-akatemia" in text
    # A name left empty leaves two spaces between words ("käytät  palvelua"); allauth's
    # English text itself puts two after a full stop ("exists.  In case"), which is fine.
    assert re.findall(r"[^.\s] {2,}", text) == []
    assert " !" not in text
    assert " ," not in text
    assert "[]" not in text
