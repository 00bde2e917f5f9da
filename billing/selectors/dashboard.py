"""The billing dashboard's figures, each read in one query over the charges
of the clients the viewer may see, each with the worklist filter it drills
into."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.http import QueryDict

from billing.models import Authorization, Charge
from billing.selectors.authorizations import active_on, live_charges, with_units_used
from billing.selectors.charges import BILLED, STATUS_GROUPS, UNBILLED

PERIOD_DAYS = 30
# Authorizations at risk (issue 18): 80 % of the units used, or ending
# within 7 days.
AT_RISK_SHARE = Decimal("0.8")
ENDING_WITHIN_DAYS = 7


def _query(**params) -> str:
    query = QueryDict(mutable=True)
    for name, value in params.items():
        if value not in (None, ""):
            query[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return query.urlencode()


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    amount: Decimal | None
    query: str  # the worklist's filters that list exactly these charges


def _live_of(clients) -> QuerySet[Charge]:
    return live_charges().filter(client__in=clients)


def billed_per_day(clients, *, today: datetime.date) -> list[Figure]:
    """Charges billed (ready, sent, paid or denied) per date of service over
    the last 30 days, newest first; days without any are left out."""
    start = today - datetime.timedelta(days=PERIOD_DAYS - 1)
    rows = (
        _live_of(clients)
        .filter(status__in=STATUS_GROUPS[BILLED], service_date__gte=start, service_date__lte=today)
        .order_by()
        .values("service_date")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("-service_date")
    )
    return [
        Figure(
            label=row["service_date"].isoformat(),
            count=row["n"],
            amount=row["total"] or Decimal("0.00"),
            query=_query(status=BILLED, start=row["service_date"], end=row["service_date"]),
        )
        for row in rows
    ]


def billed_per_payer(clients, *, today: datetime.date) -> list[Figure]:
    """The same charges per payer, largest amount first."""
    start = today - datetime.timedelta(days=PERIOD_DAYS - 1)
    rows = (
        _live_of(clients)
        .filter(status__in=STATUS_GROUPS[BILLED], service_date__gte=start, service_date__lte=today)
        .exclude(payer__isnull=True)
        .order_by()
        .values("payer_id", "payer__name")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by(F("total").desc(nulls_last=True), "payer__name")
    )
    return [
        Figure(
            label=row["payer__name"],
            count=row["n"],
            amount=row["total"] or Decimal("0.00"),
            query=_query(status=BILLED, payer=row["payer_id"], start=start, end=today),
        )
        for row in rows
    ]


def held_by_reason(clients) -> list[Figure]:
    """Held charges per hold reason, most first."""
    labels = dict(Charge.HoldReason.choices)
    rows = (
        _live_of(clients)
        .filter(status=Charge.Status.HELD)
        .order_by()
        .values("hold_reason")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("-n", "hold_reason")
    )
    return [
        Figure(
            label=str(labels.get(row["hold_reason"], row["hold_reason"] or "—")),
            count=row["n"],
            amount=row["total"],
            query=_query(status=Charge.Status.HELD, hold_reason=row["hold_reason"]),
        )
        for row in rows
    ]


def days_not_billed(clients) -> dict:
    """Days of service documented but not yet billed: a client's day with a
    drafted or held charge. How many, how many charges, the oldest day."""
    unbilled = _live_of(clients).filter(status__in=STATUS_GROUPS[UNBILLED])
    figures = unbilled.order_by().aggregate(charges=Count("id"), oldest=Min("service_date"))
    figures["days"] = unbilled.order_by().values("client_id", "service_date").distinct().count()
    figures["query"] = _query(status=UNBILLED)
    return figures


def authorizations_at_risk(clients, *, today: datetime.date) -> list[Authorization]:
    """Active authorizations of the clients with 80 % of their units used or
    ending within 7 days, soonest end first; `units_used` annotated."""
    ending = today + datetime.timedelta(days=ENDING_WITHIN_DAYS)
    authorizations = with_units_used(
        active_on(Authorization.objects.filter(coverage__client__in=clients), today)
    ).select_related("coverage__client", "coverage__payer")
    return list(
        authorizations.filter(
            Q(ends_on__lte=ending) | Q(units_used__gte=F("units_authorized") * AT_RISK_SHARE)
        ).order_by("ends_on", "pk")
    )
