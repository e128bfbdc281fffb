from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = "Cohorts"

    def ready(self):
        from soske.privacy.registry import register_privacy_source

        from . import privacy

        register_privacy_source(
            key="teams",
            export=privacy.export,
            erase=privacy.erase,
            holders=privacy.holders,
            names=privacy.names,
        )
