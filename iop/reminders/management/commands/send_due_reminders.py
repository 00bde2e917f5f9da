from django.core.management.base import BaseCommand

from iop.reminders.services.dispatch import reminders_dispatch_due
from iop.reminders.services.planning import reminders_plan_upcoming


class Command(BaseCommand):
    help = "Plan reminders for upcoming appointments and send what is due, once."

    def add_arguments(self, parser):
        parser.add_argument("--no-plan", action="store_true", help="Only send; do not plan.")

    def handle(self, *args, **options):
        if not options["no_plan"]:
            planned = reminders_plan_upcoming()
            self.stdout.write(f"Planned {planned} reminder rows (existing ones unchanged).")
        counts = reminders_dispatch_due()
        summary = ", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
        self.stdout.write(f"Dispatch: {summary}")
