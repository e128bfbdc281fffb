"""What the applications hold about a person, for soske.privacy (registered in apps.py):
the person's own applications for the download, their name replaced on erasure, and the
applications that were not selected once their cohort's retention period has passed."""

from django.db.models import Q
from django.utils.translation import gettext as _

from cohorts.models import Cohort, TeamMembership
from soske import clock
from soske.activity.services import activity_record
from soske.privacy.registry import ExportPart, RetentionItem
from soske.privacy.services import (
    add_months,
    outbox_scrub,
    pseudonym_email,
    replace_in_rows,
    replacement_pairs,
)

from .models import (
    Application,
    ApplicationInvite,
    ApplicationMember,
    ApplicationVersion,
    Interview,
    Mark,
    Score,
    TeamMember,
)

# The answers that are free text and may name people; the retention job empties them.
FREE_TEXT_FIELDS = (
    "readiness",
    "strategy_text",
    "motivation",
    "development_goals",
    "pilot_subject",
    "pilot_timetable",
    "pilot_fit",
    "resources",
)
# The people an application names (besides its team).
PERSON_FIELDS = (
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
    "manager_name",
    "manager_title",
    "manager_email",
    "commitment_confirmed_email",
)
EXPORTED_FIELDS = (
    "org_name",
    "business_id",
    "org_type",
    "region",
    "website",
    *PERSON_FIELDS[:4],
    "took_keino_academy",
    "took_toimi_project",
    "readiness",
    "track",
    "strategic_goal",
    "strategy_text",
    "strategy_url",
    "strategy_file_name",
    "motivation",
    "development_goals",
    *PERSON_FIELDS[4:7],
    "commitment_confirmed_at",
    "pilot_subject",
    "pilot_value",
    "pilot_timetable",
    "pilot_fit",
    "resources",
    "privacy_consent",
)


# --- the download ----------------------------------------------------------------------


def export(user) -> ExportPart:
    """The applications this person is a member of, as they are; what they were told of the
    decision (never the private mark nor the staff's notes and scores)."""
    applications = (
        Application.objects.filter(members__user=user)
        .select_related("cohort", "decision")
        .prefetch_related("team", "themes", "interviews__slot", "members")
        .order_by("pk")
    )
    records, files = [], []
    for application in applications:
        role = next(m.role for m in application.members.all() if m.user_id == user.pk)
        record = {
            "id": application.pk,
            "cohort": application.cohort.name,
            "status": application.status,
            "your_role": role,
            "created_at": application.created_at,
            "submitted_at": application.submitted_at,
            **{name: getattr(application, name) for name in EXPORTED_FIELDS},
            "themes": [theme.name for theme in application.themes.all()],
            "team": [
                {"name": m.name, "title": m.title, "email": m.email, "role": m.role}
                for m in application.team.all()
            ],
            "interviews": [
                {
                    "starts_at": i.slot.starts_at,
                    "state": i.state,
                    "attendee_names": i.attendee_names,
                }
                for i in application.interviews.all()
            ],
        }
        decision = getattr(application, "decision", None)
        if decision is not None and decision.released_at is not None:
            record["decision"] = {
                "result": decision.released_mark,
                "feedback": decision.released_feedback,
                "released_at": decision.released_at,
            }
        records.append(record)
        if application.strategy_file:
            name = application.strategy_file_name or application.strategy_file.name
            files.append((f"applications/{application.pk}", name, application.strategy_file))
    return ExportPart(records=records, files=files)


# --- erasure ---------------------------------------------------------------------------


def erase(*, user, pseudonym, email, names) -> int:
    """The person's name and address, wherever an application names them, become the
    pseudonym; the decisions, scores and history stay."""
    address = pseudonym_email(pseudonym)
    old_name = user.get_full_name().strip()
    changed = 0
    for prefix in ("contact", "manager"):
        rows = Application.objects.filter(**{f"{prefix}_email__iexact": email})
        for application in rows:
            setattr(application, f"{prefix}_name", pseudonym)
            setattr(application, f"{prefix}_email", address)
            setattr(application, f"{prefix}_title", "")
            fields = [f"{prefix}_name", f"{prefix}_email", f"{prefix}_title"]
            if prefix == "contact":
                application.contact_phone = ""
                fields.append("contact_phone")
            application.save(update_fields=fields)
            changed += 1
    changed += Application.objects.filter(commitment_confirmed_email__iexact=email).update(
        commitment_confirmed_email=address
    )
    named = Q(email__iexact=email)
    if old_name:
        # named without an address in a team of their own application
        named |= Q(application__members__user=user, name__iexact=old_name)
    changed += TeamMember.objects.filter(
        pk__in=TeamMember.objects.filter(named).values("pk")
    ).update(name=pseudonym, title="", email="")
    changed += ApplicationInvite.objects.filter(email__iexact=email).update(email=address)
    pairs = replacement_pairs(email=email, names=names, pseudonym=pseudonym)
    changed += replace_in_rows(ApplicationVersion.objects.all(), ["data"], pairs)
    changed += replace_in_rows(
        Interview.objects.all(), ["attendee_names", "notes", "outcome", "cancel_reason"], pairs
    )
    return changed


def names(*, user, email) -> set:
    """The names an application gives this person (as its contact, manager, team member)."""
    found = set(
        Application.objects.filter(contact_email__iexact=email).values_list(
            "contact_name", flat=True
        )
    )
    found |= set(
        Application.objects.filter(manager_email__iexact=email).values_list(
            "manager_name", flat=True
        )
    )
    found |= set(TeamMember.objects.filter(email__iexact=email).values_list("name", flat=True))
    return {name for name in found if name}


def holders(users) -> set:
    """Members of an application whose data have not been removed."""
    rows = ApplicationMember.objects.filter(
        user__in=users, application__personal_data_removed_at__isnull=True
    )
    return set(rows.values_list("user_id", flat=True))


# --- retention -------------------------------------------------------------------------


def retention_ends_at(cohort):
    return add_months(cohort.retention_starts_at, cohort.retention_months)


def _not_selected(cohort):
    """The cohort's applications that did not become a team: drafts, withdrawn ones and
    those not selected (or held in reserve) when the decisions were released."""
    return (
        Application.objects.filter(
            cohort=cohort, team_record__isnull=True, personal_data_removed_at__isnull=True
        )
        .exclude(decision__released_mark=Mark.SELECTED)
        .order_by("pk")
    )


def _addresses(application) -> set:
    found = {getattr(application, name) for name in PERSON_FIELDS if name.endswith("email")}
    found |= {m.email for m in application.team.all()}
    found |= {invite.email for invite in application.invites.all()}
    found |= {m.user.email for m in application.members.select_related("user")}
    return {a.lower() for a in found if a}


def _holders_elsewhere(application, addresses) -> set:
    """Addresses whose people still take part elsewhere (another application that keeps
    its data names them, or a team): their mail stays."""
    live = Application.objects.filter(personal_data_removed_at__isnull=True).exclude(
        pk=application.pk
    )
    kept = set()
    for field in ("members__user__email", "contact_email", "manager_email", "team__email"):
        found = live.filter(**{f"{field}__in": addresses}).values_list(field, flat=True)
        kept |= {e.lower() for e in found}
    found = TeamMembership.objects.filter(email__in=addresses).values_list("email", flat=True)
    kept |= {e.lower() for e in found}
    return kept & addresses


def _counts(application) -> dict:
    people = application.team.count() + application.invites.count()
    people += sum(1 for name in ("contact_name", "manager_name") if getattr(application, name))
    texts = sum(1 for name in FREE_TEXT_FIELDS if getattr(application, name))
    texts += sum(
        1
        for i in application.interviews.all()
        if i.attendee_names or i.notes or i.outcome or i.cancel_reason
    )
    return {
        "applications": 1,
        "people": people,
        "texts": texts,
        "files": 1 if application.strategy_file else 0,
    }


def _remove(application):
    from .services import application_snapshot

    addresses = _addresses(application)
    mails = outbox_scrub(addresses=addresses - _holders_elsewhere(application, addresses))
    if application.strategy_file:
        application.strategy_file.delete(save=False)
    for name in (*PERSON_FIELDS, *FREE_TEXT_FIELDS, "strategy_file", "strategy_file_name"):
        setattr(application, name, "")
    application.personal_data_removed_at = clock.now()
    application.save()
    application.team.all().delete()
    application.invites.all().delete()
    application.members.all().delete()
    Interview.objects.filter(application=application).update(
        attendee_names="", notes="", outcome="", cancel_reason="", answers={}, checklist={}
    )
    Score.objects.filter(review__application=application).update(justification="")
    application.assignments.update(conflict_explanation="")
    if hasattr(application, "decision"):
        type(application.decision).objects.filter(pk=application.decision.pk).update(
            feedback="", released_feedback=""
        )
    snapshot = application_snapshot(application)
    ApplicationVersion.objects.filter(application=application).update(data=snapshot)
    activity_record(
        actor=None,
        action="application.personal_data_removed",
        target=application,
        subject=application.org_name,
        context={"cohort": application.cohort_id, "mails": mails},
    )


def expired(moment) -> list[RetentionItem]:
    items = []
    for cohort in Cohort.objects.order_by("call_opens_at", "pk"):
        if cohort.closes_at > moment or retention_ends_at(cohort) > moment:
            continue
        for application in _not_selected(cohort).prefetch_related("team", "invites", "interviews"):
            items.append(
                RetentionItem(
                    kind="application",
                    label=_("%(cohort)s: application #%(pk)s %(organisation)s")
                    % {
                        "cohort": cohort.name,
                        "pk": application.pk,
                        "organisation": application.org_name,
                    },
                    counts=_counts(application),
                    apply=lambda application=application: _remove(application),
                )
            )
    return items
