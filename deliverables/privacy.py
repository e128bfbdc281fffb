"""What the deliverables hold about a person: the versions they submitted and the files
they uploaded (the team's work itself stays the team's), for soske.privacy."""

from soske.privacy.registry import ExportPart
from soske.privacy.services import replace_in_rows, replacement_pairs

from .models import Feedback, PeerComment, Submission, SubmissionFile, SubmissionVersion


def export(user) -> ExportPart:
    versions = (
        SubmissionVersion.objects.filter(submitted_by=user)
        .select_related("submission__assignment", "submission__team__organisation")
        .order_by("pk")
    )
    uploads = (
        SubmissionFile.objects.filter(uploaded_by=user)
        .select_related("submission__assignment")
        .order_by("pk")
    )
    return ExportPart(
        records={
            "versions": [
                {
                    "assignment": v.submission.assignment.title,
                    "team": v.submission.team.organisation.name,
                    "number": v.number,
                    "submitted_at": v.submitted_at,
                    "late": v.late,
                    "data": v.data,
                }
                for v in versions
            ],
            "files": [
                {
                    "assignment": f.submission.assignment.title,
                    "filename": f.filename,
                    "uploaded_at": f.uploaded_at,
                }
                for f in uploads
            ],
        },
        files=[(f"submissions/{f.pk}", f.filename, f.file) for f in uploads],
    )


def erase(*, user, pseudonym, email, names) -> int:
    """The team's work stays the team's; where its text names the person, the pseudonym."""
    pairs = replacement_pairs(email=email, names=names, pseudonym=pseudonym)
    return (
        replace_in_rows(Submission.objects.all(), ["draft"], pairs)
        + replace_in_rows(SubmissionVersion.objects.all(), ["data"], pairs)
        + replace_in_rows(Feedback.objects.all(), ["text"], pairs)
        + replace_in_rows(PeerComment.objects.all(), ["text"], pairs)
    )
