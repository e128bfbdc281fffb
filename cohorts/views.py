from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from soske import clock
from soske.errors import refused
from soske.permissions import coordinator_required, permitted

from . import figures
from .forms import CohortCopyForm, CohortForm, CriterionFormSet, ThemeFormSet
from .models import Cohort, OrganisationType, Track
from .rules import FROZEN_CRITERION_FIELDS, frozen
from .services import cohort_copy, cohort_copy_preview, cohort_create, cohort_update


def _current_cohort(at):
    """The cohort whose call is open, else the next upcoming, else the latest."""
    open_cohort = Cohort.objects.open_at(at).order_by("deadline").first()
    if open_cohort:
        return open_cohort
    upcoming = Cohort.objects.filter(call_opens_at__gt=at).order_by("call_opens_at").first()
    return upcoming or Cohort.objects.order_by("-deadline").first()


@login_not_required
def home(request):
    cohort = _current_cohort(clock.request_time(request))
    return _call_page(request, cohort)


@login_not_required
def call(request, slug):
    return _call_page(request, get_object_or_404(Cohort, slug=slug))


def _call_page(request, cohort):
    at = clock.request_time(request)
    context = {"cohort": cohort, "tracks": Track, "org_types": OrganisationType}
    if cohort is not None:
        context.update(
            phase=cohort.phase_at(at),
            criteria=list(cohort.criteria.all()),
            themes=list(cohort.themes.all()),
            other_cohorts=Cohort.objects.exclude(pk=cohort.pk).order_by("-call_opens_at")[:5],
        )
    return render(request, "cohorts/call.html", context)


@coordinator_required
def cohort_list(request):
    cohorts = list(figures.with_figures(Cohort.objects.order_by("-call_opens_at")))
    for cohort in cohorts:
        cohort.figures = figures.values(cohort)
    return render(
        request,
        "cohorts/cohort_list.html",
        {"cohorts": cohorts, "figures": figures.registered()},
    )


@coordinator_required
def cohort_create_view(request):
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = cohort_create(form=form, actor=request.user)
        messages.success(
            request,
            _("The cohort was created with the default criteria and themes. Check them below."),
        )
        return redirect("cohorts:edit", pk=cohort.pk)
    return render(request, "cohorts/cohort_form.html", {"form": form, "creating": True})


@coordinator_required
def cohort_edit(request, pk):
    cohort = permitted(request, "cohorts.edit_cohort", get_object_or_404(Cohort, pk=pk))
    data = request.POST if request.method == "POST" else None
    form = CohortForm(data, instance=cohort)
    criteria = CriterionFormSet(data, instance=cohort, prefix="criteria")
    themes = ThemeFormSet(data, instance=cohort, prefix="themes")
    if frozen(cohort):
        for f in criteria.forms:
            for name in FROZEN_CRITERION_FIELDS:
                f.fields[name].disabled = True
    if request.method == "POST":
        if form.is_valid() and criteria.is_valid() and themes.is_valid():
            with refused(request) as refusal:
                cohort_update(
                    cohort=cohort,
                    form=form,
                    criteria_formset=criteria,
                    themes_formset=themes,
                    actor=request.user,
                )
            if not refusal:
                messages.success(request, _("The cohort was saved."))
                return redirect("cohorts:edit", pk=cohort.pk)
        else:
            messages.error(request, _("The cohort was not saved. Fix the errors marked below."))
    return render(
        request,
        "cohorts/cohort_form.html",
        {"form": form, "criteria": criteria, "themes": themes, "cohort": cohort},
    )


@coordinator_required
def cohort_copy_view(request, pk):
    """The next cohort from this one. The first POST shows what would be copied, with the
    moved dates; the second (the "create" button of the preview) makes it."""
    source = permitted(request, "cohorts.edit_cohort", get_object_or_404(Cohort, pk=pk))
    initial = {"name": source.name, "slug": ""}
    form = CohortCopyForm(request.POST or None, initial=initial)
    sections = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refused(request, form=form) as refusal:
            if request.POST.get("confirm") == "1":
                cohort = cohort_copy(
                    source=source,
                    kick_off=data["kickoff_date"],
                    actor=request.user,
                    name=data["name"],
                    name_sv=data["name_sv"],
                    name_en=data["name_en"],
                    slug=data["slug"],
                    call_opens_at=data["call_opens_at"],
                    deadline=data["deadline"],
                )
                messages.success(
                    request,
                    _("The cohort was copied. Everything copied can be edited: check it below."),
                )
                return redirect("cohorts:edit", pk=cohort.pk)
            sections = cohort_copy_preview(
                source=source,
                kick_off=data["kickoff_date"],
                call_opens_at=data["call_opens_at"],
                deadline=data["deadline"],
            )
        if refusal:
            sections = None
    return render(
        request,
        "cohorts/cohort_copy.html",
        {
            "form": form,
            "source": source,
            "sections": sections,
            "days": (form.cleaned_data["kickoff_date"] - source.kickoff_date).days
            if sections
            else 0,
        },
    )
