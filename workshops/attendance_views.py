"""Attendance for staff (the list ticked on the day, the cohort's matrix and its XLSX) and
the staff page of the cohort's teams."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from cohorts import services as cohort_services
from cohorts import team_facts
from cohorts.models import Cohort, Team, TeamRole
from soske import clock, dates
from soske.errors import refused
from soske.permissions import coordinator_required, staff_required
from soske.xlsx import sheet_bytes

from . import attendance as service
from .models import Attendance, Event, EventKind, SparringBooking

EXTRA_ROLES = [("contact", gettext_lazy("Contact person"))]
# The management first: the person a coordinator most often adds is the manager.
MEMBER_ROLES = [
    (TeamRole.MANAGEMENT.value, TeamRole.MANAGEMENT.label),
    *[choice for choice in TeamRole.choices if choice[0] != TeamRole.MANAGEMENT],
]


def role_label(role) -> str:
    labels = dict([*TeamRole.choices, *EXTRA_ROLES])
    return labels.get(role, role)


# --- On the day --------------------------------------------------------------------------


@staff_required
def event_attendance(request, event_pk):
    event = get_object_or_404(
        Event.objects.select_related("cohort").exclude(kind=EventKind.SPARRING_ROUND),
        pk=event_pk,
    )
    teams = [
        team
        for team in Team.objects.filter(cohort=event.cohort, active=True)
        .select_related("organisation")
        .prefetch_related("memberships")
        .order_by("organisation__name")
        if event.concerns(team.track)
    ]
    rows = {a.membership_id: a for a in Attendance.objects.filter(event=event)}
    if request.method == "POST":
        came = set(request.POST.getlist("came"))
        attended = {m.pk: str(m.pk) in came for team in teams for m in team.memberships.all()}
        with refused(request) as refusal:
            changed = service.attendance_mark(event=event, attended=attended, actor=request.user)
        if not refusal:
            messages.success(
                request,
                _("Attendance saved: %(came)s came.") % {"came": sum(attended.values())}
                if changed
                else _("Attendance saved: nothing had changed."),
            )
        return redirect("sparring_staff:event_attendance", event_pk=event.pk)
    groups = []
    for team in teams:
        members = []
        for m in team.memberships.all():
            row = rows.get(m.pk)
            planned = bool(row and row.planned)
            came = row.attended if row and row.attended is not None else planned
            members.append({"membership": m, "planned": planned, "came": came})
        groups.append({"team": team, "members": members})
    return render(request, "workshops/sparring/attendance.html", {"event": event, "groups": groups})


# --- The cohort's matrix -----------------------------------------------------------------


@staff_required
def cohort_attendance(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    events, rows = service.attendance_matrix(cohort)
    return render(
        request,
        "workshops/sparring/matrix.html",
        {"cohort": cohort, "events": events, "rows": _with_totals(rows)},
    )


def _with_totals(rows):
    for row in rows:
        row.planned = sum(c.planned for c in row.cells if c.applies)
        row.attended = sum(c.attended for c in row.cells if c.applies)
    return rows


def matrix_workbook(cohort, events, rows):
    header = [_("Organisation"), _("Track")]
    for event in events:
        day = dates.day(event.starts_at)
        header += [f"{event.title} {day}: {_('came')}", f"{event.title} {day}: {_('named')}"]
    header += [_("Came in total"), _("Named in total")]
    sheet = [header]
    for row in rows:
        line = [row.team.organisation.name, row.team.get_track_display()]
        for cell in row.cells:
            line += [cell.attended, cell.planned] if cell.applies else ["–", "–"]
        line += [row.attended, row.planned]
        sheet.append(line)
    # Plain SpreadsheetML, not openpyxl's cell objects (soske.xlsx.sheet_bytes, issue 13).
    return sheet_bytes(_("Attendance"), sheet)


@staff_required
def cohort_attendance_xlsx(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    events, rows = service.attendance_matrix(cohort)
    content = matrix_workbook(cohort, events, _with_totals(rows))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="attendance-{cohort.slug}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The cohort's teams ------------------------------------------------------------------


class MemberForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=MEMBER_ROLES)


@coordinator_required
def cohort_teams(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    rounds = list(
        Event.objects.live()
        .filter(cohort=cohort, kind=EventKind.SPARRING_ROUND)
        .order_by("starts_at")
    )
    booked = SparringBooking.objects.filter(state=SparringBooking.State.BOOKED).select_related(
        "slot"
    )
    teams = list(
        Team.objects.filter(cohort=cohort)
        .select_related("organisation")
        .prefetch_related(
            "memberships", Prefetch("sparring_bookings", queryset=booked, to_attr="booked")
        )
        .annotate(
            came=Count(
                "memberships__attendance",
                filter=Q(memberships__attendance__attended=True),
                distinct=True,
            ),
            named=Count(
                "memberships__attendance",
                filter=Q(memberships__attendance__planned=True),
                distinct=True,
            ),
        )
        .order_by("organisation__name")
    )
    facts = team_facts.facts_for(t.pk for t in teams)
    labels = [f.label for f in team_facts.registered()]
    for team in teams:
        team.fact_cells = list(zip(labels, facts[team.pk], strict=True))
        by_round = {b.round_id: b for b in team.booked}
        team.round_cells = [(r, by_round.get(r.pk), r.concerns(team.track)) for r in rounds]
        team.members = [
            {"membership": m, "role": role_label(m.role)} for m in team.memberships.all()
        ]
        team.contact = next((m for m in team.memberships.all() if m.role == "contact"), None)
    return render(
        request,
        "workshops/sparring/teams.html",
        {
            "cohort": cohort,
            "teams": teams,
            "rounds": rounds,
        },
    )


def _team(pk, team_pk):
    return get_object_or_404(
        Team.objects.select_related("organisation", "cohort"), pk=team_pk, cohort_id=pk
    )


@coordinator_required
def member_new(request, pk, team_pk):
    team = _team(pk, team_pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            with refused(request, form=form, field="email") as refusal:
                cohort_services.team_member_add(
                    team=team,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    actor=request.user,
                )
            if not refusal:
                messages.success(
                    request,
                    _("%(name)s was added to the team and invited by e-mail.")
                    % {"name": form.cleaned_data["name"]},
                )
                return redirect("sparring_staff:cohort_teams", pk=team.cohort_id)
        messages.error(request, _("Nobody was added. See the errors below."))
    return render(request, "workshops/sparring/member_new.html", {"team": team, "form": form})


@coordinator_required
@require_POST
def invitations_resend(request, pk, team_pk):
    team = _team(pk, team_pk)
    sent = cohort_services.team_invitations_resend(
        team=team, actor=request.user, at=clock.request_time(request)
    )
    if sent:
        messages.success(
            request,
            ngettext(
                "The invitation was sent again to %(n)s person.",
                "The invitation was sent again to %(n)s people.",
                sent,
            )
            % {"n": sent},
        )
    else:
        messages.info(
            request,
            _("No invitation was sent: everyone has joined or was invited again today."),
        )
    return redirect("sparring_staff:cohort_teams", pk=team.cohort_id)
