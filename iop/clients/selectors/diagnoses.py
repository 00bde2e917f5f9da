"""Reads of diagnoses. Callers pass a client read through the access policy,
or the policy's queryset, so these never widen it; each is one query."""

from django.db.models import QuerySet

from iop.audit.policy import clients_visible_to
from iop.clients.models import Diagnosis, Episode


def client_diagnoses(client) -> list[Diagnosis]:
    """Every diagnosis of the client, by episode (newest first), current
    ones first in rank order, then the resolved ones."""
    return list(
        Diagnosis.objects.filter(client=client)
        .select_related("episode", "made_by", "confirmed_by")
        .order_by("-episode__referral_date", "-episode_id", "date_resolved", "rank", "pk")
    )


def chart_diagnoses(request, client) -> list[Diagnosis]:
    """The current diagnoses of the client's open episode, primary first: the
    chart header and its Diagnoses section share them (one query per page)."""
    cache = request.__dict__.setdefault("_chart_diagnoses", {})
    if client.pk not in cache:
        cache[client.pk] = list(
            Diagnosis.objects.current()
            .filter(client=client)
            .exclude(episode__phase=Episode.Phase.DISCHARGED)
            .order_by("rank", "pk")
        )
    return cache[client.pk]


def proposed_for(user) -> QuerySet[Diagnosis]:
    """Proposed diagnoses of the clients `user` may see, oldest first: what a
    licensed counselor or supervisor has to confirm."""
    return (
        Diagnosis.objects.filter(
            status=Diagnosis.Status.PROPOSED,
            date_resolved__isnull=True,
            client__in=clients_visible_to(user),
        )
        .select_related("client", "made_by")
        .order_by("created_at", "pk")
    )
