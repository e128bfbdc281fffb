from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST


@login_not_required
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def dashboard(request):
    """Where a signed-in person starts: staff to the applications, applicants to theirs."""
    if request.user.has_perm("soske.view_staff_pages"):
        return redirect("staff:applications")
    return redirect("applications:mine")


def _page_in_language(request, name):
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        template = select_template([f"pages/{name}_{language[:2]}.html", f"pages/{name}_fi.html"])
    except TemplateDoesNotExist:  # pragma: no cover - the fi page always exists
        raise
    return render(request, template.template.name)


@login_not_required
def privacy(request):
    return _page_in_language(request, "privacy")


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
