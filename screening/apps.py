from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Intake screening and admission"

    def ready(self):
        from iop.audit.policy import register_intake_scope
        from screening import chart, policy

        register_intake_scope("screened", policy.recently_screened_by)
        chart.register()
