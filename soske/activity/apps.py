from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "soske.activity"
    label = "activity"
    verbose_name = "Activity"
