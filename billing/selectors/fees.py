"""The fee schedule as the charge engine reads it: one query per rate."""

from django.db.models import Q, QuerySet

from billing.models import FeeRate, Payer


def normalized_modifiers(modifiers) -> list[str]:
    """Modifiers as a rate stores them: each once, sorted."""
    return sorted(set(modifiers or []))


def rate_on(payer: Payer | None, code: str, modifiers, day) -> FeeRate | None:
    """The rate in force on `day` for `code` with exactly these modifiers
    (in any order), for `payer` (None: the program's own rate). One query."""
    return (
        FeeRate.objects.filter(
            payer=payer,
            code=code,
            modifiers=normalized_modifiers(modifiers),
            effective_from__lte=day,
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )


def fee_schedule(payer: Payer | None = None, *, all_payers: bool = False) -> QuerySet[FeeRate]:
    """Rates, newest first within each code, with their payer (one query)."""
    rates = FeeRate.objects.select_related("payer", "created_by")
    if not all_payers:
        rates = rates.filter(payer=payer)
    return rates.order_by("payer__name", "code", "modifiers", "-effective_from")
