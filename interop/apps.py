from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "interop"
    verbose_name = "FHIR API"

    def ready(self):
        # Registers every resource type the API serves (interop.api.registry).
        from interop import resources  # noqa: F401
