from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Intake screening and admission"

    def ready(self):
        from screening import extensions

        extensions.register()
