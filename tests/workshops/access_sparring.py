"""Access-table rows of the programme's sparring pages (merged into tests/soske/test_access.py).

name -> (HTTP method, kwargs from the world, persona -> outcome); the world's programme
objects are `w.programme.*` (see tests/workshops/world.py)."""

from tests.access import (
    NOT_FOUND,
    OK,
    coordinator_only,
    staff_only,
)
from tests.access import coordinator_post as _coordinator_post
from tests.access import staff_post as _staff_post

ROWS = {
    # a round's slots and bookings: staff (reviewers and coordinators spar)
    "sparring_staff:round": ("get", lambda w: {"round_pk": w.programme.round.pk}, staff_only()),
    "sparring_staff:slots_new": (
        "get",
        lambda w: {"round_pk": w.programme.round.pk},
        staff_only(),
    ),
    # POSTs without data: reminders sent (or none), back to the round
    "sparring_staff:remind": (
        "post",
        lambda w: {"round_pk": w.programme.round.pk},
        _staff_post("sparring_staff:round"),
    ),
    # an empty booking form is shown again with its errors
    "sparring_staff:book": (
        "post",
        lambda w: {"round_pk": w.programme.round.pk},
        {**staff_only(), "reviewer": OK, "coordinator": OK},
    ),
    # the free slot removed by the first staff person; the second finds it gone (404)
    "sparring_staff:slot_remove": (
        "post",
        lambda w: {"slot_pk": w.programme.free_slot.pk},
        {
            **_staff_post("sparring_staff:round"),
            **dict.fromkeys(
                ("coordinator", "unassigned_reviewer", "conflicted_coordinator"), NOT_FOUND
            ),
        },  # fmt: skip
    ),
    "sparring_staff:booking": (
        "get",
        lambda w: {"booking_pk": w.programme.booking.pk},
        staff_only(),
    ),
    # attendance: staff
    "sparring_staff:event_attendance": (
        "get",
        lambda w: {"event_pk": w.programme.workshop.pk},
        staff_only(),
    ),
    "sparring_staff:cohort_attendance": ("get", lambda w: {"pk": w.cohort.pk}, staff_only()),
    "sparring_staff:cohort_attendance_xlsx": (
        "get",
        lambda w: {"pk": w.cohort.pk},
        staff_only(),
    ),
    # the cohort's teams: coordinators
    "sparring_staff:cohort_teams": ("get", lambda w: {"pk": w.cohort.pk}, coordinator_only()),
    "sparring_staff:member_new": (
        "get",
        lambda w: {"pk": w.cohort.pk, "team_pk": w.team.pk},
        coordinator_only(),
    ),
    "sparring_staff:invitations_resend": (
        "post",
        lambda w: {"pk": w.cohort.pk, "team_pk": w.team.pk},
        _coordinator_post("sparring_staff:cohort_teams"),
    ),
}
