"""Second factors of an account (allauth.mfa): who needs one, who has one, the current code
of a known secret (the demo and the tests), and the coordinator's reset."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from soske.activity.services import activity_record
from soske.errors import DomainError
from soske.mail.services import outbox_enqueue_template

# The demo's staff accounts share this authenticator secret (never used outside the demo).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class MfaError(DomainError):
    pass


def needs_second_factor(user) -> bool:
    """Reviewers, coordinators and whoever may enter the admin site."""
    return bool(
        user.is_authenticated and (user.is_soske_staff or user.is_staff or user.is_superuser)
    )


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def totp_activate(*, user, secret: str) -> Authenticator:
    """Give `user` an authenticator app with a known secret (the demo, the tests' fixtures)."""
    return TOTP.activate(user, secret).instance


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app with `secret` shows at `at` (default: now)."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def totp_secret_of(user) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def mfa_reset(*, user, actor) -> int:
    """Remove every second factor of a staff member who lost their device, so that they set
    up a new one at their next sign-in (their password still stands). Their sessions end
    (a lost laptop stays signed out). Logged, and the person is told by mail: a reset they
    did not ask for is a warning sign."""
    if user.pk == actor.pk:
        raise MfaError(_("You cannot reset your own second factor: use a recovery code."))
    if not needs_second_factor(user):
        raise MfaError(_("Only staff accounts have their second factor reset here."))
    with transaction.atomic():
        kinds = sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True).distinct()
        )
        deleted, _rows = Authenticator.objects.filter(user=user).delete()
        if not deleted:
            raise MfaError(_("This account has no second factor to reset."))
        for session in UserSession.objects.filter(user=user):
            session.end()
        entry = activity_record(
            actor=actor,
            action="account.mfa_reset",
            target=user,
            subject=user.email,
            before={"authenticators": kinds},
            after={"authenticators": []},
        )
        outbox_enqueue_template(
            key=f"mfa-reset:{user.pk}:{entry.pk}",
            to=user.email,
            language=user.language,
            template="mfa_reset",
            context={
                "user": user,
                "actor": actor,
                "setup_url": settings.SITE_URL + reverse("mfa_activate_totp"),
            },
        )
    return deleted
