"""A payer and clearinghouse simulator for the demo and the browser tests:
it WRITES the files that come back for a batch of claims, as a payer would
(valid X12, checked with pyx12 in tests/billing/test_remit_simulator.py):

- payer_999(batch=...): the implementation acknowledgement of a batch,
  accepted or rejected with segment/element errors;
- payer_277ca(claims=..., rejected=...): the claim acknowledgement, each
  claim accepted (A1:19, then A2:20) or rejected with the STC codes given;
- payer_835(payer=..., claims=[claim_paid(...), ...]): a remittance paying
  or denying lines with the CAS codes given (line_paid, line_denied,
  reversal), with provider-level adjustments (PLB) if asked.

Element use follows the guides' maps in pyx12 (999.5010X231.A1.xml,
277.5010.X214.xml, 835.5010.X221.A1.xml)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from billing.x12.envelope import x12_characters

RECEIVER_ID = "OPENIOP"
CLEARINGHOUSE_ID = "CLEARHOUSE"
ZERO = Decimal("0.00")


def _amount(value) -> str:
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _segments_text(segments: list[list[str]]) -> str:
    return "".join("*".join(parts).rstrip("*") + "~\n" for parts in segments)


def _envelope(*, sender: str, fic: str, version: str, st: str, body, control: int, when) -> str:
    """ISA/GS/ST around `body` (segments without ST/SE); one transaction."""
    isa = [
        "ISA", "00", " " * 10, "00", " " * 10, "ZZ", f"{sender:<15}", "ZZ",
        f"{RECEIVER_ID:<15}", when.strftime("%y%m%d"), when.strftime("%H%M"), "^", "00501",
        f"{control:09d}", "0", "T", ":",
    ]  # fmt: skip
    transaction = [["ST", st, "0001", version] if fic != "HP" else ["ST", st, "0001"]]
    transaction += body
    transaction.append(["SE", str(len(transaction) + 1), "0001"])
    return (
        "*".join(isa)
        + "~\n"
        + _segments_text(
            [
                ["GS", fic, sender, RECEIVER_ID, when.strftime("%Y%m%d"), when.strftime("%H%M"),
                 str(control), "X", version],
                *transaction,
                ["GE", "1", str(control)],
                ["IEA", "1", f"{control:09d}"],
            ]
        )
    )  # fmt: skip


def _when(when):
    return timezone.localtime(when or timezone.now())


def payer_999(*, batch, accepted: bool = True, errors=(), control: int = 1, when=None) -> str:
    """The 999 for `batch` (its GS06 is batch.control_number). A rejection
    names errors as (segment id, position, IK304 code, element position,
    IK403 code, bad value) tuples; by default one missing element."""
    when = _when(when)
    body = [["AK1", "HC", str(batch.control_number), "005010X222A1"]]
    body.append(["AK2", "837", "0001", "005010X222A1"])
    if not accepted:
        for segment_id, position, segment_code, element, element_code, bad in errors or [
            ("NM1", "8", "8", "9", "1", "")
        ]:
            body.append(["IK3", segment_id, str(position), "", segment_code])
            body.append(["IK4", str(element), "", element_code, bad])
    code = "A" if accepted else "R"
    body.append(["IK5", code] + ([] if accepted else ["I5"]))
    body.append(["AK9", code, "1", "1", "1" if accepted else "0"])
    return _envelope(
        sender=CLEARINGHOUSE_ID, fic="FA", version="005010X231A1", st="999", body=body,
        control=control, when=when,
    )  # fmt: skip


def payer_277ca(*, claims, rejected=None, payer_claim_numbers=None, control=1, when=None) -> str:
    """The 277CA for `claims` (Claim rows with their client, payer and
    total). `rejected` maps a patient control number to its STC01
    (e.g. "A7:21"); the others are accepted A1:19 and A2:20 with a payer
    claim number (`payer_claim_numbers` or "PCN" + the control number)."""
    when = _when(when)
    rejected = rejected or {}
    payer_claim_numbers = payer_claim_numbers or {}
    day = when.strftime("%Y%m%d")
    payer = claims[0].payer
    total = sum((claim.total_amount for claim in claims), ZERO)
    body = [
        ["BHT", "0085", "08", f"ACK{control}", day, when.strftime("%H%M"), "TH"],
        ["HL", "1", "", "20", "1"],
        ["NM1", "PR", "2", payer.name[:60], "", "", "", "", "PI",
         payer.electronic_payer_id or "PAYER"],
        ["TRN", "1", f"RCV{control}"],
        ["DTP", "050", "D8", day],
        ["DTP", "009", "D8", day],
        ["HL", "2", "1", "21", "1"],
        ["NM1", "41", "2", settings.BILLING_PROVIDER_NAME[:60], "", "", "", "", "46", RECEIVER_ID],
        ["TRN", "2", f"BATCH{claims[0].batch.control_number}"],
        ["STC", "A1:19", day, "WQ", _amount(total)],
        ["QTY", "90", str(len(claims) - len(rejected))],
        ["QTY", "AA", str(len(rejected))] if rejected else None,
        ["AMT", "YU", _amount(total)],
        ["HL", "3", "2", "19", "1"],
        ["NM1", "85", "2", settings.BILLING_PROVIDER_NAME[:60], "", "", "", "", "XX",
         settings.BILLING_PROVIDER_NPI],
        ["TRN", "1", f"PRV{control}"],
        ["STC", "A1:19", "", "WQ", _amount(total)],
    ]  # fmt: skip
    body = [seg for seg in body if seg]
    for index, claim in enumerate(claims, start=4):
        client = claim.client
        member = claim.coverage.member_id if claim.coverage_id else "UNKNOWN"
        body.append(["HL", str(index), "3", "PT"])
        body.append(["NM1", "QC", "1", x12_characters(client.legal_last_name)[:60],
                     x12_characters(client.legal_first_name)[:35],
                     "", "", "", "MI", member])  # fmt: skip
        body.append(["TRN", "2", claim.patient_control_number])
        status = rejected.get(claim.patient_control_number)
        if status:
            body.append(["STC", status, day, "U", _amount(claim.total_amount)])
        else:
            body.append(["STC", "A1:19:PR", day, "WQ", _amount(claim.total_amount)])
            number = payer_claim_numbers.get(
                claim.patient_control_number, f"PCN{claim.patient_control_number}"
            )
            body.append(["REF", "1K", number])
        dates = [claim.service_from.strftime("%Y%m%d"), claim.service_to.strftime("%Y%m%d")]
        body.append(["DTP", "472", "RD8", "-".join(dates)])
    return _envelope(
        sender=CLEARINGHOUSE_ID, fic="HN", version="005010X214", st="277", body=body,
        control=control, when=when,
    )  # fmt: skip


@dataclass
class LineOutcome:
    """What the payer did with one service line."""

    code: str
    modifiers: list[str]
    service_date: datetime.date
    charged: Decimal
    units: int
    paid: Decimal
    adjustments: list[tuple[str, str, Decimal]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


@dataclass
class ClaimOutcome:
    patient_control_number: str
    status_code: str  # CLP02: 1 primary, 4 denied, 22 reversal
    last_name: str
    first_name: str
    member_id: str
    payer_claim_number: str
    lines: list[LineOutcome]

    @property
    def charged(self) -> Decimal:
        return sum((line.charged for line in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def patient_responsibility(self) -> Decimal:
        return sum(
            (amt for line in self.lines for g, _r, amt in line.adjustments if g == "PR"), ZERO
        )


def line_paid(line, *, paid, patient=(), contractual_reason="45", remarks=()) -> LineOutcome:
    """`line` (a ClaimLine) paid `paid`; `patient` lists (reason, amount)
    of patient responsibility (1 deductible, 2 coinsurance, 3 co-payment);
    what remains of the charge is a CO contractual adjustment (CARC 45)."""
    paid = Decimal(paid)
    adjustments = [("PR", reason, Decimal(amount)) for reason, amount in patient]
    rest = line.amount - paid - sum((a for _g, _r, a in adjustments), ZERO)
    if rest:
        adjustments.insert(0, ("CO", contractual_reason, rest))
    return LineOutcome(line.code, list(line.modifiers), line.service_date, line.amount,
                       line.units, paid, adjustments, list(remarks))  # fmt: skip


def line_denied(line, *, reason: str, group: str = "CO", remarks=()) -> LineOutcome:
    """`line` denied: nothing paid, the whole charge adjusted with `reason`."""
    return LineOutcome(line.code, list(line.modifiers), line.service_date, line.amount,
                       line.units, ZERO, [(group, reason, line.amount)], list(remarks))  # fmt: skip


def claim_paid(claim, outcomes, *, status_code=None, payer_claim_number="") -> ClaimOutcome:
    """A claim's outcome from its lines' outcomes (in line order); CLP02 is
    1 (processed as primary) unless every line was denied (4)."""
    if status_code is None:
        status_code = "4" if all(not o.paid for o in outcomes) else "1"
    client = claim.client
    return ClaimOutcome(
        patient_control_number=claim.patient_control_number,
        status_code=status_code,
        last_name=x12_characters(client.legal_last_name),
        first_name=x12_characters(client.legal_first_name),
        member_id=claim.coverage.member_id if claim.coverage_id else "UNKNOWN",
        payer_claim_number=payer_claim_number or f"PCN{claim.patient_control_number}",
        lines=list(outcomes),
    )


def reversal(outcome: ClaimOutcome) -> ClaimOutcome:
    """The reversal (CLP02 22) of a previous payment: every amount negated."""
    lines = [
        LineOutcome(line.code, line.modifiers, line.service_date, -line.charged, line.units,
                    -line.paid, [(g, r, -a) for g, r, a in line.adjustments], line.remarks)
        for line in outcome.lines
    ]  # fmt: skip
    return ClaimOutcome(**{**outcome.__dict__, "status_code": "22", "lines": lines})


def _claim_segments(outcome: ClaimOutcome) -> list[list[str]]:
    segs = [
        ["CLP", outcome.patient_control_number, outcome.status_code, _amount(outcome.charged),
         _amount(outcome.paid), _amount(outcome.patient_responsibility), "MC",
         outcome.payer_claim_number, "11", "1"],
        ["NM1", "QC", "1", outcome.last_name[:60], outcome.first_name[:35], "", "", "", "MI",
         outcome.member_id],
    ]  # fmt: skip
    for line in outcome.lines:
        procedure = ":".join(["HC", line.code, *line.modifiers])
        segs.append(["SVC", procedure, _amount(line.charged), _amount(line.paid), "",
                     str(line.units)])  # fmt: skip
        segs.append(["DTM", "472", line.service_date.strftime("%Y%m%d")])
        by_group: dict[str, list] = {}
        for group, reason, amount in line.adjustments:
            by_group.setdefault(group, []).append((reason, amount))
        for group, items in by_group.items():
            for start in range(0, len(items), 6):
                cas = ["CAS", group]
                for reason, amount in items[start : start + 6]:
                    cas += [reason, _amount(amount), ""]
                segs.append(cas)
        allowed = line.paid + sum((a for g, _r, a in line.adjustments if g == "PR"), ZERO)
        if line.paid:
            segs.append(["AMT", "B6", _amount(allowed)])
        segs += [["LQ", "HE", remark] for remark in line.remarks]
    return segs


def payer_835(*, payer, claims, trace: str, payee_tax_id=None, provider_adjustments=(),
              control=1, when=None) -> str:  # fmt: skip
    """The 835 of `payer` for the claim outcomes `claims` (claim_paid,
    reversal), paid by ACH under the trace number `trace`, to the program
    (its tax id, or `payee_tax_id`). `provider_adjustments` lists PLB
    (reason, reference, amount) entries, e.g. ("WO", "OVERPAY1", 25): a
    positive PLB amount is withheld from the payment."""
    when = _when(when)
    day = when.strftime("%Y%m%d")
    plb_total = sum((Decimal(a) for _r, _ref, a in provider_adjustments), ZERO)
    total = sum((claim.paid for claim in claims), ZERO) - plb_total
    tax_id = "".join(
        ch for ch in (payee_tax_id or settings.BILLING_PROVIDER_TAX_ID) if ch.isdigit()
    )
    if total > 0:
        bpr = ["BPR", "I", _amount(total), "C", "ACH", "CCP", "01", "999999992", "DA", "1234567",
               "1512345678", "", "01", "999988880", "DA", "98765", day]  # fmt: skip
    else:
        bpr = ["BPR", "H", _amount(max(total, ZERO)), "C", "NON", "", "", "", "", "", "", "", "",
               "", "", "", day]  # fmt: skip
    body = [
        bpr,
        ["TRN", "1", trace, "1512345678"],
        ["DTM", "405", day],
        ["N1", "PR", payer.name[:60]],
        ["N3", payer.address_line1 or "1 Payer Way"],
        ["N4", payer.city or "Springfield", payer.state or "IL", payer.postal_code or "62701"],
        ["REF", "2U", payer.electronic_payer_id or "PAYER"],
        ["PER", "BL", "Provider services", "TE", "8005550100"],
        ["N1", "PE", settings.BILLING_PROVIDER_NAME[:60], "XX", settings.BILLING_PROVIDER_NPI],
        ["REF", "TJ", tax_id],
    ]
    for number, claim in enumerate(claims, start=1):
        body.append(["LX", str(number)])
        body += _claim_segments(claim)
    if provider_adjustments:
        plb = ["PLB", settings.BILLING_PROVIDER_NPI, f"{when.year}1231"]
        for reason, reference, amount in provider_adjustments:
            plb += [f"{reason}:{reference}", _amount(amount)]
        body.append(plb)
    return _envelope(
        sender=payer.electronic_payer_id or "PAYER", fic="HP", version="005010X221A1", st="835",
        body=body, control=control, when=when,
    )  # fmt: skip
