"""Reads of clients and episodes. Callers pass the queryset from the access
policy (iop.audit.policy.clients_visible_to), so these never widen it."""

from datetime import date, datetime

from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat

from iop.clients.models import Client, Episode

DATE_INPUT_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y")


def _parse_date(text: str) -> date | None:
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def _current_episode() -> QuerySet[Episode]:
    # The client's current episode is the most recently referred one.
    return Episode.objects.filter(client=OuterRef("pk")).order_by("-referral_date", "-id")


def clients_with_current_episode(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Annotate each client with its current episode's phase and counselor,
    in the same single query (the list page must not query per row)."""
    current = _current_episode()
    counselor_name = Concat(
        "primary_counselor__first_name",
        Value(" "),
        "primary_counselor__last_name",
        output_field=CharField(),
    )
    return clients.annotate(
        current_phase=Subquery(current.values("phase")[:1]),
        current_counselor_id=Subquery(current.values("primary_counselor")[:1]),
        current_counselor_name=Subquery(current.annotate(name=counselor_name).values("name")[:1]),
        current_admission_date=Subquery(current.values("admission_date")[:1]),
    )


def client_search(
    clients: QuerySet[Client],
    *,
    query: str = "",
    phase: str = "",
    counselor_id: int | None = None,
) -> QuerySet[Client]:
    """Search by name, record number or date of birth; filter by the current
    episode's phase and primary counselor."""
    clients = clients_with_current_episode(clients)
    query = query.strip()
    if query:
        birth_date = _parse_date(query)
        if birth_date is not None:
            clients = clients.filter(date_of_birth=birth_date)
        elif query.isdigit():
            clients = clients.filter(mrn__startswith=query)
        else:
            for term in query.split():
                clients = clients.filter(
                    Q(legal_first_name__icontains=term)
                    | Q(legal_last_name__icontains=term)
                    | Q(preferred_name__icontains=term)
                )
    if phase:
        clients = clients.filter(current_phase=phase)
    if counselor_id is not None:
        clients = clients.filter(current_counselor_id=counselor_id)
    return clients.order_by("legal_last_name", "legal_first_name", "id")


def client_episodes(client: Client) -> QuerySet[Episode]:
    """All episodes of a client, newest first, with counselors and assignment history."""
    return (
        Episode.objects.filter(client=client)
        .select_related("primary_counselor", "discharge_diagnosis", "demographics")
        .prefetch_related("assignments__counselor", "assignments__assigned_by")
        .order_by("-referral_date", "-id")
    )
