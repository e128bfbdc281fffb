from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
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
