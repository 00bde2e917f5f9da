"""Consents to disclose (42 CFR 2.31): record one with every required
element, revoke it (at once), record that its expiry event happened, and
release the information it covers as a printable document."""

import base64
import binascii
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from family.consents import Recipient, disclosure_record
from family.models import Consent, Disclosure, DisclosureCategory, FamilyLink
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Client
from iop.reminders.services import reminders_cancel_for

TEXT_ELEMENTS = {
    "discloser": gettext_lazy("Say who may disclose (the program or its staff)."),
    "description": gettext_lazy("Describe specifically what may be disclosed."),
    "purpose": gettext_lazy("State the purpose of the disclosure."),
    "revocation_instructions": gettext_lazy("State the right to revoke and how to revoke."),
    "signature_name": gettext_lazy("Type the signer's name."),
}
# A drawn signature is a small PNG from the signature pad.
PNG_DATA_URL = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_DRAWING_CHARS = 300_000


def _drawing_is_png(value: str) -> bool:
    if not value.startswith(PNG_DATA_URL) or len(value) > MAX_DRAWING_CHARS:
        return False
    try:
        raw = base64.b64decode(value[len(PNG_DATA_URL) :], validate=True)
    except (binascii.Error, ValueError):
        return False
    return raw.startswith(PNG_MAGIC)


def _first_known_day(client: Client) -> date:
    """The client's earliest referral (any episode), or the day the record
    was registered when no episode exists yet: the program knew nothing of
    the client, so held no consent of theirs, before it."""
    referral = client.episodes.aggregate(first=Min("referral_date"))["first"]
    return referral or timezone.localdate(client.created_at)


def _signature_date_error(client: Client, signed_on: date | None) -> str:
    """Why a signature date cannot be the consent's, or "". Back-dating it
    before the program knew the client would make earlier disclosures look
    covered; a date after today is not a signature yet (program time zone)."""
    if signed_on is None:
        return _("Give the date the consent was signed.")
    if signed_on > timezone.localdate():
        return _("The signature date cannot be in the future.")
    first = _first_known_day(client)
    if signed_on < first:
        return _("The signature date cannot be before the client's first referral (%(day)s).") % {
            "day": formats.date_format(first, "Y-m-d")
        }
    return ""


def _text(data: dict, name: str) -> str:
    return (data.get(name) or "").strip()


def _recipient_errors(client: Client, data: dict) -> dict[str, str]:
    """Who receives the information (2.31(a)(4)): a family member of this
    client, with a name, or another recipient named."""
    kind = data.get("recipient_kind") or ""
    member = data.get("recipient_member")
    if kind not in Consent.RecipientKind.values:
        return {"recipient_kind": _("Choose who receives the information.")}
    if kind != Consent.RecipientKind.FAMILY:
        if not _text(data, "recipient_name"):
            return {"recipient_name": _("Give the recipient's name.")}
        return {}
    if member is not None and not member.name.strip():
        return {"recipient_member": _("The recipient must have a name.")}
    if member is None or not FamilyLink.objects.filter(client=client, member=member).exists():
        return {"recipient_member": _("Choose a family member of this client.")}
    return {}


def _categories(data: dict) -> list[str]:
    return list(dict.fromkeys(data.get("categories") or []))


def _validity_errors(data: dict) -> dict[str, str]:
    """What the consent covers and until when: known categories, at least
    one, and an expiry date (not before the signature) or an expiry event."""
    errors = {}
    categories = _categories(data)
    if outside := [c for c in categories if c not in DisclosureCategory.values]:
        errors["categories"] = _("Not a category of information that can be disclosed: %s.") % (
            ", ".join(outside)
        )
    elif not categories:
        errors["categories"] = _("Choose at least one category of information.")
    if (data.get("scope") or Consent.Scope.SPECIFIC) not in Consent.Scope.values:
        errors["scope"] = _("Choose which uses the consent covers.")
    expires_on, signed_on = data.get("expires_on"), data.get("signed_on")
    if expires_on is None and not _text(data, "expiry_event"):
        errors["expires_on"] = _("Give an expiry date or an expiry event.")
    elif expires_on is not None and signed_on is not None and expires_on < signed_on:
        errors["expires_on"] = _("The consent cannot expire before the date it was signed.")
    return errors


def _signature_errors(client: Client, data: dict) -> dict[str, str]:
    """The signature date, and the signature itself: drawn (a PNG from the
    pad) or a typed name the client confirmed adopting."""
    errors = {}
    if date_error := _signature_date_error(client, data.get("signed_on")):
        errors["signed_on"] = date_error
    method = data.get("signature_method") or ""
    if method == Consent.SignatureMethod.DRAWN:
        if not _drawing_is_png(_text(data, "signature_drawing")):
            errors["signature_drawing"] = _("Have the client draw their signature.")
    elif method == Consent.SignatureMethod.CONFIRMED:
        if not data.get("signature_confirmed"):
            errors["signature_confirmed"] = _(
                "Confirm the client adopted the typed name as signature."
            )
    else:
        errors["signature_method"] = _("Choose how the client signed.")
    return errors


def _validated(client: Client, data: dict) -> dict:
    """Every element of 2.31(a), or a ValidationError naming each one missing."""
    values = {name: _text(data, name) for name in TEXT_ELEMENTS}
    errors = {name: message for name, message in TEXT_ELEMENTS.items() if not values[name]}
    errors |= _validity_errors(data)
    errors |= _recipient_errors(client, data)
    errors |= _signature_errors(client, data)
    if errors:
        raise ValidationError(errors)
    kind, method = data["recipient_kind"], data["signature_method"]
    member = data.get("recipient_member") if kind == Consent.RecipientKind.FAMILY else None
    drawing = _text(data, "signature_drawing")
    return {
        **values,
        "categories": _categories(data),
        "scope": data.get("scope") or Consent.Scope.SPECIFIC,
        "recipient_kind": kind,
        "recipient_member": member,
        "recipient_name": member.name if member else _text(data, "recipient_name"),
        "recipient_organization": _text(data, "recipient_organization"),
        "recipient_contact": _text(data, "recipient_contact"),
        "expires_on": data.get("expires_on"),
        "expiry_event": _text(data, "expiry_event"),
        "signed_on": data.get("signed_on"),
        "signature_method": method,
        "signature_drawing": drawing if method == Consent.SignatureMethod.DRAWN else "",
        "signature_confirmed": method == Consent.SignatureMethod.CONFIRMED,
    }


def consent_record(*, actor, client: Client, data: dict, request=None) -> Consent:
    """Record a signed consent; a consent missing an element is refused."""
    values = _validated(client, data)
    with transaction.atomic():
        consent = Consent.objects.create(client=client, recorded_by=actor, **values)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=consent,
            request=request,
            details={"categories": consent.categories, "recipient_kind": consent.recipient_kind},
        )
    return consent


def consent_revoke(*, actor, consent: Consent, note: str, request=None) -> Consent:
    """Revoke now: from this instant no disclosure is allowed under it, and
    reminders queued for a family recipient are cancelled."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say how the client revoked the consent.")})
    now = timezone.now()
    with transaction.atomic():
        revoked = Consent.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor, revocation_note=note[:300]
        )
        if not revoked:
            raise ValidationError(_("This consent is already revoked."))
        if consent.recipient_member_id:
            reminders_cancel_for(family_member=consent.recipient_member, reason="consent_revoked")
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=consent.client,
            obj=consent,
            request=request,
            details={"revoked": True},
        )
    consent.revoked_at, consent.revoked_by, consent.revocation_note = now, actor, note[:300]
    return consent


def consent_event_occurred(*, actor, consent: Consent, request=None) -> Consent:
    """The expiry event named on the consent happened: it ends now."""
    if not consent.expiry_event:
        raise ValidationError(_("This consent has no expiry event."))
    now = timezone.now()
    with transaction.atomic():
        ended = Consent.objects.filter(
            pk=consent.pk, event_occurred_at__isnull=True, revoked_at__isnull=True
        ).update(event_occurred_at=now)
        if not ended:
            raise ValidationError(_("This consent has already ended."))
        if consent.recipient_member_id:
            reminders_cancel_for(family_member=consent.recipient_member, reason="consent_ended")
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=consent.client,
            obj=consent,
            request=request,
            details={"expiry_event_occurred": True},
        )
    consent.event_occurred_at = now
    return consent


def release_of_information_export(*, actor, consent: Consent, request=None) -> Disclosure:
    """Release what `consent` covers as a document: decided under that
    consent only, written to the ledger and to the audit trail as an export.
    Refused with the reason when the consent is not in effect."""
    with transaction.atomic():
        disclosure = disclosure_record(
            client=consent.client,
            recipient=Recipient.of(consent),
            categories=consent.categories,
            description=_("Release of information: %s") % ", ".join(consent.category_labels),
            path=Disclosure.Path.EXPORT,
            actor=actor,
            consent=consent,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.EXPORT,
            client=consent.client,
            obj=consent,
            request=request,
            details={"document": "release_of_information", "categories": consent.categories},
        )
    return disclosure
