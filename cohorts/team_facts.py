"""Per-team facts that other apps contribute to the staff page of a cohort's teams.

cohorts knows none of the apps built on it: an app that knows something about a team
(applications: whether the management confirmed its commitment) registers a function
`team_ids -> {team_id: label}` in its `AppConfig.ready()`, and the page shows every
registered fact as a column (one call per fact, whatever the number of teams).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TeamFact:
    key: str
    label: str
    values: Callable[[list[int]], dict[int, str]]


_FACTS: dict[str, TeamFact] = {}


def register(*, key: str, label, values: Callable[[list[int]], dict[int, str]]) -> None:
    _FACTS[key] = TeamFact(key=key, label=label, values=values)


def registered() -> list[TeamFact]:
    return list(_FACTS.values())


def facts_for(team_ids: Iterable[int]) -> dict[int, list[str]]:
    """{team_id: [the label of every registered fact, "" where a fact knows nothing]}."""
    ids = list(team_ids)
    columns = [fact.values(ids) for fact in registered()]
    return {pk: [column.get(pk, "") for column in columns] for pk in ids}
