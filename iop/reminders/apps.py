from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "iop.reminders"
    label = "reminders"
    verbose_name = "Reminders and background work"
