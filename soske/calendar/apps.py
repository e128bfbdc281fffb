from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "soske.calendar"
    label = "calendar"
    verbose_name = "Calendar"
