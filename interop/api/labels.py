"""42 CFR Part 2 labels on every resource that carries substance-use-disorder
information, as the HL7 FHIR Data Segmentation for Privacy (DS4P) IG
(http://hl7.org/fhir/uv/security-label-ds4p/) shapes them: confidentiality
R (restricted, v3 Confidentiality), the policy 42CFRPart2 and the refrain
obligation NORDSCLCD (no redisclosure without consent, v3 ActCode), in
meta.security; the prohibition notice itself rides in a meta extension."""

from django.conf import settings

from iop.exports import PART2_NOTICE

CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
# Codes and displays as HL7 Terminology (terminology.hl7.org) defines them:
# CodeSystem v3-Confidentiality (R, "restricted") and v3-ActCode (42CFRPart2,
# "42 CFR Part2", in the ActPrivacyPolicy value set; NORDSCLCD, "no
# redisclosure without consent directive", an obligation policy).
PART2_SECURITY = [
    {"system": CONFIDENTIALITY, "code": "R", "display": "restricted"},
    {"system": ACT_CODE, "code": "42CFRPart2", "display": "42 CFR Part2"},
    {
        "system": ACT_CODE,
        "code": "NORDSCLCD",
        "display": "no redisclosure without consent directive",
    },
]


def notice_extension_url() -> str:
    # A local extension, defined in the README's API section.
    return f"{settings.SITE_URL}/fhir/StructureDefinition/part2-notice"


def part2_meta(meta: dict) -> dict:
    """`meta` with the Part 2 labels and the notice added."""
    return {
        **meta,
        "security": PART2_SECURITY,
        "extension": [{"url": notice_extension_url(), "valueString": PART2_NOTICE}],
    }


def is_part2_labelled(resource: dict) -> bool:
    codes = {(c.get("system"), c.get("code")) for c in resource.get("meta", {}).get("security", [])}
    return (CONFIDENTIALITY, "R") in codes and (ACT_CODE, "42CFRPart2") in codes
