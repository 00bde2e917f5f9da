"""Write the README's table of TEDS columns from the codebook module
(iop.clients.teds.columns), between its two marker comments; --check
fails instead when the README is out of date."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from iop.clients.teds.columns import markdown_table

START = "<!-- teds-columns:start (manage.py teds_columns writes this table) -->\n"
END = "<!-- teds-columns:end -->\n"


def readme_path() -> Path:
    return Path(settings.BASE_DIR) / "README.md"


def with_table(text: str) -> str:
    if START not in text or END not in text:
        raise CommandError("README.md has no teds-columns markers.")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}{markdown_table()}{END}{tail}"


class Command(BaseCommand):
    help = "Write the TEDS columns table of README.md from the codebook module."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if out of date.")

    def handle(self, *args, check=False, **options):
        path = readme_path()
        text = path.read_text(encoding="utf-8")
        updated = with_table(text)
        if check:
            if updated != text:
                raise CommandError("README.md's TEDS table is out of date: run teds_columns.")
            return
        path.write_text(updated, encoding="utf-8")
        self.stdout.write("README.md: TEDS columns written.")
