"""Practitioner (US Core Practitioner 6.1.0): the staff who document care;
Organization (US Core Organization 6.1.0): the program itself and the payers.
Neither is client data: no consent involved, no Part 2 labels.

Identifier systems (HL7 Terminology, NamingSystem npi and USEIN, checked):
the NPI is http://hl7.org/fhir/sid/us-npi, the federal tax id (EIN)
urn:oid:2.16.840.1.113883.4.4. Organization types from
http://terminology.hl7.org/CodeSystem/organization-type: prov (healthcare
provider), pay (payer), as the US Core 6.1.0 examples use them."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import DateTimeField, Q, Value

from billing.models import Payer
from billing.provider import billing_provider
from interop.api import params
from interop.api.registry import (
    NOT_CLIENT_DATA,
    ResourceType,
    SearchParam,
    Source,
    register,
)
from interop.resources.local import local_system, program_id
from iop.accounts import roles
from iop.accounts.models import User

PRACTITIONER_PROFILE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-practitioner"
ORGANIZATION_PROFILE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-organization"
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
EIN_SYSTEM = "urn:oid:2.16.840.1.113883.4.4"
ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
# US Core Practitioner requires an identifier: staff without an NPI carry
# this server's staff id (the public id) under a local system.
STAFF_SYSTEM_PATH = "sid/staff"
PAYER_ID_SYSTEM_PATH = "sid/payer-id"

# Staff who write the clinical record (intake workers propose diagnoses,
# administrators run the program): the roles whose users a resource may
# name. Billing-only users never author care.
PRACTITIONER_ROLES = (roles.INTAKE, roles.COUNSELOR, roles.SUPERVISOR, roles.ADMINISTRATOR)


# --- Practitioner -----------------------------------------------------------


def practitioners():
    # An IN subquery rather than a join on groups: one row per user, no DISTINCT.
    authors = User.groups.through.objects.filter(group__name__in=PRACTITIONER_ROLES)
    return User.objects.filter(pk__in=authors.values("user_id"))


def practitioner_to_fhir(user: User) -> dict:
    identifiers = []
    if user.npi:
        identifiers.append({"system": NPI_SYSTEM, "value": user.npi})
    identifiers.append({"system": local_system(STAFF_SYSTEM_PATH), "value": str(user.public_id)})
    name = {"family": user.last_name or user.username}
    if user.first_name:
        name["given"] = [user.first_name]
    if user.credentials:
        name["suffix"] = [user.credentials]
    return {"identifier": identifiers, "active": user.is_active, "name": [name]}


def _practitioner_name(queryset, value):
    return queryset.filter(Q(last_name__istartswith=value) | Q(first_name__istartswith=value))


def _practitioner_identifier(queryset, value):
    system, code = params.token(value)
    if system == NPI_SYSTEM:
        return queryset.filter(npi=code)
    if system == local_system(STAFF_SYSTEM_PATH):
        found = params.id_q(code)
        return queryset.filter(found) if found is not None else queryset.none()
    if system is None:
        found = params.id_q(code)
        return queryset.filter(Q(npi=code) | (found if found is not None else Q(pk__in=[])))
    return queryset.none()


PRACTITIONER = register(
    ResourceType(
        name="Practitioner",
        profiles=[PRACTITIONER_PROFILE],
        sources=[
            Source(
                queryset=practitioners,
                client_path=None,
                category=NOT_CLIENT_DATA,
                id_of=lambda user: str(user.public_id),
                id_filter=params.id_q,
                to_fhir=practitioner_to_fhir,
                # Users keep no change time; when they joined is the closest.
                updated_field="date_joined",
                order=("last_name", "first_name", "id"),
                filters={"name": _practitioner_name, "identifier": _practitioner_identifier},
            )
        ],
        params=[
            SearchParam("name", "string", "Family or given name (starts with)."),
            SearchParam("identifier", "token", "The NPI, or the staff id of this server."),
        ],
    )
)


# --- Organization -----------------------------------------------------------


def _zip(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if len(code) == 9 else code


def program_to_fhir(_row=None) -> dict:
    """The program, from the billing provider settings (checked at start-up,
    billing.provider)."""
    provider = billing_provider()
    identifiers = []
    if provider.npi:
        identifiers.append({"system": NPI_SYSTEM, "value": provider.npi})
    if provider.tax_id:
        identifiers.append({"system": EIN_SYSTEM, "value": provider.tax_id})
    resource = {
        "identifier": identifiers,
        "active": True,
        "type": [_organization_type("prov", "Healthcare Provider")],
        "name": provider.name,
    }
    address = {
        key: value
        for key, value in (
            ("line", [provider.street] if provider.street else None),
            ("city", provider.city),
            ("state", provider.state),
            ("postalCode", _zip(provider.zip_code)),
            ("country", "US"),
        )
        if value
    }
    resource["address"] = [address]
    if settings.CLINIC_PHONE:
        resource["telecom"] = [{"system": "phone", "value": settings.CLINIC_PHONE, "use": "work"}]
    return resource


def _organization_type(code: str, display: str) -> dict:
    return {"coding": [{"system": ORGANIZATION_TYPE, "code": code, "display": display}]}


def program_rows():
    """The program is no row of any table; the engine reads sources as
    querysets, so it is read as one fixed row that always exists (the
    content type of the staff user model) and rendered from the settings."""
    user_type = ContentType.objects.filter(app_label="accounts", model="user")
    return user_type.annotate(updated=Value(None, output_field=DateTimeField()))


def _program_id_filter(value: str) -> Q | None:
    # Any non-empty condition true of the one row (an empty Q would be
    # dropped when the engine ORs the ids of a list).
    return Q(pk__isnull=False) if value == program_id() else None


def _words(value: str) -> list[str]:
    return value.casefold().split()


def _program_name(queryset, value):
    name = billing_provider().name.casefold()
    return queryset if name.startswith(value.casefold()) else queryset.none()


def _program_address(queryset, value):
    address = program_to_fhir()["address"][0]
    parts = [*address.get("line", []), *(v for k, v in address.items() if k != "line")]
    text = " ".join(parts).casefold()
    return queryset if all(word in text for word in _words(value)) else queryset.none()


def payer_to_fhir(payer: Payer) -> dict:
    resource = {
        "active": payer.active,
        "type": [_organization_type("pay", "Payer")],
        "name": payer.name,
    }
    if payer.electronic_payer_id:
        resource["identifier"] = [
            {"system": local_system(PAYER_ID_SYSTEM_PATH), "value": payer.electronic_payer_id}
        ]
    address = {
        key: value
        for key, value in (
            ("line", [line for line in (payer.address_line1, payer.address_line2) if line]),
            ("city", payer.city),
            ("state", payer.state),
            ("postalCode", payer.postal_code),
        )
        if value
    }
    if address:
        resource["address"] = [{**address, "country": "US"}]
    return resource


def _payer_name(queryset, value):
    return queryset.filter(name__istartswith=value)


def _payer_address(queryset, value):
    for word in _words(value):
        queryset = queryset.filter(
            Q(address_line1__icontains=word)
            | Q(address_line2__icontains=word)
            | Q(city__icontains=word)
            | Q(state__iexact=word)
            | Q(postal_code__startswith=word)
        )
    return queryset


ORGANIZATION = register(
    ResourceType(
        name="Organization",
        profiles=[ORGANIZATION_PROFILE],
        sources=[
            Source(
                queryset=program_rows,
                client_path=None,
                category=NOT_CLIENT_DATA,
                id_of=lambda _row: program_id(),
                id_filter=_program_id_filter,
                to_fhir=program_to_fhir,
                updated_field="updated",
                order=("pk",),
                filters={"name": _program_name, "address": _program_address},
            ),
            Source(
                queryset=lambda: Payer.objects.all(),
                client_path=None,
                category=NOT_CLIENT_DATA,
                id_of=lambda payer: str(payer.public_id),
                id_filter=params.id_q,
                to_fhir=payer_to_fhir,
                updated_field="created_at",
                order=("name", "id"),
                filters={"name": _payer_name, "address": _payer_address},
            ),
        ],
        params=[
            SearchParam("name", "string", "The organization's name (starts with)."),
            SearchParam("address", "string", "Words of the address (street, city, state, ZIP)."),
        ],
    )
)
