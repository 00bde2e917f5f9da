"""The 835 health care claim payment/advice (005010X221A1), read into plain
data: the payment (BPR, TRN), payer (N1*PR) and payee (N1*PE), each claim
payment (loop 2100, CLP) with its service lines (loop 2110, SVC) and their
adjustments (CAS: group, reason, amount, up to six a segment) and remarks
(LQ*HE), and the provider-level adjustments (PLB).

Element use follows the guide as pyx12's map 835.5010.X221.A1.xml carries
it: BPR02 total paid, BPR04 method (ACH, CHK, NON...), BPR16 date; TRN02
the check or EFT trace; REF*2U the payer's id, N1*PR N104 with N103 XV or
PI; N1*PE N104 with N103 FI (tax id) or XX (NPI) and REF*TJ the payee's
tax id; CLP01 our patient control number, CLP02 the claim status (22 a
reversal of a previous payment), CLP03 charged, CLP04 paid, CLP05 patient
responsibility, CLP07 the payer's claim control number; SVC01 the
procedure (HC:code:modifiers), SVC02 charged, SVC03 paid, SVC05 units;
DTM*472 the date of service; REF*6R a line item control number."""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from billing.x12.inbound.reader import X12File, value

CAS_TRIPLETS = range(6)


def money(text: str) -> Decimal:
    try:
        return Decimal(text or "0").quantize(Decimal("0.01"))
    except InvalidOperation:
        return Decimal("0.00")


def x12_date(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text, "%Y%m%d").date()  # noqa: DTZ007 - a date
    except ValueError:
        return None


@dataclass
class Adjustment:
    group: str
    reason: str
    amount: str  # a decimal as text, so the line can be kept as JSON


@dataclass
class ServiceLine:
    code: str
    modifiers: list[str]
    charged: str
    paid: str
    units: str
    service_date: str  # ISO date, "" when absent
    control_number: str
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


@dataclass
class ClaimPaid:
    patient_control_number: str
    status_code: str
    charged: str
    paid: str
    patient_responsibility: str
    payer_claim_number: str
    patient_name: str = ""
    adjustments: list[Adjustment] = field(default_factory=list)  # claim level
    remarks: list[str] = field(default_factory=list)  # MOA/MIA remark codes
    lines: list[ServiceLine] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class ProviderAdjustment:
    provider: str
    fiscal_period_end: str
    reason: str  # PLB03-1 and on: Provider Adjustment Reason Code
    reference: str
    amount: str


@dataclass
class Remit835:
    payment_amount: Decimal = Decimal("0.00")
    credit_debit: str = ""
    payment_method: str = ""
    payment_date: datetime.date | None = None
    trace_number: str = ""
    payer_name: str = ""
    payer_identifier: str = ""
    payee_name: str = ""
    payee_tax_id: str = ""
    payee_npi: str = ""
    claims: list[ClaimPaid] = field(default_factory=list)
    provider_adjustments: list[ProviderAdjustment] = field(default_factory=list)


def _adjustments(seg) -> list[Adjustment]:
    group = value(seg, "CAS01")
    found = []
    for index in CAS_TRIPLETS:
        reason = value(seg, f"CAS{2 + 3 * index:02d}")
        if reason:
            amount = value(seg, f"CAS{3 + 3 * index:02d}")
            found.append(Adjustment(group=group, reason=reason, amount=str(money(amount))))
    return found


def _service_line(seg) -> ServiceLine:
    return ServiceLine(
        code=value(seg, "SVC01-2"),
        modifiers=[value(seg, f"SVC01-{i}") for i in range(3, 7) if value(seg, f"SVC01-{i}")],
        charged=str(money(value(seg, "SVC02"))),
        paid=str(money(value(seg, "SVC03"))),
        units=value(seg, "SVC05") or "1",
        service_date="",
        control_number="",
    )


def _plb(seg) -> list[ProviderAdjustment]:
    found = []
    for index in CAS_TRIPLETS:
        ref = f"PLB{3 + 2 * index:02d}"
        if value(seg, f"{ref}-1"):
            found.append(
                ProviderAdjustment(
                    provider=value(seg, "PLB01"),
                    fiscal_period_end=value(seg, "PLB02"),
                    reason=value(seg, f"{ref}-1"),
                    reference=value(seg, f"{ref}-2"),
                    amount=str(money(value(seg, f"PLB{4 + 2 * index:02d}"))),
                )
            )
    return found


def _header(remit: Remit835, seg, party: str) -> None:
    seg_id = seg.get_seg_id()
    if seg_id == "BPR":
        remit.payment_amount = money(value(seg, "BPR02"))
        remit.credit_debit = value(seg, "BPR03")
        remit.payment_method = value(seg, "BPR04")
        remit.payment_date = x12_date(value(seg, "BPR16"))
    elif seg_id == "TRN":
        remit.trace_number = value(seg, "TRN02")
    elif seg_id == "N1" and party == "PR":
        remit.payer_name = value(seg, "N102")
        if value(seg, "N103") in ("XV", "PI") and not remit.payer_identifier:
            remit.payer_identifier = value(seg, "N104")
    elif seg_id == "N1" and party == "PE":
        remit.payee_name = value(seg, "N102")
        if value(seg, "N103") == "FI":
            remit.payee_tax_id = value(seg, "N104")
        elif value(seg, "N103") == "XX":
            remit.payee_npi = value(seg, "N104")
    elif seg_id == "REF" and party == "PR" and value(seg, "REF01") == "2U":
        remit.payer_identifier = value(seg, "REF02")
    elif seg_id == "REF" and party == "PE" and value(seg, "REF01") == "TJ":
        remit.payee_tax_id = value(seg, "REF02")


def remit835_parse(x12: X12File) -> list[Remit835]:
    """One Remit835 per transaction set (ST..SE) of the file."""
    remits: list[Remit835] = []
    remit = Remit835()
    party = ""
    claim: ClaimPaid | None = None
    line: ServiceLine | None = None
    for seg in x12.segments:
        seg_id = seg.get_seg_id()
        if seg_id == "ST":
            remit, party, claim, line = Remit835(), "", None, None
            remits.append(remit)
            continue
        if seg_id in ("SE", "GE", "IEA", "GS", "ISA"):
            continue
        if seg_id == "N1" and claim is None:
            party = value(seg, "N101")
        if seg_id == "CLP":
            claim = ClaimPaid(
                patient_control_number=value(seg, "CLP01"),
                status_code=value(seg, "CLP02"),
                charged=str(money(value(seg, "CLP03"))),
                paid=str(money(value(seg, "CLP04"))),
                patient_responsibility=str(money(value(seg, "CLP05"))),
                payer_claim_number=value(seg, "CLP07"),
            )
            remit.claims.append(claim)
            line = None
        elif seg_id == "PLB":
            remit.provider_adjustments += _plb(seg)
            claim = line = None
        elif claim is None:
            _header(remit, seg, party)
        elif seg_id == "NM1" and value(seg, "NM101") == "QC":
            claim.patient_name = f"{value(seg, 'NM103')}, {value(seg, 'NM104')}".strip(", ")
        elif seg_id == "SVC":
            line = _service_line(seg)
            claim.lines.append(line)
        elif seg_id == "CAS":
            (line or claim).adjustments += _adjustments(seg)
        elif seg_id == "DTM" and line is not None and value(seg, "DTM01") == "472":
            day = x12_date(value(seg, "DTM02"))
            line.service_date = day.isoformat() if day else ""
        elif seg_id == "REF" and line is not None and value(seg, "REF01") == "6R":
            line.control_number = value(seg, "REF02")
        elif seg_id == "LQ" and line is not None and value(seg, "LQ01") == "HE":
            line.remarks.append(value(seg, "LQ02"))
        elif seg_id in ("MOA", "MIA"):
            ref = "MOA03" if seg_id == "MOA" else "MIA05"
            claim.remarks += [value(seg, ref)] if value(seg, ref) else []
    return remits
