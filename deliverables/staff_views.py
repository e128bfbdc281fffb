"""The coordinators' pages of the deliverables: a cohort's assignments and the matrix of
where every team stands (staff may read it), the seed's set, assignments, reopening for one
team, reminders, the XLSX of the matrix, the annex builder's list and the peer phase.

Views are thin: permission, form, one service call, a message and a redirect back."""

from datetime import time, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from cohorts.models import Cohort, Track
from soske import clock, dates
from soske.compiled import Compiled
from soske.errors import refused
from soske.forms import ConfirmForm, is_id
from soske.links import url_maker
from soske.permissions import may, permission_required
from soske.xlsx import sheet_bytes

from . import selectors, services
from .forms import AssignmentForm, ConductItemForm, ReopenForm
from .models import Assignment, ConductItem, ConductItemKind, Reopening, Submission
from .selectors import Progress
from .worksheets import WORKSHEETS

view_required = permission_required("deliverables.view_work")
manage_required = permission_required("deliverables.manage_assignments")

# The states a count is given for, in the order a team moves through them.
COUNTED = [s for s in Progress if s != Progress.NOT_FOR_TRACK]
SORTS = ("organisation", "-organisation")


_COHORT = Compiled(lambda pk: Cohort.objects.filter(pk=pk).order_by()[:1])  # soske.compiled


def _cohort(cohort_pk):
    found = _COHORT.first(int(cohort_pk)) if is_id(cohort_pk) else None
    if found is None:
        raise Http404
    return found


def _assignment(pk):
    return get_object_or_404(Assignment.objects.select_related("cohort", "event"), pk=pk)


def _track(request):
    track = request.GET.get("track", "")
    return track if track in Track.values else ""


def _overview_url(cohort_pk, track=""):
    url = reverse("deliverables_staff:overview", args=[cohort_pk])
    return f"{url}?track={track}" if track else url


def _when(moment) -> str:
    return dates.moment(moment)


def _worksheet_labels(assignment):
    return [str(WORKSHEETS[key].label) for key in assignment.worksheets if key in WORKSHEETS]


# --- The overview ---------------------------------------------------------------------


@view_required
def overview(request, cohort_pk):
    cohort = _cohort(cohort_pk)
    track = _track(request)
    sort = request.GET.get("sort", "organisation")
    if sort not in SORTS:
        sort = "organisation"
    data = selectors.overview(cohort, track=track or None)
    rows = data.rows
    if sort == "-organisation":
        rows = list(reversed(rows))
    counts = data.counts()
    can_manage = may(request.user, "deliverables.manage_assignments")
    titles = {a.pk: a.title for a in data.assignments}
    # Each link's pattern is resolved once, not once per row (issue 13).
    links = {
        key: url_maker(f"{namespace}:{key}")
        for namespace, keys in (
            (
                "deliverables_staff",
                ("assignment", "remind", "reopen", "assignment_delete", "peer_open", "peer_close"),
            ),
            ("peers_staff", ("comments",)),
        )
        for key in keys
    }
    assignments = [
        {
            "assignment": a,
            "title": titles[a.pk],
            "urls": {key: make(a.pk) for key, make in links.items()} if can_manage else {},
            "worksheets": _worksheet_labels(a),
            "counts": [
                {"status": s.value, "label": s.label, "n": counts[a.pk].get(s.value, 0)}
                for s in COUNTED
            ],
        }
        for a in data.assignments
    ]
    cell_url = url_maker("deliverables_review:submission", 2)
    for row in rows:
        for cell in row.cells:
            cell.title = titles[cell.assignment.pk]
            cell.url = cell_url(row.team.pk, cell.assignment.pk)
    return render(
        request,
        "deliverables/staff/overview.html",
        {
            "cohort": cohort,
            "assignments": assignments,
            "matrix_assignments": data.assignments,
            "rows": rows,
            "track": track,
            "tracks": Track.choices,
            "sort": sort,
            "next_sort": "-organisation" if sort == "organisation" else "organisation",
            "can_manage": can_manage,
            "seed_missing": can_manage and _seed_missing(data.kinds),
        },
    )


def _seed_missing(existing: set[str]) -> int:
    """How many kinds of the seed's set the cohort (with assignments of these kinds) lacks."""
    return sum(item.kind not in existing for item in services.SEED_SET)


def overview_workbook(cohort, data) -> bytes:
    header = [_("Organisation"), _("Track")]
    for assignment in data.assignments:
        due = dates.day(assignment.due_at)
        header.append(f"{assignment.title} ({due})")
    sheet = [[str(h) for h in header]]
    for row in data.rows:
        line = [row.team.organisation.name, row.team.get_track_display()]
        for cell in row.cells:
            text = str(cell.label)
            if cell.reopening is not None:
                until = dates.moment(cell.reopening.until)
                text += " – " + _("reopened until %(when)s") % {"when": until}
            line.append(text)
        sheet.append([str(v) for v in line])
    # Plain SpreadsheetML, not openpyxl's cell objects (soske.xlsx.sheet_bytes, issue 13).
    return sheet_bytes(pgettext("deliverables", "Assignments"), sheet, widths={"A": 36})


@view_required
def overview_xlsx(request, cohort_pk):
    cohort = _cohort(cohort_pk)
    track = _track(request)
    content = overview_workbook(cohort, selectors.overview(cohort, track=track or None))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    suffix = f"-{track}" if track else ""
    response["Content-Disposition"] = (
        f'attachment; filename="deliverables-{cohort.slug}{suffix}.xlsx"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The seed's set -------------------------------------------------------------------


def _language_index() -> int:
    return {"fi": 0, "sv": 1, "en": 2}.get((translation.get_language() or "fi")[:2], 0)


@manage_required
def seed(request, cohort_pk):
    cohort = _cohort(cohort_pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refused(request) as refusal:
            created = services.assignments_seed(cohort=cohort, actor=request.user)
        if not refusal:
            if created:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s assignment was added. Check its dates and texts.",
                        "%(n)s assignments were added. Check their dates and texts.",
                        len(created),
                    )
                    % {"n": len(created)},
                )
            else:
                messages.info(
                    request,
                    _("The cohort already has every assignment of the set: nothing was added."),
                )
            return redirect("deliverables_staff:overview", cohort_pk=cohort.pk)
    existing = set(cohort.assignments.values_list("kind", flat=True))
    index = _language_index()
    items = [
        {
            "title": item.titles[index],
            "audience": services.Audience(item.audience).label,
            "worksheets": [str(WORKSHEETS[k].label) for k in item.worksheets],
            "exists": item.kind in existing,
        }
        for item in services.SEED_SET
    ]
    return render(
        request,
        "deliverables/staff/seed.html",
        {
            "cohort": cohort,
            "form": form,
            "items": items,
            "to_create": sum(not item["exists"] for item in items),
            "has_conduct_items": cohort.conduct_items.exists(),
        },
    )


# --- Assignments ----------------------------------------------------------------------


@manage_required
def assignment_new(request, cohort_pk):
    cohort = _cohort(cohort_pk)
    form = AssignmentForm(request.POST or None, cohort=cohort)
    if request.method == "POST":
        if form.is_valid():
            with refused(request, form=form) as refusal:
                services.assignment_create(
                    cohort=cohort, actor=request.user, **form.service_fields()
                )
            if not refusal:
                messages.success(request, _("The assignment was added."))
                return redirect("deliverables_staff:overview", cohort_pk=cohort.pk)
        messages.error(request, _("The assignment was not saved. See the errors below."))
    return render(
        request,
        "deliverables/staff/assignment_form.html",
        {"cohort": cohort, "form": form, "assignment": None},
    )


@manage_required
def assignment_edit(request, pk):
    assignment = _assignment(pk)
    # The form works on its own copy: a refused save leaves `assignment` as stored.
    form = AssignmentForm(
        request.POST or None, instance=Assignment.objects.get(pk=pk), cohort=assignment.cohort
    )
    if request.method == "POST":
        if form.is_valid():
            with refused(request, form=form) as refusal:
                services.assignment_update(
                    assignment=assignment, actor=request.user, **form.service_fields()
                )
            if not refusal:
                messages.success(request, _("The assignment was saved."))
                return redirect("deliverables_staff:overview", cohort_pk=assignment.cohort_id)
        messages.error(request, _("The assignment was not saved. See the errors below."))
    return render(
        request,
        "deliverables/staff/assignment_form.html",
        {"cohort": assignment.cohort, "form": form, "assignment": assignment},
    )


@manage_required
def assignment_delete(request, pk):
    assignment = _assignment(pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refused(request) as refusal:
            services.assignment_delete(assignment=assignment, actor=request.user)
        if refusal:
            return redirect("deliverables_staff:assignment", pk=assignment.pk)
        messages.success(
            request, _("The assignment “%(title)s” was removed.") % {"title": assignment.title}
        )
        return redirect("deliverables_staff:overview", cohort_pk=assignment.cohort_id)
    worked_on = (
        Submission.objects.filter(assignment=assignment)
        .exclude(draft={})
        .select_related("team__organisation")
    )
    return render(
        request,
        "deliverables/staff/assignment_delete.html",
        {
            "cohort": assignment.cohort,
            "assignment": assignment,
            "form": form,
            "worked_on": [s.team.organisation.name for s in worked_on],
        },
    )


# --- Reopening for one team -----------------------------------------------------------


@manage_required
def reopen(request, pk):
    assignment = _assignment(pk)
    # A week past the cut-off (or from now, if that has passed), in the afternoon.
    start = max(assignment.cutoff_at, clock.request_time(request))
    suggested = clock.helsinki_datetime(clock.helsinki(start).date() + timedelta(days=7), time(16))
    form = ReopenForm(
        request.POST or None, teams=services.peer_teams(assignment), suggested_until=suggested
    )
    if request.method == "POST":
        if form.is_valid():
            team = form.cleaned_data["team"]
            with refused(request, form=form) as refusal:
                reopening = services.reopen_for_team(
                    assignment=assignment,
                    team=team,
                    until=form.cleaned_data["until"],
                    actor=request.user,
                )
            if not refusal:
                messages.success(
                    request,
                    _("%(team)s can submit until %(when)s.")
                    % {"team": team.organisation.name, "when": _when(reopening.until)},
                )
                return redirect("deliverables_staff:reopen", pk=assignment.pk)
        messages.error(request, _("The assignment was not reopened. See the errors below."))
    reopenings = (
        Reopening.objects.filter(assignment=assignment)
        .select_related("team__organisation", "granted_by")
        .order_by("team__organisation__name")
    )
    return render(
        request,
        "deliverables/staff/reopen.html",
        {
            "cohort": assignment.cohort,
            "assignment": assignment,
            "form": form,
            "reopenings": reopenings,
        },
    )


@manage_required
@require_POST
def reopening_withdraw(request, pk):
    reopening = get_object_or_404(
        Reopening.objects.select_related("assignment", "team__organisation"), pk=pk
    )
    services.reopening_withdraw(reopening=reopening, actor=request.user)
    messages.success(
        request,
        _("The reopening for %(team)s was withdrawn.") % {"team": reopening.team.organisation.name},
    )
    return redirect("deliverables_staff:reopen", pk=reopening.assignment_id)


# --- Reminders ------------------------------------------------------------------------


@manage_required
def remind(request, pk):
    assignment = _assignment(pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sent = services.remind_unsubmitted(
            assignment=assignment, actor=request.user, at=clock.request_time(request)
        )
        if sent:
            messages.success(
                request,
                ngettext(
                    "A reminder was sent to %(n)s person.",
                    "A reminder was sent to %(n)s people.",
                    sent,
                )
                % {"n": sent},
            )
        else:
            messages.info(
                request,
                _("Nobody was reminded: every team has submitted or was already reminded today."),
            )
        return redirect("deliverables_staff:overview", cohort_pk=assignment.cohort_id)
    teams = list(services.unsubmitted_teams(assignment).order_by("organisation__name", "pk"))
    return render(
        request,
        "deliverables/staff/remind.html",
        {
            "cohort": assignment.cohort,
            "assignment": assignment,
            "form": form,
            "teams": teams,
            "not_open_yet": assignment.opens_at > clock.request_time(request),
        },
    )


# --- The peer phase -------------------------------------------------------------------


@manage_required
def peer_open(request, pk):
    assignment = _assignment(pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.peer_phase_open(assignment=assignment, actor=request.user)
        messages.success(
            request,
            _("The peer phase is open: the teams were told by mail and can comment now."),
        )
        return redirect("deliverables_staff:overview", cohort_pk=assignment.cohort_id)
    teams = list(services.peer_teams(assignment))
    submitted = set(
        Submission.objects.filter(assignment=assignment, latest_version__isnull=False).values_list(
            "team_id", flat=True
        )
    )
    return render(
        request,
        "deliverables/staff/peer_open.html",
        {
            "cohort": assignment.cohort,
            "assignment": assignment,
            "form": form,
            "teams": [{"team": t, "submitted": t.pk in submitted} for t in teams],
        },
    )


@manage_required
@require_POST
def peer_close(request, pk):
    assignment = _assignment(pk)
    services.peer_phase_close(assignment=assignment, actor=request.user)
    messages.success(
        request,
        _("The peer phase was closed: the teams no longer see each other's work. The comments "
          "are kept; open the phase again to show them."),
    )  # fmt: skip
    return redirect("deliverables_staff:overview", cohort_pk=assignment.cohort_id)


# --- The annex builder's list ---------------------------------------------------------


def _conduct_page(request, cohort, form):
    items = list(ConductItem.objects.filter(cohort=cohort).order_by("kind", "position", "id"))
    headings = {
        ConductItemKind.OBLIGATION: _("Minimum responsibility obligations"),
        ConductItemKind.TERM: _("Contract terms that enforce them"),
    }
    groups = [
        {
            "kind": kind,
            "label": headings[kind],
            "live": [i for i in items if i.kind == kind and i.archived_at is None],
        }
        for kind in ConductItemKind.values
    ]
    return render(
        request,
        "deliverables/staff/conduct_items.html",
        {
            "cohort": cohort,
            "groups": groups,
            "archived": [i for i in items if i.archived_at is not None],
            "empty": not items,
            "form": form,
        },
    )


@manage_required
def conduct_items(request, cohort_pk):
    cohort = _cohort(cohort_pk)
    form = ConductItemForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            with refused(request, form=form) as refusal:
                services.conduct_item_save(cohort=cohort, actor=request.user, **form.cleaned_data)
            if not refusal:
                messages.success(request, _("The item was added to the list."))
                return redirect("deliverables_staff:conduct_items", cohort_pk=cohort.pk)
        messages.error(request, _("The item was not added. See the errors below."))
    return _conduct_page(request, cohort, form)


@manage_required
@require_POST
def conduct_seed(request, cohort_pk):
    cohort = _cohort(cohort_pk)
    count = services.conduct_items_seed(cohort=cohort, actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "The default list was given: %(n)s item.",
                "The default list was given: %(n)s items.",
                count,
            )
            % {"n": count},
        )
    else:
        messages.info(request, _("The cohort already has a list: nothing was added."))
    return redirect("deliverables_staff:conduct_items", cohort_pk=cohort.pk)


@manage_required
def conduct_item_edit(request, pk):
    item = get_object_or_404(ConductItem.objects.select_related("cohort"), pk=pk)
    form = ConductItemForm(request.POST or None, instance=ConductItem.objects.get(pk=pk))
    if request.method == "POST":
        if form.is_valid():
            with refused(request, form=form) as refusal:
                services.conduct_item_save(
                    cohort=item.cohort, actor=request.user, item=item, **form.cleaned_data
                )
            if not refusal:
                messages.success(request, _("The item was saved."))
                return redirect("deliverables_staff:conduct_items", cohort_pk=item.cohort_id)
        messages.error(request, _("The item was not saved. See the errors below."))
    return render(
        request,
        "deliverables/staff/conduct_item_form.html",
        {"cohort": item.cohort, "item": item, "form": form},
    )


@manage_required
@require_POST
def conduct_item_archive(request, pk):
    item = get_object_or_404(ConductItem, pk=pk)
    archived = request.POST.get("archived", "1") != "0"
    services.conduct_item_archive(item=item, actor=request.user, archived=archived)
    if archived:
        messages.success(
            request,
            _("The item is archived: teams are no longer offered it. Restore it below to undo."),
        )
    else:
        messages.success(request, _("The item was restored: teams are offered it again."))
    return redirect("deliverables_staff:conduct_items", cohort_pk=item.cohort_id)
