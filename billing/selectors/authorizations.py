"""How much of an authorization is used: counted from the live charges that
draw on it, in the one query that lists the authorizations."""

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from billing.models import Authorization, Charge


def live_charges() -> QuerySet[Charge]:
    """Charges that count: not replaced by a later row, not voided."""
    return (
        Charge.objects.filter(superseded=False)
        .exclude(status=Charge.Status.VOIDED)
        .exclude(kind=Charge.Kind.VOID)
    )


def with_units_used(authorizations: QuerySet[Authorization]) -> QuerySet[Authorization]:
    """Annotate `units_used` (live charges' units) without a query per row."""
    used = (
        live_charges()
        .filter(authorization=OuterRef("pk"))
        .order_by()
        .values("authorization")
        .annotate(total=Sum("units"))
        .values("total")
    )
    return authorizations.annotate(
        units_used=Coalesce(Subquery(used, output_field=IntegerField()), Value(0))
    )


def active_on(authorizations: QuerySet[Authorization], day) -> QuerySet[Authorization]:
    return authorizations.filter(starts_on__lte=day, ends_on__gte=day)
