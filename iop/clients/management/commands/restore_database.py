from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from iop.backups import BackupError, Target, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_database into an empty or new database (the"
        " application's unless --database-url). A database holding tables is replaced"
        " only with --force, in one transaction."
    )
    # The target may not exist yet, and it need not be migrated.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .dump file written by backup_database.")
        parser.add_argument(
            "--database-url", help="Restore into this database instead (created if missing)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the contents of a database that is not empty.",
        )

    def handle(self, *args, **options):
        target = Target.from_url(options["database_url"]) if options["database_url"] else None
        try:
            done = backup_restore(path=options["file"], target=target, force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(done[0].upper() + done[1:] + "."))
