"""The separate load database: which one, never the real one, created
(or dropped and created again) through the server's maintenance database."""

import os
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import environ
import psycopg2
from django.conf import settings
from django.core.management.base import CommandError
from psycopg2 import sql

SUFFIX = "_load"


def database_url(database: dict) -> str:
    """A settings.DATABASES entry as a URL django-environ reads back; a
    unix-socket directory goes in ?host= (as iop.devstack writes it)."""
    user = quote(database.get("USER") or "", safe="")
    password = quote(database.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = database.get("HOST") or ""
    socket = (database.get("OPTIONS") or {}).get("host", "")
    if host.startswith("/"):
        host, socket = "", host
    port = f":{database['PORT']}" if database.get("PORT") and host else ""
    query = f"?{urlencode({'host': socket})}" if socket else ""
    return f"postgres://{credentials}{quote(host, safe='')}{port}/{database['NAME']}{query}"


def load_database_url(explicit: str | None = None) -> str:
    """--database-url, else LOAD_DATABASE_URL, else DATABASE_URL (or the
    configured default database) with "_load" appended to its name."""
    if explicit:
        return explicit
    if os.environ.get("LOAD_DATABASE_URL"):
        return os.environ["LOAD_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL") or database_url(settings.DATABASES["default"])
    parts = urlsplit(base)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path=f"/{name}{SUFFIX}"))


def parse(url: str) -> dict:
    return environ.Env.db_url_config(url)


def _server(database: dict) -> tuple[str, str]:
    socket = (database.get("OPTIONS") or {}).get("host")
    return (database.get("HOST") or socket or "localhost", str(database.get("PORT") or 5432))


def ensure_not_default(target: dict) -> None:
    """Refuse to touch the application's own database."""
    default = settings.DATABASES["default"]
    if target["NAME"] == default["NAME"] and _server(target) == _server(default):
        raise CommandError(
            f"The load database {target['NAME']!r} is the application's own database: "
            "give --database-url or LOAD_DATABASE_URL naming another one."
        )


def _maintenance(target: dict):
    """A connection to the server's "postgres" database, in autocommit."""
    params = {
        "user": target.get("USER"),
        "password": target.get("PASSWORD"),
        "host": target.get("HOST"),
        "port": target.get("PORT"),
        **(target.get("OPTIONS") or {}),
    }
    params = {key: value for key, value in params.items() if value not in (None, "")}
    connection = psycopg2.connect(dbname="postgres", **params)
    connection.autocommit = True
    return connection


def prepare(target: dict, *, reset: bool) -> str:
    """Create the load database if it is missing (drop it first with
    `reset`); returns what was done."""
    name = sql.Identifier(target["NAME"])
    connection = _maintenance(target)
    try:
        with connection.cursor() as cursor:
            if reset:
                # FORCE ends leftover sessions of an earlier run (PostgreSQL 13+).
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target["NAME"]])
            if cursor.fetchone():
                return "exists"
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
            return "recreated" if reset else "created"
    finally:
        connection.close()
