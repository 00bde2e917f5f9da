"""A superbill: one client's billable services of a period, with what an
outside biller or the client's insurer needs to file them (provider,
client, coverage, diagnoses with their pointers, lines, totals). A fixed
number of queries, whatever the number of lines."""

import string
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from billing.models import Charge, Coverage
from billing.selectors.authorizations import live_charges
from billing.selectors.charges import BILLED as BILLED_GROUP
from billing.selectors.charges import STATUS_GROUPS
from iop.clients.models import Diagnosis

# On a superbill: services ready to bill or already billed. Drafted and held
# charges are still being worked; the page counts them instead.
BILLED = STATUS_GROUPS[BILLED_GROUP]
# CMS-1500 item 21 letters its diagnoses A-L; item 24E points at them.
POINTER_LETTERS = string.ascii_uppercase[:12]


@dataclass
class SuperbillLine:
    charge: Charge
    pointers: str


@dataclass
class Superbill:
    start: date
    end: date
    coverages: list[Coverage]
    diagnoses: list[tuple[str, str, str]]  # (letter, ICD-10-CM code, description)
    lines: list[SuperbillLine] = field(default_factory=list)
    total_units: int = 0
    total_amount: Decimal = Decimal("0.00")
    unpriced: int = 0
    pending: int = 0


def superbill_for(client, *, start: date, end: date) -> Superbill:
    """The live charges of `client` with a date of service in [start, end]
    that are ready or billed (voided and replaced charges left out), oldest
    first; `pending` counts the period's drafted and held ones."""
    period = list(
        live_charges()
        .filter(client=client, service_date__gte=start, service_date__lte=end)
        .select_related("payer", "rendering_clinician")
        .order_by("service_date", "code", "id")
    )
    charges = [charge for charge in period if charge.status in BILLED]
    coverages = list(
        Coverage.objects.filter(client=client, effective_from__lte=end)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
        .select_related("payer")
        .order_by("order", "effective_from")
    )
    known = list(
        Diagnosis.objects.filter(
            client=client, status=Diagnosis.Status.CONFIRMED, date_made__lte=end
        )
        .filter(Q(date_resolved__isnull=True) | Q(date_resolved__gte=start))
        .order_by("rank", "date_made", "pk")
        .values_list("icd10_code", "description")
    )
    descriptions = dict(reversed(known))
    codes = list(dict.fromkeys(code for code, _description in known))
    for charge in charges:
        codes.extend(code for code in charge.diagnosis_codes if code not in codes)
    codes = codes[: len(POINTER_LETTERS)]
    letters = dict(zip(codes, POINTER_LETTERS, strict=False))
    bill = Superbill(
        start=start,
        end=end,
        coverages=coverages,
        diagnoses=[(letters[code], code, descriptions.get(code, "")) for code in codes],
        pending=len(period) - len(charges),
    )
    for charge in charges:
        pointers = "".join(letters[code] for code in charge.diagnosis_codes[:4] if code in letters)
        bill.lines.append(SuperbillLine(charge=charge, pointers=pointers))
        bill.total_units += charge.units
        if charge.amount is None:
            bill.unpriced += 1
        else:
            bill.total_amount += charge.amount
    return bill
