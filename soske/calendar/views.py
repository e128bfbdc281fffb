"""The personal calendar feed and the page where a person makes or revokes its address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import services
from .ics import calendar_bytes
from .models import CalendarFeed
from .registry import feed_events


def feed_settings(request):
    """Any signed-in person: make a new secret address or revoke it."""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.feed_revoke(user=request.user)
            messages.success(request, _("The calendar address was revoked. It no longer works."))
        else:
            services.feed_create(user=request.user)
            messages.success(
                request, _("A new calendar address was made. The old one no longer works.")
            )
        return redirect(request.path)
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else ""
    return render(request, "calendar/feed.html", {"feed": feed, "url": url})


@login_not_required
def feed(request, token):
    user = services.feed_user(token)
    if user is None:
        raise Http404
    with translation.override(user.language):
        body = calendar_bytes(feed_events(user), name=_("Soske calendar"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="soske.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
