"""Compiled queries return what the ORM returns, without compiling the SQL again."""

from unittest import mock

import pytest
from django.db.models import Count, Prefetch
from django.db.models.sql.compiler import SQLCompiler
from django.utils.timezone import now

from applications.models import Application, Review, ReviewAssignment
from cohorts.models import Criterion
from soske.compiled import Compiled, PlanError, keep_prefetched
from tests.factories import ApplicationFactory, CohortFactory, UserFactory

pytestmark = pytest.mark.django_db


def _compilations():
    return mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql)


def test_rows_ids_and_order_are_the_orms():
    first, second = CohortFactory(), CohortFactory()
    criteria = Compiled(lambda cohort_id: Criterion.objects.filter(cohort_id=cohort_id))
    for cohort in (first, second, first):
        ours = criteria(cohort.pk)
        orm = list(Criterion.objects.filter(cohort_id=cohort.pk))
        assert ours and [c.pk for c in ours] == [c.pk for c in orm]
        assert [(c.name_fi, c.weight, c.order) for c in ours] == [
            (c.name_fi, c.weight, c.order) for c in orm
        ]
    assert criteria(987654) == []


def test_first_is_the_first_row_or_none():
    cohort = CohortFactory()
    criteria = Compiled(lambda cohort_id: Criterion.objects.filter(cohort_id=cohort_id))
    assert criteria.first(cohort.pk).pk == Criterion.objects.filter(cohort=cohort).first().pk
    assert criteria.first(987654) is None


def test_the_sql_is_compiled_once(monkeypatch):
    monkeypatch.setattr(Compiled, "check", False)  # the check compiles on purpose
    cohort, other = CohortFactory(), CohortFactory()
    criteria = Compiled(lambda cohort_id: Criterion.objects.filter(cohort_id=cohort_id))
    with _compilations() as as_sql:
        criteria(cohort.pk)
        assert as_sql.call_count == 1  # the plan
        assert [c.cohort_id for c in criteria(other.pk)] == [other.pk] * 4
        assert as_sql.call_count == 1


def test_select_related_annotations_and_prefetches_come_as_from_the_orm(
    django_assert_num_queries,
):
    application = ApplicationFactory(status="submitted")
    reviewers = [UserFactory(), UserFactory()]
    for reviewer in reviewers:
        ReviewAssignment.objects.create(
            application=application, reviewer=reviewer, assigned_by=reviewer, assigned_at=now()
        )
        Review.objects.create(application=application, reviewer=reviewer, updated_at=now())
    assignments = Compiled(
        lambda pk: (
            ReviewAssignment.objects.filter(application_id=pk)
            .select_related("application__cohort")
            .order_by("pk")
        )
    )
    counted = Compiled(
        lambda pk: (
            Application.objects.filter(pk=pk)
            .annotate(reviews_n=Count("reviews"))
            .prefetch_related(
                Prefetch("assignments", queryset=ReviewAssignment.objects.order_by("pk"))
            )
        )
    )
    assignments(application.pk), counted(application.pk)  # planned
    with django_assert_num_queries(1):
        rows = assignments(application.pk)
        assert [r.reviewer_id for r in rows] == [r.pk for r in reviewers]
        assert {r.application.cohort.name_fi for r in rows} == {application.cohort.name_fi}
    with django_assert_num_queries(2):
        (row,) = counted(application.pk)
        assert row.reviews_n == 2
        assert [a.reviewer_id for a in row.assignments.all()] == [r.pk for r in reviewers]


def test_values_lists_too():
    cohort = CohortFactory()
    keys = Compiled(lambda pk: Criterion.objects.filter(cohort_id=pk).values_list("key", flat=True))
    assert keys(cohort.pk) == list(cohort.criteria.values_list("key", flat=True))


def test_a_shape_that_depends_on_the_ids_is_refused():
    first, second = CohortFactory(), CohortFactory()

    def build(pk):
        criteria = Criterion.objects.filter(cohort_id=pk)
        return criteria.filter(weight__gt=1) if pk == second.pk else criteria

    shifty = Compiled(build)
    shifty(first.pk)
    with pytest.raises(PlanError):
        shifty(second.pk)


def test_an_id_used_twice_takes_both_places_and_one_never_used_is_refused():
    first, second = CohortFactory(), CohortFactory()
    twice = Compiled(
        lambda pk: (
            Criterion.objects.filter(cohort_id=pk, weight__lt=0)
            | Criterion.objects.filter(cohort__pk=pk, weight__gt=0)
        )
    )
    for cohort in (first, second):
        assert {c.cohort_id for c in twice(cohort.pk)} == {cohort.pk}
    # A value worked out from an id is baked into the plan: the check refuses it.
    derived = Compiled(
        lambda pk: Criterion.objects.filter(cohort_id=pk).exclude(cohort_id=pk + 1_000_000)
    )
    with pytest.raises(PlanError, match="the query is"):
        derived(first.pk)
    never = Compiled(lambda pk: Criterion.objects.all())
    with pytest.raises(PlanError, match="does not reach"):
        never(first.pk)


def test_kept_objects_are_what_all_returns_without_a_query(django_assert_num_queries):
    from cohorts.models import Theme

    application = ApplicationFactory()
    themes = list(Theme.objects.filter(cohort=application.cohort)[:2])
    application.themes.set(themes)
    application.team.create(name="Aino", email="aino@example.org")
    application.team.create(name="Bo", email="bo@example.org")
    expected_themes = list(Application.objects.get(pk=application.pk).themes.all())
    expected_team = list(Application.objects.get(pk=application.pk).team.all())
    fresh = Application.objects.get(pk=application.pk)
    keep_prefetched(
        fresh, "themes", Compiled(lambda pk: Theme.objects.filter(application=pk))(fresh.pk)
    )
    keep_prefetched(fresh, "team", list(expected_team))
    with django_assert_num_queries(0):
        assert list(fresh.themes.all()) == expected_themes and len(expected_themes) == 2
        assert list(fresh.team.all()) == expected_team and len(expected_team) == 2


def test_an_id_annotated_as_a_value_is_sent_as_the_orm_sends_it():
    from django.db.models import IntegerField, Value

    first, second = CohortFactory(), CohortFactory()
    marked = Compiled(
        lambda pk: Criterion.objects.filter(cohort_id=pk).annotate(
            asked_for=Value(pk, output_field=IntegerField())
        )
    )
    for cohort in (first, second):
        assert {c.asked_for for c in marked(cohort.pk)} == {cohort.pk}
