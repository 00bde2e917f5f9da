"""A client's coverage on a date: one query."""

from billing.models import Coverage


def coverages_on(client, day) -> list[Coverage]:
    """The client's coverages in force on `day`, primary first, with payers."""
    return list(Coverage.objects.on(day).filter(client=client).select_related("payer"))


def primary_coverage_on(client, day) -> Coverage | None:
    coverages = coverages_on(client, day)
    return coverages[0] if coverages else None
