"""Reads for the screening pages and the chart's screening section."""

from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy

from iop.clients.models import Client, Episode
from iop.clients.services import demographics_missing
from screening.instruments import (
    DEFAULT_PLACEMENT_TABLE,
    DIMENSIONS,
    Placement,
    ScoreResult,
    recommend_level,
)
from screening.models import InstrumentAdministration, LevelOfCareRule, SafetyFlag, Screening


def placement_table() -> list[tuple[str, dict]]:
    """The administrator-edited table, least intensive first. An empty table
    (nothing active) falls back to the published default rather than
    recommending nothing."""
    rules = list(LevelOfCareRule.objects.filter(active=True).order_by("order", "code"))
    if not rules:
        return [(code, dict(caps)) for code, caps in DEFAULT_PLACEMENT_TABLE]
    return [(rule.code, rule.caps) for rule in rules]


def _as_result(administration: InstrumentAdministration) -> ScoreResult:
    return ScoreResult(
        code=administration.code,
        version=administration.version,
        total=administration.total,
        band=administration.band,
        band_label=administration.band_label,
        flags=list(administration.flags),
        answers=dict(administration.answers),
    )


def screening_placement(screening: Screening) -> Placement | None:
    """The placement aid's recommendation from this screening's ratings and
    latest result of each instrument; None until all six dimensions are rated."""
    ratings = {rating.dimension: rating.rating for rating in screening.ratings.all()}
    if set(ratings) != set(DIMENSIONS):
        return None
    latest: dict[str, ScoreResult] = {}
    for administration in screening.administrations.order_by("administered_at", "id"):
        latest[administration.code] = _as_result(administration)
    return recommend_level(
        ratings,
        latest,
        table=placement_table(),
        complicated_withdrawal=screening.complicated_withdrawal,
    )


def client_open_safety_flags(client: Client) -> QuerySet[SafetyFlag]:
    return SafetyFlag.objects.filter(client=client, addressed_at__isnull=True).select_related(
        "administration"
    )


def client_scores_by_instrument(
    client: Client, *, codes: tuple[str, ...] | None = None, prefix: str = "scores"
) -> list[dict]:
    """Each instrument's administrations for the chart, oldest first, grouped
    in one query; `codes` keeps only those instruments. An instrument scored
    by composites rather than a total (the BAM: use, risk, protective) has a
    line per composite; every point says how it was answered (staff, phone,
    self-report link, clinic tablet). `prefix` keeps element ids apart where
    two sections of one page draw the same instrument (the printed chart)."""
    rows = InstrumentAdministration.objects.filter(client=client).order_by(
        "code", "administered_at", "id"
    )
    if codes is not None:
        rows = rows.filter(code__in=codes)
    grouped: dict[str, list[InstrumentAdministration]] = {}
    for row in rows:
        grouped.setdefault(row.code, []).append(row)
    return [_series(code, items, prefix) for code, items in grouped.items()]


# The composites' names as the chart's legend shows them (the BAM's).
SUBSCALE_LABELS = {
    "use": gettext_lazy("Use"),
    "risk": gettext_lazy("Risk"),
    "protective": gettext_lazy("Protective"),
}


def _series(code: str, items: list[InstrumentAdministration], prefix: str) -> dict:
    subscale_names = list(dict.fromkeys(name for item in items for name in item.subscales))
    labels = {name: str(SUBSCALE_LABELS.get(name, name)) for name in subscale_names}
    for item in items:
        # The table's cells, in the legend's order.
        item.composite_values = [item.subscales.get(name) for name in subscale_names]
    return {
        "code": code,
        "dom_id": f"{prefix}-{code.lower()}",
        "administrations": items,
        "subscale_names": subscale_names,
        "subscale_labels": labels,
        "series": {
            "labels": [localdate(item.administered_at).isoformat() for item in items],
            "totals": [item.total for item in items],
            "sources": [item.get_source_display() for item in items],
            "subscales": [
                {"label": labels[name], "values": [item.subscales.get(name) for item in items]}
                for name in subscale_names
            ],
        },
    }


def clients_in_screening(clients: QuerySet[Client]) -> QuerySet[Client]:
    """The intake worklist: visible clients whose open episode is in screening,
    with referral date and the status of the latest screening, oldest first."""
    open_screening_episode = Episode.objects.filter(
        client=OuterRef("pk"), phase=Episode.Phase.SCREENING
    )
    latest_screening = Screening.objects.filter(
        episode__client=OuterRef("pk"), episode__phase=Episode.Phase.SCREENING
    ).order_by("-started_at")
    return (
        clients.annotate(
            referral_date=Subquery(open_screening_episode.values("referral_date")[:1]),
            screening_status=Subquery(latest_screening.values("status")[:1]),
            screening_public_id=Subquery(latest_screening.values("public_id")[:1]),
            open_flags=Subquery(
                SafetyFlag.objects.filter(client=OuterRef("pk"), addressed_at__isnull=True)
                .values("client")
                .annotate(n=models.Count("id"))
                .values("n")[:1]
            ),
        )
        .filter(referral_date__isnull=False)
        .order_by("referral_date", "legal_last_name")
    )


def screening_missing_demographics(screening: Screening) -> list[str]:
    """The TEDS items of the screening's episode not yet answered (nor
    recorded declined or unknown): the screening admits only without any.
    Field names of iop.clients Demographics."""
    episode = screening.episode
    referral = getattr(episode, "referral", None)
    return demographics_missing(episode, employment=referral.employment if referral else "")
