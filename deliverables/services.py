"""Every change to assignments, submissions, feedback and peer comments: one guarded
function each. They check the move is allowed, save, record it in the activity log and
queue the mail in the same transaction; views only call them and show a refusal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from cohorts.models import Team, TeamMembership
from soske import clock, dates
from soske.activity.services import activity_record
from soske.errors import DomainError
from soske.files import DOCUMENTS, IMAGES, safe_filename, validate_upload
from soske.mail.services import outbox_enqueue_template
from workshops.models import Event, EventKind
from workshops.programme import member_language

from .models import (
    Assignment,
    Audience,
    ConductItem,
    ConductItemKind,
    Feedback,
    Kind,
    PeerComment,
    Reopening,
    Submission,
    SubmissionFile,
    SubmissionState,
    SubmissionVersion,
)
from .worksheets import WORKSHEETS

FILE_KINDS = DOCUMENTS + IMAGES
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 20


class DeliverableError(DomainError):
    pass


class DraftConflict(DeliverableError):
    """Someone else of the team saved the working copy since this form was opened."""


def _when(moment) -> str:
    return dates.moment(moment)


def _record(actor, action, target, *, scope, before=None, after=None, subject=""):
    cohort_id = getattr(scope, "cohort_id", None) or getattr(scope, "pk", None)
    return activity_record(
        actor=actor,
        action=action,
        target=target,
        scope=scope,
        subject=subject or str(target),
        before=before,
        after=after,
        context={"cohort": cohort_id},
    )


# --- Assignments -----------------------------------------------------------------------

ASSIGNMENT_FIELDS = (
    "kind", "audience", "title_fi", "title_sv", "title_en", "instructions_fi",
    "instructions_sv", "instructions_en", "worksheets", "accepts_files", "opens_at",
    "due_at", "cutoff_at", "event", "position",
)  # fmt: skip


def _assignment_check(assignment: Assignment) -> None:
    from django.core.exceptions import ValidationError

    try:
        assignment.clean()
    except ValidationError as exc:
        raise DeliverableError(" ".join(m for ms in exc.message_dict.values() for m in ms)) from exc


def _fields(assignment) -> dict:
    values = {}
    for name in ASSIGNMENT_FIELDS:
        value = getattr(assignment, "event_id" if name == "event" else name)
        values[name] = clock.helsinki(value).isoformat() if isinstance(value, datetime) else value
    return values


@transaction.atomic
def assignment_create(*, cohort, actor, **fields) -> Assignment:
    now = clock.now()
    assignment = Assignment(cohort=cohort, created_at=now, updated_at=now, **fields)
    _assignment_check(assignment)
    assignment.save()
    _record(actor, "assignment.created", assignment, scope=cohort, after=_fields(assignment))
    return assignment


@transaction.atomic
def assignment_update(*, assignment, actor, **fields) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    before = _fields(assignment)
    if "worksheets" in fields and fields["worksheets"] != assignment.worksheets:
        if SubmissionVersion.objects.filter(submission__assignment=assignment).exists():
            raise DeliverableError(
                _("Teams have submitted this assignment; its worksheets can no longer change.")
            )
    for name, value in fields.items():
        setattr(assignment, name, value)
    assignment.updated_at = clock.now()
    _assignment_check(assignment)
    assignment.save()
    after = _fields(assignment)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if changed:
        _record(
            actor,
            "assignment.updated",
            assignment,
            scope=assignment.cohort,
            before={k: before[k] for k in changed},
            after=changed,
        )
    return assignment


@transaction.atomic
def assignment_delete(*, assignment, actor) -> None:
    if Submission.objects.filter(assignment=assignment).exclude(draft={}).exists():
        raise DeliverableError(
            _("Teams have already worked on this assignment; it cannot be removed.")
        )
    _record(actor, "assignment.deleted", assignment.cohort, scope=assignment.cohort,
            before=_fields(assignment), subject=assignment.title)  # fmt: skip
    assignment.delete()


# The seed's set. Texts are data once created: coordinators edit them per cohort.
@dataclass(frozen=True)
class SeedAssignment:
    kind: str
    audience: str
    worksheets: tuple[str, ...]
    anchor: str  # the programme event it prepares for
    titles: tuple[str, str, str]
    instructions: tuple[str, str, str]


SEED_SET = (
    SeedAssignment(
        Kind.PRE_ASSIGNMENT,
        Audience.BOTH,
        ("answer",),
        "kickoff",
        ("Ennakkotehtävä", "Förhandsuppgift", "Pre-assignment"),
        (
            "Tutustukaa organisaationne hankintastrategiaan ja kirjatkaa, miten sosiaalinen "
            "kestävyys siinä näkyy. Tuokaa tulokset aloitustilaisuuteen.",
            "Bekanta er med organisationens upphandlingsstrategi och skriv ner hur social "
            "hållbarhet syns i den. Ta med resultatet till starten.",
            "Study your organisation's procurement strategy and note how social "
            "sustainability shows in it. Bring the result to the kick-off.",
        ),
    ),
    SeedAssignment(
        Kind.KICKOFF,
        Audience.BOTH,
        ("categories", "impact"),
        "workshop1",
        (
            "Merkittävät hankintaryhmät ja vaikuttavuuden ennakkoarviointi",
            "Betydande upphandlingskategorier och förhandsbedömning av effekterna",
            "Significant procurement categories and the impact pre-assessment",
        ),
        (
            "Tunnistakaa organisaationne merkittävät hankintaryhmät ja niiden sosiaalisen "
            "kestävyyden riskit ja mahdollisuudet. Valitkaa yksi hankinta ja arvioikaa sen "
            "vaikuttavuus etukäteen.",
            "Identifiera organisationens betydande upphandlingskategorier och deras risker "
            "och möjligheter för social hållbarhet. Välj en upphandling och bedöm dess "
            "effekter på förhand.",
            "Identify your organisation's significant procurement categories and their "
            "social-sustainability risks and opportunities. Choose one procurement and "
            "assess its impact in advance.",
        ),
    ),
    SeedAssignment(
        Kind.INTERIM_EMPLOYMENT,
        Audience.EMPLOYMENT,
        ("employment",),
        "workshop1",
        (
            "Välitehtävä: hankinnoilla työllistäminen",
            "Mellanuppgift: sysselsättning genom upphandling",
            "Interim assignment: employment through procurement",
        ),
        (
            "Tutustukaa verkkomateriaaliin hankinnoilla työllistämisestä. Mitkä "
            "hankintanne sopivat työllistämisehdolle, mikä ehto valitaan ja miten "
            "yhteistyö työllisyyspalveluiden kanssa sovitaan?",
            "Bekanta er med webbmaterialet om sysselsättning genom upphandling. Vilka "
            "upphandlingar passar för ett sysselsättningsvillkor, vilket villkor väljs och "
            "hur avtalas samarbetet med sysselsättningstjänsterna?",
            "Study the online material on employment through procurement. Which of your "
            "procurements suit an employment condition, which condition do you choose and "
            "how is the cooperation with employment services agreed?",
        ),
    ),  # fmt: skip
    SeedAssignment(
        Kind.INTERIM_HUMAN_RIGHTS,
        Audience.HUMAN_RIGHTS,
        ("risk_matrix", "conduct_annex"),
        "workshop2",
        (
            "Välitehtävä: ihmisoikeudet ja työperäisen hyväksikäytön ehkäisy",
            "Mellanuppgift: mänskliga rättigheter och att förebygga arbetskraftsexploatering",
            "Interim assignment: human rights and preventing labour exploitation",
        ),
        (
            "Tutustukaa ohjeistukseen ihmisoikeuksista ja työperäisen hyväksikäytön "
            "ehkäisystä. Arvioikaa hankintaryhmienne riskit ja kootkaa toimintaohjeliite "
            "sopimusehtoineen.",
            "Bekanta er med vägledningen om mänskliga rättigheter och att förebygga "
            "arbetskraftsexploatering. Bedöm riskerna i era upphandlingskategorier och "
            "sammanställ en bilaga med uppförandekod och avtalsvillkor.",
            "Study the guidance on human rights and preventing labour exploitation. Assess "
            "the risks of your procurement categories and build the code-of-conduct annex "
            "with its contract terms.",
        ),
    ),  # fmt: skip
    SeedAssignment(
        Kind.DEVELOPMENT_TASK,
        Audience.BOTH,
        ("operating_model", "pilot_plan"),
        "closing",
        (
            "Kehittämistehtävä: toimintamalli ja pilottihankinta",
            "Utvecklingsuppgift: verksamhetsmodell och pilotupphandling",
            "Development task: operating model and pilot procurement",
        ),
        (
            "Laatikaa suunnitelma sosiaalisesti kestävien hankintojen toimintamallista ja "
            "pilottihankinnasta. Liittäkää omat asiakirjanne.",
            "Gör upp en plan för verksamhetsmodellen för socialt hållbara upphandlingar och "
            "för pilotupphandlingen. Bifoga era egna dokument.",
            "Draw up the plan of the operating model for socially sustainable procurement "
            "and of the pilot procurement. Attach your own documents.",
        ),
    ),  # fmt: skip
    SeedAssignment(
        Kind.MANAGEMENT,
        Audience.BOTH,
        ("management",),
        "closing",
        (
            "Esittely omalle johdolle",
            "Presentation för den egna ledningen",
            "Presentation to your management",
        ),
        (
            "Esitelkää kehittämistehtävä omalle johdollenne huhtikuussa ja kirjatkaa, "
            "milloin esittely pidettiin, keitä oli paikalla ja mitä päätettiin.",
            "Presentera utvecklingsuppgiften för er ledning i april och anteckna när den "
            "hölls, vilka som deltog och vad som beslutades.",
            "Present the development task to your management in April and record when it "
            "was presented, who attended and what was decided.",
        ),
    ),  # fmt: skip
)

SEED_CONDUCT_ITEMS = (
    (ConductItemKind.OBLIGATION,
     "Toimittaja ja sen alihankkijat noudattavat ILO:n perussopimuksia: ei pakkotyötä, ei "
     "lapsityötä, ei syrjintää, ja työntekijöillä on järjestäytymisvapaus.",
     "Leverantören och dess underleverantörer följer ILO:s kärnkonventioner: inget "
     "tvångsarbete, inget barnarbete, ingen diskriminering, och arbetstagarna har "
     "föreningsfrihet.",
     "The supplier and its subcontractors comply with the ILO core conventions: no forced "
     "labour, no child labour, no discrimination, and workers have freedom of association."),
    (ConductItemKind.OBLIGATION,
     "Työntekijöille maksetaan vähintään lain tai työehtosopimuksen mukainen palkka, ja "
     "työaikoja noudatetaan.",
     "Arbetstagarna får minst den lön som lag eller kollektivavtal kräver, och "
     "arbetstiderna följs.",
     "Workers are paid at least the wage required by law or the collective agreement, and "
     "working hours are respected."),
    (ConductItemKind.OBLIGATION,
     "Työterveydestä ja -turvallisuudesta huolehditaan koko toimitusketjussa.",
     "Arbetshälsa och arbetssäkerhet sköts i hela leveranskedjan.",
     "Occupational health and safety are ensured throughout the supply chain."),
    (ConductItemKind.OBLIGATION,
     "Työntekijöiltä ei peritä rekrytointimaksuja eikä heidän henkilöasiakirjojaan pidätetä.",
     "Arbetstagarna avkrävs inga rekryteringsavgifter och deras identitetshandlingar hålls "
     "inte inne.",
     "Workers pay no recruitment fees and their identity documents are never withheld."),
    (ConductItemKind.OBLIGATION,
     "Toimittaja tunnistaa toimitusketjunsa ihmisoikeusriskit ja raportoi niistä tilaajalle.",
     "Leverantören identifierar riskerna för mänskliga rättigheter i sin leveranskedja och "
     "rapporterar dem till beställaren.",
     "The supplier identifies the human-rights risks of its supply chain and reports them "
     "to the buyer."),
    (ConductItemKind.TERM,
     "Tilaajalla on oikeus auditoida toimittaja ja sen alihankkijat itse tai kolmannen "
     "osapuolen avulla.",
     "Beställaren har rätt att granska leverantören och dess underleverantörer själv eller "
     "genom en tredje part.",
     "The buyer may audit the supplier and its subcontractors itself or through a third "
     "party."),
    (ConductItemKind.TERM,
     "Havaituista puutteista laaditaan korjaava toimenpidesuunnitelma, jolla on määräaika.",
     "För brister som upptäcks görs en plan för korrigerande åtgärder med tidsfrist.",
     "Shortcomings found lead to a corrective action plan with a deadline."),
    (ConductItemKind.TERM,
     "Jos korjaavia toimenpiteitä ei tehdä määräajassa, tilaaja voi periä sopimussakon.",
     "Om de korrigerande åtgärderna inte vidtas inom tidsfristen kan beställaren ta ut ett "
     "avtalsvite.",
     "If the corrective actions are not taken in time, the buyer may charge a contractual "
     "penalty."),
    (ConductItemKind.TERM,
     "Tilaaja voi purkaa sopimuksen vakavan tai toistuvan rikkomuksen vuoksi.",
     "Beställaren kan häva avtalet vid allvarliga eller upprepade överträdelser.",
     "The buyer may terminate the contract for a serious or repeated breach."),
)  # fmt: skip


def _anchors(cohort) -> dict[str, datetime]:
    """When the events the seed's assignments prepare for start: from the cohort's live
    programme, else from its kick-off and closing dates."""
    events = list(Event.objects.live().filter(cohort=cohort).exclude(kind=EventKind.SPARRING_ROUND))
    workshops = [e for e in events if e.kind == EventKind.WORKSHOP]
    found = {
        "kickoff": next((e for e in events if e.kind == EventKind.KICKOFF), None),
        "workshop1": workshops[0] if workshops else None,
        "workshop2": workshops[1] if len(workshops) > 1 else None,
        "closing": next((e for e in events if e.kind == EventKind.CLOSING), None),
    }
    anchors, by_event = {}, {}
    kickoff = found["kickoff"].starts_at if found["kickoff"] else None
    if kickoff is None and cohort.kickoff_date:
        kickoff = clock.helsinki_datetime(cohort.kickoff_date, time(9))
    if kickoff is None:
        raise DeliverableError(
            _("Give the cohort its kick-off date or create its programme first.")
        )
    closing = found["closing"].starts_at if found["closing"] else None
    if closing is None:
        closing = (
            clock.helsinki_datetime(cohort.closing_date, time(9))
            if cohort.closing_date
            else kickoff + timedelta(weeks=11)
        )
    defaults = {
        "kickoff": kickoff,
        "workshop1": kickoff + timedelta(weeks=3),
        "workshop2": kickoff + timedelta(weeks=7),
        "closing": closing,
    }
    for key, default in defaults.items():
        event = found[key]
        anchors[key] = event.starts_at if event else default
        by_event[key] = event
    return anchors, by_event


def _afternoon_before(moment: datetime, days: int) -> datetime:
    day = clock.helsinki(moment).date() - timedelta(days=days)
    return clock.helsinki_datetime(day, time(16))


@transaction.atomic
def assignments_seed(*, cohort, actor) -> list[Assignment]:
    """Give the cohort the seed's set of assignments (and the annex builder's list, if the
    cohort has none) in one step. A kind the cohort already has is left as it is, so the
    step can be repeated harmlessly. The pre-assignment takes the text and due date the
    invitation already carries."""
    anchors, events = _anchors(cohort)
    existing = set(cohort.assignments.values_list("kind", flat=True))
    created = []
    for position, seed in enumerate(SEED_SET):
        if seed.kind in existing:
            continue
        anchor = anchors[seed.anchor]
        if seed.kind == Kind.PRE_ASSIGNMENT:
            opens_at = anchor - timedelta(days=30)
            due_at = (
                clock.helsinki_datetime(cohort.pre_assignment_due, time(16))
                if cohort.pre_assignment_due
                else _afternoon_before(anchor, 1)
            )
        elif seed.kind == Kind.KICKOFF:
            opens_at, due_at = anchors["kickoff"], _afternoon_before(anchor, 2)
        elif seed.kind == Kind.DEVELOPMENT_TASK:
            opens_at, due_at = anchors["kickoff"], _afternoon_before(anchor, 7)
        else:
            opens_at, due_at = anchors["kickoff"], _afternoon_before(anchor, 1)
        if due_at <= opens_at:
            due_at = opens_at + timedelta(days=1)
        cutoff_at = max(anchor, due_at)
        instructions = list(seed.instructions)
        if seed.kind == Kind.PRE_ASSIGNMENT and cohort.pre_assignment_text:
            instructions[0] = cohort.pre_assignment_text
        created.append(
            assignment_create(
                cohort=cohort,
                actor=actor,
                kind=seed.kind,
                audience=seed.audience,
                worksheets=list(seed.worksheets),
                title_fi=seed.titles[0],
                title_sv=seed.titles[1],
                title_en=seed.titles[2],
                instructions_fi=instructions[0],
                instructions_sv=instructions[1],
                instructions_en=instructions[2],
                opens_at=opens_at,
                due_at=due_at,
                cutoff_at=cutoff_at,
                event=events[seed.anchor],
                position=position,
            )
        )
    conduct_items_seed(cohort=cohort, actor=actor)
    return created


def conduct_items_seed(*, cohort, actor) -> int:
    if cohort.conduct_items.exists():
        return 0
    for position, (kind, fi, sv, en) in enumerate(SEED_CONDUCT_ITEMS):
        ConductItem.objects.create(
            cohort=cohort, kind=kind, text_fi=fi, text_sv=sv, text_en=en, position=position
        )
    _record(actor, "conduct_items.seeded", cohort, scope=cohort,
            after={"count": len(SEED_CONDUCT_ITEMS)})  # fmt: skip
    return len(SEED_CONDUCT_ITEMS)


@transaction.atomic
def conduct_item_save(*, cohort, actor, item=None, **fields) -> ConductItem:
    if item is None:
        item = ConductItem(cohort=cohort)
        action = "conduct_item.created"
    else:
        action = "conduct_item.updated"
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    _record(actor, action, item, scope=cohort, after={"kind": item.kind, "text_fi": item.text_fi})
    return item


@transaction.atomic
def conduct_item_archive(*, item, actor, archived=True) -> ConductItem:
    """Archived items are no longer offered; teams that chose one keep its text."""
    item.archived_at = clock.now() if archived else None
    item.save(update_fields=["archived_at"])
    _record(actor, "conduct_item.archived" if archived else "conduct_item.restored", item,
            scope=item.cohort)  # fmt: skip
    return item


@transaction.atomic
def reopen_for_team(*, assignment, team, until, actor) -> Reopening:
    """Let one team submit after the cut-off until `until`."""
    if team.cohort_id != assignment.cohort_id or not assignment.concerns(team.track):
        raise DeliverableError(_("This assignment is not for that team."))
    if until <= clock.now():
        raise DeliverableError(_("Choose a moment in the future."))
    reopening, _created = Reopening.objects.update_or_create(
        assignment=assignment,
        team=team,
        defaults={"until": until, "granted_by": actor, "granted_at": clock.now()},
    )
    _record(actor, "assignment.reopened", assignment, scope=team,
            after={"team": team.pk, "until": clock.helsinki(until).isoformat()},
            subject=f"{assignment.title} – {team.organisation.name}")  # fmt: skip
    return reopening


@transaction.atomic
def reopening_withdraw(*, reopening, actor) -> None:
    _record(actor, "assignment.reopening_withdrawn", reopening.assignment, scope=reopening.team,
            before={"team": reopening.team_id,
                    "until": clock.helsinki(reopening.until).isoformat()})  # fmt: skip
    reopening.delete()


# --- The team's window ------------------------------------------------------------------


# `reopening=` of open_until and editable_check when the caller hasn't read it: a query.
# (None means the caller knows there is none, which saves that query.)
UNKNOWN = object()


def open_until(assignment, team, *, reopening=UNKNOWN) -> datetime:
    """The last moment the team may save and submit."""
    if reopening is UNKNOWN:
        reopening = Reopening.objects.filter(assignment=assignment, team=team).first()
    if reopening is not None and reopening.until > assignment.cutoff_at:
        return reopening.until
    return assignment.cutoff_at


def editable_check(assignment, team, *, at=None, reopening=UNKNOWN) -> None:
    at = at or clock.now()
    if not assignment.concerns(team.track) or assignment.cohort_id != team.cohort_id:
        raise DeliverableError(_("This assignment is not for your team."))
    if at < assignment.opens_at:
        raise DeliverableError(
            _("This assignment opens on %(when)s.") % {"when": _when(assignment.opens_at)}
        )
    until = open_until(assignment, team, reopening=reopening)
    if at > until:
        raise DeliverableError(
            _("The cut-off of this assignment was %(when)s. Ask the coordinators to reopen it "
              "for your team.") % {"when": _when(until)}
        )  # fmt: skip


def submission_for(*, assignment, team) -> Submission:
    submission, _created = Submission.objects.get_or_create(
        assignment=assignment, team=team, defaults={"created_at": clock.now()}
    )
    return submission


# --- Drafts, files and versions -----------------------------------------------------------


@transaction.atomic
def draft_save(*, submission, actor, content: dict, base_revision: int | None = None,
               at=None) -> Submission:  # fmt: skip
    """Save the team's working copy. `content` maps worksheet keys to what their forms
    cleaned. A save that started from an older revision than the stored one is refused
    (DraftConflict): the view shows the typed text again, nothing is lost either way."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    editable_check(submission.assignment, submission.team, at=at)
    if base_revision is not None and int(base_revision) != submission.revision:
        who = submission.draft_saved_by
        raise DraftConflict(
            _("%(name)s saved this work at %(when)s while you were editing. Your text is "
              "kept in the form below: compare and save again to keep yours.")
            % {"name": str(who) if who else _("Someone"),
               "when": _when(submission.draft_saved_at)},
            code="conflict",
        )  # fmt: skip
    allowed = set(submission.assignment.worksheets) | {"answer"}
    draft = dict(submission.draft)
    for key, value in content.items():
        if key not in allowed:
            raise DeliverableError(_("This worksheet does not belong to the assignment."))
        draft[key] = value
    if draft != submission.draft:
        submission.draft = draft
        submission.revision = F("revision") + 1
        submission.draft_saved_at = clock.now()
        submission.draft_saved_by = actor
        submission.save(update_fields=["draft", "revision", "draft_saved_at", "draft_saved_by"])
        submission.refresh_from_db()
    return submission


def missing(submission) -> list[tuple[str, list[str]]]:
    """What the working copy still lacks for a submission: (worksheet label, [fields])."""
    result = []
    for key in submission.assignment.worksheets:
        lacks = WORKSHEETS[key].missing(submission.draft.get(key))
        if lacks:
            result.append((str(WORKSHEETS[key].label), lacks))
    return result


def _live_files(submission):
    return submission.files.filter(removed_at__isnull=True)


@transaction.atomic
def file_add(*, submission, actor, upload) -> SubmissionFile:
    editable_check(submission.assignment, submission.team)
    if not submission.assignment.accepts_files:
        raise DeliverableError(_("This assignment takes no files."))
    if _live_files(submission).count() >= MAX_FILES:
        raise DeliverableError(_("At most %(count)s files per assignment.") % {"count": MAX_FILES})
    try:
        validate_upload(upload, kinds=FILE_KINDS, max_bytes=MAX_FILE_BYTES)
    except Exception as exc:  # a ValidationError with a localized message
        messages = getattr(exc, "messages", None) or [str(exc)]
        raise DeliverableError(" ".join(messages)) from exc
    name = safe_filename(upload.name)
    stored = SubmissionFile(
        submission=submission,
        filename=name,
        size=upload.size or 0,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    stored.file.save(name, upload, save=False)
    stored.save()
    Submission.objects.filter(pk=submission.pk).update(
        draft_saved_at=clock.now(), draft_saved_by=actor
    )
    _record(actor, "submission.file_added", stored, scope=submission.team,
            after={"file": name, "assignment": submission.assignment_id})  # fmt: skip
    return stored


@transaction.atomic
def file_remove(*, file, actor) -> None:
    """Take a file off the working copy; versions that carry it keep it."""
    editable_check(file.submission.assignment, file.submission.team)
    if file.removed_at is not None:
        return
    file.removed_at = clock.now()
    file.save(update_fields=["removed_at"])
    Submission.objects.filter(pk=file.submission_id).update(
        draft_saved_at=clock.now(), draft_saved_by=actor
    )
    _record(
        actor,
        "submission.file_removed",
        file,
        scope=file.submission.team,
        before={"file": file.filename, "assignment": file.submission.assignment_id},
    )


def submission_submit(*, submission, actor, token: str, at=None) -> SubmissionVersion:
    """Freeze the working copy as a new version. The same token twice (a double click, a
    reload) returns the version the first one made."""
    if not token:
        raise DeliverableError(_("The form has expired. Reload the page and submit again."))
    try:
        with transaction.atomic():
            return _submit(submission=submission, actor=actor, token=token[:64], at=at)
    except IntegrityError:
        existing = SubmissionVersion.objects.filter(submission=submission, token=token[:64]).first()
        if existing is None:
            raise
        return existing


def _submit(*, submission, actor, token, at):
    submission = (
        Submission.objects.select_for_update()
        .select_related("assignment", "team")
        .get(pk=submission.pk)
    )
    existing = submission.versions.filter(token=token).first()
    if existing is not None:
        return existing
    at = at or clock.now()
    assignment = submission.assignment
    editable_check(assignment, submission.team, at=at)
    lacks = missing(submission)
    if lacks:
        raise DeliverableError(
            _("Not yet complete: %(missing)s.")
            % {"missing": "; ".join(f"{label}: {', '.join(f)}" for label, f in lacks)},
            code="incomplete",
        )
    files = list(_live_files(submission))
    if not files and not any(value for value in submission.draft.values()):
        raise DeliverableError(_("There is nothing to submit yet."), code="incomplete")
    latest = submission.versions.order_by("-number").first()
    if (
        latest is not None
        and not submission.has_unsubmitted_changes
        and ({f.pk for f in files} == set(latest.files.values_list("pk", flat=True)))
    ):
        raise DeliverableError(
            _("Nothing has changed since version %(number)s.") % {"number": latest.number},
            code="unchanged",
        )
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=(latest.number + 1) if latest else 1,
        data=submission.draft,
        submitted_by=actor,
        submitted_at=at,
        late=at > assignment.due_at,
        token=token,
    )
    version.files.set(files)
    submission.latest_version = version
    submission.state = SubmissionState.SUBMITTED
    submission.save(update_fields=["latest_version", "state"])
    _record(actor, "submission.submitted", version, scope=submission.team,
            after={"assignment": assignment.pk, "version": version.number,
                   "late": version.late},
            subject=f"{assignment.title} v{version.number}")  # fmt: skip
    return version


# --- Feedback -----------------------------------------------------------------------------


def _members(team):
    return TeamMembership.objects.filter(team=team).select_related("user").order_by("name", "pk")


def _page_url(name, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


@transaction.atomic
def feedback_give(*, version, actor, text: str, verdict: str, upload=None) -> Feedback:
    """Staff's word on a version; the submission takes the verdict (unless a newer version
    came in meanwhile) and every member of the team is told by mail."""
    if not text.strip():
        raise DeliverableError(_("Write the feedback."))
    if verdict not in SubmissionState.values or verdict in (
        SubmissionState.DRAFT,
        SubmissionState.SUBMITTED,
    ):
        raise DeliverableError(_("Choose whether the work is accepted or needs changes."))
    feedback = Feedback(version=version, author=actor, text=text.strip(), verdict=verdict,
                        created_at=clock.now())  # fmt: skip
    if upload is not None:
        try:
            validate_upload(upload, kinds=FILE_KINDS, max_bytes=MAX_FILE_BYTES)
        except Exception as exc:
            raise DeliverableError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        feedback.filename = safe_filename(upload.name)
        feedback.file.save(feedback.filename, upload, save=False)
    feedback.save()
    submission = Submission.objects.select_for_update().get(pk=version.submission_id)
    if submission.latest_version_id == version.pk:
        submission.state = verdict
        submission.save(update_fields=["state"])
    team = submission.team
    _record(actor, "submission.feedback", feedback, scope=team,
            after={"assignment": submission.assignment_id, "version": version.number,
                   "verdict": verdict},
            subject=f"{submission.assignment.title} v{version.number}")  # fmt: skip
    url = _page_url("deliverables:submission", team.pk, submission.assignment_id)
    for membership in _members(team):
        outbox_enqueue_template(
            key=f"submission-feedback:{feedback.pk}:{membership.email.lower()}",
            to=membership.email,
            language=member_language(membership),
            template="submission_feedback",
            context={"feedback": feedback, "version": version, "team": team,
                     "assignment": submission.assignment, "url": url},
        )  # fmt: skip
    return feedback


# --- Reminders ------------------------------------------------------------------------------


def unsubmitted_teams(assignment):
    return (
        Team.objects.filter(cohort_id=assignment.cohort_id, active=True)
        .filter(
            track__in=[assignment.audience]
            if assignment.audience != Audience.BOTH
            else [t for t in ("employment", "human_rights")]
        )  # fmt: skip
        .exclude(submissions__assignment=assignment, submissions__latest_version__isnull=False)
        .select_related("organisation")
    )


@transaction.atomic
def remind_unsubmitted(*, assignment, actor, at=None) -> int:
    """Mail the members of every team that has not submitted; once a day per person."""
    at = at or clock.now()
    day = clock.helsinki(at).date().isoformat()
    teams = list(unsubmitted_teams(assignment))
    sent = 0
    for team in teams:
        url = _page_url("deliverables:submission", team.pk, assignment.pk)
        for membership in _members(team):
            row = outbox_enqueue_template(
                key=f"assignment-reminder:{assignment.pk}:{day}:{membership.email.lower()}",
                to=membership.email,
                language=member_language(membership),
                template="assignment_reminder",
                context={"assignment": assignment, "team": team, "url": url},
            )
            sent += row is not None
    _record(actor, "assignment.reminded", assignment, scope=assignment.cohort,
            after={"teams": [t.pk for t in teams], "mails": sent})  # fmt: skip
    return sent


# --- The peer phase -----------------------------------------------------------------------


@transaction.atomic
def peer_phase_open(*, assignment, actor) -> Assignment:
    """Open the peer phase: every team of the cohort reads the other teams' latest version
    of this assignment and comments on it; every member is told by mail."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.peer_opened_at is not None:
        return assignment
    assignment.peer_opened_at = clock.now()
    assignment.peer_opened_by = actor
    assignment.save(update_fields=["peer_opened_at", "peer_opened_by"])
    _record(actor, "assignment.peer_opened", assignment, scope=assignment.cohort)
    for team in peer_teams(assignment):
        url = _page_url("peers:assignment", team.pk, assignment.pk)
        for membership in _members(team):
            outbox_enqueue_template(
                key=f"peer-phase:{assignment.pk}:{membership.email.lower()}",
                to=membership.email,
                language=member_language(membership),
                template="peer_phase_opened",
                context={"assignment": assignment, "team": team, "url": url},
            )
    return assignment


@transaction.atomic
def peer_phase_close(*, assignment, actor) -> Assignment:
    """Undo the opening: the teams no longer see each other's work; comments stay."""
    assignment.peer_opened_at = None
    assignment.peer_opened_by = None
    assignment.save(update_fields=["peer_opened_at", "peer_opened_by"])
    _record(actor, "assignment.peer_closed", assignment, scope=assignment.cohort)
    return assignment


def peer_teams(assignment):
    """The teams taking part in the assignment's peer phase: the cohort's active teams of
    its track."""
    teams = Team.objects.filter(cohort_id=assignment.cohort_id, active=True)
    if assignment.audience != Audience.BOTH:
        teams = teams.filter(track=assignment.audience)
    return teams.select_related("organisation").order_by("organisation__name", "pk")


@transaction.atomic
def peer_comment_add(*, assignment, author_team, team, actor, text: str) -> PeerComment:
    if not assignment.peer_phase_open:
        raise DeliverableError(_("The peer phase of this assignment is not open."))
    ids = set(peer_teams(assignment).values_list("pk", flat=True))
    if author_team.pk not in ids or team.pk not in ids:
        raise DeliverableError(_("That team does not take part in this peer phase."))
    if author_team.pk == team.pk:
        raise DeliverableError(_("Comment on the other teams' work, not your own."))
    text = (text or "").strip()
    if not text:
        raise DeliverableError(_("Write the comment."))
    if len(text) > 5000:
        raise DeliverableError(_("A comment can be at most 5000 characters."))
    comment = PeerComment.objects.create(
        assignment=assignment, team=team, author_team=author_team, author=actor, text=text,
        created_at=clock.now(),
    )  # fmt: skip
    _record(actor, "peer_comment.added", comment, scope=team,
            after={"assignment": assignment.pk, "author_team": author_team.pk})  # fmt: skip
    return comment


@transaction.atomic
def peer_comment_hide(*, comment, actor, reason: str = "", hidden=True) -> PeerComment:
    """A coordinator hides an inappropriate comment (or shows it again); the history says
    who did."""
    comment = PeerComment.objects.select_for_update().get(pk=comment.pk)
    if hidden == comment.is_hidden:
        return comment
    before = {"hidden": comment.is_hidden, "reason": comment.hidden_reason}
    if hidden:
        comment.hidden_at, comment.hidden_by = clock.now(), actor
        comment.hidden_reason = (reason or "").strip()[:300]
    else:
        comment.hidden_at, comment.hidden_by, comment.hidden_reason = None, None, ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _record(actor, "peer_comment.hidden" if hidden else "peer_comment.shown", comment,
            scope=comment.team, before=before,
            after={"hidden": comment.is_hidden, "reason": comment.hidden_reason})  # fmt: skip
    return comment
