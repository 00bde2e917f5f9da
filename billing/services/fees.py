"""The fee schedule: a rate per code and modifiers, per payer (None: the
program's own rate, for self-pay and grant clients), with effective dates.

Rates are never edited. A new rate for a combination that has an open-ended
rate ends that rate the day before the new one starts; a rate whose dates
overlap another rate of the same combination is refused, nothing written."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from billing.codes import PROCEDURE_CODES, Modifier
from billing.models import FeeRate, Payer
from billing.selectors.fees import normalized_modifiers
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record


def _validate(*, payer, code, modifiers, amount, effective_from, effective_to) -> None:
    errors = {}
    if code not in PROCEDURE_CODES:
        errors["code"] = _("Choose a code of the fee schedule.")
    unknown = [value for value in modifiers if value not in Modifier.values]
    if unknown:
        errors["modifiers"] = _("Unknown modifiers: %s.") % ", ".join(unknown)
    if len(modifiers) > 4:
        errors["modifiers"] = _("A service line carries at most four modifiers.")
    if amount is None:
        errors["amount"] = _("Enter the rate.")
    elif Decimal(amount) < 0:
        errors["amount"] = _("A rate cannot be negative.")
    if effective_from is None:
        errors["effective_from"] = _("A rate needs the date it takes effect.")
    elif effective_to is not None and effective_to < effective_from:
        errors["effective_to"] = _("The rate cannot end before it starts.")
    if payer is not None and not payer.active:
        errors["payer"] = _("This payer is inactive.")
    if errors:
        raise ValidationError(errors)


def _lock_combination(payer, code, modifiers) -> None:
    # Two rates for one combination added at once must not both pass the
    # overlap check: one transaction-scoped lock per combination.
    key = f"billing.feerate:{payer.pk if payer else 0}:{code}:{'-'.join(modifiers)}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def fee_rate_add(
    *,
    actor,
    payer: Payer | None,
    code: str,
    modifiers,
    amount,
    effective_from,
    effective_to=None,
    request=None,
) -> FeeRate:
    modifiers = normalized_modifiers(modifiers)
    _validate(
        payer=payer,
        code=code,
        modifiers=modifiers,
        amount=amount,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    with transaction.atomic():
        _lock_combination(payer, code, modifiers)
        same = FeeRate.objects.filter(payer=payer, code=code, modifiers=modifiers)
        ended = None
        open_ended = same.filter(effective_to__isnull=True).first()
        if open_ended is not None and open_ended.effective_from < effective_from:
            open_ended.effective_to = effective_from - timedelta(days=1)
            open_ended.save(update_fields=["effective_to"])
            ended = open_ended
        overlap = same.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from))
        if effective_to is not None:
            overlap = overlap.filter(effective_from__lte=effective_to)
        clash = overlap.order_by("effective_from").first()
        if clash is not None:
            # Raised inside the transaction: the rate ended above is restored.
            raise ValidationError(
                {
                    "effective_from": _(
                        "These dates overlap the rate of %(amount)s from %(start)s%(end)s."
                    )
                    % {
                        "amount": clash.amount,
                        "start": clash.effective_from.isoformat(),
                        "end": f" to {clash.effective_to.isoformat()}"
                        if clash.effective_to
                        else "",
                    }
                }
            )
        rate = FeeRate.objects.create(
            payer=payer,
            code=code,
            modifiers=modifiers,
            amount=amount,
            effective_from=effective_from,
            effective_to=effective_to,
            created_by=actor,
        )
        details = {"payer": payer.pk if payer else None, "code": code, "modifiers": modifiers}
        if ended is not None:
            details["ended_rate"] = ended.pk
        audit_record(
            actor=actor, action=AuditEvent.Action.CREATE, obj=rate, request=request, details=details
        )
    return rate
