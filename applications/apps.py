from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Applications"

    def ready(self):
        from django.db.models import Count, Q

        from cohorts import figures

        from .models import Status

        def count(status):
            return lambda: Count("applications", filter=Q(applications__status=status))

        figures.register(key="submitted", label=_("Submitted"), aggregate=count(Status.SUBMITTED))
        figures.register(key="drafts", label=_("Drafts"), aggregate=count(Status.DRAFT))

        from soske.calendar.registry import register_feed_source

        from .ics import interview_feed_events

        register_feed_source(interview_feed_events)

        from cohorts import team_facts

        from .selectors import commitment_by_team

        team_facts.register(
            key="commitment", label=_("Management commitment"), values=commitment_by_team
        )

        from soske.exports.registry import register_export_kind

        from . import export_jobs

        register_export_kind(
            "applications.applications",
            build=export_jobs.build_applications,
            permission="soske.view_staff_pages",
        )
        register_export_kind(
            "applications.reviews",
            build=export_jobs.build_reviews,
            permission="soske.coordinate",
        )

        from soske.privacy.registry import register_privacy_source

        from . import privacy

        register_privacy_source(
            key="applications",
            export=privacy.export,
            erase=privacy.erase,
            holders=privacy.holders,
            names=privacy.names,
            expired=privacy.expired,
        )
