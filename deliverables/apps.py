from django.apps import AppConfig


class DeliverablesConfig(AppConfig):
    name = "deliverables"
    verbose_name = "Deliverables"

    def ready(self):
        from cohorts.copying import register_copier

        from . import copying

        # After the programme's events (order 10): an assignment points at its copy.
        register_copier(
            key="assignments",
            label=copying.LABEL,
            order=20,
            preview=copying.assignments_preview,
            copy=copying.assignments_copy,
        )
        from soske.privacy.registry import register_privacy_source

        from . import privacy

        register_privacy_source(key="submissions", export=privacy.export, erase=privacy.erase)
