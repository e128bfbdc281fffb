from django.db import models
from django.utils.translation import gettext_lazy as _

from soske.choices import ChoiceLabels


class OutgoingEmail(ChoiceLabels, models.Model):
    """One message to one recipient, written in the transaction that causes it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(
        max_length=255,
        unique=True,
        help_text="Purpose and recipient; a second message with the same key is never written.",
    )
    to = models.EmailField()
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    # Rendered by the send task (a broker is configured): the template's name and its
    # context as JSON (soske.mail.context); subject and body stay empty until then.
    # Empty template: the row was rendered when it was written.
    template = models.CharField(max_length=100, blank=True)
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "When the sweeper sends a queued row next (a retry after a failed attempt); "
            "empty: only once it has waited the sweeper's age limit."
        ),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "updated_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self):
        return f"{self.key} → {self.to} ({self.status})"

    @property
    def awaits_rendering(self) -> bool:
        return bool(self.template) and not self.body_text
