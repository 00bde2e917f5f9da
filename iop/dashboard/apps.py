import time

from django.apps import AppConfig

# When this process set Django up (monotonic clock): System status waits a
# moment for the worker's first heartbeat before saying there has been none.
STARTED = time.monotonic()


class DashboardConfig(AppConfig):
    name = "iop.dashboard"
    label = "dashboard"
    verbose_name = "Dashboards"
