"""Copy a cohort: the next one starts from the last one.

cohorts copies what it owns (the rules and texts of the call, the criteria and their
weights, the score scale, the themes); the apps built on it copy their own things (the
programme's events, the assignments) through a copier they register here in their
`AppConfig.ready()`, the way they add to the calendar feed. cohorts imports none of them.

Every date moves by the same number of days and keeps its Helsinki wall-clock time: an
event at 10.00 in January is at 10.00 in the copy, whether or not summer time began in
between. Never copied: applications, people, teams, scores, decisions, results.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from soske import clock


@dataclass
class CopyPlan:
    """What one copy moves: the source, the number of days, and what the copiers made.

    `made` maps (a label such as "workshops.Event", the source's pk) to the new object, so
    that a later copier can point at what an earlier one made (an assignment at its event).
    """

    source: object
    days: int
    target: object = None
    actor: object = None
    made: dict = field(default_factory=dict)

    def shift(self, value):
        return shift(value, self.days)


@dataclass(frozen=True)
class PreviewLine:
    """One thing a copy would make: what it is, its name, and its date before and after."""

    label: str
    before: object = None
    after: object = None

    @property
    def is_moment(self) -> bool:
        return isinstance(self.before, datetime)


@dataclass(frozen=True)
class Copier:
    key: str
    label: object  # a lazy translation: the heading of its lines in the preview
    order: int
    preview: Callable[[CopyPlan], list]  # -> list of PreviewLine
    copy: Callable[[CopyPlan], int]  # makes the copies under plan.target; -> how many


_COPIERS: dict[str, Copier] = {}


def register_copier(*, key: str, label, order: int, preview, copy) -> None:
    """Add an app's copier (registering the same key again replaces it)."""
    _COPIERS[key] = Copier(key=key, label=label, order=order, preview=preview, copy=copy)


def unregister_copier(key: str) -> None:
    _COPIERS.pop(key, None)


def registered() -> list[Copier]:
    return sorted(_COPIERS.values(), key=lambda c: (c.order, c.key))


def shift(value, days: int):
    """`value` moved by `days` days: a date simply; an aware moment keeping its Helsinki
    wall-clock time (9.00 stays 9.00 across a change of summer time); None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        local = clock.helsinki(value).replace(tzinfo=None) + timedelta(days=days)
        return local.replace(tzinfo=clock.HELSINKI)
    if isinstance(value, date):
        return value + timedelta(days=days)
    raise TypeError(f"cannot shift {value!r}")
