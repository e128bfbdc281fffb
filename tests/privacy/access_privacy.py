"""Access-table rows of the personal-data pages (merged into tests/soske/test_access.py)."""

from tests.access import OK, coordinator_only, coordinator_post, signed_in

ROWS = {
    # every signed-in person's own data, and its download
    "privacy:my_data": ("get", lambda w: {}, signed_in(OK)),
    "privacy:my_data_download": ("get", lambda w: {}, signed_in(OK)),
    # the retention dry run and run, and erasure on request: coordinators only
    "privacy_staff:retention": ("get", lambda w: {}, coordinator_only()),
    # POST only, without the confirmation ticked: back to the page with a message
    "privacy_staff:retention_run": (
        "post",
        lambda w: {},
        coordinator_post("privacy_staff:retention"),
    ),
    "privacy_staff:erase_search": ("get", lambda w: {}, coordinator_only()),
    "privacy_staff:erase": (
        "get",
        lambda w: {"pk": w.other_application.created_by_id},
        coordinator_only(),
    ),
}
