from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from soske import clock
from soske.activity.services import activity_record
from soske.errors import DomainError

from .models import Cohort, Criterion, Team, TeamMembership, Theme
from .rules import FROZEN_COHORT_FIELDS, FROZEN_CRITERION_FIELDS, frozen

# The seed's order of emphasis; the numbers are a starting point staff can change.
DEFAULT_CRITERIA = (
    {
        "key": "will_to_develop",
        "weight": Decimal("4"),
        "name_fi": "Kehittämishalukkuus",
        "name_sv": "Vilja att utveckla",
        "name_en": "Will to develop",
        "description_fi": "Halu kehittää ja edistää sosiaalista kestävyyttä hankintojen avulla.",
        "description_sv": "Vilja att utveckla och främja social hållbarhet genom upphandling.",
        "description_en": "Will to develop and to promote social sustainability through "
        "procurement.",
    },
    {
        "key": "management_commitment",
        "weight": Decimal("3"),
        "name_fi": "Johdon sitoutuminen",
        "name_sv": "Ledningens engagemang",
        "name_en": "Management commitment",
        "description_fi": "Johto on sitoutunut kestäviin hankintoihin ja sosiaalisen "
        "kestävyyden teemojen edistämiseen.",
        "description_sv": "Ledningen har förbundit sig till hållbar upphandling och till att "
        "främja teman inom social hållbarhet.",
        "description_en": "Management is committed to sustainable procurement and to "
        "promoting social-sustainability themes.",
    },
    {
        "key": "strategic_anchoring",
        "weight": Decimal("2"),
        "name_fi": "Strateginen kiinnittyminen",
        "name_sv": "Strategisk förankring",
        "name_en": "Strategic anchoring",
        "description_fi": "Organisaatio on jo tunnistanut sosiaalisen kestävyyden "
        "strategiseksi tavoitteeksi ja linjannut siitä jollain tasolla.",
        "description_sv": "Organisationen har redan identifierat social hållbarhet som ett "
        "strategiskt mål och fattat beslut om det på någon nivå.",
        "description_en": "The organisation has already identified social sustainability as "
        "a strategic goal and made a policy on it at some level.",
    },
    {
        "key": "multidisciplinary_team",
        "weight": Decimal("1"),
        "name_fi": "Monialainen tiimi",
        "name_sv": "Tvärsektoriellt team",
        "name_en": "Multidisciplinary team",
        "description_fi": "Mukana on monialainen tiimi: toimiala, hankinnat, talous, "
        "vastuullisuus, työllisyyspalvelut jne.",
        "description_sv": "Ett tvärsektoriellt team deltar: verksamhetsområde, upphandling, "
        "ekonomi, hållbarhet, sysselsättningstjänster osv.",
        "description_en": "A multidisciplinary team takes part: line of business, "
        "procurement, finance, sustainability, employment services, etc.",
    },
)

DEFAULT_THEMES = (
    ("Esteettömyys ja saavutettavuus", "Tillgänglighet", "Accessibility"),
    (
        "Eettiset tuotantoketjut ja reilu kauppa",
        "Etiska produktionskedjor och rättvis handel",
        "Ethical production chains and fair trade",
    ),
    (
        "Tasa-arvo ja yhdenvertaisuus",
        "Jämställdhet och likabehandling",
        "Equality and non-discrimination",
    ),
    ("Monimuotoinen työympäristö", "En mångfaldig arbetsmiljö", "A diverse working environment"),
)


class CohortError(DomainError):
    pass


@transaction.atomic
def cohort_create(*, form, actor) -> Cohort:
    """Create a cohort with the seed's criteria and themes as a starting point."""
    cohort = form.save()
    for order, data in enumerate(DEFAULT_CRITERIA):
        Criterion.objects.create(cohort=cohort, order=order, **data)
    for order, (fi, sv, en) in enumerate(DEFAULT_THEMES):
        Theme.objects.create(cohort=cohort, order=order, name_fi=fi, name_sv=sv, name_en=en)
    activity_record(
        actor=actor,
        action="cohort.created",
        target=cohort,
        subject=cohort.name,
        after=_form_values(form, form.fields),
        context={"cohort": cohort.pk},
    )
    return cohort


def _form_values(form, names) -> dict:
    """What a form held for `names`, as JSON-ready values (the log stores no objects)."""
    values = {}
    for name in names:
        value = form.cleaned_data.get(name)
        if hasattr(value, "pk"):
            value = str(value)
        values[name] = value
    return values


@transaction.atomic
def cohort_update(*, cohort: Cohort, form, criteria_formset, themes_formset, actor) -> Cohort:
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if frozen(locked) and (
        FROZEN_COHORT_FIELDS & set(form.changed_data)
        or any(name.startswith("score_label_") for name in form.changed_data)
        or any(FROZEN_CRITERION_FIELDS & set(f.changed_data) for f in criteria_formset.forms)
        or criteria_formset.deleted_forms
        or any(f.has_changed() and not f.instance.pk for f in criteria_formset.forms)
    ):
        raise CohortError(
            _("Scoring has started: the criteria, weights and score scale can no longer change.")
        )
    # The form's instance was read before the lock: keep the stamps the services set since
    # (saving the whole row would otherwise put back a stale scoring_started_at = None).
    form.instance.scoring_started_at = locked.scoring_started_at
    form.instance.decisions_released_at = locked.decisions_released_at
    changed = [name for name in form.changed_data if name in form.fields]
    before = {name: form[name].initial for name in changed}
    form.save()
    criteria_formset.save()
    themes_formset.save()
    if changed or criteria_formset.has_changed() or themes_formset.has_changed():
        activity_record(
            actor=actor,
            action="cohort.edited",
            target=locked,
            subject=form.instance.name,
            before={name: getattr(value, "pk", value) for name, value in before.items()},
            after=_form_values(form, changed),
            context={
                "cohort": locked.pk,
                "criteria_changed": criteria_formset.has_changed(),
                "themes_changed": themes_formset.has_changed(),
            },
        )
    return locked


def team_join(*, token, user) -> Team:
    """The invited person joins their team; only the address the invitation went to may."""
    with transaction.atomic():
        membership = (
            TeamMembership.objects.select_for_update().select_related("team").get(token=token)
        )
        if membership.email.lower() != user.email.lower():
            raise CohortError(
                _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                % {"email": membership.email}
            )
        if membership.user_id is None:
            membership.user = user
            membership.joined_at = clock.now()
            membership.save(update_fields=["user", "joined_at"])
            activity_record(
                actor=user,
                action="team.member_joined",
                target=membership,
                scope=membership.team,
                subject=membership.email,
                context={"cohort": membership.team.cohort_id, "team": membership.team_id},
            )
    return membership.team


# --- The cohort's teams: members added by a coordinator, invitations sent again -----------


def _send_team_invite(membership, *, key, language=None):
    from django.conf import settings
    from django.urls import reverse

    from soske.mail.services import outbox_enqueue_template

    if language is None:
        language = (
            membership.user.language
            if membership.user_id and membership.user.language
            else settings.LANGUAGE_CODE
        )
    return outbox_enqueue_template(
        key=key,
        to=membership.email,
        language=language,
        template="team_invite",
        context={
            "membership": membership,
            "team": membership.team,
            "join_url": settings.SITE_URL + reverse("team:join", args=[membership.token]),
        },
    )


def team_people_invite(*, team, people, language: str, at) -> list[TeamMembership]:
    """Make each of `people` ((name, e-mail, role), the role that wins first) a member of
    `team` and invite them in `language`; a person already a member keeps their
    membership and role, and nobody is invited twice."""
    import uuid

    memberships = []
    seen = set()
    for name, email, role in people:
        email = (email or "").strip().lower()
        if not email or email in seen:
            continue
        seen.add(email)
        membership, _created = TeamMembership.objects.get_or_create(
            team=team,
            email=email,
            defaults={"name": name, "role": role, "token": uuid.uuid4(), "invited_at": at},
        )
        _send_team_invite(membership, key=f"team-invite:{membership.pk}", language=language)
        memberships.append(membership)
    return memberships


def team_member_add(*, team, name: str, email: str, role: str, actor) -> TeamMembership:
    """A coordinator adds a person to a team (say the manager who confirmed the commitment);
    the invitation goes out in the same transaction."""
    import uuid

    email = email.strip().lower()
    with transaction.atomic():
        list(Team.objects.select_for_update().filter(pk=team.pk).values("pk"))
        if TeamMembership.objects.filter(team=team, email__iexact=email).exists():
            raise CohortError(_("This person is already a member of the team."), code="duplicate")
        membership = TeamMembership.objects.create(
            team=team,
            name=name.strip(),
            email=email,
            role=role,
            token=uuid.uuid4(),
            invited_at=clock.now(),
        )
        activity_record(
            actor=actor,
            action="team.member_added",
            target=membership,
            scope=team,
            subject=email,
            after={"name": membership.name, "role": role},
            context={"cohort": team.cohort_id, "team": team.pk},
        )
        _send_team_invite(membership, key=f"team-invite:{membership.pk}")
    return membership


def team_invitations_resend(*, team, actor, at=None) -> int:
    """Send the invitation again to the members who have not joined; once a day per person
    (a new outbox key per day). Returns how many were sent."""
    at = at or clock.now()
    day = clock.helsinki(at).date().isoformat()
    sent = 0
    with transaction.atomic():
        pending = TeamMembership.objects.filter(team=team, joined_at__isnull=True).select_related(
            "team__organisation", "team__cohort"
        )
        for membership in pending:
            row = _send_team_invite(membership, key=f"team-invite:{membership.pk}:resend:{day}")
            sent += row is not None
        if sent:
            activity_record(
                actor=actor,
                action="team.invitations_resent",
                target=team,
                scope=team,
                subject=team.organisation.name,
                after={"sent": sent},
                context={"cohort": team.cohort_id},
            )
    return sent


# --- The next cohort from an earlier one ----------------------------------------------------

# What the copy takes of the cohort itself: its rules and texts; the dates move with the
# kick-off, the stamps of scoring and of the decisions do not come along.
COPIED_FIELDS = (
    "grace",
    "max_selected",
    "score_min",
    "score_max",
    "score_labels",
    "interview_change_cutoff",
    "pre_assignment_text",
    "retention_months",
)
SHIFTED_FIELDS = (
    "call_opens_at",
    "deadline",
    "interviews_start",
    "interviews_end",
    "selection_date",
    "kickoff_date",
    "closing_date",
    "pre_assignment_due",
)
CRITERION_FIELDS = (
    "order", "key", "name_fi", "name_sv", "name_en", "description_fi", "description_sv",
    "description_en", "weight",
)  # fmt: skip
THEME_FIELDS = ("order", "name_fi", "name_sv", "name_en")


def _copy_plan(source, kick_off):
    from .copying import CopyPlan

    if source.kickoff_date is None:
        raise CohortError(
            _("The cohort to copy has no kick-off date: set it first, the copy's dates move "
              "with it."),
            code="no_kickoff",
        )  # fmt: skip
    return CopyPlan(source=source, days=(kick_off - source.kickoff_date).days)


def cohort_copy_preview(
    *, source, kick_off, call_opens_at=None, deadline=None
) -> list[tuple[str, list]]:
    """What `cohort_copy` would make, section by section: (heading, [PreviewLine])."""
    from .copying import PreviewLine, registered

    plan = _copy_plan(source, kick_off)
    given = {"call_opens_at": call_opens_at, "deadline": deadline}
    dates = [
        PreviewLine(
            str(Cohort._meta.get_field(name).verbose_name),
            value,
            given.get(name) or plan.shift(value),
        )
        for name in SHIFTED_FIELDS
        if (value := getattr(source, name)) is not None
    ]
    sections = [
        (_("Dates of the cohort"), dates),
        (_("Selection criteria"),
         [PreviewLine(f"{c.name} ({c.weight})") for c in source.criteria.all()]),
        (_("Other themes"), [PreviewLine(t.name) for t in source.themes.all()]),
    ]  # fmt: skip
    for copier in registered():
        sections.append((str(copier.label), copier.preview(plan)))
    return sections


@transaction.atomic
def cohort_copy(
    *,
    source,
    kick_off,
    actor,
    name: str,
    slug: str,
    call_opens_at=None,
    deadline=None,
    name_sv: str = "",
    name_en: str = "",
) -> Cohort:
    """A new cohort from `source`: its rules, texts, criteria, themes and whatever the apps
    registered (events, assignments), every date moved to the new kick-off. `call_opens_at`
    and `deadline`, when given, replace the moved ones. Nothing of people is copied."""
    from django.core.exceptions import ValidationError

    from .copying import registered

    plan = _copy_plan(source, kick_off)
    if Cohort.objects.filter(slug=slug).exists():
        raise CohortError(_("Another cohort has this short name already."), code="slug")
    target = Cohort(name=name.strip(), name_sv=name_sv.strip(), name_en=name_en.strip(), slug=slug)
    for field_name in COPIED_FIELDS:
        setattr(target, field_name, getattr(source, field_name))
    for field_name in SHIFTED_FIELDS:
        setattr(target, field_name, plan.shift(getattr(source, field_name)))
    target.kickoff_date = kick_off
    if call_opens_at is not None:
        target.call_opens_at = call_opens_at
    if deadline is not None:
        target.deadline = deadline
    try:
        target.clean()
    except ValidationError as exc:
        raise CohortError(
            " ".join(m for ms in exc.message_dict.values() for m in ms), code="dates"
        ) from exc
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as exc:  # the same short name taken a moment ago
        raise CohortError(_("Another cohort has this short name already."), code="slug") from exc
    plan.target = target
    plan.actor = actor
    Criterion.objects.bulk_create(
        Criterion(cohort=target, **{f: getattr(c, f) for f in CRITERION_FIELDS})
        for c in source.criteria.all()
    )
    Theme.objects.bulk_create(
        Theme(cohort=target, **{f: getattr(t, f) for f in THEME_FIELDS})
        for t in source.themes.all()
    )
    copied = {
        "criteria": source.criteria.count(),
        "themes": source.themes.count(),
    }
    for copier in registered():
        copied[copier.key] = copier.copy(plan)
    activity_record(
        actor=actor,
        action="cohort.copied",
        target=target,
        subject=target.name,
        after={
            "source": source.pk,
            "days": plan.days,
            "kickoff_date": kick_off.isoformat(),
            "copied": copied,
        },
        context={"cohort": target.pk, "source": source.pk},
    )
    return target
