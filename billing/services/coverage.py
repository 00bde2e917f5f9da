"""A client's coverages and their verification (DOMAIN.md section 13).

Coverage is never deleted: it ends (its end date is set). Coverages of the
same order (two primaries) may not overlap in time. Card images are checked
(type by content, not by name; size) before anything is written and are
stored privately (billing.storage)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Coverage, CoverageVerification
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Client

CARD_MAX_BYTES = 5 * 1024 * 1024
# What a card may be, by its first bytes (the browser's content type is a
# claim, not a fact): JPEG, PNG, PDF.
CARD_SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}
CARD_CONTENT_TYPES = frozenset(CARD_SIGNATURES.values())

COVERAGE_FIELDS = (
    "payer",
    "plan_name",
    "member_id",
    "group_number",
    "subscriber_name",
    "subscriber_relationship",
    "subscriber_birth_date",
    "order",
    "effective_from",
    "effective_to",
)


def card_content_type(upload) -> str | None:
    """The card's type read from its first bytes, or None if not allowed."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return next((kind for magic, kind in CARD_SIGNATURES.items() if head.startswith(magic)), None)


def validate_card(upload, field: str) -> None:
    if upload is None:
        return
    if upload.size > CARD_MAX_BYTES:
        raise ValidationError({field: _("The card image is larger than 5 MB.")})
    declared = getattr(upload, "content_type", None)
    actual = card_content_type(upload)
    if actual is None or (declared and declared not in CARD_CONTENT_TYPES):
        raise ValidationError({field: _("The card must be a JPEG or PNG image or a PDF.")})
    if declared and declared != actual:
        raise ValidationError({field: _("The file's content does not match its type.")})


def _overlapping(client, order, start, end, *, exclude=None):
    same = Coverage.objects.filter(client=client, order=order).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=start)
    )
    if end is not None:
        same = same.filter(effective_from__lte=end)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    return same.select_related("payer").order_by("effective_from").first()


def _overlap_error(clash: Coverage) -> ValidationError:
    return ValidationError(
        {
            "effective_from": _(
                "These dates overlap the %(order)s coverage by %(payer)s from %(start)s."
            )
            % {
                "order": clash.get_order_display().lower(),
                "payer": clash.payer,
                "start": clash.effective_from.isoformat(),
            }
        }
    )


def coverage_add(
    *, actor, client: Client, data: dict, card_front=None, card_back=None, request=None
) -> Coverage:
    start, end = data.get("effective_from"), data.get("effective_to")
    if start is None:
        raise ValidationError({"effective_from": _("Enter the date the coverage starts.")})
    if end is not None and end < start:
        raise ValidationError({"effective_to": _("The coverage cannot end before it starts.")})
    payer = data.get("payer")
    if payer is None or not payer.active:
        raise ValidationError({"payer": _("Choose an active payer.")})
    validate_card(card_front, "card_front")
    validate_card(card_back, "card_back")
    values = {key: data[key] for key in COVERAGE_FIELDS if key in data}
    if values.get("subscriber_relationship") == Coverage.Relationship.SELF:
        # The client is the subscriber: their legal name (as on the card) and birth date.
        values["subscriber_name"] = values.get("subscriber_name") or client.legal_name
        values["subscriber_birth_date"] = (
            values.get("subscriber_birth_date") or client.date_of_birth
        )
    with transaction.atomic():
        # One writer per client at a time: the overlap check holds.
        Client.objects.select_for_update().filter(pk=client.pk).get()
        clash = _overlapping(client, values["order"], start, end)
        if clash is not None:
            raise _overlap_error(clash)
        coverage = Coverage(client=client, created_by=actor, **values)
        if card_front is not None:
            coverage.card_front.save(card_front.name, card_front, save=False)
        if card_back is not None:
            coverage.card_back.save(card_back.name, card_back, save=False)
        coverage.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=coverage,
            request=request,
            details={
                "fields": sorted(key for key, value in values.items() if value not in ("", None)),
                "cards": [name for name, f in (("front", card_front), ("back", card_back)) if f],
            },
        )
    return coverage


def coverage_end(*, actor, coverage: Coverage, ends_on, request=None) -> Coverage:
    """End a coverage on `ends_on` (its last covered day); never a delete."""
    with transaction.atomic():
        Client.objects.select_for_update().filter(pk=coverage.client_id).get()
        coverage = Coverage.objects.select_for_update().get(pk=coverage.pk)
        if ends_on is None:
            raise ValidationError({"ends_on": _("Enter the coverage's last day.")})
        if ends_on < coverage.effective_from:
            raise ValidationError({"ends_on": _("The coverage cannot end before it starts.")})
        if coverage.effective_to is not None and ends_on > coverage.effective_to:
            clash = _overlapping(
                coverage.client_id,
                coverage.order,
                coverage.effective_to + timedelta(days=1),
                ends_on,
                exclude=coverage,
            )
            if clash is not None:
                raise _overlap_error(clash)
        previous = coverage.effective_to
        coverage.effective_to = ends_on
        coverage.save(update_fields=["effective_to"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=coverage.client,
            obj=coverage,
            request=request,
            details={"fields": ["effective_to"], "had_end": previous is not None},
        )
    return coverage


def verification_record(
    *, actor, coverage: Coverage, verified_on, method, result, notes="", request=None
) -> CoverageVerification:
    if verified_on is None:
        raise ValidationError({"verified_on": _("Enter the date it was verified.")})
    if verified_on > timezone.localdate():
        raise ValidationError({"verified_on": _("A verification cannot be in the future.")})
    with transaction.atomic():
        verification = CoverageVerification.objects.create(
            coverage=coverage,
            verified_on=verified_on,
            verified_by=actor,
            method=method,
            result=result,
            notes=notes,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=coverage.client,
            obj=verification,
            request=request,
            details={"result": result, "method": method},
        )
    return verification
