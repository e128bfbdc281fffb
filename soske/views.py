import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from soske.mail.services import outbox_backlog
from soske.permissions import may

logger = logging.getLogger(__name__)


def _outbox_or_none():
    """The outbox backlog, or None when the database does not answer. Its one query is the
    database check too: a separate SELECT 1 and three counts made /healthz/ 4 queries."""
    try:
        return outbox_backlog()
    except DatabaseError as exc:
        logger.error("healthz: the database does not answer: %r", exc)
        return None


def _redis_ok():
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
            socket_timeout=settings.REDIS_TIMEOUT,
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError as exc:
        logger.error("healthz: Redis does not answer: %r", exc)
        return False


@login_not_required
def healthz(request):
    """200 when the database (and Redis, when configured) answer, else 503 naming what is
    down. The outbox backlog is reported alongside: waiting mail is not an outage."""
    outbox = _outbox_or_none()
    checks = {"database": outbox is not None}
    if settings.REDIS_URL:
        checks["redis"] = _redis_ok()
    down = sorted(name for name, ok in checks.items() if not ok)
    body = {
        "status": "down" if down else "ok",
        "down": down,
        "checks": {name: "ok" if ok else "down" for name, ok in checks.items()},
    }
    if outbox is not None:
        body["outbox"] = outbox
    return JsonResponse(body, status=503 if down else 200)


def dashboard(request):
    """Where a signed-in person starts: staff to the applications, applicants to theirs."""
    if may(request.user, "soske.view_staff_pages"):
        return redirect("staff:applications")
    return redirect("applications:mine")


def _page_in_language(request, name, context=None):
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        template = select_template([f"pages/{name}_{language[:2]}.html", f"pages/{name}_fi.html"])
    except TemplateDoesNotExist:  # pragma: no cover - the fi page always exists
        raise
    return render(request, template.template.name, context)


@login_not_required
def privacy(request):
    """The privacy notice, with the retention periods the code applies."""
    from soske.privacy.registry import DEFAULT_RETENTION_MONTHS

    return _page_in_language(
        request,
        "privacy",
        {
            "retention_months": DEFAULT_RETENTION_MONTHS,
            "account_months": settings.PRIVACY_ACCOUNT_RETENTION_MONTHS,
        },
    )


@login_not_required
def accessibility(request):
    return _page_in_language(request, "accessibility")


@login_not_required
@require_POST
def set_language(request):
    """Switch the language; a signed-in user's choice is remembered on their account."""
    code = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if code not in dict(settings.LANGUAGES):
        return response
    translated = translation.get_language_info(code)["code"]
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        translated,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=False,
    )
    if request.user.is_authenticated and request.user.language != translated:
        request.user.language = translated
        request.user.save(update_fields=["language"])
    return response
