"""Access-table rows of the peer phase and its moderation (merged into
tests/soske/test_access.py).

name -> (HTTP method, kwargs from the world, persona -> outcome); the world's deliverables
are `w.deliverables.*` (see tests/deliverables/world.py): its development task is in the
peer phase, with the other team's comment on the team's work and the team's on theirs.

The peer page is the team's own (its joined members: the applicant and the team member);
the other team's member reaches the phase only through their own team's page (404 here),
staff moderate on the staff pages. Moderation: staff read, coordinators hide and show."""

from django.core.files.uploadedfile import SimpleUploadedFile

from deliverables import services
from deliverables.models import Submission
from tests.access import coordinator_only, coordinator_post, staff_only, team_only

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _phase(w):
    return {"pk": w.team.pk, "assignment_pk": w.deliverables.development.pk}


def peer_file(w):
    """A file in the other team's latest version of the development task (a second
    version, submitted with it), made once per world."""
    if not hasattr(w, "peer_file"):
        development = w.deliverables.development
        submission = Submission.objects.get(assignment=development, team=w.other_team)
        author = w.other_team.memberships.filter(user__isnull=False).first().user
        stored = services.file_add(
            submission=submission,
            actor=author,
            upload=SimpleUploadedFile("pilotti.pdf", PDF, content_type="application/pdf"),
        )
        services.submission_submit(submission=submission, actor=author, token="peer-file")
        w.peer_file = stored
    return w.peer_file


def _comment(w):
    return {"assignment_pk": w.deliverables.development.pk, "comment_pk": w.deliverables.comment.pk}


ROWS = {
    "peers:assignment": ("get", _phase, team_only()),
    "peers:file": ("get", lambda w: {**_phase(w), "file_pk": peer_file(w).pk}, team_only()),
    # staff read the comments; coordinators hide (a confirmation with the reason) and show
    "peers_staff:comments": (
        "get",
        lambda w: {"assignment_pk": w.deliverables.development.pk},
        staff_only(),
    ),
    "peers_staff:hide": ("get", _comment, coordinator_only()),
    # POST only; the comment is visible already: nothing changes, back to the comments
    "peers_staff:show": (
        "post",
        _comment,
        coordinator_post("peers_staff:comments"),
    ),
}
