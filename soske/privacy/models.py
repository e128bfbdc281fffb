from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """One pass of the retention job: when, by whom (nobody: the scheduled job) and what went."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # {"applications": 2, "people": 5, "files": 1, "accounts_deleted": 1, ...}
    counts = models.JSONField(default=dict, blank=True)
    # [{"kind": "application", "label": "…", "counts": {...}}, ...]
    items = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.counts}"
