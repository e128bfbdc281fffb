"""The authentication backends: Django's and allauth's, each reading the signed-in user with
their roles in one query.

Every signed-in request read the user, then their groups (the roles) in a second query
(issue 13). `get_user` now asks both at once; `User.has_role` uses what it brought.

Sessions remember the dotted path of the backend that signed them in, and Django refuses a
path that is no longer in AUTHENTICATION_BACKENDS. `LEGACY_BACKENDS` maps the paths used
before these classes to them; `soske.users.middleware.LegacyBackendSessionMiddleware` rewrites
such a session once, so that nobody was signed out when they came in.
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends
from django.contrib.auth import get_user_model


class _UserWithRoles:
    def get_user(self, user_id):
        user = get_user_model()._default_manager.signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_UserWithRoles, django_backends.ModelBackend):
    pass


class AuthenticationBackend(_UserWithRoles, allauth_backends.AuthenticationBackend):
    pass


LEGACY_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": f"{__name__}.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": f"{__name__}.AuthenticationBackend",
}
