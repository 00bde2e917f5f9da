"""Verifying the audit trail's hash chain (DOMAIN.md section 10: tamper-evident).

Events are sealed by the database when their transaction commits (migration
0005): chain_seq numbers them 1, 2, 3... in commit order and
chain_hash = sha256(previous hash || payload), where the payload is computed
by the SQL function audit_event_payload, the one definition shared by the
seal and this verifier. A row changed behind the triggers' back (a superuser
disabling them) no longer matches its hash; a removed row leaves a gap in
the positions; a chain cut at its end is caught against the head recorded by
the previous verification.

The seal reads the chain head after taking the chain's advisory lock, which
relies on READ COMMITTED (each statement sees what committed before it): a
transaction at REPEATABLE READ that writes audit events would read a stale
head and fail at commit on the unique chain position instead.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from iop.audit.models import ChainVerification

# One pass over the chain in position order: each link is checked against
# the stored hash of the one before it (lag), so a changed row breaks only
# its own link and the first broken link is exact. Aggregated in the same
# pass: the number of events, the head, and the first problem.
_VERIFY_SQL = """
WITH links AS (
    SELECT a.id, a.created_at, a.chain_seq, a.chain_hash,
           lag(a.chain_seq) OVER w AS prev_seq,
           lag(a.chain_hash) OVER w AS prev_hash,
           audit_event_payload(a) AS payload
    FROM audit_auditevent a
    WHERE a.chain_seq IS NOT NULL
    WINDOW w AS (ORDER BY a.chain_seq)
), checked AS (
    SELECT id, created_at, chain_seq, chain_hash, prev_seq,
           CASE
               WHEN chain_seq <> coalesce(prev_seq, 0) + 1 THEN 'gap'
               WHEN chain_hash IS DISTINCT FROM
                    audit_chain_link(coalesce(prev_hash, repeat('0', 64)), payload) THEN 'hash'
           END AS problem
    FROM links
)
SELECT count(*),
       max(chain_seq),
       (array_agg(chain_seq ORDER BY chain_seq) FILTER (WHERE problem IS NOT NULL))[1],
       (array_agg(problem ORDER BY chain_seq) FILTER (WHERE problem IS NOT NULL))[1],
       (array_agg(coalesce(prev_seq, 0) + 1 ORDER BY chain_seq)
            FILTER (WHERE problem IS NOT NULL))[1]
FROM checked
"""


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows_checked: int
    head_seq: int | None
    head_hash: str
    problem: str = ""
    broken_seq: int | None = None
    broken_event_id: int | None = None
    broken_event_at: datetime | None = None


def _event_at(cursor, *, seq: int) -> tuple[int, datetime, str] | None:
    cursor.execute(
        "SELECT id, created_at, chain_hash FROM audit_auditevent WHERE chain_seq = %s", [seq]
    )
    return cursor.fetchone()


def chain_check() -> ChainReport:
    """Recompute the whole chain in one SQL pass and report the first broken link."""
    last_good = ChainVerification.objects.filter(ok=True).order_by("-checked_at", "-id").first()
    # One snapshot for every query below, so events committed meanwhile
    # (sealed as they commit) cannot look like a cut or an unsealed row.
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if outermost:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute(_VERIFY_SQL)
        rows, head_seq, broken_seq, problem, missing_seq = cursor.fetchone()
        head = _event_at(cursor, seq=head_seq) if head_seq else None
        head_hash = head[2] if head else ""
        base = {"rows_checked": rows, "head_seq": head_seq, "head_hash": head_hash}
        if broken_seq is not None:
            event_id, event_at, _hash = _event_at(cursor, seq=broken_seq)
            if problem == "gap":
                text = f"event #{missing_seq} is missing before this one (deleted?)"
                if missing_seq < broken_seq - 1:
                    text = (
                        f"events #{missing_seq} to #{broken_seq - 1} are missing"
                        " before this one (deleted?)"
                    )
            else:
                text = "the event does not match its hash (changed after it was written)"
            return ChainReport(
                ok=False,
                problem=text,
                broken_seq=broken_seq,
                broken_event_id=event_id,
                broken_event_at=event_at,
                **base,
            )
        if last_good is not None and last_good.head_seq:
            previous = _event_at(cursor, seq=last_good.head_seq)
            if previous is None or previous[2] != last_good.head_hash:
                return ChainReport(
                    ok=False,
                    problem=(
                        "the chain no longer holds the head seen by the verification of "
                        f"{last_good.checked_at:%Y-%m-%d %H:%M} (events removed at its end?)"
                    ),
                    broken_seq=last_good.head_seq,
                    **base,
                )
        # A committed event without a position was written with the seal
        # trigger disabled: it is outside the chain's protection.
        cursor.execute(
            "SELECT id, created_at FROM audit_auditevent WHERE chain_seq IS NULL"
            " ORDER BY id LIMIT 1"
        )
        unsealed = cursor.fetchone()
        if unsealed is not None:
            return ChainReport(
                ok=False,
                problem="an event was stored without being sealed into the chain",
                broken_event_id=unsealed[0],
                broken_event_at=unsealed[1],
                **base,
            )
    return ChainReport(ok=True, **base)


def chain_last_verification() -> ChainVerification | None:
    return ChainVerification.objects.order_by("-checked_at", "-id").first()


def chain_verification_is_stale(verification: ChainVerification | None, *, days: int = 2) -> bool:
    """Never verified, or not for `days` days: the nightly task is not running."""
    if verification is None:
        return True
    return timezone.now() - verification.checked_at > timedelta(days=days)
