"""Denial rate by reason and collections per month, each one aggregate
query within the access policy."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from billing.models import AdjustmentReason, Charge, Denial, Posting
from billing.selectors.receivables.ledger import ZERO

COLLECTION_MONTHS = 12


@dataclass(frozen=True)
class DenialFigure:
    code: str
    description: str  # empty until the CARC list is loaded: the code is shown alone
    lines: int
    amount: Decimal
    rate: Decimal | None  # percent of the amount billed in the period


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def denial_rate_by_reason(
    clients, *, start: datetime.date, end: datetime.date, billed: Decimal
) -> list[DenialFigure]:
    """Denied amount and lines per CARC reason code (Denial rows, one per
    denied service line) whose date of service falls in start..end, and
    the denied share of `billed`, the amount billed for the same dates of
    service (Totals.charges_in_period): a cohort by date of service, so a
    denial that arrives weeks after the service counts against the period
    it was billed in. The largest amount first. Two queries (the figures,
    then the codes' descriptions)."""
    rows = (
        Denial.objects.filter(client__in=clients)
        .annotate(day=Coalesce("claim_line__service_date", "claim__service_from"))
        .filter(day__gte=start, day__lte=end)
        .order_by()
        .values("reason_code")
        .annotate(lines=Count("id"), amount=Sum("amount"))
        .order_by("-amount", "reason_code")
    )
    rows = list(rows)
    descriptions = dict(
        AdjustmentReason.objects.filter(
            kind=AdjustmentReason.Kind.CARC, code__in=[row["reason_code"] for row in rows]
        ).values_list("code", "description")
    )
    return [
        DenialFigure(
            code=row["reason_code"],
            description=descriptions.get(row["reason_code"], ""),
            lines=row["lines"],
            amount=row["amount"] or ZERO,
            rate=_percent(row["amount"] or ZERO, billed),
        )
        for row in rows
    ]


def denial_share(figures: list[DenialFigure], billed: Decimal) -> Decimal | None:
    return _percent(sum((figure.amount for figure in figures), ZERO), billed)


@dataclass(frozen=True)
class MonthFigure:
    month: datetime.date  # the first day of the month
    payer: Decimal
    client: Decimal

    @property
    def total(self) -> Decimal:
        return self.payer + self.client


def _months(as_of: datetime.date) -> list[datetime.date]:
    first = as_of.replace(day=1)
    months = []
    for back in range(COLLECTION_MONTHS - 1, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        months.append(datetime.date(index // 12, index % 12 + 1, 1))
    return months


def collections_per_month(charges: QuerySet[Charge], *, as_of: datetime.date) -> list[MonthFigure]:
    """Payer payments and client payments posted per calendar month, the 12
    months up to the as-of date's (months without any show zero; a
    reversal's negative row counts in its own month). One query."""
    months = _months(as_of)
    rows = (
        Posting.objects.filter(
            charge__in=charges,
            kind__in=(Posting.Kind.PAYER_PAYMENT, Posting.Kind.PATIENT_PAYMENT),
            posted_on__gte=months[0],
            posted_on__lte=as_of,
        )
        .annotate(month=TruncMonth("posted_on"))
        .order_by()
        .values("month", "kind")
        .annotate(total=Sum("amount"))
    )
    found = {(row["month"], row["kind"]): row["total"] or ZERO for row in rows}
    return [
        MonthFigure(
            month=month,
            payer=found.get((month, Posting.Kind.PAYER_PAYMENT), ZERO),
            client=found.get((month, Posting.Kind.PATIENT_PAYMENT), ZERO),
        )
        for month in months
    ]
