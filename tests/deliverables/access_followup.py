"""Access-table rows of the follow-up questionnaire and the cohort copy (merged into
tests/soske/test_access.py).

The signed link is public: its signature is the permission (a bad, expired or another
team's link is tested in tests/deliverables/test_followup.py). The team's own page is its
members'; the table, its reminders and its XLSX are the coordinators'."""

from datetime import timedelta

from deliverables import followup as services
from deliverables.models import FollowUp
from soske import clock
from tests.access import OK, coordinator_only, coordinator_post, everyone, team_only


def _followup(w):
    followup, _created = FollowUp.objects.get_or_create(
        team=w.team,
        round=6,
        defaults={
            "email": w.membership.email,
            "language": "fi",
            "sent_at": clock.now(),
            "closes_on": (clock.now() + timedelta(days=180)).date(),
        },
    )
    return followup


ROWS = {
    "cohorts:copy": ("get", lambda w: {"pk": w.cohort.pk}, coordinator_only()),
    "followup:answer": (
        "get",
        lambda w: {"token": services.followup_token(_followup(w))},
        everyone(OK),
    ),
    "followup:team": (
        "get",
        lambda w: {"team_pk": _followup(w).team_id, "round": 6},
        team_only(),
    ),
    "followup_staff:list": ("get", lambda w: {}, coordinator_only()),
    "followup_staff:xlsx": ("get", lambda w: {}, coordinator_only()),
    "followup_staff:remind": (
        "post",
        lambda w: {},
        coordinator_post("followup_staff:list"),
    ),
}
