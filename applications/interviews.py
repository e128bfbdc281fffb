"""Interviews: slots, bookings, moves, cancellations, notes and reminders.

One guarded function per state change, as in services.py. Every booking, move and
cancellation mails the applicant and the interviewers an .ics (METHOD REQUEST or
CANCEL) whose UID stays and whose SEQUENCE rises with each change.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from soske import clock, dates
from soske.activity.services import activity_record
from soske.compiled import Compiled
from soske.errors import DomainError
from soske.mail.services import outbox_enqueue_template
from soske.users.models import User

from .ics import applicant_attendees, interview_calendar
from .interview_guide import CHECKLIST, QUESTIONS
from .models import Application, AttendeeRole, Interview, InterviewSlot, Status


class InterviewError(DomainError):
    pass


# --- Slots -----------------------------------------------------------------------


def _in_window(cohort, starts_at) -> bool:
    day = clock.helsinki(starts_at).date()
    return cohort.interviews_start <= day <= cohort.interviews_end


def _overlaps(interviewer_ids, starts_at, ends_at, *, exclude_ids=()):
    """Existing slots of these interviewers that overlap [starts_at, ends_at)."""
    candidates = (
        InterviewSlot.objects.filter(
            interviewers__in=interviewer_ids,
            starts_at__lt=ends_at,
            starts_at__gt=starts_at - timedelta(hours=12),
        )
        .exclude(pk__in=exclude_ids)
        .distinct()
    )
    return [slot for slot in candidates if slot.ends_at > starts_at]


def slots_create(
    *,
    cohort,
    starts: list[datetime],
    duration_minutes: int,
    location: str,
    meeting_url: str,
    interviewers,
    actor,
) -> list[InterviewSlot]:
    """Create slots at `starts`; all or nothing, refusing any overlap for an interviewer."""
    if not starts:
        raise InterviewError(_("These settings produce no slots."))
    interviewers = list(interviewers)
    if not interviewers:
        raise InterviewError(_("Choose at least one interviewer."))
    length = timedelta(minutes=duration_minutes)
    for start in starts:
        if not _in_window(cohort, start):
            raise InterviewError(
                _("%(when)s is outside the interview window %(first)s–%(last)s.")
                % {
                    "when": _when(start),
                    "first": formats.date_format(cohort.interviews_start),
                    "last": formats.date_format(cohort.interviews_end),
                }
            )
    ordered = sorted(starts)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later < earlier + length:
            raise InterviewError(_("The new slots overlap each other."))
    moment = clock.now()
    with transaction.atomic():
        # Lock the interviewers so two staff creating slots at once cannot both pass.
        list(User.objects.select_for_update().filter(pk__in=[u.pk for u in interviewers]))
        for start in ordered:
            clash = _overlaps([u.pk for u in interviewers], start, start + length)
            if clash:
                raise InterviewError(
                    _("An interviewer already has a slot at %(when)s.") % {"when": _when(start)},
                    code="overlap",
                )
        created = []
        for start in ordered:
            slot = InterviewSlot.objects.create(
                cohort=cohort,
                starts_at=start,
                duration_minutes=duration_minutes,
                location=location,
                meeting_url=meeting_url,
                created_at=moment,
            )
            slot.interviewers.set(interviewers)
            activity_record(
                actor=actor,
                action="slot.published",
                target=slot,
                scope=cohort,
                after=_slot_facts(slot, interviewers),
                context={"cohort": cohort.pk},
            )
            created.append(slot)
    return created


def _slot_facts(slot, interviewers) -> dict:
    return {
        "starts_at": slot.starts_at,
        "duration_minutes": slot.duration_minutes,
        "interviewers": sorted(person.email for person in interviewers),
    }


def slot_delete(*, slot, actor):
    with transaction.atomic():
        locked = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
        if locked.interviews.filter(state=Interview.State.BOOKED).exists():
            raise InterviewError(_("This slot has been booked; cancel the interview first."))
        activity_record(
            actor=actor,
            action="slot.removed",
            target=locked,
            scope=locked.cohort,
            before=_slot_facts(locked, locked.interviewers.all()),
            context={"cohort": locked.cohort_id},
        )
        if locked.interviews.exists():
            # Cancelled interviews keep their history: the slot is only taken off offer.
            locked.removed_at = clock.now()
            locked.save(update_fields=["removed_at"])
        else:
            locked.delete()


def free_slots(cohort, at, *, for_staff=False):
    """Slots an application can book now: in the window, not taken, not past the cut-off."""
    earliest = at if for_staff else at + cohort.interview_change_cutoff
    # The window's days in Helsinki: a slot left outside when the window was narrowed
    # is not offered (booking it would be refused).
    window_start = datetime.combine(cohort.interviews_start, time(0), tzinfo=clock.HELSINKI)
    window_end = datetime.combine(
        cohort.interviews_end + timedelta(days=1), time(0), tzinfo=clock.HELSINKI
    )
    taken = Interview.objects.filter(slot=OuterRef("pk"), state=Interview.State.BOOKED)
    return (
        InterviewSlot.objects.filter(
            cohort=cohort,
            starts_at__gt=earliest,
            starts_at__gte=window_start,
            starts_at__lt=window_end,
        )
        .annotate(taken=Exists(taken))
        .filter(taken=False)
        .order_by("starts_at")
    )


# --- Bookings --------------------------------------------------------------------


def active_interview(application):
    return (
        application.interviews.filter(state=Interview.State.BOOKED).select_related("slot").first()
    )


_INTERVIEWS = Compiled(lambda pk: Interview.objects.filter(application_id=pk).order_by())


def shown_interview(application):
    """What staff see of an application's interview beside its scores: the booked one (there
    is one at most), else the one booked last. Its few rows are read plainly and picked
    here, which costs half of ordering them in SQL with CASE expressions (issue 13)."""
    rows = _INTERVIEWS(application.pk)  # compiled once (soske.compiled)
    for interview in rows:  # as application.interviews would have them
        interview.application = application
    for interview in rows:
        if interview.state == Interview.State.BOOKED:
            return interview
    return max(rows, key=lambda i: (i.booked_at, -i.pk), default=None)


def _check_slot(application, slot, at, *, staff):
    if slot.cohort_id != application.cohort_id:
        raise InterviewError(_("This slot belongs to another call."))
    if not _in_window(application.cohort, slot.starts_at):
        raise InterviewError(_("This slot is outside the interview window."))
    if slot.starts_at <= at:
        raise InterviewError(_("This slot is in the past."))
    if not staff and slot.starts_at - application.cohort.interview_change_cutoff <= at:
        raise InterviewError(
            _("Slots starting within %(hours)s hours can no longer be booked. Contact the staff.")
            % {"hours": _hours(application.cohort)}
        )


def _check_cutoff(interview, at, *, staff):
    if staff:
        if interview.slot.starts_at <= at:
            raise InterviewError(_("The interview has already started."))
        return
    if interview.slot.starts_at - interview.application.cohort.interview_change_cutoff <= at:
        raise InterviewError(
            _(
                "The interview can no longer be changed here: it starts within %(hours)s hours. "
                "Contact the staff."
            )
            % {"hours": _hours(interview.application.cohort)}
        )


def _hours(cohort) -> int:
    return int(cohort.interview_change_cutoff.total_seconds() // 3600)


def _taken_error():
    return InterviewError(
        _(
            "Someone else booked this slot a moment ago. Choose another one from the refreshed "
            "list."
        ),
        code="taken",
    )


def interview_book(
    *, application, slot, actor, at, attendee_roles=(), attendee_names="", staff=False
) -> Interview:
    application = Application.objects.select_related("cohort").get(pk=application.pk)
    if application.status != Status.SUBMITTED:
        raise InterviewError(_("Only a submitted application can book an interview."))
    _check_slot(application, slot, at, staff=staff)
    try:
        with transaction.atomic():
            # Serialise bookings of one application (a double click, two colleagues), so
            # the second is told "already has an interview", not "slot taken".
            list(Application.objects.select_for_update().filter(pk=application.pk).values("pk"))
            if active_interview(application):
                raise InterviewError(
                    _("This application already has an interview. Move it instead."),
                    code="exists",
                )
            interview = Interview.objects.create(
                application=application,
                slot=slot,
                booked_by=actor,
                booked_at=clock.now(),
                attendee_roles=[r for r in attendee_roles if r in AttendeeRole.values],
                attendee_names=attendee_names,
            )
            activity_record(
                actor=actor,
                action="interview.booked",
                target=interview,
                scope=application,
                after={"starts_at": slot.starts_at},
                context={"cohort": application.cohort_id},
            )
            _notify(interview, "interview_booked", method="REQUEST")
    except IntegrityError as exc:
        raise _taken_error() from exc
    return interview


def interview_move(*, interview, slot, actor, at, staff=False, reason="") -> Interview:
    try:
        with transaction.atomic():
            locked = (
                Interview.objects.select_for_update()
                .select_related("slot", "application__cohort")
                .get(pk=interview.pk)
            )
            if locked.state != Interview.State.BOOKED:
                raise InterviewError(_("This interview has been cancelled."))
            if locked.slot_id == slot.pk:
                return locked
            _check_cutoff(locked, at, staff=staff)
            _check_slot(locked.application, slot, at, staff=staff)
            old_slot = locked.slot
            locked.slot = slot
            locked.sequence += 1
            with transaction.atomic():
                locked.save(update_fields=["slot", "sequence"])
            activity_record(
                actor=actor,
                action="interview.moved",
                target=locked,
                scope=locked.application,
                subject=reason.strip(),
                before={"starts_at": old_slot.starts_at},
                after={"starts_at": slot.starts_at},
                context={"cohort": locked.application.cohort_id},
            )
            _notify(locked, "interview_moved", method="REQUEST", reason=reason)
            _notify_left_out(locked, old_slot, reason=reason)
    except IntegrityError as exc:
        raise _taken_error() from exc
    return locked


def interview_cancel(*, interview, actor, at, reason, staff=False) -> Interview:
    if not (reason or "").strip():
        raise InterviewError(_("Tell us why the interview is cancelled."), code="reason")
    with transaction.atomic():
        locked = (
            Interview.objects.select_for_update()
            .select_related("slot", "application__cohort")
            .get(pk=interview.pk)
        )
        if locked.state != Interview.State.BOOKED:
            return locked
        _check_cutoff(locked, at, staff=staff)
        locked.state = Interview.State.CANCELLED
        locked.cancelled_at = clock.now()
        locked.cancel_reason = reason.strip()
        locked.sequence += 1
        locked.save(update_fields=["state", "cancelled_at", "cancel_reason", "sequence"])
        activity_record(
            actor=actor,
            action="interview.cancelled",
            target=locked,
            scope=locked.application,
            subject=locked.cancel_reason,
            before={"starts_at": locked.slot.starts_at},
            context={"cohort": locked.application.cohort_id},
        )
        _notify(locked, "interview_cancelled", method="CANCEL", reason=locked.cancel_reason)
    return locked


def interview_save_notes(
    *, interview, checklist: dict, answers: dict, notes: str, outcome: str, actor
) -> Interview:
    allowed_checks = {key for key, _label in CHECKLIST}
    allowed_answers = {key for items in QUESTIONS.values() for key, _label in items}
    with transaction.atomic():
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        locked.checklist = {k: bool(v) for k, v in checklist.items() if k in allowed_checks}
        locked.answers = {k: v for k, v in answers.items() if k in allowed_answers and v}
        locked.notes = notes
        locked.outcome = outcome
        locked.notes_updated_at = clock.now()
        locked.notes_updated_by = actor
        locked.save(
            update_fields=[
                "checklist",
                "answers",
                "notes",
                "outcome",
                "notes_updated_at",
                "notes_updated_by",
            ]
        )
    return locked


# --- Mail ------------------------------------------------------------------------


def _when(moment, until=None) -> str:
    """The time with its time zone: '16.11.2026 klo 9.00–10.00 (Europe/Helsinki, UTC+02:00)'."""
    local = clock.helsinki(moment)
    offset = local.strftime("%z")
    text = dates.moment(local)
    if until is not None:
        text += "–" + dates.clock_time(until)
    return f"{text} (Europe/Helsinki, UTC{offset[:3]}:{offset[3:]})"


def _recipients(interview):
    """{e-mail: (language, is_interviewer)} of the applicant side and of every interviewer.

    The applicant side is the contact person and everyone the booking names as attending
    who has an e-mail in the application (ics.applicant_attendees). They are written to in
    the language of the application's creator (they may have no account); an applicant who
    booked, in their own.
    """
    application = interview.application
    people = {}
    for person in interview.slot.interviewers.all():
        people.setdefault(person.email.lower(), (person.language, True))
    booked_by = interview.booked_by
    if booked_by is not None and not booked_by.is_soske_staff:
        people.setdefault(booked_by.email.lower(), (booked_by.language, False))
    for person in applicant_attendees(interview):
        people.setdefault(person.email, (application.created_by.language, False))
    return people


def _load(interview):
    return (
        Interview.objects.select_related(
            "slot", "application__cohort", "application__created_by", "booked_by"
        )
        .prefetch_related("slot__interviewers", "application__team")
        .get(pk=interview.pk)
    )


def _enqueue(interview, template, email, language, *, interviewer, method, reason=""):
    ics = interview_calendar(interview, method=method, language=language)
    outbox_enqueue_template(
        key=f"{template}:{interview.pk}:{interview.sequence}:{email}",
        to=email,
        language=language,
        template=template,
        context=_mail_context(interview, language, interviewer=interviewer, reason=reason),
        attachments=[
            {
                "filename": "soske-interview.ics",
                "content": ics.decode("utf-8"),
                "mimetype": f"text/calendar; method={method}",
            }
        ],
    )


def _notify(interview, template, *, method, reason=""):
    interview = _load(interview)
    for email, (language, interviewer) in _recipients(interview).items():
        _enqueue(
            interview,
            template,
            email,
            language,
            interviewer=interviewer,
            method=method,
            reason=reason,
        )


def _notify_left_out(interview, old_slot, *, reason=""):
    """Interviewers of the old slot who are not on the new one: a CANCEL of the old time."""
    interview = _load(interview)
    staying = {p.email.lower() for p in interview.slot.interviewers.all()}
    left_out = [p for p in old_slot.interviewers.all() if p.email.lower() not in staying]
    if not left_out:
        return
    # The same UID and the new SEQUENCE, at the time the interviewer has in the calendar.
    interview.slot = old_slot
    for person in left_out:
        _enqueue(
            interview,
            "interview_cancelled",
            person.email.lower(),
            person.language,
            interviewer=True,
            method="CANCEL",
            reason=reason,
        )


def _mail_context(interview, language, *, interviewer=False, **extra):
    if interviewer:
        url = reverse("staff:interview", args=[interview.pk])
    else:
        url = reverse("applications:interview", args=[interview.application_id])
    with translation.override(language):
        return {
            "interview": interview,
            "application": interview.application,
            "slot": interview.slot,
            "when": _when(interview.slot.starts_at, interview.slot.ends_at),
            "url": settings.SITE_URL + url,
            **extra,
        }


def booking_link_send(*, application, reminder_day: date | None = None) -> bool:
    """Mail the contact person the link to book an interview (once; reminders once a day)."""
    key = f"interview-booking-link:{application.pk}"
    template = "interview_booking_link"
    if reminder_day is not None:
        key = f"interview-booking-reminder:{application.pk}:{reminder_day.isoformat()}"
    recipient = application.contact_email or application.created_by.email
    return (
        outbox_enqueue_template(
            key=f"{key}:{recipient.lower()}",
            to=recipient,
            language=application.created_by.language,
            template=template,
            context={
                "application": application,
                "reminder": reminder_day is not None,
                "url": settings.SITE_URL + reverse("applications:interview", args=[application.pk]),
            },
        )
        is not None
    )


def send_interview_reminders(*, at) -> int:
    """Remind everyone of tomorrow's interviews; a rerun sends nothing twice."""
    tomorrow = clock.helsinki(at).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(0), tzinfo=clock.HELSINKI)
    end = start + timedelta(days=1)
    interviews = (
        Interview.objects.filter(
            state=Interview.State.BOOKED, slot__starts_at__gte=start, slot__starts_at__lt=end
        )
        .select_related("slot", "application__cohort", "application__created_by", "booked_by")
        .prefetch_related("slot__interviewers", "application__team")
    )
    sent = 0
    for interview in interviews:
        for email, (language, interviewer) in _recipients(interview).items():
            row = outbox_enqueue_template(
                key=f"interview-reminder:{interview.pk}:{interview.slot_id}:{email}",
                to=email,
                language=language,
                template="interview_reminder",
                context=_mail_context(interview, language, interviewer=interviewer),
            )
            sent += row is not None
    return sent
