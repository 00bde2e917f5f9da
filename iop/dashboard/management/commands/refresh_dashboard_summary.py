"""`manage.py refresh_dashboard_summary`: rebuild the program dashboard's
summary now (beat does it every few minutes; this is for a fresh or restored
database)."""

from django.core.management.base import BaseCommand

from iop.dashboard.summary import summary_refresh


class Command(BaseCommand):
    help = "Rebuild the program dashboard's summary of attendance and drug tests."

    def handle(self, *args, **options):
        state = summary_refresh()
        self.stdout.write(f"Summary rebuilt in {state.seconds:.2f} s, as of {state.refreshed_at}.")
