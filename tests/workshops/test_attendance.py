"""Attendance: teams name who comes, staff tick on the day who came; the cohort's matrix
and its XLSX."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cohorts.models import TeamRole, Track
from soske import clock
from workshops import attendance
from workshops.models import Attendance, EventKind
from workshops.programme import ProgrammeError

from .sparring_world import NOW, hki, joint_event, team_of


@pytest.fixture(autouse=True)
def _now():
    with clock.travel(NOW), translation.override("en"):
        yield


@pytest.fixture
def workshop(cohort):
    return joint_event(cohort)


@pytest.fixture
def team(cohort):
    return team_of(cohort, "Kunta A", members=3)


def _ids(team):
    return list(team.memberships.order_by("pk").values_list("pk", flat=True))


def test_a_team_names_who_attends(team, workshop, reviewer):
    first, second, _third = _ids(team)
    attendance.attendance_plan(
        team=team, event=workshop, membership_ids=[first, second], actor=reviewer
    )
    attendance.attendance_plan(team=team, event=workshop, membership_ids=[second], actor=reviewer)
    planned = dict(Attendance.objects.values_list("membership_id", "planned"))
    assert planned == {first: False, second: True}


def test_a_team_cannot_name_another_teams_members(cohort, team, workshop, reviewer):
    other = team_of(cohort, "Kunta B")
    with pytest.raises(ProgrammeError, match="your own team"):
        attendance.attendance_plan(
            team=team, event=workshop, membership_ids=_ids(other), actor=reviewer
        )


def test_an_event_of_the_other_track_cannot_be_planned(cohort, team, reviewer):
    event = joint_event(cohort, audience=Track.HUMAN_RIGHTS)
    with pytest.raises(ProgrammeError, match="not in your organisation's programme"):
        attendance.attendance_plan(team=team, event=event, membership_ids=[], actor=reviewer)


def test_the_employment_services_representative_is_missing_at_workshop_1(team, workshop):
    assert attendance.missing_employment_services(team, workshop, set()) is True
    person = team.memberships.first()
    person.role = TeamRole.EMPLOYMENT_SERVICES
    person.save()
    team.refresh_from_db()
    assert attendance.missing_employment_services(team, workshop, {person.pk}) is False


def test_staff_tick_who_came(team, workshop, coordinator):
    first, second, third = _ids(team)
    changed = attendance.attendance_mark(
        event=workshop, attended={first: True, second: False}, actor=coordinator
    )
    assert changed == 2
    assert (
        attendance.attendance_mark(event=workshop, attended={first: True}, actor=coordinator) == 0
    )
    assert dict(Attendance.objects.values_list("membership_id", "attended")) == {
        first: True,
        second: False,
    }


def test_ticking_another_cohorts_member_is_refused(team, workshop, coordinator):
    from tests.factories import CohortFactory

    stranger = team_of(CohortFactory(), "Muu")
    with pytest.raises(ProgrammeError):
        attendance.attendance_mark(
            event=workshop, attended={_ids(stranger)[0]: True}, actor=coordinator
        )


def test_the_matrix_counts_named_and_came_with_a_dash_for_the_other_track(
    cohort, team, workshop, coordinator
):
    other = team_of(cohort, "Kunta B", track=Track.HUMAN_RIGHTS)
    employment_only = joint_event(
        cohort, kind=EventKind.CLOSING, audience=Track.EMPLOYMENT, start=hki(2026, 4, 1, 9)
    )
    first, second, _third = _ids(team)
    attendance.attendance_plan(
        team=team, event=workshop, membership_ids=[first, second], actor=coordinator
    )
    attendance.attendance_mark(event=workshop, attended={first: True}, actor=coordinator)
    events, rows = attendance.attendance_matrix(cohort)
    assert events == [workshop, employment_only]
    cells = {row.team.pk: [(c.attended, c.planned, c.applies) for c in row.cells] for row in rows}
    assert cells == {
        team.pk: [(1, 2, True), (0, 0, True)],
        other.pk: [(0, 0, True), (0, 0, False)],
    }


def test_the_attendance_list_is_pre_ticked_with_those_named(
    team, workshop, coordinator_client, coordinator
):
    coordinator.language = "en"  # the messages read in English
    coordinator.save(update_fields=["language"])
    first, second, _third = _ids(team)
    attendance.attendance_plan(team=team, event=workshop, membership_ids=[first], actor=coordinator)
    path = reverse("sparring_staff:event_attendance", args=[workshop.pk])
    body = coordinator_client.get(path).content.decode()
    assert f'value="{first}" id="came-{first}" checked' in body
    assert f'value="{second}" id="came-{second}">' in body
    assert "named in advance" in body
    response = coordinator_client.post(path, {"came": [str(second)]}, follow=True)
    assert "Attendance saved: 1 came." in response.content.decode()
    assert dict(Attendance.objects.values_list("membership_id", "attended")) == {
        first: False,
        second: True,
        _third: False,
    }


def test_the_xlsx_has_the_counts_and_guards_formulas(
    cohort, workshop, coordinator, coordinator_client
):
    team = team_of(cohort, '=HYPERLINK("http://127.0.0.1")', members=1)
    attendance.attendance_mark(event=workshop, attended={_ids(team)[0]: True}, actor=coordinator)
    response = coordinator_client.get(
        reverse("sparring_staff:cohort_attendance_xlsx", args=[cohort.pk])
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Organisaatio", "Malli")  # the coordinator's language: Finnish
    assert rows[1][0] == '\'=HYPERLINK("http://127.0.0.1")'
    assert rows[1][2:] == (1, 0, 1, 0)


def _matrix_queries(client, cohort):
    with CaptureQueriesContext(connection) as queries:
        path = reverse("sparring_staff:cohort_attendance", args=[cohort.pk])
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_matrix_queries_do_not_grow_with_the_teams(
    cohort, workshop, coordinator, coordinator_client
):
    def grow(n):
        for i in range(n):
            team = team_of(cohort, f"Kunta {n}-{i}")
            attendance.attendance_mark(
                event=workshop, attended={_ids(team)[0]: True}, actor=coordinator
            )

    grow(1)
    one = _matrix_queries(coordinator_client, cohort)
    grow(8)
    assert _matrix_queries(coordinator_client, cohort) == one
