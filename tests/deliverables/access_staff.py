"""Access-table rows of the coordinators' deliverables pages (merged into
tests/soske/test_access.py).

name -> (HTTP method, kwargs from the world, persona -> outcome); the world's deliverables
are `w.deliverables.*` (see tests/deliverables/world.py). Staff read the overview and its
XLSX; everything else is a coordinator's. A POST row's coordinator is sent back to the page
the change was made from."""

from datetime import timedelta

from deliverables import services
from deliverables.models import ConductItem
from soske import clock
from tests.access import NOT_FOUND, coordinator_only, staff_only
from tests.access import coordinator_post as _coordinator_post


def _reopening(w):
    """A reopening of the open assignment for the other team, to withdraw."""
    return services.reopen_for_team(
        assignment=w.deliverables.open,
        team=w.other_team,
        until=clock.now() + timedelta(days=30),
        actor=w.deliverables.feedback.author,  # the coordinator
    )


def _item(w):
    return ConductItem.objects.filter(cohort=w.cohort).first()


ROWS = {
    "deliverables_staff:overview": ("get", lambda w: {"cohort_pk": w.cohort.pk}, staff_only()),
    "deliverables_staff:overview_xlsx": (
        "get",
        lambda w: {"cohort_pk": w.cohort.pk},
        staff_only(),
    ),
    # GET shows what would be created (nothing more here: the world has the set)
    "deliverables_staff:seed": ("get", lambda w: {"cohort_pk": w.cohort.pk}, coordinator_only()),
    "deliverables_staff:assignment_new": (
        "get",
        lambda w: {"cohort_pk": w.cohort.pk},
        coordinator_only(),
    ),
    "deliverables_staff:assignment": (
        "get",
        lambda w: {"pk": w.deliverables.open.pk},
        coordinator_only(),
    ),
    "deliverables_staff:assignment_delete": (
        "get",
        lambda w: {"pk": w.deliverables.pre_assignment.pk},
        coordinator_only(),
    ),
    "deliverables_staff:reopen": (
        "get",
        lambda w: {"pk": w.deliverables.open.pk},
        coordinator_only(),
    ),
    # POST only: the coordinator withdraws it and is back on the reopen page
    "deliverables_staff:reopening_withdraw": (
        "post",
        lambda w: {"pk": _reopening(w).pk},
        # the coordinator withdraws it; the next coordinator finds it gone
        {**_coordinator_post("deliverables_staff:reopen"), "conflicted_coordinator": NOT_FOUND},
    ),
    "deliverables_staff:remind": (
        "get",
        lambda w: {"pk": w.deliverables.pre_assignment.pk},
        coordinator_only(),
    ),
    "deliverables_staff:peer_open": (
        "get",
        lambda w: {"pk": w.deliverables.open.pk},
        coordinator_only(),
    ),
    # POST only (the undo of opening): back to the overview
    "deliverables_staff:peer_close": (
        "post",
        lambda w: {"pk": w.deliverables.development.pk},
        _coordinator_post("deliverables_staff:overview"),
    ),
    "deliverables_staff:conduct_items": (
        "get",
        lambda w: {"cohort_pk": w.cohort.pk},
        coordinator_only(),
    ),
    # POST only: the cohort has its list already, nothing is added, back to the list
    "deliverables_staff:conduct_seed": (
        "post",
        lambda w: {"cohort_pk": w.cohort.pk},
        _coordinator_post("deliverables_staff:conduct_items"),
    ),
    "deliverables_staff:conduct_item": (
        "get",
        lambda w: {"pk": _item(w).pk},
        coordinator_only(),
    ),
    # POST only: archived, back to the list
    "deliverables_staff:conduct_item_archive": (
        "post",
        lambda w: {"pk": _item(w).pk},
        _coordinator_post("deliverables_staff:conduct_items"),
    ),
}
