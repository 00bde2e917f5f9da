"""What the clinical resource modules share: code systems, references to
the client, token matching against a source's codings, and the filters
every Observation source needs (category, status, code)."""

from html import escape

from interop.api import params
from interop.resources import local
from interop.resources.local import practitioner_reference  # noqa: F401 - shared by the modules

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
# Observation category (terminology.hl7.org, as US Core 6.1.0 uses it).
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# A unit for scores: LOINC's example unit of its score terms ({score}, e.g.
# loinc.org/44261-6 and /75626-2, "Example UCUM Units").
SCORE_UNIT = {"unit": "{score}", "system": UCUM, "code": "{score}"}


def local_system(name: str) -> str:
    """A code system of this server's (documented in the README's API section)."""
    return local.local_system(f"CodeSystem/{name}")


def local_extension(name: str) -> str:
    return local.local_system(f"StructureDefinition/{name}")


def patient_reference(client) -> dict:
    return {"reference": f"Patient/{client.public_id}"}


def wanted_codes(value: str) -> set[tuple[str | None, str]]:
    """The (system or None, code) pairs of a token parameter's OR list."""
    return {params.token(one) for one in value.split(",")}


def matches(wanted: set[tuple[str | None, str]], system: str, code: str) -> bool:
    return any(code == c and (s is None or s == system) for s, c in wanted)


def keep_if(queryset, condition: bool):
    return queryset if condition else queryset.none()


def fixed_token(system: str, code: str):
    """A token parameter every row of a source answers the same way
    (Observation category and status): the whole source, or nothing."""

    def narrowed(queryset, value):
        return keep_if(queryset, matches(wanted_codes(value), system, code))

    return narrowed


def narrative(status: str, lines: list[str]) -> dict:
    """A Narrative whose div is escaped text, one paragraph a line."""
    body = "".join(f"<p>{escape(line)}</p>" for line in lines if line)
    return {
        "status": status,
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body or "<p>-</p>"}</div>',
    }
