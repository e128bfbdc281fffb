"""The error pages in the site's layout and the user's language: what happened and the
way back. Django calls these (see handler400/403/404/500 in soske/urls.py) when DEBUG
is off. The 500 page falls back to plain text if even the layout cannot be rendered."""

from urllib.parse import urlsplit

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.utils.translation import gettext as _


def _back(request) -> str:
    """The page the user came from, if it was one of ours."""
    referer = request.META.get("HTTP_REFERER", "")
    parts = urlsplit(referer)
    if referer and parts.netloc == request.get_host() and parts.path != request.path:
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return ""


def _page(request, status, heading, explanation, hint=""):
    return render(
        request,
        "error_page.html",
        {
            "heading": heading,
            "explanation": explanation,
            "hint": hint,
            "code": status,
            "back": _back(request),
        },
        status=status,
    )


def bad_request(request, exception=None):
    return _page(
        request, 400, _("The request could not be handled"),
        _("The page received something it could not read. Nothing was saved."),
    )  # fmt: skip


def permission_denied(request, exception=None):
    return _page(
        request, 403, _("This page is not open to you"),
        _("You are signed in, but your account does not have the role this page needs."),
        _("If you think you should have access, ask the coordinators of the academy."),
    )  # fmt: skip


def page_not_found(request, exception=None):
    return _page(
        request, 404, _("The page was not found"),
        _("The address may be mistyped, or the page has been removed or is not yours to see."),
    )  # fmt: skip


def server_error(request):
    try:
        return _page(
            request, 500, _("Something went wrong on our side"),
            _("The error has been recorded. What you did last may not have been saved: "
              "go back and check, then try again."),
        )  # fmt: skip
    except Exception:  # the layout itself failed: a plain page, still in words
        return HttpResponseServerError(
            "Palvelussa tapahtui virhe. / Ett fel inträffade. / Something went wrong.",
            content_type="text/plain; charset=utf-8",
        )
