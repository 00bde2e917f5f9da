"""The charges a client's day should carry, computed from its service facts
and the loaded context (billing.drafting.context); nothing is written here.

Codes and modifiers, and where each is checked:
- H0015 per diem, H0005 group counseling, H0004 per 15 minutes, H0001
  assessment, H0048 specimen collection: CMS HCPCS Level II code set.
- 90853 group psychotherapy, 90847 family psychotherapy with the patient,
  9083x psychotherapy by time: AMA CPT (billing.drafting.rules).
- HQ ("group setting") is appended only to codes whose description does
  not already say group (CareOregon provider update of 2025-10-10 on the HQ
  modifier): H0005 and 90853 are group codes and carry no HQ.
- HF ("substance abuse program") marks a generic behavioral-health code
  as delivered by an SUD program: H0004 ("behavioral health counseling
  and therapy") carries it; H0001, H0005, H0015 and H0048 are already
  alcohol-and-drug codes by their HCPCS descriptions.
- Video: place of service 10 ("telehealth provided in patient's home",
  CMS Place of Service Code Set, in force since 2022-01-01) with modifier 95
  ("synchronous telemedicine service rendered via a real-time interactive
  audio and video telecommunications system", AMA CPT Appendix P).
- In person: settings.BILLING_PLACE_OF_SERVICE, by default 57
  ("non-residential substance abuse treatment facility", CMS POS code set).
- Degree level, for payers that want it (Payer.credential_modifier): HP
  doctoral, HO master's, HN bachelor's, HM less than bachelor's (HCPCS
  Level II modifiers), from the rendering clinician's recorded degree level.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings

from billing.codes import DEGREE_MODIFIERS
from billing.drafting.context import DraftingContext
from billing.drafting.rules import psychotherapy_code, units_by_8_minute_rule
from billing.models import Charge
from iop.extensions import ServiceFact

PER_DIEM = "H0015"
VIDEO_PLACE_OF_SERVICE = "10"
VIDEO_MODIFIER = "95"
SUD_PROGRAM_MODIFIER = "HF"
# Generic behavioral-health codes that take HF in an SUD program.
CODES_TAKING_HF = {"H0004"}
COMPONENT_CODES = {
    "assessment": "H0001",
    "family": "90847",
    "drug_test_collection": "H0048",
}


@dataclass
class DesiredCharge:
    client_id: int
    episode_id: int
    service_date: date
    code: str
    units: int
    modifiers: list[str]
    place_of_service: str
    facts: list[ServiceFact]
    coverage: object = None
    payer: object = None
    authorization: object = None
    unit_rate: Decimal | None = None
    amount: Decimal | None = None
    diagnosis_codes: list[str] = field(default_factory=list)
    rendering_clinician_id: int | None = None
    supervising_clinician_id: int | None = None
    hold_reason: str = ""
    hold_detail: str = ""

    @property
    def status(self) -> str:
        return Charge.Status.HELD if self.hold_reason else Charge.Status.DRAFTED

    def hold(self, reason: str, detail: str = "") -> None:
        """Keep the first reason (the most basic one is checked first)."""
        if not self.hold_reason:
            self.hold_reason, self.hold_detail = reason, detail[:255]


def place_of_service(facts: list[ServiceFact]) -> str:
    if facts and all(fact.mode == "video" for fact in facts):
        return VIDEO_PLACE_OF_SERVICE
    return getattr(settings, "BILLING_PLACE_OF_SERVICE", "57")


def component(fact: ServiceFact, payer) -> tuple[str, int] | None:
    """A service's own code and units on a day that is not a per diem day;
    None when it is too short to bill."""
    if fact.kind == "group":
        return (payer.group_code if payer else "H0005"), 1
    if fact.kind == "individual":
        if payer is not None and payer.individual_code_basis == "9083x":
            code = psychotherapy_code(fact.minutes)
            return (code, 1) if code else None
        units = units_by_8_minute_rule(fact.minutes)
        return ("H0004", units) if units else None
    return COMPONENT_CODES[fact.kind], 1


def _modifiers(code: str, facts: list[ServiceFact]) -> list[str]:
    modifiers = []
    if code in CODES_TAKING_HF:
        modifiers.append(SUD_PROGRAM_MODIFIER)
    if facts and all(fact.mode == "video" for fact in facts):
        modifiers.append(VIDEO_MODIFIER)
    return sorted(modifiers)


def _first(values):
    return next((value for value in values if value), None)


def plan_day(
    context: DraftingContext,
    client_id: int,
    day: date,
    facts: list[ServiceFact],
    *,
    qualifies,
) -> list[DesiredCharge]:
    """The charges of one client's day. `qualifies(payer)` says whether the
    day is a per diem day under that payer's rule (None: no coverage)."""
    if not facts:
        return []
    coverage = context.primary_coverage(client_id, day)
    payer = coverage.payer if coverage else None
    if qualifies(payer) and (payer is None or payer.pays_per_diem):
        groups = [(PER_DIEM, 1, facts)]
    else:
        groups = []
        for fact in facts:
            billed = component(fact, payer)
            if billed is not None:
                groups.append((billed[0], billed[1], [fact]))
    desired = []
    for code, units, evidence in groups:
        charge = DesiredCharge(
            client_id=client_id,
            episode_id=evidence[0].episode_id,
            service_date=day,
            code=code,
            units=units,
            modifiers=_modifiers(code, evidence),
            place_of_service=place_of_service(evidence),
            facts=evidence,
            coverage=coverage,
            payer=payer,
            rendering_clinician_id=_first(f.clinician_id for f in evidence),
            supervising_clinician_id=_first(f.cosigner_id for f in evidence),
        )
        _price_and_hold(context, charge, day_facts=facts)
        desired.append(charge)
    return desired


def _price_and_hold(context: DraftingContext, charge: DesiredCharge, *, day_facts) -> None:
    unsigned = [f for f in day_facts if not f.signed]
    if unsigned:
        charge.hold(
            Charge.HoldReason.UNSIGNED,
            f"{len(unsigned)} service(s) of the day not signed: "
            + ", ".join(f.kind.replace("_", " ") for f in unsigned),
        )
    if any(f.awaiting_cosignature for f in day_facts):
        charge.hold(Charge.HoldReason.COSIGN, "a note of the day awaits its co-signature")
    if any(f.signed_late for f in charge.facts):
        charge.hold(Charge.HoldReason.LATE, "signed more than 72 hours after the service")
    payer = charge.payer
    if payer is None:
        charge.hold(Charge.HoldReason.NO_COVERAGE, "no coverage in force on the date of service")
    elif payer.accepted_codes and charge.code not in payer.accepted_codes:
        charge.hold(Charge.HoldReason.NOT_ACCEPTED, f"{payer} does not accept {charge.code}")
    if payer is not None and payer.credential_modifier and not payer.bills_clients:
        _add_degree_modifier(context, charge)
    rate = context.rate(payer, charge.code, charge.modifiers, charge.service_date)
    if rate is None:
        charge.hold(Charge.HoldReason.NO_RATE, f"no rate for {charge.code} on the date of service")
    else:
        charge.unit_rate = rate.amount
        charge.amount = rate.amount * charge.units
    charge.diagnosis_codes = context.diagnosis_codes(charge.episode_id, charge.service_date)
    if not charge.diagnosis_codes:
        charge.hold(Charge.HoldReason.NO_DIAGNOSIS, "the episode has no confirmed diagnosis")
    if payer is not None and payer.requires_authorization and not payer.bills_clients:
        _authorize(context, charge)


def _add_degree_modifier(context: DraftingContext, charge: DesiredCharge) -> None:
    """The rendering clinician's degree-level modifier (HP, HO, HN, HM),
    before pricing: a payer may rate the code per degree level. Held when
    the degree level is not recorded: a license title (LCDC, LPC-A...) does
    not tell it, and it is never guessed."""
    credentials, degree = context.clinicians.get(charge.rendering_clinician_id, ("", ""))
    modifier = DEGREE_MODIFIERS.get(degree)
    if modifier is None:
        charge.hold(
            Charge.HoldReason.CREDENTIAL,
            "the payer wants HP/HO/HN/HM; the clinician's degree level is not recorded"
            f"{f' (credentials: {credentials})' if credentials else ''}",
        )
    elif modifier not in charge.modifiers:
        charge.modifiers.append(modifier.value)


def _authorize(context: DraftingContext, charge: DesiredCharge) -> None:
    """An authorization of the coverage active on the date that lists the
    code, with units left (units used by live charges, less the charges this
    re-evaluation replaces, plus what it has drafted so far)."""
    listing = [
        a
        for a in context.authorizations.get(charge.coverage.pk, [])
        if a.starts_on <= charge.service_date <= a.ends_on and charge.code in a.service_codes
    ]
    if not listing:
        charge.hold(
            Charge.HoldReason.NO_AUTHORIZATION,
            f"no authorization for {charge.code} active on the date of service",
        )
        return
    for authorization in sorted(listing, key=lambda a: (a.ends_on, a.pk)):
        if authorization.units_authorized - authorization.units_used >= charge.units:
            charge.authorization = authorization
            authorization.units_used += charge.units
            return
    charge.hold(
        Charge.HoldReason.UNITS_EXHAUSTED,
        f"authorization {listing[0].number}: units used up",
    )
