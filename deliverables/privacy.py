"""What the deliverables hold about a person: the versions they submitted and the files
they uploaded (the team's work itself stays the team's), for soske.privacy."""

from soske.privacy.registry import ExportPart

from .models import SubmissionFile, SubmissionVersion


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
