"""A cohort with a sparring round and teams, at a fixed moment, for the sparring tests."""

import uuid
from datetime import datetime, timedelta

from cohorts.models import Organisation, Team, TeamMembership, Track
from soske import clock
from workshops import sparring
from workshops.models import Event, EventKind

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=clock.HELSINKI)  # Monday


def hki(*args):
    return datetime(*args, tzinfo=clock.HELSINKI)


def sparring_round(cohort, *, audience="both", first=(2026, 3, 9), days=12):
    start = hki(*first)
    return Event.objects.create(
        cohort=cohort,
        kind=EventKind.SPARRING_ROUND,
        audience=audience,
        title_fi="Sparraus 1",
        title_sv="Sparrning 1",
        title_en="Sparring 1",
        starts_at=start,
        ends_at=start + timedelta(days=days),
        created_at=NOW,
        updated_at=NOW,
    )


def joint_event(cohort, *, kind=EventKind.WORKSHOP, audience="both", start=None, hours=3):
    start = start or hki(2026, 3, 4, 9)
    return Event.objects.create(
        cohort=cohort,
        kind=kind,
        audience=audience,
        title_fi="Työpaja 1",
        title_sv="Workshop 1",
        title_en="Workshop 1",
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        created_at=NOW,
        updated_at=NOW,
    )


_numbers = iter(range(1000000, 9999999))


def team_of(cohort, name, *, track=Track.EMPLOYMENT, members=2, joined=0):
    number = next(_numbers)
    organisation = Organisation.objects.create(name=name, business_id=f"{number}-1")
    team = Team.objects.create(
        cohort=cohort, organisation=organisation, track=track, created_at=NOW
    )
    for i in range(members):
        TeamMembership.objects.create(
            team=team,
            name=f"{name} henkilö {i}",
            email=f"p{i}.{number}@example.org",
            role="contact" if i == 0 else "procurement",
            token=uuid.uuid4(),
            invited_at=NOW,
            joined_at=NOW if i < joined else None,
        )
    return team


def slots(round, sparrer, *starts):
    return sparring.slots_create(
        round=round, starts=list(starts), sparrers=[sparrer], location="Motiva", actor=sparrer
    )
