from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "soske.mail"
    label = "mail"
    verbose_name = "Outbox"

    def ready(self):
        # Register the tasks with Celery in every process (web too): the services queue
        # them by name and never import the tasks module.
        from . import tasks  # noqa: F401
