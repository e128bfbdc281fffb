from datetime import UTC, datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class ActivityJSONEncoder(DjangoJSONEncoder):
    """Dates as ISO text; aware moments in UTC, so one moment is always written the same."""

    def default(self, o):
        if isinstance(o, datetime) and o.tzinfo is not None:
            o = o.astimezone(UTC)
        return super().default(o)


class ActivityLogIsReadOnly(Exception):
    """The log is written once: an entry is never changed nor deleted on its own."""


class ActivityEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ActivityLogIsReadOnly("activity entries are never updated")

    def delete(self):
        raise ActivityLogIsReadOnly("activity entries are never deleted")

    def for_scope(self, *objs):
        """The entries a page of these objects lists (an application's and its team's)."""
        query = models.Q(pk__in=[])
        for obj in objs:
            if obj is not None:
                query |= models.Q(
                    scope_type=ContentType.objects.get_for_model(obj), scope_id=obj.pk
                )
        return self.filter(query)

    def for_target(self, obj):
        return self.filter(
            target_type=ContentType.objects.get_for_model(obj),
            target_id=obj.pk,
        )


class ActivityEntry(models.Model):
    """Who changed what, when, from what to what.

    `target` is the object that changed (a review, an interview, a cohort); `scope` the
    object whose history page lists it (usually the application, or the cohort). Rows go
    with their scope when it is deleted (apps hold a GenericRelation), never otherwise.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    action = models.CharField(max_length=60)  # a dotted code: "application.submitted"
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    scope_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    scope_id = models.PositiveBigIntegerField()
    scope = GenericForeignKey("scope_type", "scope_id")
    subject = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True, encoder=ActivityJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=ActivityJSONEncoder)
    context = models.JSONField(default=dict, blank=True, encoder=ActivityJSONEncoder)

    objects = ActivityEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["scope_type", "scope_id", "at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]
        verbose_name = "activity entry"
        verbose_name_plural = "activity log"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ActivityLogIsReadOnly("activity entries are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ActivityLogIsReadOnly("activity entries are never deleted")
