"""The A/R page's figures, each one aggregate query over the ledger rows
(billing.selectors.receivables.ledger) of the charges the viewer may see."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Min, Q, QuerySet, Sum

from billing.models import Charge
from billing.selectors.receivables.ledger import BUCKET_KEYS, ZERO, counts_q

# Days in A/R averages the charges of the last 90 days (see days_in_ar).
DAYS_IN_AR_PERIOD = 90
# The drill-down's and the aging table's key for the clients' own balances.
CLIENTS = "clients"


@dataclass
class AgingRow:
    key: str  # a payer's public id, "none" for charges without a payer, or CLIENTS
    label: str
    cells: dict = field(default_factory=lambda: dict.fromkeys(BUCKET_KEYS, ZERO))

    @property
    def total(self) -> Decimal:
        return sum(self.cells.values(), ZERO)

    @property
    def ordered(self) -> list[tuple[str, Decimal]]:
        return [(key, self.cells[key]) for key in BUCKET_KEYS]


def aging_by_payer(rows: QuerySet[Charge], *, clients_label: str) -> list[AgingRow]:
    """What each payer owes per aging bucket, then what clients owe (their
    patient responsibility and self-pay charges) as a last row. Payers
    whose balance is nil in every bucket are left out. One query."""
    figures = (
        rows.order_by()
        .values("payer__public_id", "payer__name", "bucket")
        .annotate(payer_total=Sum("payer_balance"), client_total=Sum("client_balance"))
    )
    payers: dict[str, AgingRow] = {}
    clients = AgingRow(CLIENTS, clients_label)
    for figure in figures:
        key = str(figure["payer__public_id"] or "none")
        row = payers.setdefault(key, AgingRow(key, figure["payer__name"] or "—"))
        row.cells[figure["bucket"]] += figure["payer_total"] or ZERO
        clients.cells[figure["bucket"]] += figure["client_total"] or ZERO
    result = sorted(
        (row for row in payers.values() if any(row.cells.values())), key=lambda r: r.label
    )
    if any(clients.cells.values()):
        result.append(clients)
    return result


def bucket_totals(aging: list[AgingRow]) -> list[tuple[str, Decimal]]:
    return [(key, sum((row.cells[key] for row in aging), ZERO)) for key in BUCKET_KEYS]


def client_balances(rows: QuerySet[Charge]) -> QuerySet:
    """Per client: what the client owes, what payers owe for them, the total
    and the oldest date of service with a balance; clients with nothing
    outstanding either way are left out; the largest total first. Values
    rows (client_id ...): the caller loads the names of the page shown."""
    return (
        rows.order_by()
        .values("client_id")
        .annotate(
            client_total=Sum("client_balance"),
            payer_total=Sum("payer_balance"),
            total=F("client_total") + F("payer_total"),
            oldest=Min("service_date"),
        )
        .exclude(Q(client_total=0) & Q(payer_total=0))
        .order_by("-total", "client_id")
    )


@dataclass(frozen=True)
class Totals:
    payer: Decimal
    client: Decimal
    total: Decimal
    charges_in_period: Decimal  # gross charges of the last DAYS_IN_AR_PERIOD days
    lines_in_period: int
    days_in_ar: Decimal | None


def totals(rows: QuerySet[Charge], *, as_of: datetime.date) -> Totals:
    """The A/R totals and days in A/R, in one query.

    Days in A/R = total accounts receivable / average daily gross charges,
    the average taken over the last 90 days: the practice-management
    formula MGMA benchmarks ("Days in A/R = Total A/R / Average Daily
    Charges", average daily charges = the period's gross charges / its
    days), as Eide Bailly ("Are You Looking at Days in Accounts
    Receivable?", 2017) and AAPC write it. (HFMA's MAP Key "Net Days in
    A/R" divides net A/R by average daily net patient service revenue
    instead: HFMA MAP Keys definitions, hfma.org/MAP/mapkeys.) Total A/R is
    net of credit balances here (a credit offsets what else is owed);
    gross charges are the amounts counted (billed, not cancelled) of the
    charges whose date of service falls in the 90 days.
    None when nothing was charged in the period."""
    start = as_of - datetime.timedelta(days=DAYS_IN_AR_PERIOD - 1)
    in_period = Q(service_date__gte=start)
    figures = rows.order_by().aggregate(
        sum_payer=Sum("payer_balance"),
        sum_client=Sum("client_balance"),
        sum_charges=Sum("counted", filter=in_period),
        sum_lines=Count("id", filter=in_period & counts_q()),
    )
    payer = figures["sum_payer"] or ZERO
    client = figures["sum_client"] or ZERO
    total = payer + client  # a charge's balance is its payer's and its client's
    charges = figures["sum_charges"] or ZERO
    days = None
    if charges > 0:
        days = (total / (charges / DAYS_IN_AR_PERIOD)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return Totals(
        payer=payer,
        client=client,
        total=total,
        charges_in_period=charges,
        lines_in_period=figures["sum_lines"] or 0,
        days_in_ar=days,
    )


def drill_down(rows: QuerySet[Charge], *, payer: str, bucket: str) -> QuerySet[Charge]:
    """The charges behind one cell of the aging table: a payer's (by public
    id, "none" without one) or the clients' (CLIENTS) non-nil balances in
    `bucket`, oldest first, with what a row shows joined."""
    rows = rows.filter(bucket=bucket)
    if payer == CLIENTS:
        rows = rows.exclude(client_balance=0)
    else:
        rows = rows.exclude(payer_balance=0)
        rows = (
            rows.filter(payer__isnull=True)
            if payer == "none"
            else rows.filter(payer__public_id=payer)
        )
    return rows.select_related("client", "payer").order_by("service_date", "client_id", "id")
