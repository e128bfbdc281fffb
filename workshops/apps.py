from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Workshops"

    def ready(self):
        from soske.calendar.registry import register_feed_source

        from .calendar import programme_feed

        register_feed_source(programme_feed)

        from soske.privacy.registry import register_privacy_source

        from . import privacy

        register_privacy_source(key="programme", erase=privacy.erase)
