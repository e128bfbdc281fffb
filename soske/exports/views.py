"""A person's spreadsheets built in the background: the page of one (which polls its status
while the job runs, as the results book's does), the list of theirs, the download and the
delete. Only the person who asked for an export sees it: another person's is a 404."""

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soske.errors import refused
from soske.files import private_file_response
from soske.jobs import job_status
from soske.permissions import may, permitted, staff_required

from . import services
from .models import Export, ExportState


def _own(request, pk) -> Export:
    export = get_object_or_404(Export, pk=pk, created_by=request.user)
    return permitted(request, "exports.view_export", export)


def status_of(export: Export) -> dict:
    return job_status(
        export,
        running_text=_("Building the spreadsheet…"),
        url=reverse("exports:download", args=[export.pk]),
    )


@staff_required
def mine(request):
    exports = [
        e
        for e in Export.objects.filter(created_by=request.user)
        if may(request.user, "exports.view_export", e)
    ]
    return render(
        request,
        "exports/mine.html",
        {"exports": exports, "keep_days": settings.EXPORT_KEEP_DAYS},
    )


@staff_required
def detail(request, pk):
    export = _own(request, pk)
    return render(
        request,
        "exports/detail.html",
        {
            "export": export,
            "status": status_of(export),
            "status_url": reverse("exports:status", args=[export.pk]),
            "keep_days": settings.EXPORT_KEEP_DAYS,
        },
    )


@staff_required
def status(request, pk):
    return JsonResponse(status_of(_own(request, pk)))


@staff_required
def download(request, pk):
    export = _own(request, pk)
    if export.state != ExportState.DONE or not export.file:
        # Queued, being built or failed: the page says which, and so does this message.
        messages.info(request, status_of(export)["text"])
        return redirect("exports:detail", pk=export.pk)
    return private_file_response(export.file, filename=export.filename)


@staff_required
@require_POST
def delete(request, pk):
    export = _own(request, pk)
    with refused(request) as refusal:
        services.export_delete(export)
    if not refusal:
        messages.success(request, _("The export %(title)s was deleted.") % {"title": export.title})
        return redirect("exports:mine")
    return redirect("exports:detail", pk=export.pk)
