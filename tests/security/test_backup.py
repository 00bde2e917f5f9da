"""Backup and restore: the demo database, backed up with `manage.py
backup_database` and restored with `manage.py restore_database` into a fresh
database, has the same rows in every table and an audit chain that verifies.

It runs the commands as an operator would, in child processes, on two scratch
databases of its own beside the configured one (never the test database)."""

import os
import re
import stat
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.management import get_commands

from iop.backups import Target

BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/openiop")


def _url_for(suffix: str) -> str:
    parts = urlsplit(BASE_URL)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def _drop(target: Target) -> None:
    connection = target.connect(dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
    connection.close()


def _manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=database_url)
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _row_counts(target: Target) -> dict[str, int]:
    connection = target.connect()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = sorted(name for (name,) in cursor.fetchall())
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from pg_tables
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def _audit_rows(target: Target) -> list[tuple]:
    connection = target.connect()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent ORDER BY id")
        rows = cursor.fetchall()
    connection.close()
    return rows


@pytest.fixture
def scratch_databases():
    source_url, restored_url = _url_for("_backup_demo"), _url_for("_backup_restored")
    source, restored = Target.from_url(source_url), Target.from_url(restored_url)
    for target in (source, restored):
        _drop(target)
    connection = source.connect(dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{source.name}"')
    connection.close()
    yield source_url, restored_url
    for target in (source, restored):
        _drop(target)


def test_the_demo_database_restores_into_a_fresh_database_with_every_row(
    scratch_databases, tmp_path
):
    source_url, restored_url = scratch_databases
    source, restored = Target.from_url(source_url), Target.from_url(restored_url)
    _ok(_manage(source_url, "migrate", "--no-input", "-v", "0"))
    _ok(_manage(source_url, "seed_demo"))

    output = _ok(_manage(source_url, "backup_database", "--directory", str(tmp_path)))

    backups = list(tmp_path.iterdir())
    assert len(backups) == 1
    backup = backups[0]
    assert re.fullmatch(r"openiop-\d{8}-\d{6}\.dump", backup.name)
    assert str(backup) in output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert backup.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    _ok(_manage(source_url, "restore_database", str(backup), "--database-url", restored_url))

    counts = _row_counts(restored)
    assert counts == _row_counts(source)
    assert counts["clients_client"] >= 40
    assert counts["audit_auditevent"] > 0
    assert _audit_rows(restored) == _audit_rows(source)
    if "verify_audit" in get_commands():
        verified = _ok(_manage(restored_url, "verify_audit", "--no-notify"))
        assert "intact" in verified

    # A database that holds tables is not overwritten without --force.
    refused = _manage(source_url, "restore_database", str(backup), "--database-url", restored_url)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr
    _ok(
        _manage(
            source_url, "restore_database", str(backup), "--database-url", restored_url, "--force"
        )
    )
    assert _audit_rows(restored) == _audit_rows(source)


def test_restore_refuses_a_missing_file(tmp_path):
    result = _manage(BASE_URL, "restore_database", str(tmp_path / "nothing.dump"))
    assert result.returncode != 0
    assert "no such file" in result.stderr
