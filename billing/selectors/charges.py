"""The billing worklist's reads: charges within the access policy, filtered,
with everything a row shows in the listing query."""

from django.db.models import Count, Q, QuerySet

from billing.models import Charge
from iop.audit.policy import clients_visible_to

# Two groups of statuses the dashboard drills into (as `status` values).
BILLED = "billed"
UNBILLED = "unbilled"
STATUS_GROUPS = {
    BILLED: (
        Charge.Status.READY,
        Charge.Status.EXPORTED,
        Charge.Status.PAID,
        Charge.Status.DENIED,
    ),
    UNBILLED: (Charge.Status.DRAFTED, Charge.Status.HELD),
}


def charges_visible_to(user) -> QuerySet[Charge]:
    """Charges of the clients `user` may see (the one access policy)."""
    return Charge.objects.filter(client__in=clients_visible_to(user))


def _current() -> Q:
    """The rows whose status still stands: a row superseded by a redraft
    keeps the status it had then (a held charge replaced by a drafted one
    is not held any more), except a voided charge, which its void row
    supersedes."""
    return Q(superseded=False) | Q(status=Charge.Status.VOIDED)


def filter_charges(charges: QuerySet[Charge], filters: dict) -> QuerySet[Charge]:
    """Apply the worklist's cleaned filters (billing.forms.ChargeFilterForm)."""
    status = filters.get("status")
    if status in STATUS_GROUPS:
        # Groups count what is live: a replaced charge is not billed twice.
        charges = charges.filter(status__in=STATUS_GROUPS[status], superseded=False).exclude(
            kind=Charge.Kind.VOID
        )
    elif status:
        charges = charges.filter(status=status).filter(_current())
    if filters.get("hold_reason"):
        charges = charges.filter(
            status=Charge.Status.HELD, hold_reason=filters["hold_reason"], superseded=False
        )
    if filters.get("payer"):
        charges = charges.filter(payer=filters["payer"])
    if filters.get("clinician"):
        charges = charges.filter(rendering_clinician=filters["clinician"])
    if filters.get("start"):
        charges = charges.filter(service_date__gte=filters["start"])
    if filters.get("end"):
        charges = charges.filter(service_date__lte=filters["end"])
    if filters.get("client"):
        charges = charges.filter(client__mrn=filters["client"])
    return charges


def worklist_rows(charges: QuerySet[Charge]) -> QuerySet[Charge]:
    """Everything a row shows, joined in the listing query."""
    return charges.select_related(
        "client", "payer", "coverage", "rendering_clinician", "replaces"
    ).order_by("-service_date", "client__legal_last_name", "client_id", "code", "id")


def status_counts(charges: QuerySet[Charge]) -> dict[str, int]:
    """How many charges of each status whose status still stands (one
    query), for the tabs."""
    rows = charges.filter(_current()).order_by().values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(Charge.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
