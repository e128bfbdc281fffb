from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "soske.exports"
    label = "exports"
    verbose_name = "Exports"
