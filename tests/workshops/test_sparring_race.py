"""Teams click the same sparring slot at the same moment: the database lets one win.

Real concurrency needs a server database: on SQLite these tests are skipped, except in
CI (CI=true), where a missing PostgreSQL is a failure, not a skip.
"""

import os
import threading

import pytest
from django.db import connection
from django.utils import translation

from soske import clock
from soske.mail.models import OutgoingEmail
from tests.factories import CohortFactory, UserFactory
from workshops import sparring
from workshops.models import SparringBooking
from workshops.sparring import SparringError

from .sparring_world import NOW, hki, slots, sparring_round, team_of

RACERS = 10
TAKEN = "Another team booked this slot a moment ago. Choose another one from the list."


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the race tests against PostgreSQL: set DATABASE_URL.")
        pytest.skip("the race needs PostgreSQL (set DATABASE_URL=postgres://…)")


@pytest.fixture(autouse=True)
def _before_the_round():
    with clock.travel(NOW):  # all threads
        yield


def race(count, work):
    """Run work(i) in `count` threads released at the same moment; results or exceptions."""
    barrier = threading.Barrier(count, timeout=30)
    results = [None] * count

    def run(i):
        try:
            barrier.wait()
            with translation.override("en"):
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
def world(transactional_db):
    cohort = CohortFactory()
    sparrer = UserFactory(email="sparrer@example.org")
    round = sparring_round(cohort)
    slot, spare = slots(round, sparrer, hki(2026, 3, 10, 9), hki(2026, 3, 10, 12))
    teams = [team_of(cohort, f"Kunta {i}", members=1) for i in range(RACERS)]
    people = [UserFactory(email=f"racer{i}@example.org") for i in range(RACERS)]
    return round, slot, spare, teams, people


def test_teams_race_for_one_slot_and_exactly_one_wins(world):
    _round, slot, _spare, teams, people = world
    results = race(
        RACERS,
        lambda i: sparring.sparring_book(team=teams[i], slot=slot, actor=people[i], at=NOW),
    )
    winners = [r for r in results if isinstance(r, SparringBooking)]
    losers = [r for r in results if isinstance(r, SparringError)]
    assert len(winners) == 1, results
    assert [(e.code, e.message) for e in losers] == [("taken", TAKEN)] * (RACERS - 1)
    (booked,) = SparringBooking.objects.all()
    winner = teams[results.index(winners[0])]
    assert (booked.team, booked.slot) == (winner, slot)
    # only the winner's booking was mailed: the losers' rows were rolled back with them
    mailed = OutgoingEmail.objects.filter(key__startswith="sparring_booked:")
    assert sorted(mailed.values_list("to", flat=True)) == sorted(
        ["sparrer@example.org", winner.memberships.get().email]
    )


def test_two_members_of_one_team_clicking_two_slots_book_once(world):
    _round, slot, spare, teams, people = world
    results = race(
        2,
        lambda i: sparring.sparring_book(
            team=teams[0], slot=[slot, spare][i], actor=people[i], at=NOW
        ),
    )
    assert sum(isinstance(r, SparringBooking) for r in results) == 1, results
    (loser,) = [r for r in results if isinstance(r, SparringError)]
    assert loser.code == "exists"
    assert SparringBooking.objects.filter(team=teams[0]).count() == 1
