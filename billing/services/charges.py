"""What billing staff do to a charge: hold it, release it to ready, void
it, mark charges exported. Each locks the charge, validates, changes and
writes its audit row in one transaction. Money is never edited: a void is
a new row (kind void) that points at the charge; only statuses move."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from billing.models import Authorization, Charge
from billing.selectors.authorizations import active_on, with_units_used
from billing.selectors.coverage import coverages_on
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record, audit_record_many

HOLDABLE = (Charge.Status.DRAFTED, Charge.Status.READY)
RELEASABLE = (Charge.Status.DRAFTED, Charge.Status.HELD)
# A paid or denied charge is the remittance's business (the next issue).
VOIDABLE = (
    Charge.Status.DRAFTED,
    Charge.Status.HELD,
    Charge.Status.READY,
    Charge.Status.EXPORTED,
)


def _locked(charge: Charge) -> Charge:
    return (
        Charge.objects.select_for_update(of=("self",))
        .select_related("payer", "coverage")
        .get(pk=charge.pk)
    )


def _live(charge: Charge) -> None:
    if charge.kind == Charge.Kind.VOID or charge.superseded:
        raise ValidationError(_("This charge was replaced by a later one; act on that one."))


def _audit(actor, charge, request, **details) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        client=charge.client,
        obj=charge,
        request=request,
        details={"charge": str(charge.public_id), **details},
    )


@transaction.atomic
def charge_hold(*, actor, charge: Charge, detail: str, request=None) -> Charge:
    """Hold a drafted or ready charge by hand, with the reason in words."""
    charge = _locked(charge)
    _live(charge)
    detail = (detail or "").strip()
    if not detail:
        raise ValidationError({"detail": _("Say why the charge is held.")})
    if charge.status not in HOLDABLE:
        raise ValidationError(
            _("A %(status)s charge cannot be held.") % {"status": charge.get_status_display()}
        )
    charge.status = Charge.Status.HELD
    charge.hold_reason = Charge.HoldReason.MANUAL
    charge.hold_detail = detail[:255]
    charge.save(update_fields=["status", "hold_reason", "hold_detail"])
    _audit(actor, charge, request, status=charge.status, hold_reason=charge.hold_reason)
    return charge


def _unsigned_services(charge: Charge) -> bool:
    return charge.evidence.filter(signed=False).exists()


def _authorization_for(charge: Charge) -> Authorization | None:
    """An active authorization of the charge's coverage that covers its code
    and still has the charge's units (counting the charge itself if it
    already draws on it)."""
    if charge.coverage_id is None:
        return None
    candidates = with_units_used(
        active_on(Authorization.objects.filter(coverage_id=charge.coverage_id), charge.service_date)
        .filter(service_codes__contains=[charge.code])
        .order_by("ends_on", "pk")
    )
    for authorization in candidates:
        used = authorization.units_used
        if authorization.pk == charge.authorization_id:
            used -= charge.units
        if used + charge.units <= authorization.units_authorized:
            return authorization
    return None


def _still_holds(charge: Charge) -> tuple[str, Authorization | None]:
    """Why the charge cannot be released, re-checked now ("" when it can),
    and the authorization it draws on. The checks are the facts a hold
    reason names: every service of the charge signed; coverage on the date
    of service; a rate (an amount); a diagnosis; a code the payer accepts;
    an active authorization with units left when the payer requires one.
    A late signature or a manual hold is billing's judgment: released."""
    if _unsigned_services(charge):
        return _("A service behind this charge is not signed yet."), None
    payer = charge.payer
    if payer is None or not coverages_on(charge.client, charge.service_date):
        return _("The client has no coverage on the date of service."), None
    if charge.amount is None:
        return _("There is no rate for the code on the date of service."), None
    if not charge.diagnosis_codes:
        return _("The charge has no diagnosis."), None
    if payer.accepted_codes and charge.code not in payer.accepted_codes:
        return _("The payer does not accept this code."), None
    authorization = None
    if payer.requires_authorization and not payer.bills_clients:
        authorization = _authorization_for(charge)
        if authorization is None:
            return _(
                "No active authorization covers this code and its units on the date of service."
            ), None
    return "", authorization


@transaction.atomic
def charge_release(*, actor, charge: Charge, request=None) -> Charge:
    """Release a held or drafted charge to ready, once no reason to hold it
    remains (see _still_holds)."""
    charge = _locked(charge)
    _live(charge)
    if charge.status not in RELEASABLE:
        raise ValidationError(
            _("A %(status)s charge cannot be released.") % {"status": charge.get_status_display()}
        )
    problem, authorization = _still_holds(charge)
    if problem:
        raise ValidationError(problem)
    previous = charge.hold_reason
    charge.status = Charge.Status.READY
    charge.hold_reason = ""
    charge.hold_detail = ""
    fields = ["status", "hold_reason", "hold_detail"]
    if authorization is not None and charge.authorization_id != authorization.pk:
        charge.authorization = authorization
        fields.append("authorization")
    charge.save(update_fields=fields)
    _audit(actor, charge, request, status=charge.status, released_from=previous)
    return charge


@transaction.atomic
def charge_void(*, actor, charge: Charge, reason: str, request=None) -> Charge:
    """Void a charge: a new row of kind void pointing at it, with the reason;
    the original is marked voided and superseded. Returns the void row."""
    charge = _locked(charge)
    _live(charge)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the charge is voided.")})
    if charge.status not in VOIDABLE:
        raise ValidationError(
            _("A %(status)s charge cannot be voided.") % {"status": charge.get_status_display()}
        )
    void = Charge.objects.create(
        client=charge.client,
        episode=charge.episode,
        coverage=charge.coverage,
        payer=charge.payer,
        authorization=charge.authorization,
        service_date=charge.service_date,
        code=charge.code,
        modifiers=charge.modifiers,
        units=charge.units,
        unit_rate=charge.unit_rate,
        amount=charge.amount,
        place_of_service=charge.place_of_service,
        diagnosis_codes=charge.diagnosis_codes,
        rendering_clinician=charge.rendering_clinician,
        supervising_clinician=charge.supervising_clinician,
        status=Charge.Status.VOIDED,
        kind=Charge.Kind.VOID,
        replaces=charge,
        reason=reason[:255],
        created_by=actor,
    )
    charge.status = Charge.Status.VOIDED
    charge.superseded = True
    charge.save(update_fields=["status", "superseded"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        client=charge.client,
        obj=void,
        request=request,
        details={"charge": str(charge.public_id), "void": str(void.public_id)},
    )
    return void


@transaction.atomic
def charges_mark_exported(*, actor, charges, request=None) -> int:
    """Mark the ready charges among `charges` (a queryset) exported: they
    went to the outside biller. Other statuses are left as they are.
    One audit event per client. Returns how many were marked."""
    ready = list(
        charges.filter(status=Charge.Status.READY, superseded=False)
        .exclude(kind=Charge.Kind.VOID)
        .select_for_update(of=("self",))
        .select_related("client")
        .order_by("pk")
    )
    if not ready:
        raise ValidationError(_("None of these charges is ready to export."))
    Charge.objects.filter(pk__in=[charge.pk for charge in ready]).update(
        status=Charge.Status.EXPORTED
    )
    clients = {charge.client_id: charge.client for charge in ready}
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        clients=clients.values(),
        request=request,
        details={"charges_exported": len(ready)},
    )
    return len(ready)
