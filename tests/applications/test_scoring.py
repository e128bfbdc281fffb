"""Scoring: reviewers are assigned, declare conflicts of interest, score, and the totals.

A review's total is 100 × Σ wᵢ·(sᵢ − min)/(max − min) / Σ wᵢ, kept exact (Fraction):
0 is every criterion at the bottom of the scale, 100 every one at the top, so cohorts
with different scales and weights compare. An application's result is the mean over its
submitted reviews, shown with their spread. The weights and the scale freeze when the
first review of the cohort is submitted.

The helpers at the top are shared by test_selection*.py and tests/cohorts/test_team.py.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from applications import scoring, selectors, services
from applications.models import (
    Application,
    ApplicationMember,
    Interview,
    InterviewSlot,
    Review,
    ReviewAssignment,
    Score,
    Status,
    TeamMember,
)
from cohorts.forms import CohortForm, CriterionFormSet, ThemeFormSet
from cohorts.models import Cohort, Criterion, OrganisationType, Track
from cohorts.services import DEFAULT_CRITERIA, CohortError, cohort_update
from soske import clock
from soske.activity.models import ActivityEntry
from soske.users.models import Role
from tests.conftest import _person, client_for
from tests.factories import ApplicationFactory, CohortFactory, UserFactory, fill_complete

KEYS = tuple(c["key"] for c in DEFAULT_CRITERIA)  # weights 4, 3, 2, 1; scale 0–5
FROZEN = "Scoring has started: the criteria, weights and score scale can no longer change."

# --- shared helpers ---------------------------------------------------------------------


def staff(email, role=Role.REVIEWER, language="en"):
    return _person(email, role, language)


def submitted_application(
    cohort,
    *,
    org_name,
    owner=None,
    language="fi",
    track=Track.EMPLOYMENT,
    org_type=OrganisationType.MUNICIPALITY,
    members=(),
):
    """A complete application submitted through the service (so it has an organisation).

    `members` are extra (name, e-mail, role) team members besides the two e-mail-less ones
    every complete application has.
    """
    owner = owner or UserFactory(language=language)
    application = ApplicationFactory(cohort=cohort, created_by=owner, org_name=org_name)
    fill_complete(application, track=track)
    application.org_type = org_type
    application.save()
    for name, email, role in members:
        TeamMember.objects.create(application=application, name=name, email=email, role=role)
    services.application_submit(
        application=application,
        actor=owner,
        at=clock.now(),
        submit_token=f"submit-{application.pk}",
        consent=True,
    )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    return application


def assigned(application, reviewer, *, conflict=False, explanation="", by=None):
    """Assign `reviewer`; with conflict True/False also declare (None: not declared yet)."""
    scoring.assign(application=application, reviewers=[reviewer], actor=by or reviewer)
    assignment = ReviewAssignment.objects.get(application=application, reviewer=reviewer)
    if conflict is not None:
        assignment = scoring.declare_conflict(
            assignment=assignment,
            conflict=conflict,
            explanation=explanation or ("Entinen työnantaja" if conflict else ""),
            actor=reviewer,
        )
    return assignment


def scored(application, reviewer, scores, *, submit=True, justification=""):
    """Save `reviewer`'s review; `scores` in the cohort's criterion order or by key.

    Assigns the reviewer (without conflict) first when they are not assigned yet.
    """
    criteria = list(application.cohort.criteria.all())
    if not isinstance(scores, dict):
        scores = dict(zip([c.key for c in criteria], scores, strict=True))
    if not ReviewAssignment.objects.filter(application=application, reviewer=reviewer).exists():
        assigned(application, reviewer)
    if isinstance(justification, str):
        justification = dict.fromkeys(scores, justification)
    return scoring.review_save(
        application=application,
        reviewer=reviewer,
        values={c.pk: scores.get(c.key) for c in criteria},
        justifications={c.pk: justification.get(c.key, "") for c in criteria},
        submit=submit,
    )


def set_weights(cohort, weights):
    for criterion, weight in zip(cohort.criteria.all(), weights, strict=True):
        Criterion.objects.filter(pk=criterion.pk).update(weight=Decimal(weight))


def score_post(cohort, scores, *, action="submit", justification="Perustelu"):
    data = {"action": action}
    for criterion, value in zip(cohort.criteria.all(), scores, strict=True):
        data[f"score_{criterion.pk}"] = "" if value is None else str(value)
        data[f"justification_{criterion.pk}"] = justification
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def cohort_edit_data(cohort, *, weights=None, **overrides):
    """What the cohort edit page posts back for `cohort`, with weights by key changed."""

    def local(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")

    def day(value):
        return value.isoformat() if value else ""

    criteria = list(cohort.criteria.all())
    data = {
        "name": cohort.name,
        "slug": cohort.slug,
        "call_opens_at": local(cohort.call_opens_at),
        "deadline": local(cohort.deadline),
        "grace_minutes": str(int(cohort.grace.total_seconds() // 60)),
        "interview_cutoff_hours": str(int(cohort.interview_change_cutoff.total_seconds() // 3600)),
        "interviews_start": day(cohort.interviews_start),
        "interviews_end": day(cohort.interviews_end),
        "selection_date": day(cohort.selection_date),
        "kickoff_date": day(cohort.kickoff_date),
        "closing_date": day(cohort.closing_date),
        "max_selected": str(cohort.max_selected),
        "score_min": str(cohort.score_min),
        "score_max": str(cohort.score_max),
        "pre_assignment_text": cohort.pre_assignment_text,
        "pre_assignment_due": day(cohort.pre_assignment_due),
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "themes-TOTAL_FORMS": "0",
        "themes-INITIAL_FORMS": "0",
        "themes-MIN_NUM_FORMS": "0",
        "themes-MAX_NUM_FORMS": "1000",
    }
    for i, c in enumerate(criteria):
        for name in (
            "order",
            "key",
            "name_fi",
            "name_sv",
            "name_en",
            "description_fi",
            "description_sv",
            "description_en",
        ):
            data[f"criteria-{i}-{name}"] = getattr(c, name)
        data[f"criteria-{i}-weight"] = str((weights or {}).get(c.key, c.weight))
        data[f"criteria-{i}-id"] = str(c.pk)
        data[f"criteria-{i}-cohort"] = str(cohort.pk)
    # The words of each point of the scale, as the page shows them.
    shown = CohortForm(instance=cohort)
    for name in shown.score_label_names:
        data[name] = shown[name].initial
    data.update(overrides)
    return data


def cohort_forms(cohort, **kwargs):
    data = cohort_edit_data(cohort, **kwargs)
    form = CohortForm(data, instance=cohort)
    criteria = CriterionFormSet(data, instance=cohort, prefix="criteria")
    themes = ThemeFormSet(data, instance=cohort, prefix="themes")
    assert form.is_valid(), form.errors
    assert criteria.is_valid(), criteria.errors
    assert themes.is_valid(), themes.errors
    return {"form": form, "criteria_formset": criteria, "themes_formset": themes}


def update_cohort(cohort, actor, **kwargs):
    return cohort_update(cohort=cohort, actor=actor, **cohort_forms(cohort, **kwargs))


# --- the independent computation ---------------------------------------------------------
# Integers and one Decimal division at 60 digits: no Fraction, and nothing of scoring.py.


def _cents(weight):
    return int(Decimal(weight) * 100)


def expected_total(scores, weights, lo, hi) -> Decimal:
    numerator = sum(_cents(w) * (s - lo) for s, w in zip(scores, weights, strict=True))
    with localcontext() as ctx:
        ctx.prec = 60
        return Decimal(100 * numerator) / Decimal((hi - lo) * sum(_cents(w) for w in weights))


def expected_mean(reviews, weights, lo, hi) -> Decimal:
    numerator = sum(
        _cents(w) * (s - lo) for scores in reviews for s, w in zip(scores, weights, strict=True)
    )
    denominator = len(reviews) * (hi - lo) * sum(_cents(w) for w in weights)
    with localcontext() as ctx:
        ctx.prec = 60
        return Decimal(100 * numerator) / Decimal(denominator)


def expected_spread(reviews, weights, lo, hi) -> Decimal:
    sums = [
        sum(_cents(w) * (s - lo) for s, w in zip(scores, weights, strict=True))
        for scores in reviews
    ]
    with localcontext() as ctx:
        ctx.prec = 60
        return Decimal(100 * (max(sums) - min(sums))) / Decimal(
            (hi - lo) * sum(_cents(w) for w in weights)
        )


def expected_criterion_mean(values, lo, hi) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        return Decimal(100 * sum(v - lo for v in values)) / Decimal(len(values) * (hi - lo))


def rounded(value, places="0.1"):
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def as_exact_decimal(fraction):
    with localcontext() as ctx:
        ctx.prec = 60
        return Decimal(fraction.numerator) / Decimal(fraction.denominator)


scales = st.integers(0, 5).flatmap(lambda lo: st.tuples(st.just(lo), st.integers(lo + 1, lo + 10)))
weight_values = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)


# --- the arithmetic --------------------------------------------------------------------------


def test_a_worked_example_on_the_default_weights():
    # weights 4, 3, 2, 1; scores 5, 4, 3, 2 of 0–5: (20 + 12 + 6 + 2) / 5 / 10 = 0.8
    values = {1: 5, 2: 4, 3: 3, 4: 2}
    weights = {1: Decimal("4"), 2: Decimal("3"), 3: Decimal("2"), 4: Decimal("1")}
    total = scoring.weighted_total(values, weights, 0, 5)
    assert total == Fraction(80)
    assert scoring.as_decimal(total) == Decimal("80.0")
    assert scoring.weighted_total({**values, 4: None}, weights, 0, 5) is None
    assert scoring.weighted_total({1: 1, 2: 1, 3: 1, 4: 1}, weights, 1, 5) == 0
    assert scoring.weighted_total({1: 5, 2: 5, 3: 5, 4: 5}, weights, 1, 5) == 100


@given(data=st.data())
def test_weighted_total_equals_an_independent_decimal_computation(data):
    lo, hi = data.draw(scales)
    weights = data.draw(st.lists(weight_values, min_size=1, max_size=8))
    scores = data.draw(st.lists(st.integers(lo, hi), min_size=len(weights), max_size=len(weights)))
    keys = list(range(len(weights)))

    total = scoring.weighted_total(dict(zip(keys, scores)), dict(zip(keys, weights)), lo, hi)

    assert isinstance(total, Fraction)  # exact, not a float
    assert 0 <= total <= 100
    expected = expected_total(scores, weights, lo, hi)
    assert abs(as_exact_decimal(total) - expected) < Decimal("1e-50")
    assert scoring.as_decimal(total) == rounded(expected)
    assert scoring.as_decimal(total, "0.01") == rounded(expected, "0.01")


@given(data=st.data())
def test_totals_compare_across_scales_and_weight_units(data):
    """The same judgement on a 0–5 and a 2–12 scale, or with all weights ×k, is the same total."""
    lo, hi = data.draw(scales)
    weights = data.draw(st.lists(weight_values, min_size=1, max_size=6))
    scores = data.draw(st.lists(st.integers(lo, hi), min_size=len(weights), max_size=len(weights)))
    stretch = data.draw(st.integers(1, 7))
    shift = data.draw(st.integers(0, 9))
    k = data.draw(st.integers(2, 50))
    keys = list(range(len(weights)))
    total = scoring.weighted_total(dict(zip(keys, scores)), dict(zip(keys, weights)), lo, hi)

    stretched = [shift + stretch * (s - lo) for s in scores]
    assert (
        scoring.weighted_total(
            dict(zip(keys, stretched)),
            dict(zip(keys, weights)),
            shift,
            shift + stretch * (hi - lo),
        )
        == total
    )
    assert (
        scoring.weighted_total(
            dict(zip(keys, scores)), {i: w * k for i, w in enumerate(weights)}, lo, hi
        )
        == total
    )
    # Raising any one score raises the total: every weight counts.
    for i, s in enumerate(scores):
        if s < hi:
            higher = dict(zip(keys, scores)) | {i: s + 1}
            assert scoring.weighted_total(higher, dict(zip(keys, weights)), lo, hi) > total


@hypothesis_settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_board_shows_the_mean_of_submitted_reviews_with_the_weights_at_the_freeze(
    db, data, coordinator_client, coordinator
):
    lo, hi = data.draw(scales, label="scale")
    first_weights = data.draw(st.lists(weight_values, min_size=4, max_size=4), label="weights")
    later_weights = data.draw(st.lists(weight_values, min_size=4, max_size=4), label="changed")
    frozen_try = data.draw(st.lists(weight_values, min_size=4, max_size=4), label="after")
    assume(frozen_try != later_weights)
    score = st.lists(st.integers(lo, hi), min_size=4, max_size=4)
    reviews = data.draw(st.lists(score, min_size=1, max_size=3), label="submitted")
    draft = data.draw(score, label="a draft that does not count")

    cohort = CohortFactory(score_min=lo, score_max=hi)
    set_weights(cohort, first_weights)
    application = submitted_application(cohort, org_name="Mittala")
    reviewers = [UserFactory() for _ in range(len(reviews) + 1)]
    for reviewer, scores in zip(reviewers, [*reviews, draft]):
        scored(application, reviewer, scores, submit=False)

    # Before the freeze the weights can change, through the cohort editor's service.
    cohort.refresh_from_db()
    assert cohort.scoring_started_at is None
    update_cohort(cohort, coordinator, weights=dict(zip(KEYS, later_weights)))
    cohort.refresh_from_db()
    assert [c.weight for c in cohort.criteria.all()] == later_weights

    for reviewer, scores in zip(reviewers, reviews):
        scored(application, reviewer, scores, submit=True)
    cohort.refresh_from_db()
    assert cohort.scoring_started_at is not None

    def board():
        response = coordinator_client.get(reverse("staff:ranking", args=[cohort.pk]))
        assert response.status_code == 200
        (row,) = response.context["rows"]
        return row

    row = board()
    assert row["reviews"] == len(reviews)
    assert row["mean"] == rounded(expected_mean(reviews, later_weights, lo, hi))
    assert row["spread"] == rounded(expected_spread(reviews, later_weights, lo, hi))
    assert [value for _criterion, value, _fraction in row["bars"]] == [
        rounded(expected_criterion_mean([r[i] for r in reviews], lo, hi), "1") for i in range(4)
    ]

    # After the freeze the cohort editor refuses, and nothing moves.
    with pytest.raises(CohortError) as refused, translation.override("en"):
        update_cohort(cohort, coordinator, weights=dict(zip(KEYS, frozen_try)))
    assert refused.value.message == FROZEN
    assert [c.weight for c in cohort.criteria.all()] == later_weights
    assert board()["mean"] == row["mean"]


# --- the freeze --------------------------------------------------------------------------------


@pytest.fixture
def en_coordinator(db):
    return staff("claes.coordinator@example.org", Role.COORDINATOR)


def test_a_draft_does_not_start_scoring_but_the_first_submitted_review_does(cohort, reviewer):
    application = submitted_application(cohort, org_name="Alkula")
    scored(application, reviewer, [3, 3, 3, None], submit=False)
    cohort.refresh_from_db()
    assert cohort.scoring_started_at is None

    with clock.travel(clock.now() + timedelta(hours=1)) as moment:
        scored(application, reviewer, [3, 3, 3, 3])
    cohort.refresh_from_db()
    assert cohort.scoring_started_at == moment
    # A second submission does not move the moment.
    other = UserFactory()
    scored(application, other, [1, 1, 1, 1])
    cohort.refresh_from_db()
    assert cohort.scoring_started_at == moment


def test_the_cohort_editor_changes_weights_and_scale_before_scoring(
    cohort, reviewer, en_coordinator
):
    application = submitted_application(cohort, org_name="Painola")
    client = client_for(en_coordinator)
    response = client.post(
        reverse("cohorts:edit", args=[cohort.pk]),
        cohort_edit_data(cohort, weights={"will_to_develop": "1"}, score_max="10"),
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.score_max == 10
    assert [c.weight for c in cohort.criteria.all()] == [1, 3, 2, 1]
    # The totals use the new numbers: 100 × (1·10/10 + 3·0 + 2·0 + 1·0) / 7
    scored(application, reviewer, [10, 0, 0, 0])
    assert row_mean(cohort) == Decimal("14.3")


def test_the_cohort_editor_refuses_weight_and_scale_changes_after_the_first_review(
    cohort, reviewer, en_coordinator
):
    application = submitted_application(cohort, org_name="Jäätylä")
    scored(application, reviewer, [5, 4, 3, 2])
    cohort.refresh_from_db()
    client = client_for(en_coordinator)
    url = reverse("cohorts:edit", args=[cohort.pk])

    # The page shows the frozen inputs disabled: what is posted for them is ignored.
    page = client.get(url)
    assert page.context["form"].fields["score_max"].disabled
    assert all(f.fields["weight"].disabled for f in page.context["criteria"].forms)
    response = client.post(
        url,
        cohort_edit_data(
            cohort, weights={"will_to_develop": "9"}, score_max="10", name="Uusi nimi"
        ),
        follow=True,
    )
    assert messages_of(response) == ["The cohort was saved."]
    cohort.refresh_from_db()
    assert cohort.name == "Uusi nimi"  # the rest of the form still saves
    assert (cohort.score_min, cohort.score_max) == (0, 5)
    assert [c.weight for c in cohort.criteria.all()] == [4, 3, 2, 1]

    # Removing a criterion is refused with the reason, and nothing is saved.
    data = cohort_edit_data(cohort, name="Toinen nimi")
    data["criteria-3-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert messages_of(response) == [FROZEN]
    cohort.refresh_from_db()
    assert cohort.name == "Uusi nimi"
    assert cohort.criteria.count() == 4

    # The service refuses a weight or scale change whatever the page did.
    with pytest.raises(CohortError, match="Scoring has started"):
        update_cohort(cohort, en_coordinator, weights={"strategic_anchoring": "2.5"})
    # The form of a started cohort has the scale disabled: a posted scale is not taken.
    update_cohort(cohort, en_coordinator, score_min="1", score_max="9")
    cohort.refresh_from_db()
    assert (cohort.score_min, cohort.score_max) == (0, 5)
    assert [c.weight for c in cohort.criteria.all()] == [4, 3, 2, 1]
    assert row_mean(cohort) == Decimal("80.0")


def row_mean(cohort):
    return selectors.ranking_rows(cohort=cohort)[1][0]["mean"]


def test_an_edit_started_before_the_first_review_cannot_undo_the_freeze(
    cohort, reviewer, en_coordinator
):
    """The page was opened before the first review was submitted and saved after it."""
    application = submitted_application(cohort, org_name="Vanhala")
    stale = Cohort.objects.get(pk=cohort.pk)
    renamed = cohort_forms(stale, name="Nimi vaihtuu")
    reweighted = cohort_forms(Cohort.objects.get(pk=cohort.pk), weights={"will_to_develop": "8"})
    rescaled = cohort_forms(Cohort.objects.get(pk=cohort.pk), score_max="10")

    scored(application, reviewer, [5, 4, 3, 2])
    started = Cohort.objects.get(pk=cohort.pk).scoring_started_at
    assert started is not None

    cohort_update(cohort=stale, actor=en_coordinator, **renamed)
    cohort.refresh_from_db()
    assert cohort.name == "Nimi vaihtuu"
    assert cohort.scoring_started_at == started  # still frozen
    for stale_forms in (reweighted, rescaled):
        with pytest.raises(CohortError, match="Scoring has started"):
            cohort_update(cohort=cohort, actor=en_coordinator, **stale_forms)
    cohort.refresh_from_db()
    assert cohort.criteria.get(key="will_to_develop").weight == 4
    assert cohort.score_max == 5


def test_the_admin_cannot_change_frozen_weights_or_scale(cohort, reviewer, db):
    from django.contrib import admin
    from django.test import RequestFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    cohort_admin = admin.site._registry[Cohort]
    inline = next(
        i for i in cohort_admin.get_inline_instances(request, cohort) if i.model is Criterion
    )
    assert "weight" not in inline.get_readonly_fields(request, cohort)

    scored(submitted_application(cohort, org_name="Hallila"), reviewer, [1, 2, 3, 4])
    cohort.refresh_from_db()
    assert {"score_min", "score_max"} <= set(cohort_admin.get_readonly_fields(request, cohort))
    inline = next(
        i for i in cohort_admin.get_inline_instances(request, cohort) if i.model is Criterion
    )
    assert "weight" in inline.get_readonly_fields(request, cohort)
    assert not inline.has_add_permission(request, cohort)
    assert not inline.has_delete_permission(request, cohort)


# --- assigning reviewers ---------------------------------------------------------------------


def test_coordinator_assigns_and_removes_a_reviewer_by_hand(cohort, reviewer, en_coordinator):
    application = submitted_application(cohort, org_name="Käsilä")
    client = client_for(en_coordinator)
    url = reverse("staff:assignments", args=[cohort.pk])
    response = client.post(
        url, {"action": "assign", "application": application.pk, "reviewer": reviewer.pk}
    )
    assert response["Location"] == url
    (assignment,) = ReviewAssignment.objects.all()
    assert (assignment.application, assignment.reviewer, assignment.assigned_by) == (
        application,
        reviewer,
        en_coordinator,
    )
    assert assignment.conflict is None

    client.post(url, {"action": "unassign", "application": application.pk, "reviewer": reviewer.pk})
    assert not ReviewAssignment.objects.exists()

    # Once the reviewer has submitted, the assignment stays.
    scored(application, reviewer, [1, 1, 1, 1])
    response = client.post(
        url,
        {"action": "unassign", "application": application.pk, "reviewer": reviewer.pk},
        follow=True,
    )
    assert messages_of(response) == ["This reviewer has submitted a review; it cannot be removed."]
    assert ReviewAssignment.objects.filter(reviewer=reviewer).exists()


def test_an_applicant_cannot_be_assigned_as_reviewer(cohort, applicant, en_coordinator):
    application = submitted_application(cohort, org_name="Eiarvioija")
    response = client_for(en_coordinator).post(
        reverse("staff:assignments", args=[cohort.pk]),
        {"action": "assign", "application": application.pk, "reviewer": applicant.pk},
    )
    assert response.status_code == 404
    assert not ReviewAssignment.objects.exists()


def test_spread_evenly_gives_each_application_its_reviewers_and_balances_the_load(
    cohort, en_coordinator
):
    reviewers = [staff(f"r{i}@example.org") for i in range(3)]
    applications = [submitted_application(cohort, org_name=f"Kunta {i}") for i in range(6)]
    ApplicationFactory(cohort=cohort, org_name="Luonnos")  # a draft gets nobody
    url = reverse("staff:assignments", args=[cohort.pk])
    client = client_for(en_coordinator)

    response = client.post(
        url,
        {"action": "spread", "reviewers": [r.pk for r in reviewers], "per_application": 2},
        follow=True,
    )
    assert messages_of(response) == ["12 assignments were made."]
    for application in applications:
        assert application.assignments.count() == 2
    loads = sorted(
        ReviewAssignment.objects.filter(reviewer=r).count() for r in [*reviewers, en_coordinator]
    )
    assert loads == [0, 4, 4, 4]
    assert ReviewAssignment.objects.filter(application__status=Status.DRAFT).count() == 0

    # Again: every application has its two, nothing more is made.
    response = client.post(
        url,
        {"action": "spread", "reviewers": [r.pk for r in reviewers], "per_application": 2},
        follow=True,
    )
    assert messages_of(response) == ["0 assignments were made."]
    assert ReviewAssignment.objects.count() == 12


def test_spread_evenly_with_too_few_reviewers_is_refused(cohort, en_coordinator, reviewer):
    submitted_application(cohort, org_name="Yksinäinen")
    response = client_for(en_coordinator).post(
        reverse("staff:assignments", args=[cohort.pk]),
        {"action": "spread", "reviewers": [reviewer.pk], "per_application": 3},
    )
    assert response.status_code == 200
    assert messages_of(response) == [
        "There are fewer reviewers than reviews wanted per application."
    ]
    assert not ReviewAssignment.objects.exists()


# --- conflicts of interest ------------------------------------------------------------------


@pytest.fixture
def en_reviewer(db):
    return staff("eero.reviewer@example.org")


def test_the_reviewer_declares_before_seeing_the_application(cohort, en_reviewer, en_coordinator):
    application = submitted_application(cohort, org_name="Salaisala")
    assigned(application, en_reviewer, conflict=None, by=en_coordinator)
    client = client_for(en_reviewer)
    url = reverse("staff:score", args=[application.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert [t.name for t in page.templates][0] == "applications/selection/conflict.html"
    content = page.content.decode()
    for answer in ("Haluamme kehittää.", "Siivouspalvelut", "Johtaja Testinen"):
        assert answer not in content
    assert 'name="score_' not in content

    # Posting scores before declaring saves nothing.
    client.post(url, score_post(cohort, [5, 5, 5, 5]))
    assert not Review.objects.exists()

    # A conflict needs a few words of explanation.
    response = client.post(url, {"conflict": "yes", "explanation": " "})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "explanation": ["Describe the conflict of interest briefly."]
    }
    assert ReviewAssignment.objects.get().conflict is None

    with clock.travel(clock.now()) as moment:
        response = client.post(url, {"conflict": "no"})
    assert response["Location"] == url
    assignment = ReviewAssignment.objects.get()
    assert (assignment.conflict, assignment.declared_at) == (False, moment)
    page = client.get(url)
    assert [t.name for t in page.templates][0] == "applications/selection/score.html"
    assert "Haluamme kehittää." in page.content.decode()


def test_a_conflicted_reviewer_can_neither_score_nor_see_the_scores(
    cohort, en_reviewer, en_coordinator
):
    application = submitted_application(cohort, org_name="Sukulaisala")
    colleague = staff("kollega@example.org")
    scored(application, colleague, [5, 4, 3, 2], justification="Kollegan perustelu")
    assigned(application, en_reviewer, conflict=None, by=en_coordinator)
    client = client_for(en_reviewer)
    url = reverse("staff:score", args=[application.pk])
    explanation = "Puolisoni on hakijan hankintapäällikkö."

    response = client.post(url, {"conflict": "yes", "explanation": explanation}, follow=True)
    # Back to their list with a message, never to a page that refuses them.
    assert response.redirect_chain == [(reverse("staff:my_reviews"), 302)]
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Your conflict of interest with Sukulaisala was recorded. The application is no "
        "longer shown to you; the coordinators assign another reviewer."
    ]
    assert client.get(url).status_code == 403
    assert client.post(url, score_post(cohort, [1, 1, 1, 1])).status_code == 403
    assert not Review.objects.filter(reviewer=en_reviewer).exists()
    with pytest.raises(scoring.ScoringError) as refused:
        scored(application, en_reviewer, [1, 1, 1, 1])
    assert refused.value.code == "forbidden"
    # The ranking, the history and the export are the coordinators'.
    for name in ("staff:ranking", "staff:reviews_export", "staff:assignments"):
        assert client.get(reverse(name, args=[cohort.pk])).status_code == 403
    assert client.post(reverse("staff:reviews_export", args=[cohort.pk])).status_code == 403
    assert client.get(reverse("staff:history", args=[application.pk])).status_code == 403
    # My reviews names it without a link to it.
    page = client.get(reverse("staff:my_reviews")).content.decode()
    assert "Conflict of interest: not yours to score" in page
    assert f'href="{url}"' not in page

    # The coordinator sees the declaration, and it is on the record.
    page = client_for(en_coordinator).get(reverse("staff:assignments", args=[cohort.pk]))
    assert escape(explanation) in page.content.decode()
    assert "conflict of interest" in page.content.decode()
    entry = ActivityEntry.objects.get(action="review.conflict_declared", actor=en_reviewer)
    assert (entry.actor, entry.scope, entry.target, entry.subject) == (
        en_reviewer,
        application,
        ReviewAssignment.objects.get(application=application, reviewer=en_reviewer),
        en_reviewer.email,
    )
    assert entry.before == {"conflict": None, "explanation": ""}
    assert entry.after == {"conflict": True, "explanation": explanation}


def test_only_the_reviewer_declares_their_own_conflict(cohort, en_reviewer, en_coordinator):
    application = submitted_application(cohort, org_name="Toisala")
    assignment = assigned(application, en_reviewer, conflict=None, by=en_coordinator)
    with pytest.raises(scoring.ScoringError):
        scoring.declare_conflict(
            assignment=assignment, conflict=False, explanation="", actor=en_coordinator
        )
    assert ReviewAssignment.objects.get().conflict is None


def test_a_reviewer_not_assigned_gets_403(cohort, en_reviewer, coordinator_client):
    application = submitted_application(cohort, org_name="Vierala")
    url = reverse("staff:score", args=[application.pk])
    assert client_for(en_reviewer).get(url).status_code == 403
    assert coordinator_client.get(url).status_code == 403


# --- the scoring page ---------------------------------------------------------------------------


def _interview(application, **fields):
    slot = InterviewSlot.objects.create(
        cohort=application.cohort, starts_at=clock.now() - timedelta(days=1), created_at=clock.now()
    )
    return Interview.objects.create(
        application=application,
        slot=slot,
        booked_by=application.created_by,
        booked_at=clock.now() - timedelta(days=3),
        **fields,
    )


def test_the_scoring_page_shows_application_interview_and_criteria(cohort, en_reviewer):
    application = submitted_application(cohort, org_name="Näkylä")
    _interview(
        application,
        checklist={"management_confirmed": True, "team_confirmed": False},
        outcome="Vahva johdon tuki, tiimi vielä kesken.",
    )
    assigned(application, en_reviewer)
    page = client_for(en_reviewer).get(reverse("staff:score", args=[application.pk]))
    assert page.status_code == 200
    content = page.content.decode()

    for answer in ("Näkylä", "Haluamme kehittää.", "Siivouspalvelut", "Johtaja Testinen"):
        assert escape(answer) in content
    assert "Vahva johdon tuki, tiimi vielä kesken." in content
    assert "Management commitment confirmed: Yes" in content
    assert "Team roles confirmed: No" in content
    for data, criterion in zip(DEFAULT_CRITERIA, cohort.criteria.all()):
        assert escape(data["name_en"]) in content
        assert escape(data["description_en"]) in content
        assert f'data-weight="{criterion.weight}"' in content
        field = page.context["form"].fields[f"score_{criterion.pk}"]
        assert [v for v, _label in field.choices] == ["", "0", "1", "2", "3", "4", "5"]
        assert f'name="justification_{criterion.pk}"' in content
    assert "Scale 0–5" in content
    assert 'id="weighted-total"' in content
    assert page.context["total_weight"] == 10


def test_a_review_stays_a_draft_until_submitted(cohort, en_reviewer):
    application = submitted_application(cohort, org_name="Luonnosla")
    assigned(application, en_reviewer)
    client = client_for(en_reviewer)
    url = reverse("staff:score", args=[application.pk])

    response = client.post(url, score_post(cohort, [4, None, 2, None], action="draft"), follow=True)
    assert messages_of(response) == ["The draft was saved."]
    review = Review.objects.get()
    assert review.state == Review.State.DRAFT
    assert sorted(
        (s.criterion.key, s.value, s.justification) for s in review.scores.all()
    ) == sorted(
        [
            ("will_to_develop", 4, "Perustelu"),
            ("management_commitment", None, "Perustelu"),
            ("strategic_anchoring", 2, "Perustelu"),
            ("multidisciplinary_team", None, "Perustelu"),
        ]
    )
    # The page shows the draft back.
    form = client.get(url).context["form"]
    assert form[f"score_{cohort.criteria.get(key='will_to_develop').pk}"].value() == 4

    # Submitting needs every score.
    response = client.post(url, score_post(cohort, [4, None, 2, 1]))
    assert response.status_code == 200
    form = response.context["form"]
    missing = f"score_{cohort.criteria.get(key='management_commitment').pk}"
    assert form.errors  # next to the missing score, or above the form
    assert missing in form.errors or form.non_field_errors() == [
        "Give a score on every criterion before submitting."
    ]
    assert messages_of(response) == ["The review was not saved. See the errors below."]
    assert Review.objects.get().state == Review.State.DRAFT
    cohort.refresh_from_db()
    assert cohort.scoring_started_at is None
    assert row_mean(cohort) is None  # a draft does not count

    with clock.travel(clock.now()) as moment:
        response = client.post(url, score_post(cohort, [4, 3, 2, 1]), follow=True)
    assert messages_of(response) == ["The review was submitted."]
    review = Review.objects.get()
    assert (review.state, review.submitted_at) == (Review.State.SUBMITTED, moment)
    assert row_mean(cohort) == Decimal("60.0")

    # A submitted review is changed by submitting the changes, not by a draft.
    response = client.post(url, score_post(cohort, [5, 3, 2, 1], action="draft"))
    assert response.context["form"].non_field_errors() == [
        "This review has been submitted; submit the changes again."
    ]
    assert Score.objects.get(criterion__key="will_to_develop").value == 4


def test_a_score_outside_the_scale_is_refused(cohort, en_reviewer):
    application = submitted_application(cohort, org_name="Asteikkola")
    assigned(application, en_reviewer)
    response = client_for(en_reviewer).post(
        reverse("staff:score", args=[application.pk]), score_post(cohort, [6, 3, 2, 1])
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [
        f"score_{cohort.criteria.get(key='will_to_develop').pk}"
    ]
    assert not Review.objects.exists()
    with pytest.raises(scoring.ScoringError, match="Scores go from 0 to 5."):
        scored(application, en_reviewer, [6, 3, 2, 1])
    assert not Score.objects.exists()


def test_reviewers_see_the_others_scores_only_after_submitting_their_own(cohort):
    application = submitted_application(cohort, org_name="Sokkola")
    first, second = staff("first@example.org"), staff("second@example.org")
    url = reverse("staff:score", args=[application.pk])
    scored(application, second, [2, 2, 2, 2], submit=False, justification="Toisen luonnos")

    scored(application, first, [5, 4, 3, 2], justification="Ensimmäisen perustelu")
    # The first has submitted; the second's draft is still not shown to them.
    page = client_for(first).get(url).content.decode()
    assert "Toisen luonnos" not in page
    # The second, still drafting, sees nothing of the first's review.
    page = client_for(second).get(url)
    assert list(page.context["others"]) == []
    content = page.content.decode()
    assert "Ensimmäisen perustelu" not in content
    assert "scores once you have submitted your own." in content

    scored(application, second, [2, 2, 2, 2], justification="Toisen perustelu")
    page = client_for(second).get(url)
    assert [o.reviewer for o in page.context["others"]] == [first]
    assert "Ensimmäisen perustelu" in page.content.decode()
    assert "Toisen perustelu" in client_for(first).get(url).content.decode()


def test_the_others_scores_leave_out_a_conflicted_reviewer_in_one_query(cohort):
    application = submitted_application(cohort, org_name="Jääviälä")
    first, second, third = (staff(f"{n}@example.org") for n in ("first", "second", "third"))
    scored(application, first, [5, 4, 3, 2], justification="Ensimmäisen perustelu")
    scored(application, second, [2, 2, 2, 2], justification="Toisen perustelu")
    scored(application, third, [1, 1, 1, 1], justification="Kolmannen perustelu")
    ReviewAssignment.objects.filter(application=application, reviewer=second).update(conflict=True)
    url = reverse("staff:score", args=[application.pk])
    client = client_for(first)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert [o.reviewer for o in page.context["others"]] == [third]
    content = page.content.decode()
    assert "Kolmannen perustelu" in content and "Toisen perustelu" not in content
    assignments_read = [
        q for q in queries
        if q["sql"].split(" FROM ", 1)[-1].startswith('"applications_reviewassignment"')
    ]  # fmt: skip
    assert len(assignments_read) == 1  # the assignments with the application: rule and conflicts


def test_the_scoring_page_makes_as_many_queries_with_four_other_reviews_as_with_one(cohort):
    """The others' scores are one query of scores with their reviewers, the interview one
    query whether booked or not (issue 13)."""
    application = submitted_application(cohort, org_name="Laskula")
    me = staff("me@example.org")
    scored(application, me, [3, 3, 3, 3], justification="Oma")
    scored(application, staff("o1@example.org"), [1, 2, 3, 4], justification="Eka")
    _interview(application, state=Interview.State.CANCELLED)
    client = client_for(me)
    url = reverse("staff:score", args=[application.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        page = client.get(url)
    assert [o.reviewer.email for o in page.context["others"]] == ["o1@example.org"]
    assert [s.value for s in page.context["others"][0].scores] == [1, 2, 3, 4]
    assert page.context["interview"].state == Interview.State.CANCELLED
    for n in range(2, 5):
        scored(application, staff(f"o{n}@example.org"), [n, n, n, n], justification=f"J{n}")
    booked = _interview(application)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(page.context["others"]) == 4
    assert page.context["interview"] == booked
    assert len(many) == len(one)
    interviews = [q for q in many if 'FROM "applications_interview"' in q["sql"]]
    assert len(interviews) == 1
    # The reviewer's own scores and the others' come in one query; the review with them.
    scores = [q for q in many if 'FROM "applications_score"' in q["sql"]]
    reviews = [q for q in many if 'FROM "applications_review" ' in q["sql"]]
    assert (len(scores), len(reviews)) == (1, 0)
    # The application comes with the reviewer's assignment, not by a query of its own.
    froms = [q["sql"].split(" FROM ", 1)[-1] for q in many]
    assert not [f for f in froms if f.startswith('"applications_application" ')]
    assert len([f for f in froms if f.startswith('"applications_reviewassignment" ')]) == 1
    assert page.context["review"].reviewer == me
    form = page.context["form"]
    assert [form.fields[f"score_{c.pk}"].initial for c in form.criteria] == [3, 3, 3, 3]
    assert {form.fields[f"justification_{c.pk}"].initial for c in form.criteria} == {"Oma"}


def test_the_result_is_the_mean_of_submitted_reviews_with_the_spread(cohort):
    application = submitted_application(cohort, org_name="Keskiarvola")
    scored(application, staff("a@example.org"), [5, 5, 5, 5])  # 100
    scored(application, staff("b@example.org"), [5, 4, 3, 2])  # 80
    scored(application, staff("c@example.org"), [0, 0, 0, 1])  # 2
    scored(application, staff("d@example.org"), [0, 0, 0, 0], submit=False)  # a draft
    row = selectors.ranking_rows(cohort=cohort)[1][0]
    assert row["reviews"] == 3
    assert row["mean"] == Decimal("60.7")  # 182 / 3 = 60.666…
    assert row["spread"] == Decimal("98.0")
    assert [value for _c, value, _fraction in row["bars"]] == [67, 60, 53, 53]


def test_changing_a_submitted_score_is_recorded_with_before_and_after(cohort, en_reviewer):
    application = submitted_application(cohort, org_name="Muutosla")
    scored(application, en_reviewer, [3, 3, 3, 3], justification="Alku")
    first = list(ActivityEntry.objects.filter(action="review.scored"))  # not the point

    with clock.travel(clock.now() + timedelta(minutes=5)) as moment, translation.override("fi"):
        scored(
            application,
            en_reviewer,
            [4, 3, 3, 3],
            justification={
                "will_to_develop": "Haastattelu vakuutti",
                "management_commitment": "Alku",
                "strategic_anchoring": "Alku",
                "multidisciplinary_team": "Alku",
            },
        )
    (entry,) = ActivityEntry.objects.filter(action="review.scored").exclude(
        pk__in=[e.pk for e in first]
    )
    assert (entry.actor, entry.scope, entry.at) == (en_reviewer, application, moment)
    assert entry.subject == "Kehittämishalukkuus"  # the name in the language of the moment
    assert entry.before == {"score": 3, "justification": "Alku"}
    assert entry.after == {"score": 4, "justification": "Haastattelu vakuutti"}


# --- query counts ------------------------------------------------------------------------------

MANY = 200


def bulk_applications(cohort, owner, count, *, start=0):
    now = clock.now()
    applications = Application.objects.bulk_create(
        [
            Application(
                cohort=cohort,
                created_by=owner,
                created_at=now,
                updated_at=now,
                status=Status.SUBMITTED,
                submitted_at=now,
                version=1,
                org_name=f"Kunta {i:03d}",
                org_type=OrganisationType.MUNICIPALITY if i % 2 else OrganisationType.OTHER,
                track=Track.EMPLOYMENT if i % 3 else Track.HUMAN_RIGHTS,
                contact_email=owner.email,
            )
            for i in range(start, start + count)
        ]
    )
    ApplicationMember.objects.bulk_create(
        [
            ApplicationMember(
                application=a, user=owner, role=ApplicationMember.Role.OWNER, added_at=now
            )
            for a in applications
        ]
    )
    return applications


def bulk_assignments(applications, reviewers, by):
    now = clock.now()
    ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(
                application=a,
                reviewer=r,
                assigned_by=by,
                assigned_at=now,
                conflict=[None, False, True][(a.pk + i) % 3],
                conflict_explanation="Sidos" if (a.pk + i) % 3 == 2 else "",
            )
            for a in applications
            for i, r in enumerate(reviewers)
        ]
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_my_reviews_queries_do_not_grow(cohort, applicant, en_reviewer, en_coordinator):
    other_cohort = CohortFactory()
    client = client_for(en_reviewer)
    url = reverse("staff:my_reviews")
    first = bulk_applications(cohort, applicant, 1)
    bulk_assignments(first, [en_reviewer], en_coordinator)
    client.get(url)
    one, response = count_queries(client, url)
    assert len(response.context["rows"]) == 1

    rest = bulk_applications(cohort, applicant, MANY // 2, start=1)
    rest += bulk_applications(other_cohort, applicant, MANY // 2, start=MANY)
    bulk_assignments(rest, [en_reviewer], en_coordinator)
    for application in rest[::7]:
        Review.objects.create(application=application, reviewer=en_reviewer, updated_at=clock.now())
    many, response = count_queries(client, url)
    assert len(response.context["rows"]) == MANY + 1
    assert many == one


def test_assignments_page_queries_do_not_grow(cohort, applicant, en_coordinator):
    reviewers = [staff(f"arvioija{i}@example.org") for i in range(3)]
    client = client_for(en_coordinator)
    url = reverse("staff:assignments", args=[cohort.pk])
    bulk_assignments(bulk_applications(cohort, applicant, 1), reviewers, en_coordinator)
    client.get(url)
    one, response = count_queries(client, url)
    assert len(response.context["applications"]) == 1

    bulk_assignments(
        bulk_applications(cohort, applicant, MANY - 1, start=1), reviewers, en_coordinator
    )
    many, response = count_queries(client, url)
    assert len(response.context["applications"]) == MANY
    assert response.content.decode().count("Sidos") >= MANY - 1
    assert many == one


def test_the_scale_is_labelled_in_words():
    """Each point its own words (the old wording gave "fair" to both 2 and 3); more in
    tests/cohorts/test_score_labels.py."""
    with translation.override("en"):
        assert [label for _v, label in Cohort(score_min=0, score_max=5).score_scale] == [
            "0 – no evidence",
            "1 – weak",
            "2 – passable",
            "3 – fair",
            "4 – good",
            "5 – excellent",
        ]
        assert [label for _v, label in Cohort(score_min=1, score_max=4).score_scale] == [
            "1 – no evidence",
            "2",
            "3",
            "4 – excellent",
        ]


def test_the_scoring_page_shows_the_booked_interview_else_the_one_booked_last(cohort):
    from applications.interviews import shown_interview

    application = submitted_application(cohort, org_name="Valinta")
    assert shown_interview(application) is None
    older = _interview(application, state=Interview.State.CANCELLED)
    newer = _interview(application, state=Interview.State.CANCELLED)
    Interview.objects.filter(pk=older.pk).update(booked_at=newer.booked_at + timedelta(hours=1))
    assert shown_interview(application) == older  # booked last, though created first
    booked = _interview(application)
    Interview.objects.filter(pk=booked.pk).update(booked_at=newer.booked_at - timedelta(days=9))
    assert shown_interview(application) == booked  # booked beats cancelled, whenever booked
