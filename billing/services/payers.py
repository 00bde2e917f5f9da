"""Payers: kept by administrators, every change audited (the fields that
changed, never their values)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from billing.codes import PROCEDURE_CODES
from billing.models import Payer
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record

PAYER_FIELDS = (
    "name",
    "kind",
    "electronic_payer_id",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "claim_filing_indicator",
    "accepted_codes",
    "pays_per_diem",
    "per_diem_minutes",
    "per_diem_days_per_week",
    "group_code",
    "individual_code_basis",
    "requires_authorization",
    "credential_modifier",
    "claim_span",
    "timely_filing_days",
    "active",
)


def _default(field: str):
    return Payer._meta.get_field(field).default


def _validate(data: dict, *, payer: Payer | None) -> None:
    errors = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Name the payer.")
    elif Payer.objects.filter(name__iexact=name).exclude(pk=getattr(payer, "pk", None)).exists():
        errors["name"] = _("Another payer already has this name.")
    unknown = [code for code in data.get("accepted_codes") or [] if code not in PROCEDURE_CODES]
    if unknown:
        errors["accepted_codes"] = _("Unknown codes: %s.") % ", ".join(unknown)
    if data.get("pays_per_diem", True):
        # Left out: the model's default rule (DOMAIN.md section 13).
        minutes = data.get("per_diem_minutes", _default("per_diem_minutes"))
        days = data.get("per_diem_days_per_week", _default("per_diem_days_per_week"))
        if not minutes or minutes > 24 * 60:
            errors["per_diem_minutes"] = _("A per diem needs the minutes of a qualifying day.")
        if not days or days > 7:
            errors["per_diem_days_per_week"] = _("Between 1 and 7 qualifying days a week.")
    if errors:
        raise ValidationError(errors)


def payer_create(*, actor, data: dict, request=None) -> Payer:
    _validate(data, payer=None)
    with transaction.atomic():
        payer = Payer.objects.create(**{key: data[key] for key in PAYER_FIELDS if key in data})
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=payer,
            request=request,
            details={"fields": sorted(key for key in PAYER_FIELDS if key in data)},
        )
    return payer


def payer_update(*, actor, payer: Payer, data: dict, request=None) -> Payer:
    with transaction.atomic():
        payer = Payer.objects.select_for_update().get(pk=payer.pk)
        _validate(data, payer=payer)
        changed = sorted(
            key for key in PAYER_FIELDS if key in data and getattr(payer, key) != data[key]
        )
        if not changed:
            return payer
        for key in changed:
            setattr(payer, key, data[key])
        payer.save(update_fields=changed)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=payer,
            request=request,
            details={"fields": changed},
        )
    return payer
