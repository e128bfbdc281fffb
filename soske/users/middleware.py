from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .backends import LEGACY_BACKENDS
from .mfa import has_second_factor, needs_second_factor


class LegacyBackendSessionMiddleware:
    """Keeps signed in the sessions of the backends used before `soske.users.backends`.

    Django signs out a session whose backend path is no longer configured. Runs before
    AuthenticationMiddleware and rewrites such a path once (the session is then saved with
    the response). Can go once no session older than the switch is left (SESSION_COOKIE_AGE
    after the deploy).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        new_path = LEGACY_BACKENDS.get(session.get(BACKEND_SESSION_KEY))
        if new_path is not None:
            session[BACKEND_SESSION_KEY] = new_path
        return self.get_response(request)


class UserLanguageMiddleware:
    """Use the language a signed-in user chose, wherever they sign in.

    Runs after LocaleMiddleware: an explicit choice stored on the user wins
    over the browser's Accept-Language and a stale cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.codes:
            if request.LANGUAGE_CODE != user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        if user is not None and user.is_authenticated and user.language in self.codes:
            response.headers.setdefault("Content-Language", user.language)
        return response


# What a staff member without a second factor may still open: setting one up (allauth asks
# for the password again first when the sign-in was not recent), signing out, the language.
# Public pages (marked login_not_required, e.g. the call, healthz) stay open as to anyone.
MFA_SETUP_VIEWS = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "set_language",
    }
)


# A staff session's expiry moves forward at most this often, not at every request: renewing it
# is a session write (BEGIN, UPDATE, COMMIT and a signed cookie) that every staff page paid
# (issue 13). The idle limit then holds to within this many seconds.
STAFF_SESSION_RENEW_SECONDS = 300
# Set in the session when the staff member's authenticator app was found; checked again at
# each renewal, so a factor removed outside `mfa_reset` (which ends the sessions) is noticed
# within STAFF_SESSION_RENEW_SECONDS.
SECOND_FACTOR_SEEN = "_soske_second_factor_seen"


def renew_staff_session(session, *, force: bool = False) -> bool:
    """Move a staff session's expiry to STAFF_SESSION_IDLE_SECONDS from now, unless it was
    moved less than STAFF_SESSION_RENEW_SECONDS ago. The expiry is stored as a moment (not a
    number of seconds from the last save), so the session itself tells when it was renewed.
    Returns whether it was renewed."""
    idle = settings.STAFF_SESSION_IDLE_SECONDS
    now = timezone.now()
    stored = session.get("_session_expiry")
    if not force and isinstance(stored, str):
        try:
            left = (datetime.fromisoformat(stored) - now).total_seconds()
        except ValueError:
            left = None
        if left is not None and idle - STAFF_SESSION_RENEW_SECONDS < left <= idle:
            return False
    session.set_expiry(now + timedelta(seconds=idle))
    session.pop(SECOND_FACTOR_SEEN, None)
    return True


@receiver(user_logged_in, dispatch_uid="soske_staff_session_at_login")
def staff_session_at_login(sender, request, user, **kwargs):
    """At sign-in the session is written anyway: set the staff expiry and note the factor
    then, so that the first pages after it write nothing. Connected in UsersConfig.ready()."""
    if request is None or not hasattr(request, "session") or not needs_second_factor(user):
        return
    renew_staff_session(request.session, force=True)
    if has_second_factor(user):
        request.session[SECOND_FACTOR_SEEN] = user.pk


class StaffAccountMiddleware:
    """The one place that guards staff accounts, for every view including the admin site.

    - A staff member without an activated authenticator app is sent to set one up before
      any page that needs signing in opens (allauth then asks for its code at every
      sign-in: its login stage runs whenever an authenticator exists).
    - A staff session ends after STAFF_SESSION_IDLE_SECONDS without a request (the expiry
      is renewed by the requests, at most every STAFF_SESSION_RENEW_SECONDS); other people
      keep the default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.needs_second_factor = user is not None and needs_second_factor(user)
        if request.needs_second_factor:
            renew_staff_session(request.session)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.needs_second_factor:
            return None
        match = request.resolver_match
        public = not getattr(view_func, "login_required", True)
        if public and match.namespace != "admin":  # the admin's login page is no public page
            return None
        if match.url_name in MFA_SETUP_VIEWS and not match.namespace:
            return None
        if request.session.get(SECOND_FACTOR_SEEN) == request.user.pk:
            return None
        if has_second_factor(request.user):
            request.session[SECOND_FACTOR_SEEN] = request.user.pk
            return None
        if request.method == "GET":
            messages.info(
                request,
                _("Staff accounts need an authenticator app: set one up to continue."),
            )
        return redirect("mfa_activate_totp")
