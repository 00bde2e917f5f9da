from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from iop.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database with pg_dump (custom format) to"
        " BACKUP_DIR/openiop-YYYYmmdd-HHMMSS.dump, readable by its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, help="Default: BACKUP_DIR (var/backups).")

    def handle(self, *args, **options):
        try:
            path = backup_create(directory=options["directory"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size / 1_000_000
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path} ({size:.1f} MB)."))
