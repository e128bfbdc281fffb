from django.apps import AppConfig


class SoskeConfig(AppConfig):
    name = "soske"
    verbose_name = "Soske"
