from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "iop.dashboard"
    label = "dashboard"
    verbose_name = "Dashboards"
