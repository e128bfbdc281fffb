"""The selection: private marks, the release of decisions, teams of the selected."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.models import Cohort, Team, TeamRole
from cohorts.services import team_people_invite
from soske import clock, dates
from soske.activity.services import activity_record
from soske.errors import DomainError
from soske.mail.services import outbox_enqueue_template, render_message

from .models import Application, Decision, Mark, Status


class SelectionError(DomainError):
    pass


def decision_mark(*, application, mark: str, feedback: str, actor) -> Decision:
    """Mark an application; at most `max_selected` selected, even under concurrent clicks."""
    if mark not in Mark.values:
        raise SelectionError(_("Choose selected, reserve or not selected."))
    with transaction.atomic():
        # The cohort row is the lock every marking waits on: counting and writing happen
        # while no other coordinator can mark in the same cohort.
        cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
        application = Application.objects.get(pk=application.pk)
        if application.status != Status.SUBMITTED:
            raise SelectionError(_("Only submitted applications can be marked."))
        decision = Decision.objects.filter(application=application).first()
        before = {"mark": decision.mark, "feedback": decision.feedback} if decision else None
        if mark == Mark.SELECTED and (decision is None or decision.mark != Mark.SELECTED):
            selected = Decision.objects.filter(cohort=cohort, mark=Mark.SELECTED).count()
            if selected >= cohort.max_selected:
                raise SelectionError(
                    ngettext(
                        "%(max)s organisation is already selected, the most this cohort "
                        "takes. Mark it reserve or not selected first.",
                        "%(max)s organisations are already selected, the most this cohort "
                        "takes. Mark one of them reserve or not selected first.",
                        cohort.max_selected,
                    )
                    % {"max": cohort.max_selected},
                    code="full",
                )
        if decision is None:
            decision = Decision(application=application, cohort=cohort)
        decision.mark = mark
        decision.feedback = feedback.strip()
        decision.marked_by = actor
        decision.marked_at = clock.now()
        decision.save()
        after = {"mark": mark, "feedback": decision.feedback}
        if before != after:
            activity_record(
                actor=actor,
                action="decision.marked",
                target=decision,
                scope=application,
                before=before,
                after=after,
                context={"cohort": cohort.pk},
            )
    return decision


def pending_messages(cohort) -> list[Decision]:
    """Decisions whose applicants have not been told their current mark."""
    decisions = (
        Decision.objects.filter(cohort=cohort, application__status=Status.SUBMITTED)
        .select_related("application__created_by", "application__cohort")
        .order_by("application__org_name")
    )
    return [d for d in decisions if d.mark != d.released_mark]


def unmarked(cohort):
    return Application.objects.filter(
        cohort=cohort, status=Status.SUBMITTED, decision__isnull=True
    ).order_by("org_name")


TEMPLATES = {
    Mark.SELECTED: "decision_selected",
    Mark.RESERVE: "decision_reserve",
    Mark.NOT_SELECTED: "decision_not_selected",
}


def _message_context(decision):
    application = decision.application
    return {
        "application": application,
        "cohort": application.cohort,
        "decision": decision,
        "team_url": settings.SITE_URL + reverse("team:home"),
    }


def decision_recipients(application) -> list[str]:
    """The contact person and the manager named for the management commitment, once each."""
    recipients = []
    for email in (application.contact_email, application.manager_email):
        if email and email.lower() not in {r.lower() for r in recipients}:
            recipients.append(email)
    return recipients


def preview(decision) -> dict:
    application = decision.application
    language = application.created_by.language
    subject, body = render_message(TEMPLATES[decision.mark], _message_context(decision), language)
    return {
        "decision": decision,
        "to": application.contact_email,
        "recipients": decision_recipients(application),
        "language": language,
        "subject": subject,
        "body": body,
    }


def release_opens_at(cohort):
    """The first moment decisions may be released: once the call has closed.

    While the call runs an applicant may still change and resubmit the application, so a
    decision told earlier would be about answers that can still change. Private marks may
    be made earlier; only telling them waits.
    """
    return cohort.closes_at


def release_allowed(cohort, at=None) -> bool:
    return (at or clock.now()) > release_opens_at(cohort)


def release(*, cohort, actor) -> int:
    """Tell every applicant whose mark changed since they were last told; nothing twice."""
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        if not release_allowed(cohort):
            raise SelectionError(
                _(
                    "The call is still open: the decisions can be released after it closes "
                    "on %(when)s."
                )
                % {"when": dates.moment(cohort.closes_at)},
                code="call_open",
            )
        missing = list(unmarked(cohort))
        if missing:
            raise SelectionError(
                _("Mark every submitted application first. Unmarked: %(names)s.")
                % {"names": ", ".join(a.org_name for a in missing[:10])},
                code="unmarked",
            )
        sent = 0
        moment = clock.now()
        for decision in pending_messages(cohort):
            decision = Decision.objects.select_for_update().get(pk=decision.pk)
            if decision.mark == decision.released_mark:
                continue
            application = decision.application
            decision.release_count += 1
            before = decision.released_mark or None
            decision.released_mark = decision.mark
            decision.released_at = moment
            decision.released_feedback = decision.feedback
            decision.save(
                update_fields=[
                    "release_count",
                    "released_mark",
                    "released_at",
                    "released_feedback",
                ]
            )
            for email in decision_recipients(application):
                outbox_enqueue_template(
                    key=f"decision:{decision.pk}:{decision.release_count}:{email.lower()}",
                    to=email,
                    language=application.created_by.language,
                    template=TEMPLATES[decision.mark],
                    context=_message_context(decision),
                )
            _sync_team(decision, moment, actor)
            activity_record(
                actor=actor,
                action="decision.released",
                target=decision,
                scope=application,
                before={"mark": before},
                after={"mark": decision.mark},
                context={"cohort": cohort.pk},
            )
            sent += 1
        cohort.decisions_released_at = moment
        cohort.save(update_fields=["decisions_released_at"])
    return sent


def _sync_team(decision, moment, actor):
    application = decision.application
    team = Team.objects.filter(application=application).first()
    if decision.mark != Mark.SELECTED:
        if team and team.active:
            team.active = False
            team.save(update_fields=["active"])
        return
    if team is None:
        team = Team.objects.create(
            cohort=application.cohort,
            organisation=application.organisation,
            track=application.track,
            created_at=moment,
        )
        # One column, not the whole row: the application was read before this lock.
        Application.objects.filter(pk=application.pk).update(team_record=team)
        application.team_record = team
        activity_record(
            actor=actor,
            action="team.created",
            target=team,
            scope=application,
            subject=application.org_name,
            context={"cohort": application.cohort_id},
        )
    elif not team.active:
        team.active = True
        team.save(update_fields=["active"])
    team_people_invite(
        team=team,
        people=team_people(application),
        language=application.created_by.language,
        at=moment,
    )


def team_people(application) -> list[tuple[str, str, str]]:
    """(name, e-mail, role) of everyone the application brings to its team, the role that
    wins first: the contact person, the manager who confirmed the management commitment,
    then the team members named with an e-mail (the employment-services person among them)."""
    people = [(application.contact_name, application.contact_email, "contact")]
    if application.commitment_confirmed_at and application.commitment_confirmed_email:
        people.append(
            (application.manager_name, application.commitment_confirmed_email, TeamRole.MANAGEMENT)
        )
    people += [(m.name, m.email, m.role) for m in application.team.all() if m.email]
    return people
