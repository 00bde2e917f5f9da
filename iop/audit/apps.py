from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "iop.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from iop.audit import extensions, signals  # noqa: F401 -- signals connects receivers

        extensions.register()
