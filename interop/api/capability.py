"""The CapabilityStatement (/fhir/metadata), built from REGISTRY, so what
the server says it does is what its routes and search engine do (a test
compares the two)."""

from django.conf import settings
from django.utils import timezone

from interop.api.registry import REGISTRY
from interop.api.search import COMMON, base_url

FHIR_VERSION = "4.0.1"
US_CORE = "http://hl7.org/fhir/us/core/ImplementationGuide/hl7.fhir.us.core|6.1.0"
BULK_DATA = "http://hl7.org/fhir/uv/bulkdata/ImplementationGuide/hl7.fhir.uv.bulkdata|2.0.0"
SMART = "http://terminology.hl7.org/CodeSystem/restful-security-service"
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
# Server-wide search parameters (R4 3.1.1.5); _count and _offset steer paging.
COMMON_DOCS = {
    "_id": ("token", "The resource id."),
    "_lastUpdated": ("date", "When the resource last changed."),
}
# Operations beyond read and search, with their definitions (Bulk Data 2.0).
SYSTEM_EXPORT = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"
GROUP_EXPORT = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"


def _resource(resource_type) -> dict:
    params = [
        {"name": name, "type": kind, "documentation": doc}
        for name, (kind, doc) in COMMON_DOCS.items()
    ] + [
        {
            "name": p.name,
            "type": p.type,
            **({"documentation": p.documentation} if p.documentation else {}),
        }
        for p in resource_type.params
    ]
    entry = {
        "type": resource_type.name,
        "profile": resource_type.profiles[0],
        "supportedProfile": resource_type.profiles[1:],
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "versioning": "no-version",
        "readHistory": False,
        "searchInclude": [f"{resource_type.name}:{i.param}" for i in resource_type.includes],
        "searchRevInclude": resource_type.revinclude_names(),
        "searchParam": params,
    }
    if resource_type.name == "Group":
        entry["operation"] = [{"name": "export", "definition": GROUP_EXPORT}]
    if resource_type.documentation:
        entry["documentation"] = resource_type.documentation
    return {key: value for key, value in entry.items() if value != []}


def capability_statement(token_url: str) -> dict:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.localdate().isoformat(),
        "publisher": settings.PROGRAM_NAME,
        "kind": "instance",
        "software": {"name": "OpenIOP"},
        "implementation": {"description": f"{settings.PROGRAM_NAME} FHIR API", "url": base_url()},
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "instantiates": ["http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server"],
        "implementationGuide": [US_CORE, BULK_DATA],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Read-only. Every resource that carries substance use disorder "
                    "information is labelled for 42 CFR Part 2; a recipient outside "
                    "the program receives only what a client's consent allows."
                ),
                "security": {
                    "extension": [
                        {"url": OAUTH_URIS, "extension": [{"url": "token", "valueUri": token_url}]}
                    ],
                    "service": [{"coding": [{"system": SMART, "code": "SMART-on-FHIR"}]}],
                    "description": "SMART Backend Services: client credentials with a signed JWT.",
                },
                "resource": [_resource(r) for r in sorted(REGISTRY.values(), key=lambda r: r.name)],
                "operation": [{"name": "export", "definition": SYSTEM_EXPORT}],
            }
        ],
    }


def common_search_params() -> tuple[str, ...]:
    return COMMON
