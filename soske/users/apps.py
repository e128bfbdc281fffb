from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "soske.users"
    label = "users"
    verbose_name = "Users"

    def ready(self):
        from . import middleware  # noqa: F401 - connects the staff session's sign-in receiver
