import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.utils import translation

from soske.mail.services import outbox_enqueue, unique_key


@dataclass(frozen=True)
class Site:
    """What allauth's mail templates ask of `current_site`. The project runs without
    django.contrib.sites, so allauth would otherwise name the service by the request's host,
    or not at all ("Hello from !") when a mail is sent without a request."""

    name: str
    domain: str


def current_site() -> Site:
    return Site(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    """allauth's mail goes through the outbox like every other message."""

    def send_mail(self, template_prefix, email, context):
        context = {**context, "current_site": current_site()}
        language = translation.get_language() or "fi"
        user = context.get("user")
        if user is not None and getattr(user, "language", None):
            language = user.language
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        body_html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                body_html = content
        outbox_enqueue(
            key=unique_key(f"account:{template_prefix.rsplit('/', 1)[-1]}:{email}"),
            to=email,
            language=language,
            subject=message.subject,
            body_text=message.body,
            body_html=body_html,
        )

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A sign-in within the last REAUTHENTICATION_TIMEOUT counts as a recent password:
        a staff member sent to set up an authenticator app right after signing in is not
        asked for the password a second time. Later changes of the account ask again."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = allauth_context.request
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        return not any(
            time.time() - record.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT
            for record in records
        )

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        language = translation.get_language()
        if language:
            user.language = language[:2]
        if commit:
            user.save()
            from .models import Role
            from .roles import grant_role

            grant_role(user, Role.APPLICANT)
        return user


class MfaAdapter(DefaultMFAAdapter):
    """Staff keep their authenticator app: it is required of them (a lost one is reset by a
    coordinator, see soske.users.mfa.mfa_reset). Others may turn theirs off."""

    def can_delete_authenticator(self, authenticator):
        from .mfa import needs_second_factor

        if authenticator.type == authenticator.Type.TOTP and needs_second_factor(
            authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)

    def _get_site_name(self) -> str:
        return settings.SITE_NAME
