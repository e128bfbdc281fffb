"""The deliverables of a cohort in every state a page shows: the seed's set of
assignments (and the annex builder's list), one extra assignment open now that both
teams have submitted (the team's version has feedback and a file), and the development
task in its peer phase with a comment of each team on the other's work. Used by the
access table and the deliverables' tests."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from deliverables import services
from deliverables.models import (
    Assignment,
    BookState,
    Feedback,
    Kind,
    PeerComment,
    ResultsBook,
    Submission,
    SubmissionFile,
    SubmissionVersion,
    Verdict,
)
from soske import clock
from workshops.models import Event

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

CATEGORIES = {
    "rows": [
        {"category": "Siivouspalvelut", "annual_spend": "420000.00",
         "risk": "Työllistämisen mahdollisuus", "chosen": True},
        {"category": "Elintarvikkeet", "annual_spend": "1250000.00",
         "risk": "Alkuperämaan työolot", "chosen": False},
    ]
}  # fmt: skip

OPERATING_MODEL = {
    "goal": "Sosiaalinen kestävyys osaksi jokaista yli 60 000 euron hankintaa.",
    "responsibilities": "Hankintapäällikkö vastaa, toimialat osallistuvat.",
    "process": "Tarvekartoituksessa tarkistuslista.",
    "follow_up": "",
    "next_steps": "",
}
PILOT_PLAN = {
    "subject": "Kiinteistöjen siivous",
    "estimated_value": "800000.00",
    "procedure": "Avoin menettely, syksy",
    "social_conditions": "Kuusi henkilötyövuotta työllistämisehtona.",
    "status": "tendering",
    "summary": "",
}


@dataclass
class DeliverablesWorld:
    pre_assignment: Assignment
    open: Assignment  # open now, due in 10 days: both teams submitted
    development: Assignment  # in its peer phase
    submission: Submission  # the team's of `open`
    version: SubmissionVersion
    file: SubmissionFile
    feedback: Feedback
    other_submission: Submission
    other_version: SubmissionVersion
    comment: PeerComment  # the other team on the team's development task
    own_comment: PeerComment  # the team on the other team's
    book: ResultsBook  # a finished results book of the cohort
    summary: ResultsBook  # a finished one-page summary of the team


def _submit(assignment, team, actor, content, token):
    submission = services.submission_for(assignment=assignment, team=team)
    submission = services.draft_save(submission=submission, actor=actor, content=content)
    version = services.submission_submit(submission=submission, actor=actor, token=token)
    submission.refresh_from_db()
    return submission, version


def deliverables_world(cohort, team, other_team, coordinator, member, other_member):
    """`member` and `other_member` are joined members of `team` and `other_team`."""
    now = clock.now()
    seeded = services.assignments_seed(cohort=cohort, actor=coordinator)
    by_kind = {a.kind: a for a in seeded}
    open_assignment = services.assignment_create(
        cohort=cohort,
        actor=coordinator,
        kind=Kind.OTHER,
        title_fi="Hankintaryhmien kartoitus",
        title_sv="Kartläggning av upphandlingskategorier",
        title_en="Mapping the procurement categories",
        instructions_fi="Kartoittakaa merkittävät hankintaryhmänne.",
        worksheets=["categories"],
        opens_at=now - timedelta(days=2),
        due_at=now + timedelta(days=10),
        cutoff_at=now + timedelta(days=14),
        event=Event.objects.filter(cohort=cohort).first(),
        position=10,
    )
    submission = services.submission_for(assignment=open_assignment, team=team)
    file = services.file_add(
        submission=submission,
        actor=member,
        upload=SimpleUploadedFile("hankintaryhmat.pdf", PDF, content_type="application/pdf"),
    )
    submission, version = _submit(open_assignment, team, member, {"categories": CATEGORIES}, "w-1")
    feedback = services.feedback_give(
        version=version,
        actor=coordinator,
        text="Hyvä kartoitus. Lisätkää vielä kuljetuspalvelut.",
        verdict=Verdict.NEEDS_CHANGES,
    )
    submission.refresh_from_db()
    other_submission, other_version = _submit(
        open_assignment, other_team, other_member, {"categories": CATEGORIES}, "w-2"
    )
    # The development task: open it now, both teams submit, then the peer phase.
    development = by_kind[Kind.DEVELOPMENT_TASK]
    development = services.assignment_update(
        assignment=development,
        actor=coordinator,
        opens_at=now - timedelta(days=20),
        due_at=now - timedelta(days=1),
        cutoff_at=now + timedelta(days=5),
    )
    content = {"operating_model": OPERATING_MODEL, "pilot_plan": PILOT_PLAN}
    _submit(development, team, member, content, "d-1")
    _submit(development, other_team, other_member, content, "d-2")
    services.peer_phase_open(assignment=development, actor=coordinator)
    development.refresh_from_db()
    comment = services.peer_comment_add(
        assignment=development, author_team=other_team, team=team, actor=other_member,
        text="Selkeä malli, vastuut hyvin kuvattu.",
    )  # fmt: skip
    own_comment = services.peer_comment_add(
        assignment=development, author_team=team, team=other_team, actor=member,
        text="Kiinnostava pilotti.",
    )  # fmt: skip
    book = _finished_book(cohort, coordinator, "Soske-tulokset.pdf")
    summary = _finished_book(cohort, member, "Soske-yhteenveto.pdf", team=team)
    return DeliverablesWorld(
        pre_assignment=by_kind[Kind.PRE_ASSIGNMENT],
        open=open_assignment,
        development=development,
        submission=submission,
        version=version,
        file=file,
        feedback=feedback,
        other_submission=other_submission,
        other_version=other_version,
        comment=comment,
        own_comment=own_comment,
        book=book,
        summary=summary,
    )


def _finished_book(cohort, actor, filename, team=None):
    """A finished build as the job leaves it (the rendering itself is tested elsewhere)."""
    row = ResultsBook(
        cohort=cohort, team=team, language="fi", state=BookState.DONE, filename=filename,
        size=len(PDF), created_by=actor, created_at=clock.now(), finished_at=clock.now(),
        duration_ms=900,
    )  # fmt: skip
    row.file.save(filename, ContentFile(PDF), save=False)
    row.save()
    return row
