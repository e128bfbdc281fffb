"""The programme of a cohort in every state a page shows: events from the seed's pattern
(the kick-off invited), a material file, a sparring round with slots and both teams'
bookings. Used by the access table and the programme's tests."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile

from soske import clock
from workshops import programme, sparring
from workshops.models import Event, EventKind, Material, SparringBooking, SparringSlot

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class ProgrammeWorld:
    kickoff: Event
    workshop: Event
    round: Event
    material: Material
    slot: SparringSlot
    free_slot: SparringSlot
    booking: SparringBooking
    other_booking: SparringBooking


def programme_world(cohort, team, other_team, actor, *, kickoff: date | None = None):
    kickoff = kickoff or (clock.helsinki(clock.now()) + timedelta(days=30)).date()
    if cohort.decisions_released_at is None:
        cohort.decisions_released_at = clock.now()
        cohort.save(update_fields=["decisions_released_at"])
    events = programme.programme_from_pattern(cohort=cohort, kickoff=kickoff, actor=actor)
    by_kind = {}
    for event in events:
        by_kind.setdefault(event.kind, []).append(event)
    kickoff_event = by_kind[EventKind.KICKOFF][0]
    programme.event_invite(event=kickoff_event, actor=actor)
    kickoff_event.refresh_from_db()
    material = Material(
        event=kickoff_event,
        title="Ennakkomateriaali",
        filename="ennakkomateriaali.pdf",
        added_by=actor,
        added_at=clock.now(),
    )
    material.file.save("ennakkomateriaali.pdf", ContentFile(PDF), save=False)
    material.save()
    round_1 = by_kind[EventKind.SPARRING_ROUND][0]
    day = clock.helsinki(round_1.starts_at).date() + timedelta(days=1)
    starts = [datetime.combine(day, time(hour), tzinfo=clock.HELSINKI) for hour in (9, 12, 15)]
    slots = sparring.slots_create(
        round=round_1, starts=starts, sparrers=[actor], location="Motiva, Helsinki", actor=actor
    )
    booking = sparring.sparring_book(team=team, slot=slots[0], actor=actor, at=clock.now())
    other_booking = sparring.sparring_book(
        team=other_team, slot=slots[1], actor=actor, at=clock.now()
    )
    sparring.sparring_save_notes(
        booking=booking,
        notes="Pilottihankinnaksi valittiin siivouspalvelut.",
        next_steps="Markkinavuoropuhelu maaliskuussa.",
        actor=actor,
    )
    return ProgrammeWorld(
        kickoff=kickoff_event,
        workshop=by_kind[EventKind.WORKSHOP][0],
        round=round_1,
        material=material,
        slot=slots[0],
        free_slot=slots[2],
        booking=booking,
        other_booking=other_booking,
    )
