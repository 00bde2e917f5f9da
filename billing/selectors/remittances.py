"""Reads of the files received, remittances, held payments and denials,
within the access policy: a page names only clients the viewer may see
(a claim payment of a client outside it shows no name), and each list's
rows are read in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from billing.models import (
    AdjustmentReason,
    Claim,
    ClaimPayment,
    ClaimStatusEvent,
    Denial,
    InboundFile,
    Posting,
    Remittance,
)
from billing.x12.inbound.reader import X12File, X12Refused, x12_kind
from billing.x12.inbound.remit835 import remit835_parse
from iop.audit.policy import clients_visible_to


def inbound_files() -> QuerySet[InboundFile]:
    return InboundFile.objects.select_related("received_by").defer("content")


def inbound_file_events(inbound: InboundFile) -> list[ClaimStatusEvent]:
    return list(inbound.status_events.select_related("batch", "claim__client").order_by("id"))


def inbound_file_remittances(inbound: InboundFile) -> list[Remittance]:
    return list(
        inbound.remittances.select_related("payer").annotate(
            posted=Count("claim_payments", filter=Q(claim_payments__status="posted")),
            held=Count("claim_payments", filter=Q(claim_payments__status="unmatched")),
        )
    )


def remittance_payments(remittance: Remittance) -> list[ClaimPayment]:
    """The claim payments with their claim, client, postings and denials."""
    return list(
        remittance.claim_payments.select_related("claim__client").prefetch_related(
            Prefetch(
                "postings",
                queryset=Posting.objects.select_related("claim_line").order_by(
                    "claim_line__line_number", "id"
                ),
            ),
            "denials",
        )
    )


def reason_descriptions(codes: set[str], remarks: set[str]) -> dict[str, str]:
    """Descriptions of CARCs (by code) and RARCs (by code), one query."""
    rows = AdjustmentReason.objects.filter(
        Q(kind=AdjustmentReason.Kind.CARC, code__in=codes)
        | Q(kind=AdjustmentReason.Kind.RARC, code__in=remarks)
    )
    return {row.code: row.description for row in rows}


def provider_adjustments(remittance: Remittance) -> list:
    """The PLB entries of this remittance, read again from the file as
    received (they are recorded there, not posted)."""
    try:
        kind, segments = x12_kind(remittance.inbound_file.content)
    except X12Refused:
        return []
    for remit in remit835_parse(X12File(kind=kind, segments=segments, group_control_number="")):
        if remit.trace_number == remittance.trace_number:
            return remit.provider_adjustments
    return []


def unmatched_payments() -> QuerySet[ClaimPayment]:
    return (
        ClaimPayment.objects.filter(status=ClaimPayment.Status.UNMATCHED)
        .select_related("remittance__payer", "remittance__inbound_file")
        .defer("remittance__inbound_file__content")
        .order_by("remittance__payment_date", "id")
    )


def claims_for_match(user, payment: ClaimPayment, query: str) -> QuerySet[Claim]:
    """Live claims of the payment's payer (a payment of an unknown payer
    matches none), of clients `user` may see, found by patient control
    number or client record number."""
    if payment.remittance.payer_id is None:
        return Claim.objects.none()
    claims = Claim.objects.live().filter(
        client__in=clients_visible_to(user), payer_id=payment.remittance.payer_id
    )
    query = query.strip()
    if query:
        claims = claims.filter(
            Q(patient_control_number__iexact=query) | Q(client__mrn__iexact=query)
        )
    return claims.select_related("client").order_by("-service_from", "id")


def denials_visible_to(user) -> QuerySet[Denial]:
    return Denial.objects.filter(client__in=clients_visible_to(user))


def open_denials(denials: QuerySet[Denial], filters: dict) -> QuerySet[Denial]:
    denials = denials.filter(status=Denial.Status.OPEN)
    if filters.get("payer"):
        denials = denials.filter(payer=filters["payer"])
    if filters.get("reason"):
        denials = denials.filter(reason_code=filters["reason"].strip())
    return denials.select_related("client", "payer", "claim", "claim_line").order_by("due_on", "id")


def is_overdue(denial: Denial) -> bool:
    return denial.due_on < timezone.localdate()
