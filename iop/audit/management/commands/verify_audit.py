from django.core.management.base import BaseCommand, CommandError

from iop.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain, record the result and report the first"
        " broken link (exit status 1 when the chain is broken)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-notify",
            action="store_true",
            help="Do not notify administrators in-app when the chain is broken.",
        )

    def handle(self, *args, **options):
        verification = audit_chain_verify(notify=not options["no_notify"])
        seconds = verification.duration_ms / 1000
        if verification.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Audit chain intact: {verification.rows_checked} events checked,"
                    f" head #{verification.head_seq or 0} ({seconds:.1f} s)."
                )
            )
            return
        where = f"#{verification.broken_seq}" if verification.broken_seq else "an event"
        if verification.broken_event_id is not None:
            at = verification.broken_event_at
            where += f" (event id {verification.broken_event_id}, {at:%Y-%m-%d %H:%M:%S %Z})"
        raise CommandError(f"Audit chain broken at {where}: {verification.problem}.")
