"""Reads that several pages share: the submitted applications, conflicts, the ranking."""

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from . import scoring
from .models import Application, Interview, Review, ReviewAssignment, Score, Status


def submitted_applications(*, cohort):
    return Application.objects.filter(cohort=cohort, status=Status.SUBMITTED)


def conflicted_application_ids(*, cohort, user) -> set:
    """Applications this staff member declared a conflict of interest with."""
    return set(
        ReviewAssignment.objects.filter(
            application__cohort=cohort, reviewer=user, conflict=True
        ).values_list("application_id", flat=True)
    )


# The long answers that neither the board nor the export reads (they read names, track,
# type, the manager's address and the commitment dates).
RANKING_DEFERRED = tuple(
    field.name
    for field in Application._meta.concrete_fields
    if isinstance(field, models.TextField | models.JSONField)
)


def _bar(criterion, value):
    """(criterion, its mean 0–100 or None, the same as a <meter> value in 0–1 written short:
    ".83", "1", "0"): the board's 800 meters need no max="100" (issue 13: 8 kB of 150)."""
    if not value:
        return criterion, value, "0"
    number = int(value)
    return criterion, value, "1" if number >= 100 else f".{number:02d}"


def ranking_rows(*, cohort, viewer=None):
    """The criteria and the ranked rows as `viewer` may see them.

    No scores of an application the viewer is conflicted on. The ranking board, the
    reviews export and the results book read this.
    """
    criteria = list(cohort.criteria.all())
    conflicted = (
        conflicted_application_ids(cohort=cohort, user=viewer) if viewer is not None else set()
    )
    applications = (
        submitted_applications(cohort=cohort)
        .defer(*RANKING_DEFERRED)
        .select_related("decision")
        .prefetch_related(
            Prefetch(
                "interviews",
                queryset=Interview.objects.filter(state=Interview.State.BOOKED),
                to_attr="active_interviews",
            ),
        )
    )
    # The submitted reviews' scores as plain tuples, not 600 Review and 2,400 Score objects
    # with their justifications: the board only sums them (issue 13).
    scores = (
        Score.objects.filter(
            review__application__cohort=cohort,
            review__application__status=Status.SUBMITTED,
            review__state=Review.State.SUBMITTED,
        )
        .order_by("review_id")
        .values_list("review__application_id", "review_id", "criterion_id", "value")
    )
    results = scoring.results_from_scores(scores, criteria, cohort)
    rows = []
    for application in applications:
        if application.pk in conflicted:
            result = scoring.Result()
        else:
            result = results.get(application.pk) or scoring.Result()
        decision = getattr(application, "decision", None)
        rows.append(
            {
                "application": application,
                "conflicted": application.pk in conflicted,
                "exact_mean": result.mean,
                "mean": scoring.as_decimal(result.mean),
                "spread": scoring.as_decimal(result.spread),
                "reviews": len(result.totals),
                "bars": [
                    _bar(c, scoring.as_decimal(result.criterion_mean(c.pk), "1")) for c in criteria
                ],
                "decision": decision,
                "commitment": commitment_state(application),
                "interview": application.active_interviews[0]
                if application.active_interviews
                else None,
            }
        )
    # By the exact mean: two totals shown alike (71.25 and 71.33 both as 71.3) still rank apart.
    rows.sort(
        key=lambda r: (
            r["exact_mean"] is None,
            -(r["exact_mean"] or 0),
            r["application"].org_name,
        )
    )
    return criteria, rows


class Commitment(models.TextChoices):
    """Where the management's confirmation of an application stands."""

    CONFIRMED = "confirmed", _("Confirmed")
    REQUESTED = "requested", _("Requested, not confirmed yet")
    MISSING = "missing", _("Missing: no request sent")


def commitment_state(application) -> "Commitment":
    if application.commitment_confirmed_at:
        return Commitment.CONFIRMED
    if application.commitment_requested_at:
        return Commitment.REQUESTED
    return Commitment.MISSING


def commitment_by_team(team_ids) -> dict:
    """{team_id: the commitment status of the team's application} for the staff team page."""
    from django.utils.translation import gettext as _

    from soske import dates

    result = {}
    rows = Application.objects.filter(team_record_id__in=list(team_ids)).values_list(
        "team_record_id", "commitment_requested_at", "commitment_confirmed_at"
    )
    for team_id, requested, confirmed in rows:
        if confirmed:
            result[team_id] = _("Confirmed %(day)s") % {"day": dates.day(confirmed)}
        elif requested:
            result[team_id] = _("Requested, not confirmed yet")
        else:
            result[team_id] = _("Not requested yet")
    return result
