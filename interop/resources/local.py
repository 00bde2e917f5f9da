"""What the administrative and encounter resources share: this server's own
identifier and code systems, the references to the program's Organization
and to a staff member's Practitioner, and the date search on a period.

Local systems are URIs of this server (settings.SITE_URL), listed in the
README's API section, for values no published system carries."""

import uuid

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from interop.api import params

ORGANIZATION = "Organization"
PRACTITIONER = "Practitioner"


def local_system(name: str) -> str:
    """A local identifier or code system of this server: /fhir/sid/<name>
    for identifiers, /fhir/CodeSystem/<name> for codes (pass the path)."""
    return f"{settings.SITE_URL}/fhir/{name}"


def program_id() -> str:
    """The program's Organization id: not a row of any table, so a name-based
    UUID (RFC 4122 version 5) of this server's URL, stable while it is."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/fhir/Organization/program"))


def program_reference() -> dict:
    name = settings.BILLING_PROVIDER_NAME
    return {"reference": f"{ORGANIZATION}/{program_id()}", "display": name}


def practitioner_reference(user) -> dict | None:
    if user is None:
        return None
    return {
        "reference": f"{PRACTITIONER}/{user.public_id}",
        "display": user.get_full_name() or user.username,
    }


def period_q(name: str, value: str, start: str, end: str, *, is_date: bool = False) -> Q:
    """A date parameter on a Period [start, end] (end None: still going),
    as FHIR R4 search 3.1.1.4.4 reads prefixes against a range: eq, the
    period lies within the value's range; ge/gt, the period reaches the
    range at/above the value; le/lt, the period begins below it."""
    prefix, low, high = params.date_range(name, value)
    if is_date:
        # A date field holds whole days: the last day of a period covers it.
        low, high = timezone.localdate(low), timezone.localdate(high)
        ends_before = Q(**{f"{end}__lt": high})
    else:
        ends_before = Q(**{f"{end}__lte": high})
    open_ended = Q(**{f"{end}__isnull": True})
    return {
        "eq": Q(**{f"{start}__gte": low}) & ends_before,
        "ge": open_ended | Q(**{f"{end}__gte": low}),
        "gt": open_ended | Q(**{f"{end}__gte": high}),
        "le": Q(**{f"{start}__lt": high}),
        "lt": Q(**{f"{start}__lt": low}),
    }[prefix]
