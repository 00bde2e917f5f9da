from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "aftercare"
    verbose_name = "Aftercare and discharge"

    def ready(self):
        from aftercare import extensions

        extensions.register()
