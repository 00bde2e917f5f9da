"""Consent (base FHIR R4) for each 42 CFR Part 2 consent to disclose.

Codes, as FHIR R4's own Consent examples use them: scope patient-privacy
(http://terminology.hl7.org/CodeSystem/consentscope), category LOINC
59284-0 "Patient Consent"; the policy rule is the v3 ActCode 42CFRPart2 (as
the Part 2 labels, interop.api.labels); the recipient is the provision's
actor in the role IRCP "information recipient" (v3-ParticipationType); the
purposes are v3-ActReason TREAT, HPAYMT, HOPERAT and HRESCH (terminology.hl7.org
v3-ActReason), the uses the consent's scope covers as family.consents
decides them (SCOPES_COVERING). The categories of information are
provision.code in <SITE_URL>/fhir/CodeSystem/disclosure-category (attendance,
progress, screening, drug_tests, medications, treatment_plan, discharge).

status from family.consents.consent_state: in effect "active", not yet in
effect "proposed", expired or revoked "inactive". The provision's period
runs from the signature date to the end of the consent (revoked, expiry
event, or expiry date).

A recipient outside the program sees only the consents that name it
(Source.recipient_narrow), never a client's consents to anyone else.
"""

from django.db.models import Q
from django.utils import timezone

from family.consents import SCOPES_COVERING, ConsentState, consent_state
from family.models import Consent, DisclosureCategory
from interop.api import params
from interop.api.registry import IDENTITY, ResourceType, SearchParam, Source, register
from interop.resources.clinical import LOINC, local_system, patient_reference, wanted_codes

PROFILE = "http://hl7.org/fhir/StructureDefinition/Consent"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
PART2_URL = "https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2"
CATEGORY_SYSTEM = "disclosure-category"
STATUS = {
    ConsentState.ACTIVE: "active",
    ConsentState.NOT_YET: "proposed",
    ConsentState.EXPIRED: "inactive",
    ConsentState.REVOKED: "inactive",
}
PURPOSES = {
    "treatment": ("TREAT", "treatment"),
    "payment": ("HPAYMT", "healthcare payment"),
    "operations": ("HOPERAT", "healthcare operations"),
    "research": ("HRESCH", "healthcare research"),
}
CATEGORY_LABELS = dict(DisclosureCategory.choices)


def _recipient(consent) -> str:
    if consent.recipient_organization:
        return f"{consent.recipient_name}, {consent.recipient_organization}"
    return consent.recipient_name


def _end(consent):
    if consent.revoked_at is not None:
        return consent.revoked_at.date()
    if consent.event_occurred_at is not None:
        return consent.event_occurred_at.date()
    return consent.expires_on


def to_fhir(consent) -> dict:
    period = {"start": consent.signed_on.isoformat()}
    end = _end(consent)
    if end is not None:
        period["end"] = max(end, consent.signed_on).isoformat()
    purposes = [
        {"system": ACT_REASON, "code": code, "display": display}
        for use, (code, display) in PURPOSES.items()
        if consent.scope in SCOPES_COVERING.get(use, ())
    ]
    provision = {
        "type": "permit",
        "period": period,
        "actor": [
            {
                "role": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                            "code": "IRCP",
                            "display": "information recipient",
                        }
                    ]
                },
                "reference": {"display": _recipient(consent)},
            }
        ],
        "code": [
            {
                "coding": [
                    {
                        "system": local_system(CATEGORY_SYSTEM),
                        "code": category,
                        "display": str(CATEGORY_LABELS.get(category, category)),
                    }
                ]
            }
            for category in consent.categories
        ],
    }
    if purposes:
        provision["purpose"] = purposes
    return {
        "status": STATUS[consent_state(consent)],
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "patient-privacy",
                    "display": "Privacy Consent",
                }
            ]
        },
        "category": [
            {"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}]}
        ],
        "patient": patient_reference(consent.client),
        "dateTime": consent.recorded_at.isoformat(),
        "performer": [patient_reference(consent.client)],
        "organization": [{"display": consent.discloser}],
        "policy": [{"authority": "https://www.ecfr.gov", "uri": PART2_URL}],
        "policyRule": {
            "coding": [{"system": ACT_CODE, "code": "42CFRPart2", "display": "42 CFR Part2"}]
        },
        "provision": provision,
    }


def naming_recipient(queryset, recipient):
    """Only the consents that name `recipient` (kind, and its name as the
    consent's recipient or organization, as family.consents matches them)."""
    name = " ".join(recipient.name.split())
    return queryset.filter(
        Q(recipient_kind=recipient.kind)
        & (Q(recipient_name__iexact=name) | Q(recipient_organization__iexact=name))
    )


def status_q(status: str) -> Q:
    """The consents whose FHIR status is `status` now: consent_state's
    rule as SQL (revoked or ended first, then not yet, then in effect)."""
    now = timezone.now()
    day = timezone.localdate(now)
    ended = Q(revoked_at__lte=now) | Q(event_occurred_at__lte=now) | Q(expires_on__lt=day)
    return {
        "inactive": ended,
        "proposed": ~ended & (Q(signed_on__gt=day) | Q(recorded_at__gt=now)),
        "active": ~ended & Q(signed_on__lte=day, recorded_at__lte=now),
    }.get(status, Q(pk__in=[]))


def _status(queryset, value):
    q = Q(pk__in=[])
    for _system, code in wanted_codes(value):
        q |= status_q(code)
    return queryset.filter(q)


CONSENT = register(
    ResourceType(
        name="Consent",
        profiles=[PROFILE],
        sources=[
            Source(
                queryset=lambda: Consent.objects.select_related("client"),
                client_path="client_id",
                category=IDENTITY,
                id_of=lambda consent: str(consent.public_id),
                id_filter=params.id_q,
                to_fhir=to_fhir,
                updated_field="recorded_at",
                order=("-signed_on", "-id"),
                filters={"patient": params.patient_filter("client"), "status": _status},
                recipient_narrow=naming_recipient,
            )
        ],
        params=[
            SearchParam("patient", "reference", "The client (Patient/<id>)."),
            SearchParam("status", "token", "active, proposed or inactive (now)."),
        ],
    )
)
