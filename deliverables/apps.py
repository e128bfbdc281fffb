from django.apps import AppConfig


class DeliverablesConfig(AppConfig):
    name = "deliverables"
    verbose_name = "Deliverables"

    def ready(self):
        from soske.privacy.registry import register_privacy_source

        from . import privacy

        register_privacy_source(key="submissions", export=privacy.export, erase=privacy.erase)
