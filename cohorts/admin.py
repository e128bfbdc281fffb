from django.contrib import admin

from .models import Cohort, Criterion, Organisation, Theme


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "call_opens_at", "deadline", "max_selected"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CriterionInline, ThemeInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "business_id", "org_type", "region"]
    search_fields = ["name", "business_id"]
