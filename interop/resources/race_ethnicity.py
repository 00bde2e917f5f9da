"""The US Core 6.1.0 Patient extensions for race, ethnicity and birth sex,
from what the program records: race and ethnicity as TEDS asks them at each
admission (iop.clients.models.Demographics, the latest episode's answers),
sex assigned at birth on the client.

Codes, checked against US Core's value sets: the OMB race categories
(1002-5, 2028-9, 2054-5, 2076-8, 2106-3) and ethnicity categories (2135-2,
2186-5) of the CDC Race & Ethnicity code system urn:oid:2.16.840.1.113883.6.238,
with ASKU (asked, declined) and UNK (unknown) of v3 NullFlavor that the OMB
value sets include; detailed ethnicity 2148-5 Mexican (US Core
detailed-ethnicity). Birth sex F, M and UNK (US Core birthsex value set).
TEDS's "another race" has no OMB category: it stays in the text. An
intersex client has no birth sex code here (UNK would say "not known")."""

from iop.clients.models import Client
from iop.clients.teds import demographics as teds

US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition"
CDC_REC = "urn:oid:2.16.840.1.113883.6.238"
NULL_FLAVOR = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"

ASKED_BUT_UNKNOWN = (NULL_FLAVOR, "ASKU", "asked but unknown")
UNKNOWN = (NULL_FLAVOR, "UNK", "unknown")
AMERICAN_INDIAN_OR_ALASKA_NATIVE = (CDC_REC, "1002-5", "American Indian or Alaska Native")
HISPANIC = (CDC_REC, "2135-2", "Hispanic or Latino")

RACE = {
    teds.Race.ALASKA_NATIVE: AMERICAN_INDIAN_OR_ALASKA_NATIVE,
    teds.Race.AMERICAN_INDIAN: AMERICAN_INDIAN_OR_ALASKA_NATIVE,
    teds.Race.ASIAN: (CDC_REC, "2028-9", "Asian"),
    teds.Race.BLACK: (CDC_REC, "2054-5", "Black or African American"),
    teds.Race.PACIFIC_ISLANDER: (CDC_REC, "2076-8", "Native Hawaiian or Other Pacific Islander"),
    teds.Race.WHITE: (CDC_REC, "2106-3", "White"),
    teds.Race.DECLINED: ASKED_BUT_UNKNOWN,
    teds.Race.UNKNOWN: UNKNOWN,
}
ETHNICITY = {
    teds.Ethnicity.PUERTO_RICAN: HISPANIC,
    teds.Ethnicity.MEXICAN: HISPANIC,
    teds.Ethnicity.CUBAN_OTHER: HISPANIC,
    teds.Ethnicity.HISPANIC: HISPANIC,
    teds.Ethnicity.NOT_HISPANIC: (CDC_REC, "2186-5", "Not Hispanic or Latino"),
    teds.Ethnicity.DECLINED: ASKED_BUT_UNKNOWN,
    teds.Ethnicity.UNKNOWN: UNKNOWN,
}
DETAILED_ETHNICITY = {teds.Ethnicity.MEXICAN: (CDC_REC, "2148-5", "Mexican")}
BIRTH_SEX = {Client.Sex.FEMALE: "F", Client.Sex.MALE: "M", Client.Sex.UNKNOWN: "UNK"}


def _coding(url: str, code: tuple[str, str, str]) -> dict:
    system, value, display = code
    return {"url": url, "valueCoding": {"system": system, "code": value, "display": display}}


def _complex(name: str, categories: list, detailed: list, text: str) -> dict:
    # Each category once (two TEDS races share one OMB category), in order.
    parts = [_coding("ombCategory", code) for code in dict.fromkeys(categories)]
    parts += [_coding("detailed", code) for code in detailed]
    parts.append({"url": "text", "valueString": text})
    return {"url": f"{US_CORE}/{name}", "extension": parts}


def race_extension(demographics) -> dict | None:
    if not demographics or not demographics.race:
        return None
    categories = [RACE[value] for value in demographics.race if value in RACE]
    return _complex("us-core-race", categories, [], demographics.race_display)


def ethnicity_extension(demographics) -> dict | None:
    if not demographics or not demographics.ethnicity:
        return None
    value = demographics.ethnicity
    detailed = [DETAILED_ETHNICITY[value]] if value in DETAILED_ETHNICITY else []
    text = str(teds.Ethnicity(value).label)
    return _complex("us-core-ethnicity", [ETHNICITY[value]], detailed, text)


def birth_sex_extension(client: Client) -> dict | None:
    code = BIRTH_SEX.get(client.sex)
    return {"url": f"{US_CORE}/us-core-birthsex", "valueCode": code} if code else None


def latest_demographics(client: Client):
    """The demographics of the client's latest episode that has them, from
    the episodes the Patient source prefetches (latest first)."""
    for episode in getattr(client, "episodes_latest_first", []):
        demographics = getattr(episode, "demographics", None)
        if demographics is not None and (demographics.race or demographics.ethnicity):
            return demographics
    return None


def extensions(client: Client) -> list[dict]:
    demographics = latest_demographics(client)
    found = [
        race_extension(demographics),
        ethnicity_extension(demographics),
        birth_sex_extension(client),
    ]
    return [extension for extension in found if extension]
