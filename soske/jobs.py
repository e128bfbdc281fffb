"""What the background jobs a person follows on a page have in common (the results book,
the spreadsheet exports): their states, and the status the page shows and polls."""

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class JobState(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Queued")
    RUNNING = "running", gettext_lazy("Being built")
    DONE = "done", gettext_lazy("Ready")
    FAILED = "failed", gettext_lazy("Failed")


ACTIVE_JOB_STATES = [JobState.QUEUED, JobState.RUNNING]


def job_update(row, **fields) -> None:
    """Set `fields` on `row` and write them at once, outside any transaction of the job, so
    the page that polls sees its progress."""
    for name, value in fields.items():
        setattr(row, name, value)
    type(row).objects.filter(pk=row.pk).update(**fields)


def job_status(row, *, running_text: str, url: str, **extra) -> dict:
    """What templates/includes/job_status.html shows and static/js/job_status.js polls: the
    state of `row` (a model with state, duration_ms, filename and error) in words, and once
    it is done the link to `url`. `running_text`: what the job is doing while it runs."""
    if row.state == JobState.QUEUED:
        text = _("Queued: the job starts in a moment.")
    elif row.state == JobState.RUNNING:
        text = running_text
    elif row.state == JobState.DONE:
        text = _("Ready in %(seconds)s s: %(filename)s") % {
            "seconds": formats.number_format((row.duration_ms or 0) / 1000, 1),
            "filename": row.filename,
        }
    else:
        text = _("The build failed: %(error)s") % {"error": row.error}
    done = row.state == JobState.DONE
    return {
        "state": row.state,
        "active": row.state in ACTIVE_JOB_STATES,
        "text": text,
        "url": url if done else "",
        "filename": row.filename,
        "link_text": _("Download %(filename)s") % {"filename": row.filename}
        if row.filename
        else "",
        **extra,
    }
