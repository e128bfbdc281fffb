"""Access-table rows of the results book and the team summary (merged into
tests/soske/test_access.py). The world holds a finished book and a finished summary of
the team (`w.deliverables.book`, `w.deliverables.summary`)."""

from tests.access import Redirect, coordinator_only, coordinator_post, team_only


def _cohort(w):
    return {"cohort_pk": w.cohort.pk}


def _team(w):
    return {"pk": w.team.pk}


ROWS = {
    "results_book:cohort": ("get", _cohort, coordinator_only()),
    # a POST without a language is refused with a message, back to the page
    "results_book:start": (
        "post",
        _cohort,
        coordinator_post("results_book:cohort"),
    ),
    "results_book:status": ("get", _cohort, coordinator_only()),
    "results_book:download": (
        "get",
        lambda w: {"book_pk": w.deliverables.book.pk},
        coordinator_only(),
    ),
    "team_summary:page": ("get", _team, team_only()),
    "team_summary:start": (
        "post",
        _team,
        {
            **team_only(),
            "applicant": Redirect("team_summary:page"),
            "team_member": Redirect("team_summary:page"),
        },
    ),
    "team_summary:status": ("get", _team, team_only()),
    "team_summary:download": (
        "get",
        lambda w: {"pk": w.team.pk, "book_pk": w.deliverables.summary.pk},
        team_only(),
    ),
}
