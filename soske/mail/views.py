"""The staff outbox: the mail that waits or failed, and the buttons that send it again."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from soske.permissions import coordinator_required

from . import services
from .forms import OutboxFilterForm
from .models import OutgoingEmail

PAGE_SIZE = 50
WAITING = (OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING, OutgoingEmail.Status.FAILED)


@coordinator_required
def outbox(request):
    form = OutboxFilterForm(request.GET or None)
    rows = OutgoingEmail.objects.filter(status__in=WAITING).defer(
        "body_text", "body_html", "attachments"
    )
    query = {}
    subjects = {}
    partial = False
    if form.is_valid():
        query = {name: value for name, value in form.cleaned_data.items() if value}
        if query.get("status") == OutgoingEmail.Status.QUEUED:
            rows = rows.filter(
                status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING]
            )
        elif query.get("status"):
            rows = rows.filter(status=query["status"])
        if query.get("q"):
            text = query["q"]
            by_address = Q(to__icontains=text)
            # A row the send task has not rendered yet has no stored subject: its subject
            # is worked out (for a bounded number of them, see SEARCH_WORKOUT_LIMIT).
            subjects, partial = services.outbox_search_unrendered(rows.exclude(by_address), text)
            rows = rows.filter(by_address | Q(subject__icontains=text) | Q(pk__in=list(subjects)))
    page = Paginator(rows.order_by("created_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    emails = list(page.object_list)
    # A row the send task has not rendered yet: its subject, worked out for the page
    # (the search's work is not done twice).
    unknown = [email for email in emails if email.pk not in subjects]
    subjects = {**subjects, **services.outbox_subjects(unknown)}
    for email in emails:
        email.subject = subjects[email.pk]
    return render(
        request,
        "mail/outbox.html",
        {
            "form": form,
            "page": page,
            "emails": emails,
            "query": urlencode(query),
            "backlog": services.outbox_backlog(),
            # More mail waits unwritten than one search works out: the page says so.
            "search_partial": partial,
            "search_limit": services.SEARCH_WORKOUT_LIMIT,
        },
    )


def _back(request):
    query = OutboxFilterForm(request.POST)
    url = reverse("outbox:list")
    if query.is_valid():
        params = {name: value for name, value in query.cleaned_data.items() if value}
        if params:
            url += "?" + urlencode(params)
    return redirect(url)


@coordinator_required
@require_POST
def resend(request, pk):
    email = get_object_or_404(OutgoingEmail, pk=pk)
    if services.outbox_resend(email_id=email.pk) is None:
        messages.info(
            request, _("The message to %(to)s is already on its way or sent.") % {"to": email.to}
        )
    else:
        messages.success(
            request, _("The message to %(to)s is being sent again.") % {"to": email.to}
        )
    return _back(request)


@coordinator_required
@require_POST
def resend_failed(request):
    count = services.outbox_resend_failed()
    messages.success(
        request,
        ngettext(
            "%(count)d failed message is being sent again.",
            "%(count)d failed messages are being sent again.",
            count,
        )
        % {"count": count},
    )
    return _back(request)
