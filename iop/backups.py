"""Backups of the database with pg_dump's custom format, and their restore.

    manage.py backup_database [--directory DIR]
    manage.py restore_database FILE [--database-url URL] [--force]

A backup is var/backups/openiop-YYYYmmdd-HHMMSS.dump (UTC; BACKUP_DIR
elsewhere), readable by its owner only: it holds every client record. A
restore goes into an empty (or missing, then created) database; a database
that holds tables is replaced only with --force, in one transaction.

pg_dump must be at least as new as the server and pg_restore should match the
server's major version, so the tools are chosen by version among those found:
PG_BIN_DIR, the embedded server's (the pgserver package), the system's
/usr/lib/postgresql/*/bin, then PATH.
"""

import glob
import importlib.util
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from django.conf import settings

VERSION = re.compile(r"\(PostgreSQL\) (\d+)")


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Target:
    """Where a database is, in the terms libpq's tools take."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    sslmode: str = ""

    @classmethod
    def from_settings(cls, database: dict) -> "Target":
        options = database.get("OPTIONS") or {}
        return cls(
            name=database["NAME"],
            user=database.get("USER") or "",
            password=database.get("PASSWORD") or "",
            # The embedded server is reached by its socket directory (?host=).
            host=database.get("HOST") or options.get("host") or "",
            port=str(database.get("PORT") or options.get("port") or ""),
            sslmode=options.get("sslmode") or "",
        )

    @classmethod
    def from_url(cls, url: str) -> "Target":
        import environ

        return cls.from_settings(environ.Env.db_url_config(url))

    def libpq_env(self) -> dict[str, str]:
        """The environment for pg_dump/pg_restore: the password never goes
        on a command line, where other users could read it."""
        env = dict(os.environ)
        values = {
            "PGDATABASE": self.name,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGSSLMODE": self.sslmode,
        }
        env.update({key: value for key, value in values.items() if value})
        return env

    def connect(self, dbname: str | None = None):
        params = {"dbname": dbname or self.name, "user": self.user, "password": self.password}
        params.update(host=self.host, port=self.port, sslmode=self.sslmode)
        return psycopg2.connect(**{key: value for key, value in params.items() if value})


def server_major_version(target: Target) -> int:
    try:
        connection = target.connect()
    except psycopg2.OperationalError as error:
        raise BackupError(f"cannot connect to database {target.name}: {error}") from error
    try:
        return connection.server_version // 10000
    finally:
        connection.close()


def _candidate_dirs() -> list[str]:
    dirs = []
    if os.environ.get("PG_BIN_DIR"):
        dirs.append(os.environ["PG_BIN_DIR"])
    # The embedded server's tools, found without importing the package.
    spec = importlib.util.find_spec("pgserver")
    if spec is not None and spec.origin:
        dirs.append(str(Path(spec.origin).parent / "pginstall" / "bin"))
    dirs.extend(sorted(glob.glob("/usr/lib/postgresql/*/bin")))
    return dirs


def tool_for_server(tool: str, server_major: int) -> str:
    """The tool (pg_dump, pg_restore) of the server's major version, else
    the oldest one newer than it: an older pg_dump refuses a newer server,
    and a newer pg_restore may send settings an older server lacks."""
    found: dict[int, str] = {}
    paths = [os.path.join(folder, tool) for folder in _candidate_dirs()]
    if shutil.which(tool):
        paths.append(shutil.which(tool))
    for path in paths:
        if not os.access(path, os.X_OK):
            continue
        result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
        match = VERSION.search(result.stdout)
        if match:
            found.setdefault(int(match.group(1)), path)
    usable = sorted(major for major in found if major >= server_major)
    if not usable:
        have = ", ".join(f"{major}" for major in sorted(found)) or "none"
        raise BackupError(
            f"no {tool} for PostgreSQL {server_major} or newer (found: {have});"
            " install the PostgreSQL client tools or set PG_BIN_DIR"
        )
    return found[usable[0]]


def backup_directory() -> Path:
    return Path(settings.BACKUP_DIR)


def backup_create(*, directory: Path | None = None, target: Target | None = None) -> Path:
    """Dumps the database to a new file in directory and returns its path.
    The file is created owner-only before any data is written to it."""
    target = target or Target.from_settings(settings.DATABASES["default"])
    directory = Path(directory or backup_directory())
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    pg_dump = tool_for_server("pg_dump", server_major_version(target))
    stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S")
    for attempt in range(100):
        path = directory / f"openiop-{stamp}{f'-{attempt}' if attempt else ''}.dump"
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            continue
    else:
        raise BackupError(f"no free file name in {directory}")
    with os.fdopen(descriptor, "wb") as output:
        result = subprocess.run(  # noqa: S603 - the tool path and fixed options
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges"],
            stdout=output,
            stderr=subprocess.PIPE,
            env=target.libpq_env(),
            check=False,
        )
    if result.returncode != 0:
        path.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.decode(errors='replace').strip()}")
    return path


def _database_exists(target: Target) -> bool:
    try:
        target.connect().close()
    except psycopg2.OperationalError as error:
        if "does not exist" in str(error):
            return False
        raise BackupError(f"cannot connect to database {target.name}: {error}") from error
    return True


def _create_database(target: Target) -> None:
    # From the maintenance database, which every server has.
    connection = target.connect(dbname="postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            quoted = '"' + target.name.replace('"', '""') + '"'
            cursor.execute(f"CREATE DATABASE {quoted}")  # noqa: S608 - a quoted identifier
    finally:
        connection.close()


def database_table_count(target: Target) -> int:
    connection = target.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_tables"
                " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()


def backup_restore(*, path: Path, target: Target | None = None, force: bool = False) -> str:
    """Restores the backup at path into the target database (by default the
    application's). Creates the database when it does not exist; refuses one
    that holds tables unless force, which replaces what the backup holds in
    one transaction (nothing is changed if any step fails). Returns what was
    done, for the command's output."""
    target = target or Target.from_settings(settings.DATABASES["default"])
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    created = False
    if not _database_exists(target):
        _create_database(target)
        created = True
    elif database_table_count(target) and not force:
        raise BackupError(
            f"database {target.name} is not empty: restore into a new database"
            " (--database-url), or pass --force to replace its contents"
        )
    pg_restore = tool_for_server("pg_restore", server_major_version(target))
    command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", f"--dbname={target.name}"]
    if force:
        command += ["--clean", "--if-exists"]
    result = subprocess.run(  # noqa: S603 - the tool path and fixed options
        [*command, str(path)],
        capture_output=True,
        text=True,
        env=target.libpq_env(),
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    return f"{'created and ' if created else ''}restored database {target.name} from {path}"
