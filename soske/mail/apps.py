from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "soske.mail"
    label = "mail"
    verbose_name = "Outbox"
