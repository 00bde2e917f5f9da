"""The audit chain's lock under concurrent writers (a benchmark, run by
`make bench`, not `make test`).

Every transaction that writes an audit event takes the chain's advisory lock
when it commits (the seal, iop/audit/migrations/0005), so writers queue
there. WRITERS threads, as many as the benchmark's gunicorn workers, each
commit TRANSACTIONS page views' worth of events; each transaction takes the
lock itself just before committing and times that wait (the seal's own
request for it is then immediate). Two runs:

- paced: PACED_PER_SECOND transactions a second in all, at random moments,
  twice the throughput of the 200-staff load test (28 requests a second,
  each writing its page view's events): the target, p95 under 5 ms;
- back to back: no pause at all, the most the chain can take; reported,
  not a target (every writer then waits for the others' commits).

Figures in var/bench/audit_lock.json and REPORT.md."""

import random
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from tests.factories import ClientFactory, UserFactory
from tests.perf import report, server

pytestmark = pytest.mark.perf

CHAIN_LOCK = 7417001  # the seal's advisory lock (iop/audit/migrations/0005)
WRITERS = server.WORKERS
TRANSACTIONS = 300
EVENTS_PER_TRANSACTION = 3  # a page view: the page, a list's clients
PACED_PER_SECOND = 60


def _writer(user, client, waits: list[float], start: threading.Barrier, pause: float) -> None:
    rng = random.Random(len(waits))
    try:
        start.wait(timeout=30)
        for _ in range(TRANSACTIONS):
            if pause:
                time.sleep(rng.uniform(0, 2 * pause))  # random arrivals, `pause` apart on average
            with transaction.atomic():
                for _ in range(EVENTS_PER_TRANSACTION):
                    audit_record(actor=user, action=AuditEvent.Action.VIEW, client=client)
                begun = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
                waits.append((time.perf_counter() - begun) * 1000)
    finally:
        connection.close()


def _run(user, client, *, pause: float) -> dict:
    waits: list[list[float]] = [[] for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    threads = [
        threading.Thread(target=_writer, args=(user, client, waits[i], start, pause))
        for i in range(WRITERS)
    ]
    begun = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    seconds = time.perf_counter() - begun
    every = [wait for per_writer in waits for wait in per_writer]
    assert len(every) == WRITERS * TRANSACTIONS
    return {
        "transactions": len(every),
        "seconds": round(seconds, 2),
        "transactions_per_second": round(len(every) / seconds, 1),
        "wait_ms": report.summary(every),
    }


def test_the_chain_lock_wait_under_concurrent_writers(transactional_db):
    user, client = UserFactory(), ClientFactory()

    paced = _run(user, client, pause=WRITERS / PACED_PER_SECOND)
    back_to_back = _run(user, client, pause=0)

    sealed = AuditEvent.objects.filter(chain_seq__isnull=False).count()
    assert sealed == 2 * WRITERS * TRANSACTIONS * EVENTS_PER_TRANSACTION
    figures = {
        "measured_at": timezone.now().isoformat(timespec="seconds"),
        "writers": WRITERS,
        "events_per_transaction": EVENTS_PER_TRANSACTION,
        "paced": {"target_per_second": PACED_PER_SECOND, **paced},
        "back_to_back": back_to_back,
    }
    server.write_json(report.AUDIT_LOCK_JSON, figures)
    report.write_report()
    print(f"\naudit chain lock: {figures}")
    assert paced["wait_ms"]["p95_ms"] <= report.AUDIT_LOCK_P95_MS
