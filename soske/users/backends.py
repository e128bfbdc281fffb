"""The authentication backend: allauth's, reading the signed-in user with their roles in one
query.

Every signed-in request read the user, then their groups (the roles) in a second query
(issue 13). `get_user` now asks both at once; `User.has_role` uses what it brought.

One backend, not Django's ModelBackend beside allauth's: both took an e-mail address and a
password, so a failed sign-in ran the password hasher twice (two PBKDF2 runs for one wrong
password). allauth's also takes `username` (the admin's sign-in form) as an e-mail address.

Sessions remember the dotted path of the backend that signed them in, and Django refuses a
path that is no longer in AUTHENTICATION_BACKENDS. `LEGACY_BACKENDS` maps the paths used
before to this one; `soske.users.middleware.LegacyBackendSessionMiddleware` rewrites such a
session once, so that nobody was signed out when they came in.
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import get_user_model


class AuthenticationBackend(allauth_backends.AuthenticationBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


LEGACY_BACKENDS = dict.fromkeys(
    (
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ),
    f"{__name__}.AuthenticationBackend",
)
