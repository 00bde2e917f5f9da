from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Measurement-based care"

    def ready(self):
        from outcomes import extensions

        extensions.register()
