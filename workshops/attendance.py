"""Attendance: teams name in advance who comes, staff tick on the day who came."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from cohorts.models import Team, TeamMembership, TeamRole, Track
from soske import clock
from soske.activity.services import activity_record

from .models import Attendance, Event, EventKind
from .programme import ProgrammeError


def attendance_plan(*, team, event, membership_ids, actor) -> list[Attendance]:
    """The team names who attends `event`: exactly these of its members are planned."""
    if event.cohort_id != team.cohort_id or not event.concerns(team.track):
        raise ProgrammeError(_("This event is not in your organisation's programme."))
    if event.is_cancelled:
        raise ProgrammeError(_("This event has been cancelled."))
    if event.is_sparring_round:
        raise ProgrammeError(_("Sparring is booked, not attended by name."))
    if event.starts_at <= clock.now():
        raise ProgrammeError(_("The event has started; staff record who came."))
    chosen = {int(pk) for pk in membership_ids}
    members = {m.pk: m for m in team.memberships.all()}
    if not chosen <= set(members):
        raise ProgrammeError(_("Choose members of your own team."))
    moment = clock.now()
    with transaction.atomic():
        rows = {
            a.membership_id: a
            for a in Attendance.objects.filter(event=event, membership__team=team)
        }
        before = sorted(pk for pk, a in rows.items() if a.planned)
        result = []
        for pk in members:
            row = rows.get(pk)
            planned = pk in chosen
            if row is None:
                if not planned:
                    continue
                row = Attendance(event=event, membership_id=pk)
            elif row.planned == planned:
                result.append(row)
                continue
            row.planned = planned
            row.updated_by = actor
            row.updated_at = moment
            row.save()
            result.append(row)
        if before != sorted(chosen):
            activity_record(
                actor=actor,
                action="attendance.planned",
                target=event,
                scope=team,
                subject=team.organisation.name,
                before={"planned": before},
                after={"planned": sorted(chosen)},
                context={"cohort": team.cohort_id},
            )
    return result


def attendance_mark(*, event, attended: dict, actor) -> int:
    """Staff tick who came: {membership_id: True/False/None}; returns how many changed."""
    valid = set(
        TeamMembership.objects.filter(
            team__cohort_id=event.cohort_id, team__active=True
        ).values_list("pk", flat=True)
    )
    if not set(attended) <= valid:
        raise ProgrammeError(_("Tick only members of this cohort's teams."))
    moment = clock.now()
    changed = 0
    with transaction.atomic():
        rows = {
            a.membership_id: a for a in Attendance.objects.select_for_update().filter(event=event)
        }
        for pk, value in attended.items():
            row = rows.get(pk) or Attendance(event=event, membership_id=pk)
            if row.pk and row.attended == value:
                continue
            row.attended = value
            row.updated_by = actor
            row.updated_at = moment
            row.save()
            changed += 1
        if changed:
            activity_record(
                actor=actor,
                action="attendance.marked",
                target=event,
                scope=event.cohort,
                subject=event.title_fi,
                after={"changed": changed},
                context={"cohort": event.cohort_id},
            )
    return changed


def missing_employment_services(team, event, planned_ids) -> bool:
    """An employment-track team without its employment-services representative named for
    the first workshop (the seed expects one there at least)."""
    if team.track != Track.EMPLOYMENT or event.kind != EventKind.WORKSHOP:
        return False
    first = (
        Event.objects.live()
        .filter(cohort_id=event.cohort_id, kind=EventKind.WORKSHOP)
        .for_track(team.track)
        .order_by("starts_at")
        .values_list("pk", flat=True)
        .first()
    )
    if first != event.pk:
        return False
    return not any(
        m.role == TeamRole.EMPLOYMENT_SERVICES and m.pk in planned_ids
        for m in team.memberships.all()
    )


# --- The cohort's matrix -----------------------------------------------------------------


@dataclass
class Cell:
    planned: int = 0
    attended: int = 0
    applies: bool = True


@dataclass
class MatrixRow:
    team: Team
    cells: list = field(default_factory=list)


def attendance_matrix(cohort):
    """Teams × joint events: how many were named and how many came. Constant queries."""
    events = list(
        Event.objects.live()
        .filter(cohort=cohort)
        .exclude(kind=EventKind.SPARRING_ROUND)
        .order_by("starts_at")
    )
    teams = list(
        Team.objects.filter(cohort=cohort, active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    counts = {}
    for event_id, team_id, planned, attended in Attendance.objects.filter(
        event__in=events, membership__team__in=teams
    ).values_list("event_id", "membership__team_id", "planned", "attended"):
        cell = counts.setdefault((team_id, event_id), Cell())
        cell.planned += bool(planned)
        cell.attended += attended is True
    rows = []
    for team in teams:
        row = MatrixRow(team=team)
        for event in events:
            cell = counts.get((team.pk, event.pk), Cell())
            cell.applies = event.concerns(team.track)
            row.cells.append(cell)
        rows.append(row)
    return events, rows
