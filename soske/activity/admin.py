from django.contrib import admin

from .models import ActivityEntry


@admin.register(ActivityEntry)
class ActivityEntryAdmin(admin.ModelAdmin):
    """Read only: the log is never edited, not even by a superuser."""

    list_display = ("at", "actor", "action", "subject", "target_type", "target_id")
    list_filter = ("action",)
    search_fields = ("action", "subject", "actor__email")
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
