from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Workshops"

    def ready(self):
        from soske.calendar.registry import register_feed_source

        from .calendar import programme_feed

        register_feed_source(programme_feed)

        from cohorts.copying import register_copier

        from . import copying

        register_copier(
            key="events",
            label=copying.LABEL,
            order=10,
            preview=copying.events_preview,
            copy=copying.events_copy,
        )
        from soske.privacy.registry import register_privacy_source

        from . import privacy

        register_privacy_source(key="programme", erase=privacy.erase)
