"""Reads of claims and batches, within the access policy: a claim is seen
only by who may see its client; a batch's list shows only counts, its page
only the claims of visible clients."""

import datetime

from django.db.models import Count, Min, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from billing.models import Charge, Claim, ClaimBatch, ClaimLine, Payer
from iop.audit.policy import clients_visible_to

# The worklist warns this many days before a charge's timely filing limit.
TIMELY_FILING_WARNING_DAYS = 7


def claims_visible_to(user) -> QuerySet[Claim]:
    return Claim.objects.filter(client__in=clients_visible_to(user))


def claimable_charges(charges: QuerySet[Charge]) -> QuerySet[Charge]:
    """Ready charges that go on a claim: live (not superseded, original or
    correction), with a coverage and a payer that is billed by claims."""
    return charges.filter(
        status=Charge.Status.READY,
        superseded=False,
        kind__in=(Charge.Kind.ORIGINAL, Charge.Kind.CORRECTION),
        coverage__isnull=False,
        payer__isnull=False,
    ).exclude(payer__kind__in=(Payer.Kind.SELF_PAY, Payer.Kind.GRANT))


def filter_dates(charges: QuerySet[Charge], *, payer=None, start=None, until=None):
    if payer is not None:
        charges = charges.filter(payer=payer)
    if start:
        charges = charges.filter(service_date__gte=start)
    if until:
        charges = charges.filter(service_date__lte=until)
    return charges


def ready_by_payer(charges: QuerySet[Charge]) -> list[dict]:
    """Per payer: ready charges, their total and the oldest date of service,
    one query (the build page)."""
    return list(
        charges.order_by()
        .values("payer__name", "payer__public_id", "payer__timely_filing_days")
        .annotate(charges=Count("id"), total=Sum("amount"), oldest=Min("service_date"))
        .order_by("payer__name")
    )


def timely_filing_warnings(rows: list[dict], *, today=None) -> list[dict]:
    """The rows of ready_by_payer whose oldest charge is past, or within
    seven days of, the payer's timely filing limit."""
    today = today or timezone.localdate()
    warnings = []
    for row in rows:
        deadline = row["oldest"] + datetime.timedelta(days=row["payer__timely_filing_days"])
        if deadline - today <= datetime.timedelta(days=TIMELY_FILING_WARNING_DAYS):
            warnings.append({**row, "deadline": deadline, "past": deadline < today})
    return warnings


def filter_claims(claims: QuerySet[Claim], filters: dict) -> QuerySet[Claim]:
    if filters.get("status"):
        claims = claims.filter(status=filters["status"])
    if filters.get("payer"):
        claims = claims.filter(payer=filters["payer"])
    if filters.get("start"):
        claims = claims.filter(service_to__gte=filters["start"])
    if filters.get("end"):
        claims = claims.filter(service_from__lte=filters["end"])
    return claims


def claim_rows(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims.select_related("client", "payer", "batch", "rendering_clinician").order_by(
        "-service_from", "-id"
    )


def claim_status_counts(claims: QuerySet[Claim]) -> dict[str, int]:
    rows = claims.order_by().values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(Claim.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def claim_detail(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims.select_related(
        "client", "payer", "coverage", "batch", "authorization", "rendering_clinician", "replaces"
    ).prefetch_related(
        Prefetch(
            "lines", queryset=ClaimLine.objects.select_related("charge").order_by("line_number")
        )
    )


def claims_for_837(batch: ClaimBatch) -> list[Claim]:
    """A batch's claims with everything the 837P writes, in three queries."""
    return list(
        batch.claims.select_related(
            "client", "coverage", "payer", "authorization", "rendering_clinician", "replaces"
        )
        .prefetch_related(Prefetch("lines", queryset=ClaimLine.objects.order_by("line_number")))
        .order_by("id")
    )


def batch_rows() -> QuerySet[ClaimBatch]:
    """Batches, newest first. Counts only: no client is named."""
    return ClaimBatch.objects.select_related("created_by", "sent_by").order_by("-created_at", "-id")


def batch_claims(batch: ClaimBatch, user) -> list[Claim]:
    """The batch's claims whose clients `user` may see."""
    return list(
        claim_rows(claims_visible_to(user).filter(batch=batch)).annotate(line_count=Count("lines"))
    )


def open_statuses() -> Q:
    return Q(status__in=(ClaimBatch.Status.VALID, ClaimBatch.Status.INVALID))
