"""Patient (US Core Patient 6.1.0): who the client is. A recipient outside
the program receives it for a client with any consent in force naming it."""

from django.db.models import Prefetch, Q

from interop.api import params
from interop.api.registry import IDENTITY, ResourceType, SearchParam, Source, register
from interop.resources.race_ethnicity import extensions
from iop.clients.models import Client, Episode

PROFILE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"
# The record number's identifier system: a URI of this server's (README).
MRN_SYSTEM_PATH = "/fhir/sid/mrn"
# FHIR AdministrativeGender (http://hl7.org/fhir/administrative-gender).
GENDER = {
    Client.Sex.FEMALE: "female",
    Client.Sex.MALE: "male",
    Client.Sex.INTERSEX: "other",
    Client.Sex.UNKNOWN: "unknown",
}


def mrn_system() -> str:
    from django.conf import settings

    return settings.SITE_URL + MRN_SYSTEM_PATH


def to_fhir(client: Client) -> dict:
    name = {"use": "official", "family": client.legal_last_name, "given": [client.legal_first_name]}
    names = [name]
    if client.preferred_name:
        names.append(
            {"use": "usual", "family": client.legal_last_name, "given": [client.preferred_name]}
        )
    telecom = []
    if client.phone:
        telecom.append({"system": "phone", "value": client.phone, "use": "mobile"})
    if client.email:
        telecom.append({"system": "email", "value": client.email})
    address = {
        key: value
        for key, value in (
            ("city", client.city),
            ("state", client.state),
            ("postalCode", client.postal_code),
        )
        if value
    }
    resource = {
        "identifier": [
            {
                "use": "usual",
                "type": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}
                    ]
                },
                "system": mrn_system(),
                "value": client.mrn,
            }
        ],
        "active": True,
        "name": names,
        "gender": GENDER.get(client.sex, "unknown"),
        "birthDate": client.date_of_birth.isoformat(),
        "communication": [
            {
                "language": {
                    "coding": [{"system": "urn:ietf:bcp:47", "code": client.preferred_language}]
                }
            }
        ],
    }
    if us_core_extensions := extensions(client):
        resource = {"extension": us_core_extensions, **resource}
    if telecom:
        resource["telecom"] = telecom
    if address:
        resource["address"] = [address]
    return resource


def _identifier(queryset, value):
    system, code = params.token(value)
    if system not in (None, mrn_system()):
        return queryset.none()
    return queryset.filter(mrn=code)


def _name(queryset, value):
    return queryset.filter(
        Q(legal_last_name__istartswith=value)
        | Q(legal_first_name__istartswith=value)
        | Q(preferred_name__istartswith=value)
    )


def _family(queryset, value):
    return queryset.filter(legal_last_name__istartswith=value)


def _given(queryset, value):
    return queryset.filter(
        Q(legal_first_name__istartswith=value) | Q(preferred_name__istartswith=value)
    )


def _birthdate(queryset, value):
    return queryset.filter(params.date_q("birthdate", value, "date_of_birth", is_date=True))


def _gender(queryset, value):
    _system, code = params.token(value)
    sexes = [sex for sex, gender in GENDER.items() if gender == code]
    return queryset.filter(sex__in=sexes)


def patients():
    # Race and ethnicity are asked per episode (TEDS): the latest answers.
    latest_first = Episode.objects.select_related("demographics").order_by("-referral_date", "-id")
    return Client.objects.prefetch_related(
        Prefetch("episodes", queryset=latest_first, to_attr="episodes_latest_first")
    )


PATIENT = register(
    ResourceType(
        name="Patient",
        profiles=[PROFILE],
        sources=[
            Source(
                queryset=patients,
                client_path="id",
                category=IDENTITY,
                id_of=lambda client: str(client.public_id),
                id_filter=params.id_q,
                to_fhir=to_fhir,
                updated_field="updated_at",
                order=("legal_last_name", "legal_first_name", "id"),
                filters={
                    "identifier": _identifier,
                    "name": _name,
                    "family": _family,
                    "given": _given,
                    "birthdate": _birthdate,
                    "gender": _gender,
                },
            )
        ],
        params=[
            SearchParam("identifier", "token", "The record number (MRN)."),
            SearchParam("name", "string"),
            SearchParam("family", "string"),
            SearchParam("given", "string"),
            SearchParam("birthdate", "date"),
            SearchParam("gender", "token"),
        ],
    )
)
