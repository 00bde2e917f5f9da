"""Reads served by a streaming replica, when one is configured.

DATABASE_REPLICA_URL names a PostgreSQL hot standby of the primary. Nothing
is read from it unless the code asks: a view decorated with
@replica_reads (the dashboards, drill-downs and their exports) or a block
inside `reading_from_replica()` (the FHIR bulk export). Even then the
router keeps on the primary:

- every write, and every read inside a transaction on the primary (a
  read that must see its own transaction's writes: the audit chain's);
- the tables that decide who may see what or that are written as they are
  read (PRIMARY_ONLY_APPS: sessions, users and roles, the audit trail, the
  Part 2 consents, the API's clients and tokens): an access removed or a
  consent revoked counts at once, never a replica's lag later;
- any request other than GET or HEAD;
- a user's pages right after their own change, until the replica has
  replayed it (the primary's WAL position after the change travels in a
  cookie and is compared with the replica's replay position).

A replica that cannot be reached, or that is more than
REPLICA_MAX_LAG_SECONDS behind, is skipped: its state is checked at most
every REPLICA_CHECK_SECONDS per process and shown on System status.
"""

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Read on the primary, always (see the module docstring).
PRIMARY_ONLY_APPS = frozenset(
    {
        "accounts",
        "admin",
        "audit",
        "auth",
        "axes",
        "contenttypes",
        "family",
        "interop",
        "otp_static",
        "otp_totp",
        "sessions",
    }
)
# The primary's WAL position after a user's change: until the replica has
# replayed it, that user's pages read the primary.
WROTE_AT_COOKIE = "iop_wrote_at"

_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


def lsn_value(lsn: str) -> int:
    """PostgreSQL's "16/B374D848" as a comparable number."""
    high, _, low = lsn.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


@dataclass(frozen=True)
class ReplicaState:
    status: str  # "off" (none configured), "ok", "behind" or "down"
    lag_seconds: float | None = None
    replay_lsn: int = 0
    checked_at: float = 0.0  # time.monotonic()
    error: str = ""

    @property
    def usable(self) -> bool:
        return self.status == "ok"


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _measure() -> ReplicaState:
    now = time.monotonic()
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        primary_lsn = lsn_value(cursor.fetchone()[0])
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
                "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
            )
            in_recovery, replay, age = cursor.fetchone()
    except DatabaseError as error:
        connections[REPLICA].close()
        logger.warning("read replica unreachable: %s", error)
        return ReplicaState("down", checked_at=now, error=str(error).strip()[:200])
    if not in_recovery:
        # Not a standby at all: reading it cannot show an older state.
        return ReplicaState("ok", 0.0, primary_lsn, now)
    replay_lsn = lsn_value(replay) if replay else 0
    # Caught up with the primary: no lag, however long ago its last commit was.
    lag = 0.0 if replay_lsn >= primary_lsn else float(age or 0.0)
    status = "ok" if lag <= settings.REPLICA_MAX_LAG_SECONDS else "behind"
    return ReplicaState(status, round(lag, 3), replay_lsn, now)


_cache: dict[str, ReplicaState] = {}
_cache_lock = threading.Lock()


def replica_state(*, fresh: bool = False) -> ReplicaState:
    """The replica's state, measured at most every REPLICA_CHECK_SECONDS."""
    if not replica_configured():
        return ReplicaState("off")
    with _cache_lock:
        state = _cache.get(REPLICA)
        if (
            fresh
            or state is None
            or (time.monotonic() - state.checked_at > settings.REPLICA_CHECK_SECONDS)
        ):
            state = _cache[REPLICA] = _measure()
    return state


def replica_forget() -> None:
    """Drop the cached state (tests; a replica reconfigured)."""
    with _cache_lock:
        _cache.clear()


@contextmanager
def reading_from_replica(*, after_lsn: int = 0) -> Iterator[bool]:
    """Within the block, reads the router allows go to the replica, when it
    is usable and has replayed `after_lsn`. Yields whether it is used."""
    state = replica_state()
    use = state.usable and state.replay_lsn >= after_lsn
    token = _use_replica.set(use)
    try:
        yield use
    finally:
        _use_replica.reset(token)


def primary_lsn() -> int:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return lsn_value(cursor.fetchone()[0])


def _wrote_at(request) -> int:
    value = request.COOKIES.get(WROTE_AT_COOKIE, "")
    return int(value) if value.isdigit() else 0


def replica_reads(view):
    """A read-only page whose reads may be served by the replica."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in SAFE_METHODS or not replica_configured():
            return view(request, *args, **kwargs)
        with reading_from_replica(after_lsn=_wrote_at(request)):
            return view(request, *args, **kwargs)

    return wrapped


class ReadYourWritesMiddleware:
    """After a change (any request other than GET or HEAD) by a signed-in
    user, remember the primary's WAL position in a cookie, so their next
    pages read the replica only once it has replayed their change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method not in SAFE_METHODS
            and replica_configured()
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            response.set_cookie(
                WROTE_AT_COOKIE,
                str(primary_lsn()),
                max_age=settings.REPLICA_MAX_LAG_SECONDS * 2,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


class PrimaryReplicaRouter:
    """Writes and most reads on the primary; see the module docstring."""

    def db_for_read(self, model, **hints):
        if (
            _use_replica.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # One database, two copies of it (None: not saved yet).
        return {obj1._state.db, obj2._state.db} <= {None, DEFAULT_DB_ALIAS, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
