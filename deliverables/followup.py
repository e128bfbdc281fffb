"""Follow-up of the pilot procurements: 6 and 12 months after the closing event each
team's contact gets a short questionnaire by mail.

- `followups_send_due` (Celery beat, hourly) writes one FollowUp row per team and round
  and its mail with a unique outbox key: re-running it sends nothing more. A round is sent
  only while it is current (the 6-month one until the 12-month one is due, the 12-month one
  for six months), so a cohort that closed years ago is not flooded with both at once.
- The team answers without a password through a signed link (TimestampSigner) naming the
  team and the round; it expires after FOLLOWUP_LINK_DAYS (a reminder carries a fresh one).
  A signed-in member of the team answers on the team's own page.
- Answers can be changed until `closes_on`: the next round's due date (the 12-month
  round: six months after it).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cohorts.models import Cohort, Team, TeamMembership
from soske import clock
from soske.activity.services import activity_record
from soske.errors import DomainError
from soske.mail.services import outbox_enqueue_template
from workshops.models import Event, EventKind
from workshops.programme import member_language

from .models import FollowUp, FollowUpRound

SALT = "soske.followup"
ANSWER_FIELDS = ("published", "contract_signed", "social_conditions", "results", "model_in_use")


class FollowUpError(DomainError):
    pass


def link_days() -> int:
    return getattr(settings, "FOLLOWUP_LINK_DAYS", 60)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def closing_day(cohort, closing_events: dict | None = None) -> date | None:
    """The day of the cohort's closing event (its first live one), else its closing date."""
    if closing_events is not None:
        moment = closing_events.get(cohort.pk)
    else:
        event = (
            Event.objects.filter(cohort=cohort, kind=EventKind.CLOSING)
            .live()
            .order_by("starts_at")
            .first()
        )
        moment = event.starts_at if event else None
    if moment is not None:
        return clock.helsinki(moment).date()
    return cohort.closing_date


def due_on(closing: date, round_: int) -> date:
    return add_months(closing, round_)


def closes_on(closing: date, round_: int) -> date:
    """Answers of a round can be changed until the next round is due (six months on)."""
    return add_months(closing, round_ + 6)


def contact_of(team) -> TeamMembership | None:
    """The team's contact person; a team without one: its first member by name."""
    members = list(team.memberships.all())
    for membership in members:
        if membership.role == "contact":
            return membership
    return min(members, key=lambda m: (m.name, m.pk), default=None)


# --- The signed link ------------------------------------------------------------------------


def followup_token(followup) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{followup.team_id}.{followup.round}")


def followup_link(followup) -> str:
    return settings.SITE_URL + reverse("followup:answer", args=[followup_token(followup)])


def followup_from_token(token: str) -> FollowUp:
    """The follow-up the link names; FollowUpError with the reason the page shows."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=timedelta(days=link_days()))
    except signing.SignatureExpired as exc:
        raise FollowUpError(
            _("This link has expired. Ask the coordinators for a new one, or sign in and "
              "answer on your team's page."),
            code="expired",
        ) from exc  # fmt: skip
    except signing.BadSignature as exc:
        raise FollowUpError(
            _("This link is not valid. Check that the whole address was copied from the mail."),
            code="invalid",
        ) from exc
    team_id, _sep, round_ = value.partition(".")
    followup = (
        FollowUp.objects.select_related("team__organisation", "team__cohort")
        .filter(team_id=team_id, round=round_, team__active=True)
        .first()
    )
    if followup is None:
        raise FollowUpError(_("This questionnaire is no longer available."), code="gone")
    return followup


# --- Sending --------------------------------------------------------------------------------


def _mail(followup, *, key: str, template: str) -> bool:
    team = followup.team
    row = outbox_enqueue_template(
        key=key,
        to=followup.email,
        language=followup.language,
        template=template,
        context={
            "followup": followup,
            "team": team,
            "cohort": team.cohort,
            "url": followup_link(followup),
            "team_url": settings.SITE_URL
            + reverse("followup:team", args=[team.pk, followup.round]),
            "link_days": link_days(),
        },
    )
    return row is not None


def followups_send_due(*, at=None) -> int:
    """Send every round that is due and current to each active team that has not had it.
    Returns how many were sent; a second run at once returns 0."""
    at = at or clock.now()
    today = clock.helsinki(at).date()
    closing_events = dict(
        Event.objects.filter(kind=EventKind.CLOSING)
        .live()
        .order_by("cohort_id", "-starts_at")
        .values_list("cohort_id", "starts_at")
    )  # ordered so that each cohort's first closing event is the one kept
    sent = 0
    for cohort in Cohort.objects.all():
        closing = closing_day(cohort, closing_events)
        if closing is None:
            continue
        for round_ in FollowUpRound.values:
            if not (due_on(closing, round_) <= today < closes_on(closing, round_)):
                continue
            teams = (
                Team.objects.filter(cohort=cohort, active=True)
                .exclude(followups__round=round_)
                .select_related("organisation", "cohort")
                .prefetch_related("memberships__user")
            )
            for team in teams:
                sent += followup_send(team=team, round_=round_, closing=closing, at=at)
    return sent


def followup_send(*, team, round_: int, closing: date, at) -> bool:
    contact = contact_of(team)
    if contact is None:
        return False
    try:
        with transaction.atomic():
            followup = FollowUp.objects.create(
                team=team,
                round=round_,
                email=contact.email,
                language=member_language(contact),
                sent_at=at,
                closes_on=closes_on(closing, round_),
            )
            _mail(followup, key=f"followup:{team.pk}:{round_}", template="followup_request")
            activity_record(
                actor=None,
                action="followup.sent",
                target=followup,
                scope=team,
                subject=str(followup),
                after={"round": round_, "to": contact.email},
                context={"cohort": team.cohort_id, "team": team.pk},
            )
    except IntegrityError:  # another run sent it meanwhile
        return False
    return True


@transaction.atomic
def followups_remind(*, followups, actor, at=None) -> int:
    """Remind the contact of each unanswered, still open questionnaire; once a day each."""
    at = at or clock.now()
    today = clock.helsinki(at).date()
    sent = 0
    for followup in followups:
        if followup.answered or followup.closes_on < today:
            continue
        if _mail(
            followup,
            key=f"followup-reminder:{followup.pk}:{today.isoformat()}",
            template="followup_reminder",
        ):
            FollowUp.objects.filter(pk=followup.pk).update(
                reminded_at=at, reminders=followup.reminders + 1
            )
            activity_record(
                actor=actor,
                action="followup.reminded",
                target=followup,
                scope=followup.team,
                subject=str(followup),
                context={"cohort": followup.team.cohort_id, "team": followup.team_id},
            )
            sent += 1
    return sent


# --- Answering ------------------------------------------------------------------------------


def followup_is_open(followup, *, at=None) -> bool:
    return clock.helsinki(at or clock.now()).date() <= followup.closes_on


@transaction.atomic
def followup_answer(*, followup, answers: dict, actor=None, at=None) -> FollowUp:
    """Store the team's answers (a signed link's visitor has no account: actor None)."""
    at = at or clock.now()
    locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not followup_is_open(locked, at=at):
        raise FollowUpError(
            _("The answers to this questionnaire can no longer be changed."), code="closed"
        )
    before = {name: getattr(locked, name) for name in ANSWER_FIELDS}
    for name in ANSWER_FIELDS:
        setattr(locked, name, answers.get(name, "") or "")
    after = {name: getattr(locked, name) for name in ANSWER_FIELDS}
    first = locked.answered_at is None
    locked.answered_at = at
    locked.answered_by = actor if actor is not None and actor.is_authenticated else None
    locked.save()
    activity_record(
        actor=actor,
        action="followup.answered" if first else "followup.answer_changed",
        target=locked,
        scope=locked.team,
        subject=str(locked),
        before=None if first else before,
        after=after,
        context={"cohort": locked.team.cohort_id, "team": locked.team_id},
    )
    return locked
