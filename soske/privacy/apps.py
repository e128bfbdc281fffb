from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "soske.privacy"
    label = "privacy"
    verbose_name = "Privacy"
