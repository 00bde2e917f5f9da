"""Denied service lines: the next action a reason calls for, its due
date, and resolving a denial.

The next action suggested from the Claim Adjustment Reason Code follows
the codes' published meanings (X12 CARC list, billing/data/carc.csv) and
the usual denial-management practice described by CMS's Medicare Claims
Processing Manual (chapter 29, appeals) and the payers' provider manuals:
- no authorization (15 authorization number missing or invalid, 39
  denied when authorization was requested, 197 authorization absent, 198
  authorization exceeded; 62, retired, by the same meaning): obtain a
  retro authorization, then resubmit;
- 29 time limit for filing expired: appeal with proof of timely filing
  (the 999/277CA acceptance dates), else write off;
- 4, 11, 16, 140, 146, 181, 182 information missing or wrong: correct
  and resubmit a replacement claim;
- 22, 26, 27, 31, 32, 109, 177 coverage: verify coverage, bill the right payer;
- 49, 96, 204 non-covered: bill the client (or write off, as the
  program's financial policy says);
- 18 exact duplicate: the original was or will be paid; after checking
  it, write off the duplicate;
- anything else (50 medical necessity, 151 frequency...): appeal with
  documentation.

Due date: DENIAL_WORK_DAYS (a setting, 30 by default) from the day the
denial is posted, well inside the appeal windows payers give (Medicare's
redetermination: 120 days; most commercial payers: 60 to 180 days).

Resolving: the payer's CAS adjustment already took the denied amount off
the payer's balance when the 835 was posted, so a write-off posts no
second adjustment (it would count the amount twice): it closes the
denial with the person's words. Billing the client moves the amount to
the client's balance with a PATIENT_RESPONSIBILITY posting by that person."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Denial, Posting
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record

NextAction = Denial.NextAction

NEXT_ACTIONS = {
    **dict.fromkeys(("15", "39", "62", "197", "198"), NextAction.OBTAIN_AUTHORIZATION),
    "29": NextAction.APPEAL,
    **dict.fromkeys(("4", "11", "16", "140", "146", "181", "182"), NextAction.CORRECT_RESUBMIT),
    **dict.fromkeys(("22", "26", "27", "31", "32", "109", "177"), NextAction.VERIFY_COVERAGE),
    **dict.fromkeys(("49", "96", "204"), NextAction.BILL_CLIENT),
    "18": NextAction.WRITE_OFF,
}
# Adjustments that are the contract at work, not a denial: 45 (charge
# exceeds the fee schedule), 59 (multiple procedure rules), 94 (processed
# in excess of charges), 253 (sequestration). Patient responsibility (PR)
# is never a denial either.
NOT_DENIALS = frozenset({"45", "59", "94", "253"})


def next_action_for(reason_code: str) -> str:
    return NEXT_ACTIONS.get(reason_code, NextAction.APPEAL)


def is_denial(group: str, reason_code: str) -> bool:
    return group != "PR" and reason_code not in NOT_DENIALS


def denial_due_on(posted_on: datetime.date) -> datetime.date:
    return posted_on + datetime.timedelta(days=settings.DENIAL_WORK_DAYS)


@transaction.atomic
def denial_resolve(*, actor, denial: Denial, resolution: str, action_taken: str, request=None):
    """Close an open denial with what was done, in words."""
    denial = Denial.objects.select_for_update(of=("self",)).get(pk=denial.pk)
    resolution = (resolution or "").strip()
    if denial.status != Denial.Status.OPEN:
        raise ValidationError(_("This denial is resolved already."))
    if not resolution:
        raise ValidationError({"resolution": _("Say how the denial was resolved.")})
    if action_taken not in NextAction.values:
        raise ValidationError({"action_taken": _("Choose what was done.")})
    if action_taken == NextAction.BILL_CLIENT and denial.claim_line_id:
        line = denial.claim_line
        Posting.objects.create(
            charge_id=line.charge_id,
            claim_line=line,
            client_id=denial.client_id,
            payer_id=denial.payer_id,
            claim_payment_id=denial.claim_payment_id,
            kind=Posting.Kind.PATIENT_RESPONSIBILITY,
            amount=denial.amount,
            group_code=Posting.Group.PR,
            reason_code=denial.reason_code,
            posted_on=timezone.localdate(),
            note=resolution[:255],
            created_by=actor,
        )
    denial.status = Denial.Status.RESOLVED
    label = NextAction(action_taken).label
    denial.resolution = f"{label}: {resolution}"[:255]
    denial.resolved_by = actor
    denial.resolved_at = timezone.now()
    denial.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        client=denial.client,
        obj=denial,
        request=request,
        details={"denial": str(denial.public_id), "action_taken": action_taken},
    )
    return denial
