"""Every state change of an application, one guarded function each."""

import copy
import hashlib
import logging
import secrets
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.models import Cohort, Organisation, TeamRole
from cohorts.services import team_people_invite
from soske import clock
from soske.activity.services import activity_record
from soske.db import insert_unless_exists
from soske.errors import DomainError
from soske.i18n import current_language
from soske.mail.models import OutgoingEmail
from soske.mail.services import outbox_enqueue_template

from .models import (
    Application,
    ApplicationInvite,
    ApplicationMember,
    ApplicationVersion,
    Status,
)
from .snapshots import answer_row, snapshot_steps, team_row
from .steps import bound_step_form
from .steps import completeness_errors as _validate_steps

logger = logging.getLogger(__name__)

REMINDER_OFFSETS = {"7d": timedelta(days=7), "1d": timedelta(days=1)}


class ApplicationError(DomainError):
    """A refused change; `problems` are what keeps the application from being submitted."""

    def __init__(self, message, *, problems=None, code="invalid"):
        super().__init__(message, code=code)
        self.problems = problems or []


def _language_of(user) -> str:
    return getattr(user, "language", None) or translation.get_language() or "fi"


def application_is_editable(application: Application, at) -> bool:
    return application.status != Status.WITHDRAWN and application.cohort.is_open_at(at)


def _ensure_editable(application: Application, at) -> None:
    if application.status == Status.WITHDRAWN:
        raise ApplicationError(_("This application has been withdrawn."))
    cohort = application.cohort
    if at < cohort.call_opens_at:
        raise ApplicationError(_("The call is not open yet."))
    if at > cohort.closes_at:
        raise ApplicationError(
            _("The application period has ended. The application can no longer be changed.")
        )


def application_start(*, cohort: Cohort, user, at) -> Application:
    """Open a draft for `user`, or return the one they already have in this cohort."""
    existing = Application.objects.visible_to(user).filter(cohort=cohort).first()
    if existing:
        return existing
    if not cohort.is_open_at(at):
        raise ApplicationError(_("The call is not open: no new applications are accepted."))
    moment = clock.now()
    with transaction.atomic():
        application = Application.objects.create(
            cohort=cohort,
            created_by=user,
            created_at=moment,
            updated_at=moment,
            contact_email=user.email,
            contact_name=user.get_full_name(),
        )
        ApplicationMember.objects.create(
            application=application, user=user, role=ApplicationMember.Role.OWNER, added_at=moment
        )
    return application


def application_save_step(*, application: Application, form, actor, at) -> Application:
    """Store what one step of the form holds (partial data is fine in a draft)."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .get(pk=application.pk)
        )
        _ensure_editable(locked, at)
        if hasattr(form, "forms"):  # the team formset
            form.instance = locked
            form.save()
            locked.updated_at = clock.now()
            locked.changed_since_submission = locked.status == Status.SUBMITTED
            locked.save(update_fields=["updated_at", "changed_since_submission"])
            return locked
        instance = form.save(commit=False)
        fields = [f for f in form._meta.fields if f != "themes"]
        if "manager_email" in form.changed_data:
            # A new manager confirms afresh: the old link and confirmation no longer count.
            instance.commitment_token = uuid.uuid4()
            instance.commitment_requested_at = None
            instance.commitment_confirmed_at = None
            instance.commitment_confirmed_email = ""
            fields += [
                "commitment_token",
                "commitment_requested_at",
                "commitment_confirmed_at",
                "commitment_confirmed_email",
            ]
        if "strategy_file" in form.changed_data:
            upload = form.cleaned_data.get("strategy_file")
            instance.strategy_file_name = upload.name[-200:] if upload else ""
            fields.append("strategy_file_name")
            replaced = locked.strategy_file.name
            if replaced:
                # The replaced or cleared document goes once the change is committed.
                storage = locked.strategy_file.storage
                transaction.on_commit(lambda: storage.delete(replaced), robust=True)
        instance.updated_at = clock.now()
        instance.changed_since_submission = locked.status == Status.SUBMITTED
        try:
            with transaction.atomic():
                instance.save(update_fields=[*fields, "updated_at", "changed_since_submission"])
        except IntegrityError as exc:
            raise ApplicationError(
                _(
                    "An application for this business ID already exists in this call. "
                    "Ask its contact person to invite you to edit it."
                ),
            ) from exc
        form.save_m2m()
    return instance


# What the review page found complete is remembered for the submit that follows it, so the
# submit need not validate the nine step forms again (a third of its CPU time). The key is a
# digest of everything the check reads: every stored field, the themes and the team; any
# change makes a new key. Raise the version when the rules of completeness change.
COMPLETE_CACHE_VERSION = 1
COMPLETE_CACHE_SECONDS = 3600


def _completeness_key(application: Application) -> str:
    digest = hashlib.sha256()
    for field in Application._meta.concrete_fields:
        digest.update(f"{field.attname}={getattr(application, field.attname)!s}\x1f".encode())
    digest.update(repr(sorted(theme.pk for theme in application.themes.all())).encode())
    team = [(m.pk, m.name, m.title, m.email, m.role) for m in application.team.all()]
    digest.update(repr(sorted(team)).encode())
    return f"application-complete:v{COMPLETE_CACHE_VERSION}:{application.pk}:{digest.hexdigest()}"


def completeness_errors(application: Application) -> list[dict]:
    """What keeps the application from being complete (steps.completeness_errors); an
    application found complete before, unchanged since, is not validated again. The team
    and themes are read once, for the key and the check alike (on a copy: the caller's
    instance keeps no cached team it might later read stale)."""
    application = copy.copy(application)
    prefetch_related_objects([application], "team", "themes")
    key = _completeness_key(application)
    if cache.get(key):
        return []
    problems = _validate_steps(application)
    if not problems:
        cache.set(key, True, COMPLETE_CACHE_SECONDS)
    return problems


def application_snapshot(application: Application) -> dict:
    """The answers as a plain structure: stored with each version, mailed as a copy.

    Worded in the active language; each row also keeps its field and raw value, so that a
    reader of another language gets it worded again (snapshots.snapshot_for_reader)."""
    sections = []
    for slug, title, fields in snapshot_steps():
        if fields is None:
            rows = [team_row(member) for member in application.team.all()]
        else:
            rows = [answer_row(application, name, label) for name, label in fields]
        sections.append({"slug": slug, "title": title, "rows": rows})
    # The language the snapshot was made in: what the applicant typed is marked with it
    # for a reader of another language (WCAG 3.1.2).
    return {"sections": sections, "language": current_language()}


# How often a submit meets "database is locked" (SQLite, when another click of the same
# double click holds the write lock) before it gives up; each try waits a little longer.
LOCKED_RETRIES = 5


def _database_locked(exc: OperationalError) -> bool:
    return "database is locked" in str(exc) or "database table is locked" in str(exc)


def application_submit(
    *, application: Application, actor, at, submit_token: str, consent: bool
) -> ApplicationVersion:
    """Submit (or resubmit) a complete application; a repeated click returns the same version.

    A click that finds the database locked by the other click of a double click tries
    again: by then the other click has committed, its token matches and this click gets the
    same version (the receipt), never an error page."""
    for attempt in range(LOCKED_RETRIES):
        try:
            return submit_once(
                application=application,
                actor=actor,
                at=at,
                submit_token=submit_token,
                consent=consent,
            )
        except OperationalError as exc:
            if not _database_locked(exc) or attempt == LOCKED_RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def submit_once(
    *, application: Application, actor, at, submit_token: str, consent: bool
) -> ApplicationVersion:
    """One try of application_submit, in one transaction."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .get(pk=application.pk)
        )
        if submit_token and locked.last_submit_token == submit_token:
            return locked.versions.get(number=locked.version)
        # The creator (the mails' language and address): most often the person submitting,
        # read with the request already; a colleague's submit reads the creator when asked.
        if locked.created_by_id == getattr(actor, "pk", None):
            locked.created_by = actor
        _ensure_editable(locked, at)
        if not consent:
            raise ApplicationError(_("You must accept the privacy notice to submit."))
        # The completeness check and the snapshot both read the themes and the team: once.
        prefetch_related_objects([locked], "themes", "team")
        problems = completeness_errors(locked)
        if problems:
            raise ApplicationError(
                _("The application is not complete yet. Fix the items listed below."),
                problems=problems,
            )
        moment = clock.now()
        # get_or_create in one statement when the organisation is new (it took four: a
        # SELECT, a savepoint, the INSERT, its release); an existing one is read as before.
        organisation = Organisation(
            business_id=locked.business_id,
            name=locked.org_name,
            org_type=locked.org_type,
            region=locked.region,
            website=locked.website,
        )
        if not insert_unless_exists(organisation, unique="business_id"):
            organisation = Organisation.objects.get(business_id=locked.business_id)
        locked.organisation = organisation
        locked.status = Status.SUBMITTED
        locked.privacy_consent = True
        locked.version += 1
        # The moment the request arrived is the one judged against the deadline and the
        # one on record: a slow server must not make an on-time submission look late.
        locked.submitted_at = at
        locked.updated_at = moment
        locked.changed_since_submission = False
        locked.last_submit_token = submit_token
        version = ApplicationVersion.objects.create(
            application=locked,
            number=locked.version,
            submitted_at=at,
            submitted_by=actor,
            submit_token=submit_token,
            data=application_snapshot(locked),
        )
        changed = [
            "organisation",
            "status",
            "privacy_consent",
            "version",
            "submitted_at",
            "updated_at",
            "changed_since_submission",
            "last_submit_token",
        ]
        if locked.manager_email and not locked.commitment_confirmed_at:
            _request_commitment(locked, moment)
            changed.append("commitment_requested_at")
        # Only what the submit changed: the rest of the row was read under the lock above,
        # so writing it back would write the same values (and compile all 46 columns).
        locked.save(update_fields=changed)
        activity_record(
            actor=actor,
            action="application.submitted",
            target=locked,
            subject=locked.org_name,
            after={"version": version.number},
            context={"cohort": locked.cohort_id},
        )
        _send_receipt(locked, version, actor)
        from .interviews import booking_link_send

        booking_link_send(application=locked)
    return version


def _send_receipt(application, version, actor):
    recipients = {actor.email: _language_of(actor)}
    if application.contact_email and application.contact_email.lower() not in recipients:
        recipients[application.contact_email.lower()] = _language_of(actor)
    for email, language in recipients.items():
        outbox_enqueue_template(
            key=f"application-receipt:{version.pk}:{email}",
            to=email,
            language=language,
            template="application_receipt",
            context={
                "application": application,
                "version": version,
                "receipt_url": settings.SITE_URL
                + reverse("applications:receipt", args=[application.pk, version.number]),
            },
        )


def _request_commitment(application, moment, *, key=None):
    application.commitment_requested_at = moment
    outbox_enqueue_template(
        key=key or f"commitment-request:{application.pk}:{application.manager_email.lower()}",
        to=application.manager_email,
        language=_language_of(application.created_by),
        template="commitment_request",
        context={
            "application": application,
            "confirm_url": settings.SITE_URL
            + reverse("applications:commitment", args=[application.commitment_token]),
        },
    )


def commitment_request_resend(*, application: Application, actor, at) -> Application:
    """Send the manager the confirmation link again: at most once a day per address.

    The applicant asks from their application, staff from the ranking board. The link is
    the same one: a manager who finds either mail can confirm.
    """
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort", "created_by")
            .get(pk=application.pk)
        )
        if locked.status != Status.SUBMITTED:
            raise ApplicationError(_("Only a submitted application can ask for the commitment."))
        if locked.commitment_confirmed_at:
            raise ApplicationError(_("The management has already confirmed the commitment."))
        if not locked.manager_email:
            raise ApplicationError(
                _("The application names no manager's e-mail address to send the request to.")
            )
        day = clock.helsinki(at).date().isoformat()
        key = f"commitment-resend:{locked.pk}:{locked.manager_email.lower()}:{day}"
        if OutgoingEmail.objects.filter(key=key).exists():
            raise ApplicationError(
                _(
                    "The request was already sent again to %(email)s today. It can be sent "
                    "again tomorrow."
                )
                % {"email": locked.manager_email},
                code="once_a_day",
            )
        _request_commitment(locked, clock.now(), key=key)
        locked.save(update_fields=["commitment_requested_at"])
        activity_record(
            actor=actor,
            action="application.commitment_requested",
            target=locked,
            subject=locked.org_name,
            after={"email": locked.manager_email},
            context={"cohort": locked.cohort_id},
        )
    return locked


def commitment_confirm(*, token, at) -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(commitment_token=token)
        if application.commitment_confirmed_at is None:
            application.commitment_confirmed_at = at
            application.commitment_confirmed_email = application.manager_email
            application.save(
                update_fields=["commitment_confirmed_at", "commitment_confirmed_email"]
            )
            _invite_the_manager(application, at)
    return application


def _invite_the_manager(application, at):
    """A manager who confirms after the decisions were released joins the team then."""
    from .selection import team_people

    team = application.team_record
    if team is None or not team.active:
        return
    team_people_invite(
        team=team,
        people=[p for p in team_people(application) if p[2] == TeamRole.MANAGEMENT],
        language=application.created_by.language,
        at=at,
    )


WITHDRAW_ASK_STAFF = gettext_lazy(
    "The call has closed, so the application can no longer be withdrawn here. To withdraw "
    "it, ask the academy's staff (the contacts are at the foot of the page)."
)


def application_withdraw_needs_staff(application: Application, at) -> bool:
    """A submitted application is withdrawn only by asking staff once the call has closed."""
    return application.status == Status.SUBMITTED and at > application.cohort.closes_at


def application_withdraw(*, application: Application, actor, at) -> Application:
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .get(pk=application.pk)
        )
        if application_withdraw_needs_staff(locked, at):
            raise ApplicationError(str(WITHDRAW_ASK_STAFF), code="ask_staff")
        _ensure_editable(locked, at)
        before = locked.status
        locked.status = Status.WITHDRAWN
        locked.updated_at = clock.now()
        locked.save(update_fields=["status", "updated_at"])
        activity_record(
            actor=actor,
            action="application.withdrawn",
            target=locked,
            subject=locked.org_name,
            before={"status": before},
            after={"status": locked.status},
            context={"cohort": locked.cohort_id},
        )
        _cancel_interview_of_withdrawn(locked, actor, at)
        _drop_unreleased_decision(locked, actor)
    return locked


def _drop_unreleased_decision(application, actor):
    """A withdrawn application gives its private mark back: it no longer holds a place."""
    from .models import Decision

    decision = Decision.objects.filter(application=application, released_mark="").first()
    if decision is None:
        return
    activity_record(
        actor=actor,
        action="decision.marked",
        target=decision,
        scope=application,
        before={"mark": decision.mark, "feedback": decision.feedback},
        after=None,
        context={"cohort": application.cohort_id},
    )
    decision.delete()


def _cancel_interview_of_withdrawn(application, actor, at):
    """A withdrawn application frees its interview slot and tells the interviewers."""
    from .interviews import InterviewError, active_interview, interview_cancel

    interview = active_interview(application)
    if interview is None or interview.slot.starts_at <= at:
        return
    try:
        interview_cancel(
            interview=interview,
            actor=actor,
            at=at,
            staff=True,
            reason=_("The application was withdrawn."),
        )
    except InterviewError:  # pragma: no cover - started between the check and the lock
        pass


def application_reopen(*, application: Application, actor, at) -> Application:
    """Undo a withdrawal while the call is open: the application becomes a draft again."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .get(pk=application.pk)
        )
        if locked.status != Status.WITHDRAWN:
            return locked
        if not locked.cohort.is_open_at(at):
            raise ApplicationError(_("The application period has ended."))
        locked.status = Status.DRAFT
        locked.last_submit_token = ""
        locked.updated_at = clock.now()
        locked.save(update_fields=["status", "updated_at", "last_submit_token"])
        activity_record(
            actor=actor,
            action="application.reopened",
            target=locked,
            subject=locked.org_name,
            before={"status": Status.WITHDRAWN},
            after={"status": locked.status},
            context={"cohort": locked.cohort_id},
        )
    return locked


def application_invite(*, application: Application, email: str, actor, at) -> ApplicationInvite:
    email = email.strip().lower()
    _ensure_editable(application, at)
    if application.members.filter(user__email__iexact=email).exists():
        raise ApplicationError(_("This person can already edit the application."))
    with transaction.atomic():
        invite = ApplicationInvite.objects.create(
            application=application, email=email, invited_by=actor, created_at=clock.now()
        )
        outbox_enqueue_template(
            key=f"application-invite:{invite.pk}",
            to=email,
            language=_language_of(actor),
            template="application_invite",
            context={
                "application": application,
                "inviter": actor,
                "accept_url": settings.SITE_URL
                + reverse("applications:invite_accept", args=[invite.token]),
            },
        )
    return invite


def invite_accept(*, token, user) -> Application:
    with transaction.atomic():
        invite = (
            ApplicationInvite.objects.select_for_update()
            .select_related("application")
            .get(token=token)
        )
        if invite.email.lower() != user.email.lower():
            raise ApplicationError(
                _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                % {"email": invite.email}
            )
        if invite.accepted_at is None:
            invite.accepted_at = clock.now()
            invite.save(update_fields=["accepted_at"])
        ApplicationMember.objects.get_or_create(
            application=invite.application,
            user=user,
            defaults={"role": ApplicationMember.Role.EDITOR, "added_at": clock.now()},
        )
    return invite.application


def send_draft_reminders(*, at) -> int:
    """Remind draft owners 7 days and 1 day before the deadline; a rerun sends nothing twice."""
    sent = 0
    for cohort in Cohort.objects.open_at(at):
        for kind, offset in REMINDER_OFFSETS.items():
            if not (cohort.deadline - offset <= at < cohort.deadline):
                continue
            if kind == "7d" and at >= cohort.deadline - REMINDER_OFFSETS["1d"]:
                continue  # past the 1-day mark the 7-day reminder would only be noise
            drafts = Application.objects.filter(
                cohort=cohort, status=Status.DRAFT
            ).prefetch_related("members__user")
            for application in drafts:
                for member in application.members.all():
                    if member.role != ApplicationMember.Role.OWNER:
                        continue
                    email = outbox_enqueue_template(
                        key=f"draft-reminder-{kind}:{application.pk}:{member.user.email}",
                        to=member.user.email,
                        language=_language_of(member.user),
                        template="draft_reminder",
                        context={
                            "application": application,
                            "cohort": cohort,
                            # Whole days left, rounded up: a draft begun late is not told
                            # "7 days" when three remain.
                            "days": -((at - cohort.deadline) // timedelta(days=1)),
                            "url": settings.SITE_URL
                            + reverse("applications:review", args=[application.pk]),
                        },
                    )
                    sent += email is not None
    return sent


def new_submit_token() -> str:
    return secrets.token_urlsafe(24)


__all__ = [
    "ApplicationError",
    "application_start",
    "application_save_step",
    "application_submit",
    "application_withdraw",
    "application_reopen",
    "application_invite",
    "invite_accept",
    "commitment_confirm",
    "commitment_request_resend",
    "send_draft_reminders",
    "bound_step_form",
]
