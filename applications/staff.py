"""Staff pages: every application of a cohort, its versions, an XLSX export."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.models import Cohort, OrganisationType, Track
from soske.exports.services import export_start
from soske.forms import IdChoiceField
from soske.i18n import localized_language
from soske.links import url_maker
from soske.permissions import permitted, staff_required

from .models import Application, Status
from .snapshots import snapshot_for_reader
from .views import serve_policy_file

SORTS = {
    "organisation": "org_name",
    "-organisation": "-org_name",
    "submitted": "submitted_at",
    "-submitted": "-submitted_at",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


class FilterForm(forms.Form):
    cohort = IdChoiceField(
        queryset=Cohort.objects.all(),
        required=False,
        label=gettext_lazy("Cohort"),
        empty_label=None,
    )
    q = forms.CharField(required=False, label=gettext_lazy("Search"), max_length=100)
    status = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All"))] + list(Status.choices),
    )
    track = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Track"),
        choices=[("", gettext_lazy("All"))] + list(Track.choices),
    )
    org_type = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Organisation type"),
        choices=[("", gettext_lazy("All"))] + list(OrganisationType.choices),
    )
    sort = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Sort by"),
        choices=[
            ("-updated", gettext_lazy("Last changed, newest first")),
            ("organisation", gettext_lazy("Organisation, A–Ö")),
            ("-organisation", gettext_lazy("Organisation, Ö–A")),
            ("-submitted", gettext_lazy("Submitted, newest first")),
            ("submitted", gettext_lazy("Submitted, oldest first")),
        ],
    )


def _filtered(request):
    return filtered(request.user, request.GET)


def filtered(user, params):
    """(form, cohort, the cohort's applications `user` may read, those the filters in
    `params` (a QueryDict) keep, sorted): the list, and the export built from its query."""
    form = FilterForm(params or None)
    valid = form.is_valid() if params else False
    data = form.cleaned_data if valid else {}
    cohort = data.get("cohort") or Cohort.objects.order_by("-call_opens_at").first()
    if cohort is not None:
        form.initial["cohort"] = cohort.pk
    qs = (
        Application.objects.readable_by_staff(user)
        .filter(cohort=cohort)
        .select_related("cohort", "created_by")
    )
    base = qs
    if data.get("q"):
        term = data["q"].strip()
        qs = qs.filter(
            Q(org_name__icontains=term)
            | Q(business_id__icontains=term)
            | Q(contact_name__icontains=term)
            | Q(contact_email__icontains=term)
        )
    for field in ("status", "track", "org_type"):
        if data.get(field):
            qs = qs.filter(**{field: data[field]})
    qs = qs.order_by(SORTS.get(data.get("sort") or "-updated", "-updated_at"), "pk")
    return form, cohort, base, qs


PAGE_SIZE = 100


@staff_required
def application_list(request):
    form, cohort, base, qs = _filtered(request)
    counts = base.aggregate(
        total=Count("pk"),
        draft=Count("pk", filter=Q(status=Status.DRAFT)),
        submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
        withdrawn=Count("pk", filter=Q(status=Status.WITHDRAWN)),
        employment=Count("pk", filter=Q(status=Status.SUBMITTED, track=Track.EMPLOYMENT)),
        human_rights=Count("pk", filter=Q(status=Status.SUBMITTED, track=Track.HUMAN_RIGHTS)),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    # Each row links its application: the pattern resolved once, not a hundred times.
    applications = list(page.object_list)
    application_url = url_maker("staff:application")
    for application in applications:
        application.url = application_url(application.pk)
    return render(
        request,
        "applications/staff/list.html",
        {
            "form": form,
            "cohort": cohort,
            "applications": applications,
            "page": page,
            "counts": counts,
            "shown": page.paginator.count,
            "query": params.urlencode(),
        },
    )


@staff_required
def application_export(request):
    """POST: build the list's applications as XLSX in the background (issue 13), with the
    filters of the list it was asked on; the person follows it on the export's page. GET (an
    old link): the list with those filters."""
    if request.method != "POST":
        query = request.GET.urlencode()
        return redirect(reverse("staff:applications") + (f"?{query}" if query else ""))
    query = request.POST.get("query", "")[:2000]
    _form, cohort, _base, _qs = filtered(request.user, QueryDict(query))
    if cohort is None:
        messages.error(request, _("There is no cohort to export."))
        return redirect("staff:applications")
    title = _("Applications of %(cohort)s") % {"cohort": cohort.localized_name}
    if set(QueryDict(query)) - {"cohort", "page", "sort"}:
        title = _("Applications of %(cohort)s, filtered") % {"cohort": cohort.localized_name}
    export, started = export_start(
        user=request.user,
        kind="applications.applications",
        params={"query": query, "cohort": cohort.pk},
        title=title,
        subject=(cohort.localized_name, localized_language(cohort, "name")),
        scope=cohort,
    )
    if not started:
        messages.info(request, _("The same export is already being built; here it is."))
    return redirect("exports:detail", pk=export.pk)


@staff_required
def application_detail(request, pk):
    application = permitted(
        request,
        "applications.read_application",
        get_object_or_404(
            Application.objects.select_related("cohort", "organisation", "created_by"), pk=pk
        ),
    )
    versions = list(application.versions.select_related("submitted_by"))
    selected = versions[0] if versions else None
    wanted = request.GET.get("version")
    if wanted and wanted.isdecimal():  # isdigit() also takes "²", which int() refuses
        selected = next((v for v in versions if v.number == int(wanted)), selected)
    return render(
        request,
        "applications/staff/detail.html",
        {
            "application": application,
            "versions": versions,
            "selected": selected,
            "snapshot": snapshot_for_reader(selected.data) if selected else None,
            "members": application.members.select_related("user").order_by("added_at", "pk"),
            "no_version_text": _("This application has not been submitted."),
        },
    )


@staff_required
def application_file(request, pk):
    application = get_object_or_404(Application, pk=pk)
    return serve_policy_file(permitted(request, "applications.read_application", application))
