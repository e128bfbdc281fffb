"""The programme's events: the seed's pattern, edits that re-invite, cancellations.

One guarded function per state change. Who is invited to an event: the joined and
invited members of the cohort's active teams whose track the event concerns. Every
invitation, update and cancellation carries one .ics whose UID never changes and whose
SEQUENCE rises with each change that people were told of.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cohorts.models import TeamMembership
from soske import clock
from soske.activity.services import activity_record
from soske.calendar.ics import CalendarEvent, Person, calendar_bytes
from soske.errors import DomainError
from soske.mail.services import outbox_enqueue_template

from .models import Audience, Event, EventKind, Material


class ProgrammeError(DomainError):
    pass


# --- The seed's pattern --------------------------------------------------------------


@dataclass(frozen=True)
class PatternItem:
    kind: str
    weeks_after_kickoff: int  # ISO weeks after the kick-off's week
    weekday: int  # 0 = Monday
    start: time
    end: time
    title_fi: str
    title_sv: str
    title_en: str
    audience: str = Audience.BOTH
    # For a sparring round: the window runs from the day after joint event number
    # `window_after` (0 = the kick-off) to the day before the next joint event;
    # `weeks_after_kickoff`, `weekday`, `start` and `end` are unused.
    window_after: int | None = None


# 2021–22: kick-off Thu 20.1. 9–11 (week 3), workshop 1 Wed 9.2. 9–12 (week 6),
# workshop 2 Wed 9.3. 13–16 (week 10), closing event Wed 6.4. 9–12 (week 14).
SEED_PATTERN = (
    PatternItem(
        EventKind.KICKOFF, 0, 3, time(9), time(11),
        "Aloitustilaisuus", "Startmöte", "Kick-off",
    ),
    PatternItem(
        EventKind.WORKSHOP, 3, 2, time(9), time(12),
        "Työpaja 1: Hankinnoilla työllistäminen",
        "Workshop 1: Sysselsättning genom upphandling",
        "Workshop 1: Employment through procurement",
    ),
    PatternItem(
        EventKind.SPARRING_ROUND, 3, 0, time(0), time(0),
        "Organisaatiokohtainen sparraus 1",
        "Organisationsspecifik sparrning 1",
        "Organisation-specific sparring 1",
        window_after=1,
    ),
    PatternItem(
        EventKind.WORKSHOP, 7, 2, time(13), time(16),
        "Työpaja 2: Ihmisoikeudet ja työelämän perusoikeudet",
        "Workshop 2: Mänskliga rättigheter och grundläggande rättigheter i arbetslivet",
        "Workshop 2: Human rights and fundamental labour rights",
    ),
    PatternItem(
        EventKind.SPARRING_ROUND, 7, 0, time(0), time(0),
        "Organisaatiokohtainen sparraus 2",
        "Organisationsspecifik sparrning 2",
        "Organisation-specific sparring 2",
        window_after=2,
    ),
    PatternItem(
        EventKind.CLOSING, 11, 2, time(9), time(12),
        "Työpaja 3 ja päätöstilaisuus", "Workshop 3 och avslutning",
        "Workshop 3 and closing event",
    ),
)  # fmt: skip


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=clock.HELSINKI)


def pattern_dates(kickoff: date) -> list[tuple[PatternItem, datetime, datetime]]:
    """The seed's pattern anchored at `kickoff`: (item, starts_at, ends_at) in order."""
    monday = kickoff - timedelta(days=kickoff.weekday())
    joint = []
    for item in SEED_PATTERN:
        if item.window_after is None:
            day = (
                kickoff
                if item.kind == EventKind.KICKOFF
                else (monday + timedelta(weeks=item.weeks_after_kickoff, days=item.weekday))
            )
            joint.append((item, _at(day, item.start), _at(day, item.end)))
    result = []
    for item in SEED_PATTERN:
        if item.window_after is None:
            result.append(next(row for row in joint if row[0] is item))
            continue
        previous_end = joint[item.window_after][2]
        following_start = joint[item.window_after + 1][1]
        first_day = clock.helsinki(previous_end).date() + timedelta(days=1)
        last_day = clock.helsinki(following_start).date()  # exclusive: ends at 00:00 that day
        result.append((item, _at(first_day, time(0)), _at(last_day, time(0))))
    return result


def programme_absent_check(cohort) -> None:
    """Refuse a second programme: the cohort's live events are edited one by one."""
    if Event.objects.filter(cohort=cohort, cancelled_at__isnull=True).exists():
        raise ProgrammeError(
            _("This cohort already has a programme. Edit its events instead."),
            code="exists",
        )


def programme_from_pattern(*, cohort, kickoff: date, actor) -> list[Event]:
    """Create the cohort's programme from the seed's pattern; refused if it has one."""
    moment = clock.now()
    with transaction.atomic():
        type(cohort).objects.select_for_update().get(pk=cohort.pk)
        programme_absent_check(cohort)
        created = [
            Event.objects.create(
                cohort=cohort,
                kind=item.kind,
                audience=item.audience,
                title_fi=item.title_fi,
                title_sv=item.title_sv,
                title_en=item.title_en,
                starts_at=starts_at,
                ends_at=ends_at,
                created_at=moment,
                updated_at=moment,
            )
            for item, starts_at, ends_at in pattern_dates(kickoff)
        ]
        _record(actor, "programme.created", cohort, {"kickoff": kickoff.isoformat()})
    return created


# --- Events --------------------------------------------------------------------------

# A change to any of these is one that invited people are told of.
# (Every text of the .ics and the mail: the title and description in each language.)
NOTIFIED_FIELDS = (
    "starts_at",
    "ends_at",
    "location",
    "meeting_url",
    "audience",
    "title_fi",
    "title_sv",
    "title_en",
    "description_fi",
    "description_sv",
    "description_en",
)


def _check_times(starts_at, ends_at):
    if ends_at <= starts_at:
        raise ProgrammeError(_("An event must end after it starts."), code="times")


def event_create(*, cohort, actor, **fields) -> Event:
    _check_times(fields["starts_at"], fields["ends_at"])
    moment = clock.now()
    with transaction.atomic():
        event = Event.objects.create(cohort=cohort, created_at=moment, updated_at=moment, **fields)
        _record(actor, "event.created", event, {"title": event.title_fi})
    return event


def event_update(*, event, actor, **fields) -> Event:
    """Save the changes; people already invited get the updated invitation."""
    if event.is_cancelled:
        raise ProgrammeError(_("This event has been cancelled."), code="cancelled")
    _check_times(fields.get("starts_at", event.starts_at), fields.get("ends_at", event.ends_at))
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        before = {name: _plain(getattr(locked, name)) for name in fields}
        for name, value in fields.items():
            setattr(locked, name, value)
        changed = {name for name in fields if _plain(getattr(locked, name)) != before[name]}
        if not changed:
            return locked
        notify = locked.invited_at is not None and bool(changed & set(NOTIFIED_FIELDS))
        if notify:
            locked.sequence += 1
        locked.updated_at = clock.now()
        locked.save()
        _record(
            actor,
            "event.updated",
            locked,
            {name: before[name] for name in changed},
            {name: _plain(getattr(locked, name)) for name in changed},
        )
        if notify:
            _mail_participants(locked, template="event_updated", method="REQUEST")
    return locked


def event_cancel(*, event, actor) -> Event:
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.is_cancelled:
            return locked
        locked.cancelled_at = clock.now()
        locked.updated_at = locked.cancelled_at
        if locked.invited_at is not None:
            locked.sequence += 1
        locked.save()
        _record(actor, "event.cancelled", locked, {"title": locked.title_fi})
        if locked.invited_at is not None:
            _mail_participants(locked, template="event_cancelled", method="CANCEL")
    return locked


def event_invite(*, event, actor) -> int:
    """Send the invitation to every participant (after the release); returns how many.

    Sending again reaches only those not yet invited to this version of the event, so a
    member added later is invited by pressing the button once more.
    """
    event_invite_check(event)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        event_invite_check(locked)
        first = locked.invited_at is None
        if first:
            locked.invited_at = clock.now()
            locked.save(update_fields=["invited_at"])
        sent = _mail_participants(locked, template=_invitation_template(locked), method="REQUEST")
        if first or sent:
            _record(actor, "event.invited", locked, {"recipients": sent})
    return sent


def event_invite_check(event) -> None:
    """Refuse what `event_invite` would refuse, before it is queued for a worker."""
    if event.is_cancelled:
        raise ProgrammeError(_("This event has been cancelled."), code="cancelled")
    if event.is_sparring_round:
        raise ProgrammeError(
            _("A sparring round has no invitation: each team books its own time."),
            code="sparring",
        )
    if event.cohort.decisions_released_at is None:
        raise ProgrammeError(
            _("Invitations can be sent once the decisions have been released."),
            code="not_released",
        )


def _invitation_template(event) -> str:
    return "kickoff_invitation" if event.kind == EventKind.KICKOFF else "event_invitation"


# --- Materials -----------------------------------------------------------------------------


def material_add(*, event, actor, title: str, url: str = "", file=None) -> Material:
    """Attach a link or a file (a validated upload) to `event`."""
    if bool(url) == bool(file):
        raise ProgrammeError(_("Give either a link or a file, not both."), code="material")
    with transaction.atomic():
        material = Material(
            event=event,
            title=title,
            url=url or "",
            added_by=actor,
            added_at=clock.now(),
        )
        if file is not None:
            material.filename = file.name[:200]
            material.file.save(file.name, file, save=False)
        material.save()
        _record(
            actor,
            "material.added",
            material,
            after={"title": title, "url": material.url, "filename": material.filename},
        )
    return material


def material_remove(*, material, actor) -> None:
    with transaction.atomic():
        before = {"title": material.title, "url": material.url, "filename": material.filename}
        name = material.file.name if material.file else ""
        _record(actor, "material.removed", material, before=before)
        storage = material.file.storage
        material.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name), robust=True)


# --- Who takes part, and their mail -------------------------------------------------------


def participants(event):
    """The memberships invited to `event`: members of active teams of its track."""
    memberships = TeamMembership.objects.filter(
        team__cohort_id=event.cohort_id, team__active=True
    ).select_related("team__organisation", "user")
    if event.audience != Audience.BOTH:
        memberships = memberships.filter(team__track=event.audience)
    return memberships.order_by("team__organisation__name", "name", "pk")


def member_language(membership) -> str:
    if membership.user_id and membership.user.language:
        return membership.user.language
    return settings.LANGUAGE_CODE


def calendar_event(event, *, language: str, attendees=()) -> CalendarEvent:
    with translation.override(language):
        location = event.location or event.meeting_url
        description = [event.description, event.cohort.localized_name]
        if event.location and event.meeting_url:
            description.append(event.meeting_url)
        return CalendarEvent(
            uid=f"{event.uid}@soske",
            sequence=event.sequence,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            summary=_("Soske academy: %(title)s") % {"title": event.title},
            location=location,
            description="\n\n".join(part for part in description if part),
            attendees=tuple(attendees),
            cancelled=event.is_cancelled,
        )


def event_ics(event, *, language: str, method: str = "") -> bytes:
    return calendar_bytes([calendar_event(event, language=language)], method=method)


def _mail_participants(event, *, template: str, method: str) -> int:
    sent = 0
    for membership in participants(event):
        language = member_language(membership)
        ics = calendar_bytes(
            [
                calendar_event(
                    event,
                    language=language,
                    attendees=[Person(membership.email, membership.name)],
                )
            ],
            method=method,
        )
        row = outbox_enqueue_template(
            key=f"{template}:{event.pk}:{event.sequence}:{membership.email.lower()}",
            to=membership.email,
            language=language,
            template=template,
            context={
                "event": event,
                "membership": membership,
                "cohort": event.cohort,
                "calendar_url": settings.SITE_URL
                + reverse("programme:calendar", args=[membership.team_id]),
            },
            attachments=[
                {
                    "filename": "soske.ics",
                    "content": ics.decode("utf-8"),
                    "mimetype": f"text/calendar; method={method}; charset=utf-8",
                }
            ],
        )
        sent += row is not None
    return sent


# --- Reminders ---------------------------------------------------------------------------

REMINDER_DAYS = (7, 1)


def send_event_reminders(*, at=None) -> int:
    """Remind participants 7 days and 1 day before each event; once per person, event,
    reminder and start time (a moved event reminds again)."""
    at = at or clock.now()
    sent = 0
    for index, days in enumerate(REMINDER_DAYS):
        horizon = at + timedelta(days=days)
        # Each reminder has its own window, up to the next one's: an event 12 hours away
        # gets the 1-day reminder only, never the 7-day one as well.
        following = REMINDER_DAYS[index + 1] if index + 1 < len(REMINDER_DAYS) else 0
        events = (
            Event.objects.live()
            .filter(
                starts_at__gt=at + timedelta(days=following),
                starts_at__lte=horizon,
                invited_at__isnull=False,
            )
            .exclude(kind=EventKind.SPARRING_ROUND)
            .select_related("cohort")
        )
        for event in events:
            for membership in participants(event):
                row = outbox_enqueue_template(
                    key=(
                        f"event-reminder:{event.pk}:{days}:{event.starts_at.isoformat()}:"
                        f"{membership.email.lower()}"
                    ),
                    to=membership.email,
                    language=member_language(membership),
                    template="event_reminder",
                    context={"event": event, "membership": membership, "days": days},
                )
                sent += row is not None
    return sent


# --- helpers -------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, datetime):
        return clock.helsinki(value).isoformat()
    return value


def _record(actor, action, target, before=None, after=None):
    owner = getattr(target, "event", target)
    cohort = getattr(owner, "cohort", owner)
    activity_record(
        actor=actor,
        action=action,
        target=target,
        scope=cohort,
        subject=str(target)[:200],
        before=before,
        after=after,
        context={"cohort": cohort.pk},
    )
