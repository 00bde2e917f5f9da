"""A client's coverage on a date: one query; the client's coverages and
billing's coverage worklists."""

from datetime import timedelta

from django.db.models import F, OuterRef, Prefetch, Q, Subquery

from billing.models import Coverage, CoverageVerification, Payer

# The most rows a worklist of the billing home page shows.
LISTED = 100


def coverages_on(client, day) -> list[Coverage]:
    """The client's coverages in force on `day`, primary first, with payers."""
    return list(Coverage.objects.on(day).filter(client=client).select_related("payer"))


def primary_coverage_on(client, day) -> Coverage | None:
    coverages = coverages_on(client, day)
    return coverages[0] if coverages else None


def client_coverages(client) -> list[Coverage]:
    """All of the client's coverages, current first, with payer and
    verifications (two queries whatever their number)."""
    return list(
        Coverage.objects.filter(client=client)
        .select_related("payer")
        .prefetch_related(
            Prefetch(
                "verifications",
                queryset=CoverageVerification.objects.select_related("verified_by"),
            )
        )
        .order_by(F("effective_to").desc(nulls_first=True), "order", "-effective_from")
    )


def coverages_ending(visible_clients, day, *, within_days: int = 30) -> list[Coverage]:
    """Coverages in force on `day` that end within `within_days` (one query)."""
    return list(
        Coverage.objects.on(day)
        .filter(client__in=visible_clients, effective_to__lte=day + timedelta(days=within_days))
        .select_related("client", "payer")
        .order_by("effective_to", "client__legal_last_name")[:LISTED]
    )


def coverages_unverified(visible_clients, day) -> list[Coverage]:
    """Coverages in force on `day` never verified, or whose last verification
    did not find them active (one query). Self-pay and grant coverage has no
    payer to verify with: left out."""
    last_result = Subquery(
        CoverageVerification.objects.filter(coverage=OuterRef("pk"))
        .order_by("-verified_on", "-id")
        .values("result")[:1]
    )
    return list(
        Coverage.objects.on(day)
        .filter(client__in=visible_clients)
        .exclude(payer__kind__in=[Payer.Kind.SELF_PAY, Payer.Kind.GRANT])
        .annotate(last_result=last_result)
        .filter(Q(last_result__isnull=True) | ~Q(last_result=CoverageVerification.Result.ACTIVE))
        .select_related("client", "payer")
        .order_by("client__legal_last_name", "client__legal_first_name", "order")[:LISTED]
    )
