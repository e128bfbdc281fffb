"""Access-table rows of the programme's staff pages (merged into tests/soske/test_access.py).

name -> (HTTP method, kwargs from the world, persona -> outcome); the world's programme
objects are `w.programme.*` (see tests/workshops/world.py)."""

from tests.access import coordinator_only, coordinator_post, staff_only

ROWS = {
    "programme_staff:cohort": ("get", lambda w: {"pk": w.cohort.pk}, coordinator_only()),
    # POST only; the cohort has a programme already: refused, back to the programme page
    "programme_staff:pattern": (
        "post",
        lambda w: {"pk": w.cohort.pk},
        coordinator_post("programme_staff:cohort"),
    ),
    "programme_staff:event_new": ("get", lambda w: {"pk": w.cohort.pk}, coordinator_only()),
    "programme_staff:event": (
        "get",
        lambda w: {"event_pk": w.programme.workshop.pk},
        coordinator_only(),
    ),
    "programme_staff:event_cancel": (
        "get",
        lambda w: {"event_pk": w.programme.workshop.pk},
        coordinator_only(),
    ),
    "programme_staff:event_invite": (
        "get",
        lambda w: {"event_pk": w.programme.workshop.pk},
        coordinator_only(),
    ),
    "programme_staff:material_new": (
        "get",
        lambda w: {"event_pk": w.programme.kickoff.pk},
        coordinator_only(),
    ),
    # the file: every staff member may read it (reviewers spar too)
    "programme_staff:material": (
        "get",
        lambda w: {"material_pk": w.programme.material.pk},
        staff_only(),
    ),
    "programme_staff:material_remove": (
        "get",
        lambda w: {"material_pk": w.programme.material.pk},
        coordinator_only(),
    ),
}
