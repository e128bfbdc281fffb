"""Per-cohort figures that other apps contribute to the cohort list.

cohorts knows none of the apps built on it: an app that counts something per
cohort (applications: submitted and drafts) registers the figure in its
`AppConfig.ready()`, and the cohort list shows every registered figure as a column.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression


@dataclass(frozen=True)
class CohortFigure:
    key: str
    label: str
    aggregate: Callable[[], Expression]  # a fresh aggregate over the cohort's related rows


_FIGURES: dict[str, CohortFigure] = {}


def register(*, key: str, label, aggregate: Callable[[], Expression]) -> None:
    _FIGURES[key] = CohortFigure(key=key, label=label, aggregate=aggregate)


def registered() -> list[CohortFigure]:
    return list(_FIGURES.values())


def with_figures(queryset):
    """The cohorts, each annotated with every figure (one query, whatever the number)."""
    return queryset.annotate(**{f"figure_{f.key}": f.aggregate() for f in registered()})


def values(cohort) -> list:
    return [getattr(cohort, f"figure_{f.key}") for f in registered()]
