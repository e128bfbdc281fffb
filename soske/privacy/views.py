"""A person's own data (every signed-in person) and the coordinators' retention and
erasure pages."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soske.permissions import coordinator_required

from . import services
from .forms import ConfirmForm, PersonSearchForm
from .models import RetentionRun

RUNS_SHOWN = 20


def my_data(request):
    return render(request, "privacy/my_data.html")


def my_data_download(request):
    content = services.privacy_export(user=request.user)
    response = HttpResponse(content, content_type="application/zip")
    filename = services.privacy_export_filename()
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@coordinator_required
def retention(request):
    items = services.retention_plan()
    return render(
        request,
        "privacy/retention.html",
        {
            "items": [(item, services.labelled(item.counts)) for item in items],
            "totals": services.labelled(services.retention_totals(items)),
            "runs": [
                (run, services.labelled(run.counts))
                for run in RetentionRun.objects.select_related("actor")[:RUNS_SHOWN]
            ],
            "form": ConfirmForm(),
        },
    )


@coordinator_required
@require_POST
def retention_run(request):
    if not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to confirm."))
        return redirect("privacy_staff:retention")
    run = services.retention_run(actor=request.user)
    total = sum(run.counts.get(key, 0) for key in ("applications", "accounts"))
    messages.success(
        request, _("The retention run removed the data of %(count)s items.") % {"count": total}
    )
    return redirect("privacy_staff:retention")


@coordinator_required
def erase_search(request):
    form = PersonSearchForm(request.GET or None)
    if form.is_valid():
        person = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if person is not None:
            return redirect("privacy_staff:erase", pk=person.pk)
        form.add_error("email", _("Nobody has an account with this address."))
    return render(request, "privacy/erase_search.html", {"form": form})


@coordinator_required
def erase(request, pk):
    person = get_object_or_404(get_user_model(), pk=pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                pseudonym = services.person_erase(person=person, actor=request.user)
            except services.PrivacyError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("The person was erased; the history now shows %(pseudonym)s.")
                    % {"pseudonym": pseudonym},
                )
                return redirect("privacy_staff:erase_search")
        status = 400
    return render(
        request,
        "privacy/erase.html",
        {
            "person": person,
            "form": form,
            "erased": services.is_erased(person),
            "preview": services.erasure_preview(person=person),
        },
        status=status,
    )
