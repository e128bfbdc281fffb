"""Access-table rows of the spreadsheets built in the background (merged into
tests/soske/test_access.py). The world's export is the coordinator's own: another staff
member, even a coordinator, does not find it (404); a person who is not staff is refused."""

from tests.access import NOT_FOUND, OK, Redirect, coordinator_only, staff_only


def _owner_only(owner_outcome):
    return {
        **staff_only(),
        "reviewer": NOT_FOUND,
        "unassigned_reviewer": NOT_FOUND,
        "conflicted_coordinator": NOT_FOUND,
        "coordinator": owner_outcome,
    }


ROWS = {
    # the list of one's own exports: every staff member
    "exports:mine": ("get", lambda w: {}, staff_only()),
    "exports:detail": ("get", lambda w: {"pk": w.export.pk}, _owner_only(OK)),
    "exports:status": ("get", lambda w: {"pk": w.export.pk}, _owner_only(OK)),
    "exports:download": ("get", lambda w: {"pk": w.export.pk}, _owner_only(OK)),
    # POST only: the owner deletes it and is sent back to their list
    "exports:delete": (
        "post",
        lambda w: {"pk": w.export.pk},
        _owner_only(Redirect("exports:mine")),
    ),
    # POST only: a start sends the person on to the new export's page; the applications
    # export is every staff member's (each exports what they may read), the reviews are the
    # coordinators'.
    "staff:export": (
        "post",
        lambda w: {},
        {
            **staff_only(),
            **dict.fromkeys(
                ("reviewer", "coordinator", "unassigned_reviewer", "conflicted_coordinator"),
                Redirect("exports:detail"),
            ),
        },
    ),
    "staff:reviews_export": (
        "post",
        lambda w: {"pk": w.cohort.pk},
        {
            **coordinator_only(),
            "coordinator": Redirect("exports:detail"),
            "conflicted_coordinator": Redirect("exports:detail"),
        },
    ),
}
