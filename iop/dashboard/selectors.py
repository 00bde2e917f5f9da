"""Read-only figures for the landing pages. Each is one aggregate query, so a
page's query count does not grow with the number of clients."""

from django.db.models import Count, Q, QuerySet

from iop.clients.models import Client, Episode


def open_episodes_by_phase(clients: QuerySet[Client], *, counselor=None) -> dict[str, int]:
    """Open episodes per phase among the given clients (of one primary counselor)."""
    episodes = Episode.objects.filter(client__in=clients, phase__in=Episode.OPEN_PHASES)
    if counselor is not None:
        episodes = episodes.filter(primary_counselor=counselor)
    rows = episodes.values("phase").annotate(count=Count("id"))
    counts = {phase: 0 for phase in Episode.OPEN_PHASES}
    counts.update({row["phase"]: row["count"] for row in rows})
    return counts


def open_episodes_by_phase_and_own(
    clients: QuerySet[Client], *, counselor
) -> tuple[dict[str, int], dict[str, int]]:
    """open_episodes_by_phase for the clients given and for those of one
    primary counselor among them, in one query."""
    rows = (
        Episode.objects.filter(client__in=clients, phase__in=Episode.OPEN_PHASES)
        .values("phase")
        .annotate(count=Count("id"), own=Count("id", filter=Q(primary_counselor=counselor)))
    )
    counts = {phase: 0 for phase in Episode.OPEN_PHASES}
    own = dict(counts)
    for row in rows:
        counts[row["phase"]] = row["count"]
        own[row["phase"]] = row["own"]
    return counts, own


def caseload_by_counselor(clients: QuerySet[Client]) -> list[dict]:
    """Active caseload (intensive and aftercare) per primary counselor and phase."""
    rows = (
        Episode.objects.filter(
            client__in=clients,
            phase__in=Episode.ACTIVE_PHASES,
        )
        .values(
            "primary_counselor_id",
            "primary_counselor__first_name",
            "primary_counselor__last_name",
            "phase",
        )
        .annotate(count=Count("id"))
        .order_by("primary_counselor__last_name", "primary_counselor__first_name")
    )
    table: dict[int | None, dict] = {}
    for row in rows:
        entry = table.setdefault(
            row["primary_counselor_id"],
            {
                "counselor_id": row["primary_counselor_id"],
                "name": " ".join(
                    filter(
                        None,
                        [row["primary_counselor__first_name"], row["primary_counselor__last_name"]],
                    )
                )
                or "Unassigned",
                **dict.fromkeys(Episode.ACTIVE_PHASES, 0),
            },
        )
        entry[row["phase"]] = row["count"]
    for entry in table.values():
        entry["total"] = sum(entry[phase] for phase in Episode.ACTIVE_PHASES)
    return list(table.values())
