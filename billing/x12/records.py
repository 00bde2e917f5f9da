"""The facts an 837P is written from, as plain frozen records, so that
billing/x12/claim837.py is a pure function of them. `claim_records` reads
them off claim rows whose relations are already loaded (see
billing.selectors.claims.claims_for_837): no query of its own."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from billing.models import Claim, Coverage

# DMG03, Gender Code (data element 1068) as 005010X222A1 allows it: F, M, U
# (pyx12 map 837.5010.X222.A1.xml, 2010BA and 2010CA DMG03).
SEX_CODES = {"female": "F", "male": "M"}
# SBR01, Payer Responsibility Sequence Number Code (data element 1138):
# P primary, S secondary, T tertiary (same map, 2000B SBR01).
RESPONSIBILITY = {1: "P", 2: "S", 3: "T"}


@dataclass(frozen=True)
class Person:
    last_name: str
    first_name: str
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    birth_date: datetime.date | None = None
    sex: str = "U"


@dataclass(frozen=True)
class Rendering:
    last_name: str
    first_name: str
    npi: str


@dataclass(frozen=True)
class LineRecord:
    number: int
    service_date: datetime.date
    code: str
    modifiers: tuple[str, ...]
    amount: Decimal
    units: int
    pointers: tuple[int, ...]


@dataclass(frozen=True)
class ClaimRecord:
    patient_control_number: str
    frequency: str
    place_of_service: str
    total: Decimal
    diagnosis_codes: tuple[str, ...]
    payer_claim_number: str
    authorization_number: str
    responsibility: str
    relationship: str
    group_number: str
    filing_indicator: str
    member_id: str
    subscriber: Person
    # The client when not the subscriber (loop 2000C); None when self.
    patient: Person | None
    payer_name: str
    payer_id: str
    rendering: Rendering | None
    lines: tuple[LineRecord, ...]


def split_name(full: str) -> tuple[str, str]:
    """A subscriber's name as recorded ("Last, First" or "First Last")."""
    full = (full or "").strip()
    if "," in full:
        last, first = full.split(",", 1)
        return last.strip(), first.strip()
    parts = full.rsplit(" ", 1)
    if len(parts) == 2:
        return parts[1], parts[0]
    return full, ""


def client_person(client) -> Person:
    return Person(
        last_name=client.legal_last_name,
        first_name=client.legal_first_name,
        address_line1=client.address_line1,
        address_line2=client.address_line2,
        city=client.city,
        state=client.state,
        postal_code=client.postal_code,
        birth_date=client.date_of_birth,
        sex=SEX_CODES.get(client.sex, "U"),
    )


def claim_record(claim: Claim) -> ClaimRecord:
    coverage = claim.coverage
    client = client_person(claim.client)
    is_self = coverage.subscriber_relationship == Coverage.Relationship.SELF
    if is_self:
        subscriber, patient = client, None
    else:
        last, first = split_name(coverage.subscriber_name)
        subscriber = Person(last_name=last, first_name=first)
        patient = client
    clinician = claim.rendering_clinician
    rendering = None
    if clinician is not None and clinician.npi:
        rendering = Rendering(clinician.last_name, clinician.first_name, clinician.npi)
    return ClaimRecord(
        patient_control_number=claim.patient_control_number,
        frequency=claim.frequency,
        place_of_service=claim.place_of_service,
        total=claim.total_amount,
        diagnosis_codes=tuple(claim.diagnosis_codes),
        payer_claim_number=claim.replaces.payer_claim_number if claim.replaces_id else "",
        authorization_number=claim.authorization.number if claim.authorization_id else "",
        responsibility=RESPONSIBILITY.get(coverage.order, "P"),
        relationship=coverage.subscriber_relationship,
        group_number=coverage.group_number,
        filing_indicator=claim.payer.claim_filing_indicator or "ZZ",
        member_id=coverage.member_id,
        subscriber=subscriber,
        patient=patient,
        payer_name=claim.payer.name,
        payer_id=claim.payer.electronic_payer_id,
        rendering=rendering,
        lines=tuple(
            LineRecord(
                number=line.line_number,
                service_date=line.service_date,
                code=line.code,
                modifiers=tuple(line.modifiers),
                amount=line.amount,
                units=line.units,
                pointers=tuple(line.diagnosis_pointers),
            )
            for line in claim.lines.all()
        ),
    )
