from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "iop.accounts"
    label = "accounts"
    verbose_name = "Staff accounts"

    def ready(self):
        # Login, logout and failed logins are written to the audit trail.
        from iop.accounts import signals  # noqa: F401
