from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "soske.users"
    label = "users"
    verbose_name = "Users"
