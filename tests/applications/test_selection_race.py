"""Two coordinators click "selected" at the same moment: the cohort still takes six.

Real concurrency needs a server database: on SQLite these tests are skipped, except in
CI (CI=true), where a missing PostgreSQL is a failure, not a skip. The single-thread
refusal of the seventh is in test_selection.py.
"""

import os

import pytest
from django.db import connection
from django.urls import reverse

from applications import selection
from applications.models import Decision, Mark
from soske.mail.models import OutgoingEmail
from soske.users.models import Role
from tests.conftest import client_for
from tests.factories import CohortFactory, close_call

from .test_interview_race import race
from .test_scoring import staff, submitted_application

FULL = (
    "6 organisations are already selected, the most this cohort takes. "
    "Mark one of them reserve or not selected first."
)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the race tests against PostgreSQL: set DATABASE_URL.")
        pytest.skip("the race needs PostgreSQL (set DATABASE_URL=postgres://…)")


@pytest.fixture
def world(transactional_db):
    cohort = CohortFactory()
    coordinators = [
        staff(f"coordinator{i}@example.org", Role.COORDINATOR, language="en") for i in range(2)
    ]
    applications = [submitted_application(cohort, org_name=f"Kunta {i}") for i in range(8)]
    for application in applications[:5]:
        selection.decision_mark(
            application=application, mark=Mark.SELECTED, feedback="", actor=coordinators[0]
        )
    return cohort, coordinators, applications


def test_two_coordinators_select_the_sixth_and_seventh_at_once_and_six_are_selected(world):
    cohort, coordinators, applications = world
    sixth, seventh = applications[5], applications[6]
    results = race(
        2,
        lambda i: selection.decision_mark(
            application=[sixth, seventh][i], mark=Mark.SELECTED, feedback="", actor=coordinators[i]
        ),
    )
    winners = [r for r in results if isinstance(r, Decision)]
    losers = [r for r in results if isinstance(r, selection.SelectionError)]
    assert len(winners) == 1, results
    assert [(e.code, e.message) for e in losers] == [("full", FULL)]
    assert Decision.objects.filter(cohort=cohort, mark=Mark.SELECTED).count() == 6
    # The loser's application has no decision at all: nothing half-written.
    loser = [sixth, seventh][1 - results.index(winners[0])]
    assert not Decision.objects.filter(application=loser).exists()


def test_many_clicks_through_the_ranking_page_leave_six_selected(world):
    cohort, coordinators, applications = world
    clients = [client_for(coordinators[i % 2]) for i in range(3)]
    contenders = applications[5:8]

    def click(i):
        application = contenders[i]
        response = clients[i].post(
            reverse("staff:mark", args=[application.pk]),
            {f"a{application.pk}-mark": Mark.SELECTED},
            follow=True,
        )
        # The page itself, not response.context: template signals are shared by threads.
        return response.status_code, response.content.decode()

    results = race(3, click)
    assert [status for status, _page in results] == [200, 200, 200]
    refused = [page for _status, page in results if FULL in page]
    assert len(refused) == 2, [p[:200] for _s, p in results]
    assert Decision.objects.filter(cohort=cohort, mark=Mark.SELECTED).count() == 6
    assert Decision.objects.filter(cohort=cohort).count() == 6


def test_two_coordinators_release_at_once_and_each_applicant_hears_once(world):
    cohort, coordinators, applications = world
    for application in applications[5:]:
        selection.decision_mark(
            application=application, mark=Mark.NOT_SELECTED, feedback="", actor=coordinators[1]
        )
    close_call(cohort)  # decisions are released once the call has closed
    results = race(2, lambda i: selection.release(cohort=cohort, actor=coordinators[i]))
    assert sorted(results) == [0, 8], results
    keys = OutgoingEmail.objects.filter(key__startswith="decision:")
    # Each contact person and each manager (all eight name johto@example.org) once.
    assert sorted(keys.values_list("to", flat=True)) == sorted(
        [a.contact_email for a in applications] + ["johto@example.org"] * 8
    )
    assert all(d.release_count == 1 for d in Decision.objects.all())
