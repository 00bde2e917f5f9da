"""The ASC X12 837 Professional (005010X222A1) file of a batch: a pure,
deterministic function of the batch's records, the billing provider and
the creation time passed in (no clock, no database), so it is tested byte
for byte (tests/billing/fixtures/837/).

Every segment and element below is written as the implementation guide's
map shipped with pyx12 describes it (pyx12/map/837.5010.X222.A1.xml, the
005010X222A1 guide's loops, usages and code lists); the loop and the map's
element ids are named beside each segment.
"""

import datetime
from dataclasses import dataclass

from billing.provider import Provider
from billing.x12.envelope import amount, date8, gs, isa, segment, time4, trailers
from billing.x12.records import ClaimRecord, Person

VERSION = "005010X222A1"
# SV1 holds at most 4 diagnosis pointers (SV107-1..4) and HI at most 12
# codes (HI01..HI12); loop 2400 repeats at most 50 times per claim.
MAX_POINTERS = 4
MAX_DIAGNOSES = 12
MAX_LINES = 50


@dataclass(frozen=True)
class Interchange:
    control_number: int
    sender_id: str
    receiver_id: str
    receiver_name: str
    contact_name: str
    contact_phone: str
    usage: str
    created: datetime.datetime


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _header(ix: Interchange, provider: Provider) -> list[str]:
    return [
        # ST01 837, ST02 control number, ST03 the guide's version.
        segment("ST", "837", "0001", VERSION),
        # BHT01 0019 (information source, subscriber, dependent); BHT02 00
        # (original); BHT03 our reference; BHT04/05 date and time; BHT06 CH
        # (chargeable).
        segment(
            "BHT",
            "0019",
            "00",
            f"{ix.control_number:09d}",
            date8(ix.created),
            time4(ix.created),
            "CH",
        ),
        # 1000A submitter: NM101 41, NM102 2 (non-person), NM108 46 (ETIN).
        segment("NM1", "41", "2", provider.name, "", "", "", "", "46", ix.sender_id),
        # PER01 IC (information contact), PER03 TE (telephone).
        segment("PER", "IC", ix.contact_name, "TE", _digits(ix.contact_phone)),
        # 1000B receiver: NM101 40, NM108 46.
        segment("NM1", "40", "2", ix.receiver_name, "", "", "", "", "46", ix.receiver_id),
        # 2000A billing provider: HL03 20, HL04 1 (has subordinates).
        segment("HL", "1", "", "20", "1"),
        # PRV01 BI (billing), PRV02 PXC (taxonomy code).
        segment("PRV", "BI", "PXC", provider.taxonomy),
        # 2010AA: NM101 85, NM102 2, NM108 XX (NPI); N4 ZIP of nine digits;
        # REF01 EI (employer's identification number), digits only.
        segment("NM1", "85", "2", provider.name, "", "", "", "", "XX", provider.npi),
        segment("N3", provider.street),
        segment("N4", provider.city, provider.state, provider.zip_code),
        segment("REF", "EI", _digits(provider.tax_id)),
    ]


def _person_loop(code: str, person: Person, id_qualifier: str = "", ident: str = "") -> list[str]:
    """NM1 (NM102 1, a person) with its N3/N4 and DMG when known."""
    out = [
        segment(
            "NM1", code, "1", person.last_name, person.first_name, "", "", "", id_qualifier, ident
        )
    ]
    if person.address_line1:
        out.append(segment("N3", person.address_line1, person.address_line2))
        out.append(segment("N4", person.city, person.state, _digits(person.postal_code)))
    if person.birth_date:
        # DMG01 D8 (date CCYYMMDD), DMG03 F/M/U.
        out.append(segment("DMG", "D8", date8(person.birth_date), person.sex))
    return out


def _claim(claim: ClaimRecord, hl: int) -> tuple[list[str], int]:
    """Loops 2000B-2400 of one claim; returns the segments and the next HL."""
    has_patient = claim.patient is not None
    subscriber_hl = hl
    # 2000B: HL03 22 (subscriber); HL04 1 when a patient loop follows.
    out = [segment("HL", str(subscriber_hl), "1", "22", "1" if has_patient else "0")]
    # SBR01 P/S/T; SBR02 18 only when the subscriber is the patient; SBR03
    # group number; SBR09 claim filing indicator.
    out.append(
        segment(
            "SBR",
            claim.responsibility,
            "" if has_patient else "18",
            claim.group_number,
            "",
            "",
            "",
            "",
            "",
            claim.filing_indicator,
        )
    )
    # 2010BA: NM101 IL, NM108 MI (member id); N3/N4/DMG required when the
    # subscriber is the patient.
    out += _person_loop("IL", claim.subscriber, "MI", claim.member_id)
    # 2010BB: NM101 PR, NM102 2, NM108 PI (payer identification).
    out.append(segment("NM1", "PR", "2", claim.payer_name, "", "", "", "", "PI", claim.payer_id))
    hl += 1
    if has_patient:
        # 2000C: HL03 23 (dependent), HL04 0; PAT01 the relationship.
        out.append(segment("HL", str(hl), str(subscriber_hl), "23", "0"))
        out.append(segment("PAT", claim.relationship))
        # 2010CA: NM101 QC (patient), with N3/N4 and DMG.
        out += _person_loop("QC", claim.patient)
        hl += 1
    out += _claim_information(claim)
    return out, hl


def _claim_information(claim: ClaimRecord) -> list[str]:
    # 2300 CLM: CLM05 place of service : B (place of service codes for
    # professional services) : frequency; CLM06 Y (provider signature on
    # file); CLM07 A (assigned); CLM08 Y (benefits assigned); CLM09 Y
    # (release of information).
    out = [
        segment(
            "CLM",
            claim.patient_control_number,
            amount(claim.total),
            "",
            "",
            (claim.place_of_service, "B", claim.frequency),
            "Y",
            "A",
            "Y",
            "Y",
        )
    ]
    if claim.frequency in ("7", "8"):
        # REF01 F8 (payer claim control number), required for 7 and 8.
        out.append(segment("REF", "F8", claim.payer_claim_number))
    if claim.authorization_number:
        # REF01 G1 (prior authorization).
        out.append(segment("REF", "G1", claim.authorization_number))
    # HI01-1 ABK (ICD-10-CM principal), HI02..HI12 ABF (other); the code is
    # written without its dot.
    codes = [code.replace(".", "") for code in claim.diagnosis_codes[:MAX_DIAGNOSES]]
    if codes:
        out.append(
            segment(
                "HI",
                ("ABK", codes[0]),
                *[("ABF", code) for code in codes[1:]],
            )
        )
    if claim.rendering is not None:
        # 2310B: NM101 82, NM102 1, NM108 XX. PRV (taxonomy) is situational
        # and left out: no rendering taxonomy is recorded.
        r = claim.rendering
        out.append(segment("NM1", "82", "1", r.last_name, r.first_name, "", "", "", "XX", r.npi))
    for line in claim.lines:
        # 2400: LX01 the line number; SV101 HC (HCPCS/CPT) : code :
        # modifiers; SV103 UN (units); SV107 the pointers into HI; DTP01
        # 472 (service date), DTP02 D8.
        out.append(segment("LX", str(line.number)))
        out.append(
            segment(
                "SV1",
                ("HC", line.code, *line.modifiers[:4]),
                amount(line.amount),
                "UN",
                str(line.units),
                "",
                "",
                tuple(str(p) for p in line.pointers[:MAX_POINTERS]),
            )
        )
        out.append(segment("DTP", "472", "D8", date8(line.service_date)))
    return out


def generate_837p(
    *, interchange: Interchange, provider: Provider, claims: list[ClaimRecord]
) -> str:
    """The whole interchange: ISA, GS, one ST..SE with every claim, GE, IEA."""
    body = _header(interchange, provider)
    hl = 2
    for claim in claims:
        segments, hl = _claim(claim, hl)
        body += segments
    ix = interchange
    return (
        isa(
            sender_id=ix.sender_id,
            receiver_id=ix.receiver_id,
            control_number=ix.control_number,
            usage=ix.usage,
            now=ix.created,
        )
        + gs(
            sender_id=ix.sender_id,
            receiver_id=ix.receiver_id,
            control_number=ix.control_number,
            now=ix.created,
            version=VERSION,
        )
        + "".join(body)
        + trailers(segments_in_st=len(body) + 1, control_number=ix.control_number)
    )
