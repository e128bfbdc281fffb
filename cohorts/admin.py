from django.contrib import admin

from .models import Cohort, Criterion, Organisation, Theme
from .rules import FROZEN_COHORT_FIELDS, FROZEN_CRITERION_FIELDS, frozen


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, *sorted(FROZEN_CRITERION_FIELDS)) if frozen(obj) else fields

    def has_add_permission(self, request, obj=None):
        return not frozen(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not frozen(obj) and super().has_delete_permission(request, obj)


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "call_opens_at", "deadline", "max_selected"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CriterionInline, ThemeInline]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, *sorted(FROZEN_COHORT_FIELDS)) if frozen(obj) else fields


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "business_id", "org_type", "region"]
    search_fields = ["name", "business_id"]
