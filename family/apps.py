from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "family"
    verbose_name = "Family involvement"

    def ready(self):
        from family import extensions

        extensions.register()
