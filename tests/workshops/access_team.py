"""Access-table rows of the programme's team pages (merged into tests/soske/test_access.py).

name -> (HTTP method, kwargs from the world, persona -> outcome); the world's programme
objects are `w.programme.*` (see tests/workshops/world.py).

Every page is the team's own: its joined members (the applicant and the team member) see
it; another team's member and staff get a 404 (staff have their own programme pages)."""

from tests.access import team_only


def _team(w):
    return {"pk": w.team.pk}


def _event(w):
    return {"pk": w.team.pk, "event_pk": w.programme.kickoff.pk}


def _round(w):
    return {"pk": w.team.pk, "round_pk": w.programme.round.pk}


ROWS = {
    "programme:calendar": ("get", _team, team_only()),
    "programme:event": ("get", _event, team_only()),
    "programme:event_ics": ("get", _event, team_only()),
    "programme:material": (
        "get",
        lambda w: {**_event(w), "material_pk": w.programme.material.pk},
        team_only(),
    ),
    "programme:sparring": ("get", _round, team_only()),
    "programme:sparring_cancel": ("get", _round, team_only()),
    "programme:sparring_ics": ("get", _round, team_only()),
}
