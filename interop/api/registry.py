"""What the API serves: one ResourceType per FHIR resource type, read from
one or more Sources (tables), each with the search parameters it supports.

A resource module (interop/resources/) declares its type and registers it;
the views, the CapabilityStatement, the bulk export and the tests all read
REGISTRY, so a type is served, advertised and checked from one declaration.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

# A Source's `category`: what consents must cover for a recipient to
# receive it. A family.models.DisclosureCategory value, or one of these.
IDENTITY = "identity"  # who the client is: any consent in force for the recipient
NOT_CLIENT_DATA = None  # staff, the organization: no consent involved


@dataclass(frozen=True)
class SearchParam:
    """A search parameter as the CapabilityStatement declares it."""

    name: str
    type: str  # FHIR SearchParamType: token, reference, date, string, ...
    documentation: str = ""


@dataclass
class Source:
    """One table a resource type is read from.

    queryset: the rows, with what to_fhir reads joined or prefetched, so a
        page costs the same number of queries whatever its size;
    client_path: the ORM path from a row to its Client's id (None for rows
        that are not client data);
    category: what a consent must cover (IDENTITY, NOT_CLIENT_DATA or a
        DisclosureCategory value);
    filters: search parameter name -> function(queryset, value) returning
        the queryset narrowed (or .none()); raise ApiError for a bad value.
        A parameter a source lacks and another source of the type has
        excludes this source from the answer;
    id_of / id_filter: the FHIR id of a row, and the Q finding a FHIR id
        (None when the id cannot be one of this source's);
    updated_field: the row's last-change field (_lastUpdated, _since);
    order: the stable order of a page;
    to_fhir: row -> resource dict (meta and labels are added by the engine);
    recipient_narrow: for a client outside the program, (queryset,
        Recipient) -> only the rows about that recipient (a Consent
        resource: only the consents naming the recipient);
    profiles: the profiles this source's resources claim, where a type's
        sources differ (Observation: survey or laboratory); else the type's.
    """

    queryset: Callable[[], QuerySet]
    client_path: str | None
    category: str | None
    id_of: Callable[[object], str]
    id_filter: Callable[[str], Q | None]
    to_fhir: Callable[[object], dict]
    updated_field: str
    order: tuple[str, ...] = ("-id",)
    filters: dict[str, Callable[[QuerySet, str], QuerySet]] = field(default_factory=dict)
    recipient_narrow: Callable[[QuerySet, object], QuerySet] | None = None
    profiles: list[str] | None = None


@dataclass
class Include:
    """`_include=<Type>:<param>`: the resources a page's results reference.
    `references` reads the "Type/id" references out of a rendered resource."""

    param: str
    target: str
    references: Callable[[dict], list[str]]


@dataclass
class ResourceType:
    name: str
    profiles: list[str]
    sources: list[Source]
    params: list[SearchParam] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    # `_revinclude=<Other>:<param>` names this type may take: "Other:param".
    revincludes: list[str] = field(default_factory=list)
    # Whether an unfiltered search (no patient) is allowed; the bulk export
    # reads every type regardless.
    documentation: str = ""

    def param(self, name: str) -> SearchParam | None:
        return next((p for p in self.params if p.name == name), None)

    def include(self, name: str) -> Include | None:
        return next((i for i in self.includes if f"{self.name}:{i.param}" == name), None)

    def revinclude_names(self) -> list[str]:
        """A Patient takes `_revinclude=<Type>:patient` for every type of
        client data with a `patient` parameter (a Patient's whole record in
        one search); others take what they declare."""
        if self.name != "Patient":
            return list(self.revincludes)
        return list(self.revincludes) + sorted(
            f"{other.name}:patient"
            for other in REGISTRY.values()
            if other.param("patient") and any(s.client_path for s in other.sources)
        )


REGISTRY: dict[str, ResourceType] = {}


def register(resource_type: ResourceType) -> ResourceType:
    REGISTRY[resource_type.name] = resource_type
    return resource_type


def reference(value: dict | None) -> list[str]:
    """The reference string of a Reference element, as a list (for Include)."""
    return [value["reference"]] if value and value.get("reference") else []
