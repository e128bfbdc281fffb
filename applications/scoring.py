"""Reviewer assignment, conflicts of interest, scores and the weighted arithmetic.

Totals are computed exactly (fractions.Fraction) and normalised to 0–100 so that cohorts
with different scales and weights compare: total = 100 × Σ wᵢ·(sᵢ−min)/(max−min) / Σ wᵢ.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import transaction
from django.utils.translation import gettext as _

from soske import clock
from soske.activity.services import activity_record
from soske.compiled import Compiled
from soske.errors import DomainError

from .models import Application, Review, ReviewAssignment, Score, Status


class ScoringError(DomainError):
    pass


# --- Arithmetic ------------------------------------------------------------------


def weighted_total(values: dict, weights: dict, score_min: int, score_max: int):
    """Exact normalised total (Fraction in [0, 100]) or None when a score is missing."""
    return _weighted_total(values, integer_weights(weights), score_min, score_max)


def scaled_total(values: dict, scaled_weights: dict, score_min: int, score_max: int):
    """weighted_total with weights already scaled by integer_weights: once per export, not
    once per review line."""
    return _weighted_total(values, scaled_weights, score_min, score_max)


def integer_weights(weights: dict) -> dict:
    """The weights scaled to integers in the same proportions (4.5, 3 → 9, 6). A normalised
    total doesn't change when every weight is multiplied alike, and integers let it be summed
    exactly with one division at the end: the ranking board computes 600 totals."""
    exact = {key: Fraction(weight) for key, weight in weights.items()}
    scale = math.lcm(*(f.denominator for f in exact.values())) if exact else 1
    return {key: int(f * scale) for key, f in exact.items()}


def _weighted_total(values: dict, weights: dict, score_min: int, score_max: int):
    if not weights or score_max <= score_min:
        return None
    acc = 0
    for key, weight in weights.items():
        value = values.get(key)
        if value is None:
            return None
        acc += weight * (value - score_min)
    total_weight = sum(weights.values())
    if not total_weight:
        return None
    return _ratio(100 * acc, (score_max - score_min) * total_weight)


def criterion_share(value, score_min, score_max):
    """One criterion's score on the 0–100 scale."""
    if value is None or score_max <= score_min:
        return None
    return _ratio(100 * (value - score_min), score_max - score_min)


def _ratio(numerator, denominator):
    """numerator / denominator as an exact Fraction; fast for integers (scores are)."""
    if isinstance(numerator, int) and isinstance(denominator, int):
        return Fraction(numerator, denominator)
    return Fraction(numerator) / Fraction(denominator)


def as_decimal(value, places="0.1"):
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(places), rounding=ROUND_HALF_UP
    )


@dataclass
class Result:
    totals: list = field(default_factory=list)  # one Fraction per submitted review
    by_criterion: dict = field(default_factory=dict)  # criterion id → list of shares

    @property
    def mean(self):
        return sum(self.totals) / len(self.totals) if self.totals else None

    @property
    def spread(self):
        return max(self.totals) - min(self.totals) if len(self.totals) > 1 else Fraction(0)

    def criterion_mean(self, criterion_id):
        shares = self.by_criterion.get(criterion_id) or []
        return sum(shares) / len(shares) if shares else None


def prefetched(instance, name):
    """The prefetched related objects without building a related manager and a queryset for
    each (on the board: 800 of them, a fifth of its time); the query when not prefetched."""
    cache = getattr(instance, "_prefetched_objects_cache", {})
    return cache[name] if name in cache else getattr(instance, name).all()


def application_result(application, criteria, cohort) -> Result:
    """Mean and spread over submitted reviews (uses prefetched reviews and scores)."""
    weights = integer_weights({c.pk: c.weight for c in criteria})
    result = Result()
    for review in prefetched(application, "reviews"):
        if review.state != Review.State.SUBMITTED:
            continue
        values = {s.criterion_id: s.value for s in prefetched(review, "scores")}
        total = _weighted_total(values, weights, cohort.score_min, cohort.score_max)
        if total is not None:
            result.totals.append(total)
        for criterion in criteria:
            share = criterion_share(values.get(criterion.pk), cohort.score_min, cohort.score_max)
            if share is not None:
                result.by_criterion.setdefault(criterion.pk, []).append(share)
    return result


def results_from_scores(scores, criteria, cohort) -> dict:
    """{application id: Result} from (application id, review id, criterion id, value) tuples
    of submitted reviews, ordered by review: the same sums as application_result, without
    loading a model instance per review and score."""
    weights = integer_weights({c.pk: c.weight for c in criteria})
    low, high = cohort.score_min, cohort.score_max
    by_review = {}
    for application_id, review_id, criterion_id, value in scores:
        by_review.setdefault((application_id, review_id), {})[criterion_id] = value
    results = {}
    for (application_id, _review_id), values in by_review.items():
        result = results.setdefault(application_id, Result())
        total = _weighted_total(values, weights, low, high)
        if total is not None:
            result.totals.append(total)
        for criterion in criteria:
            share = criterion_share(values.get(criterion.pk), low, high)
            if share is not None:
                result.by_criterion.setdefault(criterion.pk, []).append(share)
    return results


# --- What a reviewer sees of the scores ----------------------------------------------


_SCORES = Compiled(
    lambda pk: (
        Score.objects.filter(review__application_id=pk)
        .select_related("review__reviewer")
        .order_by("review_id")
    )
)


@dataclass
class OtherReview:
    reviewer: object
    scores: list


def reviewer_scores(*, application, reviewer, criteria, conflicted):
    """The reviewer's own review and scores, and the other reviewers' submitted scores
    without those who declared a conflict (`conflicted`: their ids), grouped by reviewer:
    one plain query of the application's scores with their reviews and reviewers, sorted out
    here (issue 13: it was the review, its scores, the others' reviews and their scores with
    their criteria; then one query whose OR and subquery cost a third more than this). The
    review is read by itself only when it has no score yet. The others are shown only once the
    reviewer has submitted their own review (until then: none)."""
    by_pk = {c.pk: c for c in criteria}
    order = {c.pk: i for i, c in enumerate(criteria)}
    review, mine, others = None, [], {}
    for score in _SCORES(application.pk):
        reviewer_id = score.review.reviewer_id
        if reviewer_id != reviewer.pk and (
            score.review.state != Review.State.SUBMITTED or reviewer_id in conflicted
        ):
            continue
        if score.criterion_id in by_pk:
            score.criterion = by_pk[score.criterion_id]
        if reviewer_id == reviewer.pk:
            review = score.review
            mine.append(score)
            continue
        other = others.setdefault(score.review_id, OtherReview(score.review.reviewer, []))
        other.scores.append(score)
    if review is None:
        review = Review.objects.filter(application=application, reviewer=reviewer).first()
    if not (review and review.state == Review.State.SUBMITTED):
        return review, mine, []
    for other in others.values():
        other.scores.sort(key=lambda s: order.get(s.criterion_id, len(order)))
    return review, mine, list(others.values())


# --- Assignment and conflicts -------------------------------------------------------


def assign(*, application, reviewers, actor) -> int:
    created = 0
    for reviewer in reviewers:
        assignment, new = ReviewAssignment.objects.get_or_create(
            application=application,
            reviewer=reviewer,
            defaults={"assigned_by": actor, "assigned_at": clock.now()},
        )
        if new:
            created += 1
            activity_record(
                actor=actor,
                action="review.assigned",
                target=assignment,
                scope=application,
                subject=reviewer.email,
                context={"cohort": application.cohort_id},
            )
    return created


def unassign(*, application, reviewer, actor):
    with transaction.atomic():
        if Review.objects.filter(
            application=application, reviewer=reviewer, state=Review.State.SUBMITTED
        ).exists():
            raise ScoringError(_("This reviewer has submitted a review; it cannot be removed."))
        deleted, _rows = ReviewAssignment.objects.filter(
            application=application, reviewer=reviewer
        ).delete()
        if deleted:
            activity_record(
                actor=actor,
                action="review.unassigned",
                target=application,
                subject=reviewer.email,
                context={"cohort": application.cohort_id},
            )


def spread_evenly(*, cohort, reviewers, per_application: int, actor) -> int:
    """Give each submitted application `per_application` reviewers, balancing the load."""
    reviewers = sorted(reviewers, key=lambda r: r.pk)
    if per_application > len(reviewers):
        raise ScoringError(_("There are fewer reviewers than reviews wanted per application."))
    load = {
        r.pk: ReviewAssignment.objects.filter(application__cohort=cohort, reviewer=r).count()
        for r in reviewers
    }
    created = 0
    applications = Application.objects.filter(cohort=cohort, status=Status.SUBMITTED)
    with transaction.atomic():
        for application in applications.order_by("pk").prefetch_related("assignments"):
            have = {a.reviewer_id for a in application.assignments.all()}
            missing = per_application - len(have & set(load))
            candidates = sorted(
                (r for r in reviewers if r.pk not in have), key=lambda r: (load[r.pk], r.pk)
            )
            for reviewer in candidates[: max(missing, 0)]:
                created += assign(application=application, reviewers=[reviewer], actor=actor)
                load[reviewer.pk] += 1
    return created


def declare_conflict(*, assignment, conflict: bool, explanation: str, actor):
    if assignment.reviewer_id != actor.pk:
        raise ScoringError(_("Only the reviewer can declare their own conflict of interest."))
    with transaction.atomic():
        locked = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        before = {"conflict": locked.conflict, "explanation": locked.conflict_explanation}
        locked.conflict = conflict
        locked.conflict_explanation = explanation if conflict else ""
        locked.declared_at = clock.now()
        locked.save(update_fields=["conflict", "conflict_explanation", "declared_at"])
        activity_record(
            actor=actor,
            action="review.conflict_declared",
            target=locked,
            scope=locked.application,
            subject=actor.email,
            context={"cohort": locked.application.cohort_id},
            before=before,
            after={"conflict": conflict, "explanation": locked.conflict_explanation},
        )
    return locked


# --- Reviews -------------------------------------------------------------------------


def review_save(*, application, reviewer, values: dict, justifications: dict, submit: bool):
    """Store a reviewer's scores; `submit` also requires every score and freezes the scale."""
    cohort = application.cohort
    assignment = ReviewAssignment.objects.filter(application=application, reviewer=reviewer).first()
    if assignment is None:
        raise ScoringError(_("You have not been assigned to this application."), code="forbidden")
    if assignment.conflict is not False:
        raise ScoringError(
            _("Declare first that you have no conflict of interest."), code="forbidden"
        )
    criteria = list(cohort.criteria.all())
    if not criteria:
        raise ScoringError(
            _("This cohort has no selection criteria yet: there is nothing to score.")
        )
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is not None and not cohort.score_min <= value <= cohort.score_max:
            raise ScoringError(
                _("Scores go from %(min)s to %(max)s.")
                % {"min": cohort.score_min, "max": cohort.score_max}
            )
    if submit and any(values.get(c.pk) is None for c in criteria):
        raise ScoringError(_("Give a score on every criterion before submitting."))
    with transaction.atomic():
        review, _created = Review.objects.select_for_update().get_or_create(
            application=application, reviewer=reviewer, defaults={"updated_at": clock.now()}
        )
        if review.state == Review.State.SUBMITTED and not submit:
            raise ScoringError(_("This review has been submitted; submit the changes again."))
        existing = {s.criterion_id: s for s in review.scores.all()}
        for criterion in criteria:
            value = values.get(criterion.pk)
            text = (justifications.get(criterion.pk) or "").strip()
            score = existing.get(criterion.pk) or Score(review=review, criterion=criterion)
            before = {"score": score.value, "justification": score.justification}
            if score.pk and before == {"score": value, "justification": text}:
                continue
            score.value = value
            score.justification = text
            score.save()
            activity_record(
                actor=reviewer,
                action="review.scored",
                target=score,
                scope=application,
                subject=criterion.name,
                # The history words the criterion in its reader's language, by its id.
                context={"cohort": cohort.pk, "criterion": criterion.pk},
                before=before if before["score"] is not None or before["justification"] else None,
                after={"score": value, "justification": text},
            )
        review.updated_at = clock.now()
        if submit:
            if review.state != Review.State.SUBMITTED:
                activity_record(
                    actor=reviewer,
                    action="review.submitted",
                    target=review,
                    scope=application,
                    subject=reviewer.email,
                    context={"cohort": cohort.pk},
                )
            review.state = Review.State.SUBMITTED
            review.submitted_at = review.updated_at
            type(cohort).objects.filter(pk=cohort.pk, scoring_started_at__isnull=True).update(
                scoring_started_at=review.updated_at
            )
        review.save()
    return review
