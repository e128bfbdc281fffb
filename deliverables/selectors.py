"""Reads several pages share: where each team stands with each assignment."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from cohorts.models import Team, Track
from soske.compiled import Compiled

from .models import Assignment, Reopening, Submission, SubmissionState


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    LATE = "late", _("Submitted late")
    NEEDS_CHANGES = "needs_changes", _("Feedback given")
    ACCEPTED = "accepted", _("Accepted")
    NOT_FOR_TRACK = "not_for_track", _("Not for this track")


def progress(submission: Submission | None) -> str:
    if submission is None:
        return Progress.NOT_STARTED
    if submission.state == SubmissionState.ACCEPTED:
        return Progress.ACCEPTED
    if submission.state == SubmissionState.NEEDS_CHANGES:
        return Progress.NEEDS_CHANGES
    version = submission.latest_version
    if version is not None:
        return Progress.LATE if version.late else Progress.SUBMITTED
    if submission.draft_saved_at is not None:
        return Progress.DRAFT
    return Progress.NOT_STARTED


@dataclass
class Cell:
    assignment: Assignment
    team: Team
    submission: Submission | None
    status: str
    reopening: Reopening | None = None

    @property
    def label(self):
        return Progress(self.status).label


@dataclass
class Row:
    team: Team
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Overview:
    assignments: list[Assignment]
    rows: list[Row]
    kinds: set[str] = field(default_factory=set)  # of all the cohort's assignments

    def counts(self) -> dict[int, dict[str, int]]:
        """Per assignment: how many teams stand where."""
        counts = {a.pk: {} for a in self.assignments}
        for row in self.rows:
            for cell in row.cells:
                bucket = counts[cell.assignment.pk]
                bucket[cell.status] = bucket.get(cell.status, 0) + 1
        return counts


# The overview's queries, compiled once (soske.compiled; issue 13).
_ASSIGNMENTS = Compiled(
    lambda cohort_id: (
        Assignment.objects.filter(cohort_id=cohort_id)
        .select_related("event")
        .order_by("due_at", "position", "id")
    )
)
_TEAMS = {
    track: Compiled(
        lambda cohort_id, track=track: (
            Team.objects.filter(cohort_id=cohort_id, active=True)
            .filter(**({"track": track} if track else {}))
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        )
    )
    for track in [None, *Track.values]
}
# Only what `progress` reads: not the drafts' and versions' content (JSON that was most of
# the overview's time, issue 13).
_SUBMISSIONS = Compiled(
    lambda cohort_id: (
        Submission.objects.filter(assignment__cohort_id=cohort_id)
        .select_related("latest_version")
        .only(
            "assignment",
            "team",
            "state",
            "draft_saved_at",
            "latest_version",
            "latest_version__late",
        )
    )
)
_REOPENINGS = Compiled(lambda cohort_id: Reopening.objects.filter(assignment__cohort_id=cohort_id))


def overview(cohort, *, track: str | None = None) -> Overview:
    """Teams × assignments of a cohort, in four queries whatever the size."""
    assignments = _ASSIGNMENTS(cohort.pk)
    kinds = {a.kind for a in assignments}
    if track:
        assignments = [a for a in assignments if a.concerns(track)]
    teams = _TEAMS[track or None](cohort.pk)
    submissions = {(s.assignment_id, s.team_id): s for s in _SUBMISSIONS(cohort.pk)}
    reopenings = {(r.assignment_id, r.team_id): r for r in _REOPENINGS(cohort.pk)}
    rows = []
    for team in teams:
        row = Row(team=team)
        for assignment in assignments:
            key = (assignment.pk, team.pk)
            submission = submissions.get(key)
            status = (
                progress(submission) if assignment.concerns(team.track) else Progress.NOT_FOR_TRACK
            )
            row.cells.append(Cell(assignment, team, submission, status, reopenings.get(key)))
        rows.append(row)
    return Overview(assignments=assignments, rows=rows, kinds=kinds)


def team_assignments(team) -> list[Cell]:
    """The team's assignments with where it stands, in due order."""
    assignments = list(
        Assignment.objects.filter(cohort_id=team.cohort_id)
        .for_track(team.track)
        .select_related("event")
        .order_by("due_at", "position", "id")
    )
    submissions = {
        s.assignment_id: s
        for s in Submission.objects.filter(team=team).select_related("latest_version")
    }
    reopenings = {r.assignment_id: r for r in Reopening.objects.filter(team=team)}
    return [
        Cell(a, team, submissions.get(a.pk), progress(submissions.get(a.pk)), reopenings.get(a.pk))
        for a in assignments
    ]
