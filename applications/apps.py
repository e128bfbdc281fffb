from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Applications"

    def ready(self):
        from soske.calendar.registry import register_feed_source

        from .ics import interview_feed_events

        register_feed_source(interview_feed_events)
