"""Organisation-specific sparring: slots in a round's window, one booking per team.

The database decides between two clicks at once: a partial unique index allows one
booked team per slot and one booking per team and round. Every booking, move and
cancellation mails the team's members and the sparrers an .ics with a stable UID.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cohorts.models import Team
from soske import clock, dates
from soske.activity.services import activity_record
from soske.calendar.ics import CalendarEvent, Person, calendar_bytes
from soske.mail.services import outbox_enqueue_template
from soske.users.models import User

from .models import Event, SparringBooking, SparringSlot
from .programme import ProgrammeError, member_language


class SparringError(ProgrammeError):
    pass


SPARRING_MINUTES = 120


def _when(moment) -> str:
    return dates.moment(moment, weekday="short")


# --- Slots -------------------------------------------------------------------------------


def slots_create(
    *, round, starts: list[datetime], sparrers, location="", meeting_url="", actor,
    duration_minutes=SPARRING_MINUTES,
) -> list[SparringSlot]:  # fmt: skip
    """Publish slots at `starts` within the round's window; all or nothing."""
    if not round.is_sparring_round:
        raise SparringError(_("Slots can only be added to a sparring round."))
    if round.is_cancelled:
        raise SparringError(_("This sparring round has been cancelled."))
    sparrers = list(sparrers)
    if not sparrers:
        raise SparringError(_("Choose at least one sparrer."))
    if not starts:
        raise SparringError(_("These settings produce no slots."))
    length = timedelta(minutes=duration_minutes)
    for start in starts:
        if start < round.starts_at or start + length > round.ends_at:
            raise SparringError(
                _("%(when)s is outside the round's window %(first)s–%(last)s.")
                % {
                    "when": _when(start),
                    "first": dates.day(round.starts_at),
                    "last": dates.day(round.ends_at - timedelta(minutes=1)),
                }
            )
    ordered = sorted(starts)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later < earlier + length:
            raise SparringError(_("The new slots overlap each other."))
    moment = clock.now()
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk__in=[u.pk for u in sparrers]))
        for start in ordered:
            clash = SparringSlot.objects.offered().filter(
                sparrers__in=sparrers,
                starts_at__lt=start + length,
                starts_at__gt=start - timedelta(hours=12),
            )
            if any(slot.ends_at > start for slot in clash):
                raise SparringError(
                    _("A sparrer already has a slot at %(when)s.") % {"when": _when(start)},
                    code="overlap",
                )
        created = []
        for start in ordered:
            slot = SparringSlot.objects.create(
                round=round,
                starts_at=start,
                duration_minutes=duration_minutes,
                location=location,
                meeting_url=meeting_url,
                created_at=moment,
            )
            slot.sparrers.set(sparrers)
            created.append(slot)
        activity_record(
            actor=actor,
            action="sparring.slots_published",
            target=round,
            scope=round.cohort,
            subject=str(round),
            after={"slots": [clock.helsinki(s).isoformat() for s in ordered]},
            context={"cohort": round.cohort_id},
        )
    return created


def slot_remove(*, slot, actor):
    with transaction.atomic():
        locked = SparringSlot.objects.select_for_update().get(pk=slot.pk)
        if locked.bookings.filter(state=SparringBooking.State.BOOKED).exists():
            raise SparringError(_("This slot has been booked; cancel the booking first."))
        if locked.bookings.exists():
            locked.removed_at = clock.now()
            locked.save(update_fields=["removed_at"])
        else:
            locked.delete()


def free_slots(round, at, *, for_staff=False):
    """Slots a team can book now: not taken, not within the cut-off (staff: not past)."""
    earliest = at if for_staff else at + round.change_cutoff
    taken = SparringBooking.objects.filter(slot=OuterRef("pk"), state=SparringBooking.State.BOOKED)
    return (
        SparringSlot.objects.offered()
        .filter(round=round, starts_at__gt=earliest)
        .annotate(taken=Exists(taken))
        .filter(taken=False)
        .prefetch_related("sparrers")
        .order_by("starts_at")
    )


def team_booking(team, round):
    return (
        SparringBooking.objects.filter(team=team, round=round, state=SparringBooking.State.BOOKED)
        .select_related("slot")
        .first()
    )


# --- Bookings ----------------------------------------------------------------------------


def _cutoff_hours(round) -> int:
    return int(round.change_cutoff.total_seconds() // 3600)


def _check_slot(team, slot, at, *, staff):
    round = slot.round
    if round.cohort_id != team.cohort_id:
        raise SparringError(_("This slot belongs to another cohort."))
    if not team.active:
        raise SparringError(_("This team no longer takes part."))
    if round.is_cancelled or slot.removed_at is not None:
        raise SparringError(_("This slot is no longer offered."))
    if round.audience not in ("both", team.track):
        raise SparringError(_("This sparring round is for the other track."))
    if slot.starts_at <= at:
        raise SparringError(_("This slot is in the past."))
    if not staff and slot.starts_at - round.change_cutoff <= at:
        raise SparringError(
            _("Slots starting within %(hours)s hours can no longer be booked. Contact the staff.")
            % {"hours": _cutoff_hours(round)}
        )


def _check_cutoff(booking, at, *, staff):
    if booking.slot.starts_at <= at:
        raise SparringError(_("The sparring has already started."))
    if not staff and booking.slot.starts_at - booking.round.change_cutoff <= at:
        raise SparringError(
            _(
                "The sparring can no longer be changed here: it starts within %(hours)s hours. "
                "Contact the staff."
            )
            % {"hours": _cutoff_hours(booking.round)}
        )


def _taken():
    return SparringError(
        _("Another team booked this slot a moment ago. Choose another one from the list."),
        code="taken",
    )


def sparring_book(*, team, slot, actor, at, staff=False) -> SparringBooking:
    slot = SparringSlot.objects.select_related("round__cohort").get(pk=slot.pk)
    _check_slot(team, slot, at, staff=staff)
    try:
        with transaction.atomic():
            # One team's members clicking at once: the second hears "already booked".
            list(Team.objects.select_for_update().filter(pk=team.pk).values("pk"))
            if team_booking(team, slot.round):
                raise SparringError(
                    _("Your organisation already has a sparring in this round. Move it instead."),
                    code="exists",
                )
            with transaction.atomic():
                booking = SparringBooking.objects.create(
                    round=slot.round,
                    team=team,
                    slot=slot,
                    booked_by=actor,
                    booked_at=clock.now(),
                )
            _log(actor, "sparring.booked", booking)
            _notify(booking, "sparring_booked", method="REQUEST")
    except IntegrityError as exc:
        raise _taken() from exc
    return booking


def sparring_move(*, booking, slot, actor, at, staff=False) -> SparringBooking:
    try:
        with transaction.atomic():
            locked = (
                SparringBooking.objects.select_for_update()
                .select_related("slot", "round__cohort", "team")
                .get(pk=booking.pk)
            )
            if locked.state != SparringBooking.State.BOOKED:
                raise SparringError(_("This sparring has been cancelled."))
            if locked.slot_id == slot.pk:
                return locked
            slot = SparringSlot.objects.select_related("round__cohort").get(pk=slot.pk)
            if slot.round_id != locked.round_id:
                raise SparringError(_("Choose a slot of the same sparring round."))
            _check_cutoff(locked, at, staff=staff)
            _check_slot(locked.team, slot, at, staff=staff)
            old_slot = locked.slot
            locked.slot = slot
            locked.sequence += 1
            with transaction.atomic():
                locked.save(update_fields=["slot", "sequence"])
            _log(
                actor,
                "sparring.moved",
                locked,
                before={"starts_at": clock.helsinki(old_slot.starts_at).isoformat()},
            )
            _notify(locked, "sparring_moved", method="REQUEST")
    except IntegrityError as exc:
        raise _taken() from exc
    return locked


def sparring_cancel(*, booking, actor, at, staff=False) -> SparringBooking:
    with transaction.atomic():
        locked = (
            SparringBooking.objects.select_for_update()
            .select_related("slot", "round__cohort", "team")
            .get(pk=booking.pk)
        )
        if locked.state != SparringBooking.State.BOOKED:
            return locked
        _check_cutoff(locked, at, staff=staff)
        locked.state = SparringBooking.State.CANCELLED
        locked.sequence += 1
        locked.save(update_fields=["state", "sequence"])
        _log(actor, "sparring.cancelled", locked)
        _notify(locked, "sparring_cancelled", method="CANCEL")
    return locked


def sparring_save_notes(*, booking, notes: str, next_steps: str, actor) -> SparringBooking:
    with transaction.atomic():
        locked = SparringBooking.objects.select_for_update().get(pk=booking.pk)
        before = {"notes": locked.notes, "next_steps": locked.next_steps}
        locked.notes = notes.strip()
        locked.next_steps = next_steps.strip()
        locked.notes_by = actor
        locked.notes_at = clock.now()
        locked.save(update_fields=["notes", "next_steps", "notes_by", "notes_at"])
        if before != {"notes": locked.notes, "next_steps": locked.next_steps}:
            _log(actor, "sparring.notes_saved", locked)
    return locked


def unbooked_teams(round):
    """Active teams of the round's cohort and track without a booked sparring in it."""
    booked = SparringBooking.objects.filter(
        round=round, team=OuterRef("pk"), state=SparringBooking.State.BOOKED
    )
    teams = Team.objects.filter(cohort_id=round.cohort_id, active=True)
    if round.audience != "both":
        teams = teams.filter(track=round.audience)
    return (
        teams.annotate(has_booking=Exists(booked))
        .filter(has_booking=False)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def sparring_remind_unbooked(*, round, actor, at=None) -> int:
    """Mail the members of teams without a booking; once a day per person and round."""
    at = at or clock.now()
    day = clock.helsinki(at).date().isoformat()
    sent = 0
    for team in unbooked_teams(round).prefetch_related("memberships"):
        for membership in team.memberships.all():
            row = outbox_enqueue_template(
                key=f"sparring-book-reminder:{round.pk}:{day}:{membership.email.lower()}",
                to=membership.email,
                language=member_language(membership),
                template="sparring_book_reminder",
                context={
                    "round": round,
                    "team": team,
                    "membership": membership,
                    "book_url": settings.SITE_URL
                    + reverse("programme:sparring", args=[team.pk, round.pk]),
                },
            )
            sent += row is not None
    return sent


# --- Calendar and mail ---------------------------------------------------------------------


def calendar_event(booking, *, attendees=()) -> CalendarEvent:
    slot = booking.slot
    organisation = booking.team.organisation.name
    description = [booking.round.title, booking.round.cohort.localized_name]
    if slot.location and slot.meeting_url:
        description.append(slot.meeting_url)
    return CalendarEvent(
        uid=f"sparring-{booking.uid}@soske",
        sequence=booking.sequence,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=_("Soske academy sparring: %(org)s") % {"org": organisation},
        location=slot.location or slot.meeting_url,
        description="\n\n".join(description),
        attendees=tuple(attendees),
        cancelled=booking.state == SparringBooking.State.CANCELLED,
    )


def _load(booking):
    return (
        SparringBooking.objects.select_related(
            "slot", "round__cohort", "team__organisation", "booked_by"
        )
        .prefetch_related("slot__sparrers", "team__memberships__user")
        .get(pk=booking.pk)
    )


def _recipients(booking):
    """{e-mail: (name, language, is_sparrer)}: the team's members and the slot's sparrers."""
    people = {}
    for person in booking.slot.sparrers.all():
        people.setdefault(person.email.lower(), (person.get_full_name(), person.language, True))
    for membership in booking.team.memberships.all():
        people.setdefault(
            membership.email.lower(), (membership.name, member_language(membership), False)
        )
    return people


def _notify(booking, template, *, method):
    booking = _load(booking)
    people = _recipients(booking)
    attendees = [Person(email, name) for email, (name, _lang, _s) in people.items()]
    for email, (_name, language, sparrer) in people.items():
        with translation.override(language):
            ics = calendar_bytes([calendar_event(booking, attendees=attendees)], method=method)
        outbox_enqueue_template(
            key=f"{template}:{booking.pk}:{booking.sequence}:{email}",
            to=email,
            language=language,
            template=template,
            context={
                "booking": booking,
                "slot": booking.slot,
                "team": booking.team,
                "round": booking.round,
                "sparrer": sparrer,
                "team_url": settings.SITE_URL
                + reverse("programme:sparring", args=[booking.team_id, booking.round_id]),
            },
            attachments=[
                {
                    "filename": "soske-sparring.ics",
                    "content": ics.decode("utf-8"),
                    "mimetype": f"text/calendar; method={method}; charset=utf-8",
                }
            ],
        )


def send_sparring_reminders(*, at=None) -> int:
    """7 days and 1 day before a booked sparring; a moved one reminds again."""
    at = at or clock.now()
    sent = 0
    # (7, 1): from 7 days to 1 day before; within the last day only the 1-day reminder,
    # so a first run late (or a late booking) sends one reminder, not two at once.
    for days, nearer in ((7, 1), (1, 0)):
        bookings = (
            SparringBooking.objects.filter(
                state=SparringBooking.State.BOOKED,
                slot__starts_at__gt=at + timedelta(days=nearer),
                slot__starts_at__lte=at + timedelta(days=days),
            )
            .select_related("slot", "round__cohort", "team__organisation")
            .prefetch_related(
                "slot__sparrers",
                Prefetch("team__memberships"),
            )
        )
        for booking in bookings:
            for email, (_name, language, sparrer) in _recipients(booking).items():
                row = outbox_enqueue_template(
                    key=(
                        f"sparring-reminder:{booking.pk}:{days}:"
                        f"{booking.slot.starts_at.isoformat()}:{email}"
                    ),
                    to=email,
                    language=language,
                    template="sparring_reminder",
                    context={"booking": booking, "days": days, "sparrer": sparrer},
                )
                sent += row is not None
    return sent


def _log(actor, action, booking, before=None):
    activity_record(
        actor=actor,
        action=action,
        target=booking,
        scope=booking.team,
        subject=str(booking.team.organisation.name)[:200],
        before=before,
        after={"starts_at": clock.helsinki(booking.slot.starts_at).isoformat()},
        context={"cohort": booking.round.cohort_id, "round": booking.round_id},
    )


def bookings_of_round(round):
    return (
        SparringBooking.objects.filter(round=round, state=SparringBooking.State.BOOKED)
        .select_related("slot", "team__organisation", "notes_by")
        .prefetch_related("slot__sparrers")
        .order_by("slot__starts_at")
    )


def rounds_of(cohort):
    return Event.objects.live().filter(cohort=cohort, kind="sparring_round").order_by("starts_at")
