"""Ids and weeks out of range get a form error or a 404, never a server error: a huge
number in the reviewers of "spread evenly", in the interviewers of a new slot series, in
the assign buttons, the staff list's cohort filter, or a week in the year 9999."""

import pytest
from django.urls import reverse

from tests.applications.interview_world import interview_cohort
from tests.conftest import client_for

HUGE = "99999999999999999999999"


@pytest.fixture
def icohort(db):
    return interview_cohort()


def test_a_huge_reviewer_id_in_spread_evenly_is_a_form_error(cohort, coordinator):
    client = client_for(coordinator)
    url = reverse("staff:assignments", args=[cohort.pk])
    response = client.post(url, {"action": "spread", "reviewers": [HUGE], "per_application": 3})
    assert response.status_code == 200
    assert "reviewers" in response.context["spread_form"].errors
    for action in ("assign", "unassign"):
        response = client.post(url, {"action": action, "application": HUGE, "reviewer": HUGE})
        assert response.status_code == 404


def test_a_huge_interviewer_id_in_a_slot_series_is_a_form_error(icohort, coordinator):
    client = client_for(coordinator)
    response = client.post(
        reverse("staff:slots_new") + f"?cohort={icohort.pk}",
        {"cohort": icohort.pk, "first_day": "2026-10-19", "last_day": "2026-10-20",
         "weekdays": ["0"], "day_start": "09:00", "day_end": "12:00",
         "duration_minutes": "60", "gap_minutes": "0", "interviewers": [HUGE]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "interviewers" in response.context["form"].errors


def test_a_week_out_of_range_is_a_404_and_a_huge_cohort_filter_is_ignored(icohort, coordinator):
    client = client_for(coordinator)
    assert client.get(reverse("staff:interviews"), {"week": "9999-W52"}).status_code == 404
    assert client.get(reverse("staff:interviews"), {"week": "0001-W01"}).status_code == 404
    assert client.get(reverse("staff:interviews"), {"week": "2026-W43"}).status_code == 200
    response = client.get(reverse("staff:applications"), {"cohort": HUGE})
    assert response.status_code == 200
    assert "cohort" in response.context["form"].errors
