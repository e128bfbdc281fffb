"""Twenty applicants click the same slot at the same moment: the database lets one win.

Real concurrency needs a server database: on SQLite these tests are skipped, except in
CI (CI=true), where a missing PostgreSQL is a failure, not a skip.
"""

import os
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from applications import interviews
from applications.interviews import InterviewError
from applications.models import Interview
from soske import clock
from soske.mail.models import OutgoingEmail
from tests.conftest import client_for
from tests.factories import UserFactory

from .interview_world import NOW, hki, interview_cohort, slot_at, submitted_application

RACERS = 20
TAKEN = "Someone else booked this slot a moment ago. Choose another one from the refreshed list."


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the race tests against PostgreSQL: set DATABASE_URL.")
        pytest.skip("the race needs PostgreSQL (set DATABASE_URL=postgres://…)")


@pytest.fixture(autouse=True)
def _before_the_interviews(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with clock.travel(NOW):  # all threads
        yield


def race(count, work):
    """Run work(i) in `count` threads released at the same moment; results or exceptions."""
    barrier = threading.Barrier(count, timeout=30)
    results = [None] * count

    def run(i):
        try:
            barrier.wait()
            with translation.override("en"):  # a new thread speaks the default, Finnish
                results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the result of the race, checked below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def world(transactional_db, reviewer):
    cohort = interview_cohort()
    people = [UserFactory(email=f"racer{i}@example.org", language="en") for i in range(RACERS)]
    applications = [
        submitted_application(cohort, person, org_name=f"Kunta {i}", via_service=False)
        for i, person in enumerate(people)
    ]
    slot = slot_at(cohort, hki(2026, 10, 19, 9), reviewer)
    spare = slot_at(cohort, hki(2026, 10, 19, 11), reviewer)
    return cohort, people, applications, slot, spare


def test_twenty_applicants_race_for_one_slot_and_exactly_one_wins(world):
    _cohort, people, applications, slot, _spare = world
    results = race(
        RACERS,
        lambda i: interviews.interview_book(
            application=applications[i], slot=slot, actor=people[i], at=NOW
        ),
    )
    winners = [r for r in results if isinstance(r, Interview)]
    losers = [r for r in results if isinstance(r, InterviewError)]
    assert len(winners) == 1, results
    assert [e.code for e in losers] == ["taken"] * (RACERS - 1)
    assert [e.message for e in losers] == [TAKEN] * (RACERS - 1)

    (booked,) = Interview.objects.all()
    assert booked.pk == winners[0].pk
    assert (booked.slot, booked.state) == (slot, Interview.State.BOOKED)
    winner = applications[results.index(winners[0])]
    assert booked.application == winner
    # Only the winner's booking was mailed: the losers' rows were rolled back with them.
    booked_mails = OutgoingEmail.objects.filter(key__startswith="interview_booked:")
    assert sorted(booked_mails.values_list("to", flat=True)) == sorted(
        [winner.contact_email, "rita.reviewer@example.org"]
    )


def test_twenty_applicants_race_through_the_booking_page(world):
    _cohort, people, applications, slot, spare = world
    clients = [client_for(person) for person in people]

    def click(i):
        response = clients[i].post(
            reverse("applications:interview", args=[applications[i].pk]),
            {"slot": slot.pk, "attendee_names": f"Johtaja {i}"},
        )
        # The page itself, not response.context: template signals are shared by threads.
        return response.status_code, response.content.decode()

    results = race(RACERS, click)
    assert sorted(r[0] for r in results) == [200] * (RACERS - 1) + [302], results
    for status, page in results:
        if status == 200:
            assert TAKEN in page
            # The refreshed list, without the taken slot.
            assert f'name="slot" value="{spare.pk}"' in page
            assert f'name="slot" value="{slot.pk}"' not in page
    (booked,) = Interview.objects.all()
    assert booked.slot == slot
    assert booked.attendee_names == f"Johtaja {[r[0] for r in results].index(302)}"


def test_a_double_click_books_once_and_the_second_is_told_it_exists(world):
    _cohort, people, applications, slot, spare = world
    results = race(
        2,
        lambda i: interviews.interview_book(
            application=applications[0], slot=[slot, spare][i], actor=people[0], at=NOW
        ),
    )
    winners = [r for r in results if isinstance(r, Interview)]
    assert len(winners) == 1, results
    (loser,) = [r for r in results if isinstance(r, InterviewError)]
    assert loser.code == "exists"
    assert Interview.objects.filter(application=applications[0]).count() == 1


def test_a_move_and_a_booking_racing_for_one_slot_leave_one_holder(world):
    _cohort, people, applications, slot, spare = world
    moving = interviews.interview_book(
        application=applications[0], slot=spare, actor=people[0], at=NOW
    )

    def work(i):
        if i == 0:
            return interviews.interview_move(interview=moving, slot=slot, actor=people[0], at=NOW)
        return interviews.interview_book(
            application=applications[1], slot=slot, actor=people[1], at=NOW
        )

    results = race(2, work)
    assert sum(isinstance(r, Interview) for r in results) == 1, results
    assert [r.code for r in results if isinstance(r, InterviewError)] == ["taken"]
    assert Interview.objects.filter(slot=slot, state=Interview.State.BOOKED).count() == 1
