"""Access-table rows of the teams' work pages and the staff's reading page (merged into
tests/soske/test_access.py); the world's deliverables are `w.deliverables.*` (see
tests/deliverables/world.py), plus what `annex_world` adds for the annex downloads.

A team's work pages are the team's own: its joined members see them; another team's
member and staff get a 404 (staff read the work on /staff/work/). The staff's reading
page and its downloads: staff only, a team member gets a 403."""

from datetime import timedelta

from django.core.files.base import ContentFile

from deliverables import services
from deliverables.models import Kind
from deliverables.worksheets import conduct_snapshot
from soske import clock
from tests.access import NOT_FOUND, Redirect, staff_only, team_only

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def annex_world(w):
    """Once per world: an open assignment with the annex builder for both tracks, which
    the team submitted, and a file attached to the staff's feedback."""
    d = w.deliverables
    if getattr(d, "annex_assignment", None) is None:
        actor = d.version.submitted_by
        staff = d.feedback.author
        now = clock.now()
        items = d.open.cohort.conduct_items.order_by("position")
        d.annex_assignment = services.assignment_create(
            cohort=d.open.cohort, actor=staff, kind=Kind.OTHER, title_fi="Liite",
            worksheets=["conduct_annex"], opens_at=now - timedelta(days=1),
            due_at=now + timedelta(days=3), cutoff_at=now + timedelta(days=3),
        )  # fmt: skip
        submission = services.submission_for(assignment=d.annex_assignment, team=w.team)
        submission = services.draft_save(
            submission=submission, actor=actor,
            content={"conduct_annex": {
                "procurement": "Siivous", "own_text": "Oma",
                "obligations": [conduct_snapshot(items.filter(kind="obligation")[0])],
                "terms": [conduct_snapshot(items.filter(kind="term")[0])]}},
        )  # fmt: skip
        d.annex_version = services.submission_submit(
            submission=submission, actor=actor, token="annex-1"
        )
        d.feedback.filename = "palaute.pdf"
        d.feedback.file.save("palaute.pdf", ContentFile(PDF), save=True)
    return d


def _work(w):
    return {"pk": w.team.pk, "assignment_pk": w.deliverables.open.pk}


def _file(w):
    return {**_work(w), "file_pk": w.deliverables.file.pk}


def _version(w):
    return {**_work(w), "number": w.deliverables.version.number}


def _feedback(w):
    return {**_work(w), "feedback_pk": annex_world(w).feedback.pk}


def _annex(w):
    return {"pk": w.team.pk, "assignment_pk": annex_world(w).annex_assignment.pk}


def _version_annex(w):
    return {**_annex(w), "number": w.deliverables.annex_version.number}


def _staff(w):
    return {"team_pk": w.team.pk, "assignment_pk": w.deliverables.open.pk}


def _staff_annex(w):
    d = annex_world(w)
    return {"team_pk": w.team.pk, "assignment_pk": d.annex_assignment.pk,
            "number": d.annex_version.number}  # fmt: skip


ROWS = {
    "deliverables:assignments": ("get", lambda w: {"pk": w.team.pk}, team_only()),
    "deliverables:submission": ("get", _work, team_only()),
    "deliverables:annex": ("get", _annex, team_only()),
    # POST only: an empty upload is refused on the page itself (400 for the members)
    "deliverables:file_add": ("post", _work, {**team_only(), "applicant": 400, "team_member": 400}),
    "deliverables:file": ("get", _file, team_only()),
    "deliverables:file_remove": ("get", _file, team_only()),
    "deliverables:version": ("get", _version, team_only()),
    "deliverables:version_annex": ("get", _version_annex, team_only()),
    "deliverables:feedback_file": ("get", _feedback, team_only()),
    "deliverables_review:submission": ("get", _staff, staff_only()),
    "deliverables_review:file": (
        "get",
        lambda w: {**_staff(w), "file_pk": w.deliverables.file.pk},
        staff_only(),
    ),
    "deliverables_review:feedback_file": (
        "get",
        lambda w: {**_staff(w), "feedback_pk": annex_world(w).feedback.pk},
        staff_only(),
    ),
    "deliverables_review:version_annex": ("get", _staff_annex, staff_only()),
}

# The state-changing POSTs of pages whose GET is in ROWS (the table has one method per
# URL name); checked by tests/deliverables/test_team_access.py in the same world. An
# empty POST: the work form and the feedback form are refused on the page (400); the
# removal of a file is done by the first member (the applicant) and is then a 404.
POST_ROWS = {
    "deliverables:submission": (_work, {**team_only(), "applicant": 400, "team_member": 400}),
    "deliverables:file_remove": (
        _file,
        {**team_only(), "applicant": Redirect("deliverables:submission"), "team_member": NOT_FOUND},
    ),  # fmt: skip
    "deliverables_review:submission": (
        _staff,
        {
            **staff_only(),
            **dict.fromkeys(
                ("reviewer", "coordinator", "unassigned_reviewer", "conflicted_coordinator"), 400
            ),
        },
    ),
}
