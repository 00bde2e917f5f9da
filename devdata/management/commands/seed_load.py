"""`manage.py seed_load`: a large, realistic clinic in a separate database,
for load tests of the dashboards.

    manage.py seed_load [--clients 5000] [--seed 2026] [--reset]
                        [--database-url postgres://.../openiop_load]

The load database is --database-url, else LOAD_DATABASE_URL, else
DATABASE_URL's database with "_load" appended; it is never the application's
own database. The command creates it when missing (--reset drops it first),
then runs itself again with DATABASE_URL pointing there, so migrations and
generation can only reach the load database; that inner run migrates,
generates (devdata.load.build), analyses the tables, builds the
program dashboard's summary and prints the time of each phase and the rows
written.
"""

import argparse
import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devdata.load import DEFAULT_CLIENTS, DEFAULT_SEED, build
from devdata.load.database import (
    ensure_not_default,
    load_database_url,
    parse,
    prepare,
)
from devdata.load.people import LOAD_PASSWORD
from iop.clients.models import Client
from iop.dashboard.summary import summary_refresh

# Set by the outer run for the inner one: the database it may write.
TARGET_ENV = "OPENIOP_SEED_LOAD_TARGET"


class Command(BaseCommand):
    help = "Generate a large clinic (default 5,000 clients) in a separate load database."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--database-url", help="Default: LOAD_DATABASE_URL or <name>_load.")
        parser.add_argument("--reset", action="store_true", help="Drop and recreate it first.")
        parser.add_argument("--audit-events", type=int, help="Default: 200 per client.")
        parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["clients"] < 1:
            raise CommandError("--clients must be at least 1.")
        if options["inside"]:
            return self.generate(options)
        started = time.monotonic()
        url = load_database_url(options["database_url"])
        target = parse(url)
        ensure_not_default(target)
        done = prepare(target, reset=options["reset"])
        self.stdout.write(f"Load database {target['NAME']}: {done}.")
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "seed_load", "--inside"]
        command += ["--clients", str(options["clients"]), "--seed", str(options["seed"])]
        if options["audit_events"] is not None:
            command += ["--audit-events", str(options["audit_events"])]
        env = {**os.environ, "DATABASE_URL": url, TARGET_ENV: target["NAME"]}
        env.pop("LOAD_DATABASE_URL", None)
        # Our own manage.py with our own arguments: nothing untrusted runs.
        result = subprocess.run(command, env=env, check=False)  # noqa: S603
        if result.returncode:
            raise CommandError(f"Generation failed (exit {result.returncode}).")
        self.stdout.write(f"Total wall time: {time.monotonic() - started:.1f} s.")

    def generate(self, options) -> None:
        name = settings.DATABASES["default"]["NAME"]
        if os.environ.get(TARGET_ENV) != name:
            raise CommandError("--inside is for seed_load's own use.")
        write = self.stdout.write
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        write(f"  {'migrate':<24}{time.monotonic() - started:8.1f} s")
        if Client.objects.exists():
            raise CommandError(f"{name} already holds clients: run again with --reset.")

        def progress(phase: str, seconds: float) -> None:
            write(f"  {phase:<24}{seconds:8.1f} s")
            self.stdout.flush()

        result = build(
            options["clients"],
            seed=options["seed"],
            audit_events=options["audit_events"],
            progress=progress,
        )
        analysed = time.monotonic()
        with connection.cursor() as cursor:
            # Fresh statistics, so the planner sees the load as it is, and the
            # dead row versions the bulk load left (every audit event is
            # inserted, then sealed) cleared, as autovacuum keeps a live
            # database: without it each new event's seal scans a million of them.
            cursor.execute("VACUUM ANALYZE")
        write(f"  {'vacuum analyze':<24}{time.monotonic() - analysed:8.1f} s")
        summarised = time.monotonic()
        # The program dashboard's summary, as beat keeps it in production.
        summary_refresh()
        write(f"  {'dashboard summary':<24}{time.monotonic() - summarised:8.1f} s")
        write(self.style.SUCCESS(f"Generated in {time.monotonic() - started:.1f} s into {name}."))
        write(self.style.MIGRATE_HEADING("Rows written"))
        for label, count in sorted(result.counts.items()):
            write(f"  {label:<40}{count:>12,}")
        write(f"  {'total':<40}{sum(result.counts.values()):>12,}")
        write(f"Staff sign in as counselor001, supervisor001, admin001, ... ({LOAD_PASSWORD}).")
