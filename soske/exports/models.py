from django.conf import settings
from django.db import models
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _

from soske.choices import ChoiceLabels
from soske.files import private_storage, upload_to
from soske.i18n import current_language
from soske.jobs import ACTIVE_JOB_STATES, JobState

# The states of a job a person follows on a page, shared with the results book.
ExportState = JobState
ACTIVE_EXPORT_STATES = ACTIVE_JOB_STATES


class Export(ChoiceLabels, models.Model):
    """One spreadsheet built by a Celery job for the person who asked for it, and only for
    them: what it holds depends on what they may see. Kept EXPORT_KEEP_DAYS, then deleted
    with its file (soske.exports.services.purge_expired)."""

    kind = models.CharField(max_length=60)
    # What the kind builds from: the list's filters, the cohort, ...
    params = models.JSONField(default=dict, blank=True)
    # What the person sees in the list, in the language they asked in (`language`), and the
    # part of it that names the subject (a cohort), with the language that name is in.
    title = models.CharField(max_length=300)
    subject = models.CharField(max_length=300, blank=True)
    subject_language = models.CharField(max_length=8, blank=True)
    language = models.CharField(max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    state = models.CharField(max_length=10, choices=ExportState.choices, default=ExportState.QUEUED)
    error = models.TextField(blank=True)
    file = models.FileField(storage=private_storage, upload_to=upload_to("exports"), blank=True)
    filename = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "kind", "state"])]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_EXPORT_STATES

    @property
    def title_html(self):
        """The title with `lang` where it is not in the page's language: all of it when it
        was asked for in another language, and the subject when its name fell back to one."""
        before, found, after = self.title.partition(self.subject) if self.subject else ("", "", "")
        if found and self.subject_language not in ("", self.language):
            inner = format_html(
                '{}<span lang="{}">{}</span>{}', before, self.subject_language, found, after
            )
        else:
            inner = conditional_escape(self.title)
        if self.language != current_language():
            return format_html('<span lang="{}">{}</span>', self.language, inner)
        return inner
