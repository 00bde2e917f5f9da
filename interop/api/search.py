"""The search and read engine: request parameters to a Bundle, through the
consent gate, in a number of queries that does not depend on how many
resources a page returns (per source: a count, a page, what it prefetches,
the consents of the page's clients; per _include or _revinclude: the same)."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F, Q

from interop.api.errors import ApiError
from interop.api.gate import Gate
from interop.api.labels import part2_meta
from interop.api.params import date_q
from interop.api.registry import NOT_CLIENT_DATA, REGISTRY, ResourceType, Source

DEFAULT_COUNT = 50
# A larger _count is answered with this many (FHIR lets a server return fewer).
MAX_COUNT = 500
MAX_OFFSET = 1_000_000
# What one _revinclude may add to a page (more is asked for by searching).
MAX_REVINCLUDE = 2_000
# Parameters every search takes (RESTful API 3.1.1.5); _format only "json".
COMMON = ("_id", "_lastUpdated", "_count", "_offset", "_include", "_revinclude", "_format")


def base_url() -> str:
    return f"{settings.SITE_URL}/fhir"


def resource_type_or_400(name: str) -> ResourceType:
    resource_type = REGISTRY.get(name)
    if resource_type is None:
        raise ApiError(400, "not-supported", f"Resource type {name[:60]} is not served here.")
    return resource_type


@dataclass
class Found:
    """A rendered resource and how it came (match or include)."""

    resource: dict
    mode: str = "match"


@dataclass
class Page:
    resource_type: ResourceType
    found: list[Found] = field(default_factory=list)
    total: int = 0
    next_offset: int | None = None


def _int(name: str, value: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ApiError(400, "invalid", f"{name} must be a whole number.") from None
    if number < low:
        raise ApiError(400, "invalid", f"{name} must be at least {low}.")
    return min(number, high)


def rendered(row, source: Source, resource_type: ResourceType) -> dict:
    body = source.to_fhir(row)
    updated = getattr(row, source.updated_field, None)
    meta = {"profile": list(source.profiles or resource_type.profiles)}
    if updated is not None:
        meta = {"lastUpdated": updated.isoformat(), **meta}
    if source.category is not NOT_CLIENT_DATA:
        meta = part2_meta(meta)
    return {"resourceType": resource_type.name, "id": source.id_of(row), "meta": meta, **body}


def _filtered(
    source: Source, resource_type: ResourceType, params: list[tuple[str, str]], gate: Gate
):
    """The source's rows matching every parameter, or None when the source
    cannot hold a match (a parameter other sources of the type have)."""
    queryset = source.queryset()
    for name, value in params:
        if name == "_id":
            q = Q()
            for one in value.split(","):
                found = source.id_filter(one)
                q |= found if found is not None else Q(pk__in=[])
            queryset = queryset.filter(q)
        elif name == "_lastUpdated":
            queryset = queryset.filter(date_q(name, value, source.updated_field))
        elif name in source.filters:
            queryset = source.filters[name](queryset, value)
        else:
            return None
    queryset = gate.narrow(queryset, source)
    if source.recipient_narrow is not None and not gate.client.is_internal:
        queryset = source.recipient_narrow(queryset, gate.recipient)
    if source.client_path:
        queryset = queryset.annotate(_api_client_id=F(source.client_path))
    return queryset.order_by(*source.order)


def _admitted(rows: list, source: Source, resource_type: ResourceType, gate: Gate) -> list[dict]:
    client_ids = [getattr(row, "_api_client_id", None) for row in rows]
    return [rendered(row, source, resource_type) for row in gate.admit(rows, source, client_ids)]


def type_params(resource_type: ResourceType, query) -> tuple[list[tuple[str, str]], dict]:
    """(the type's search parameters, the common ones) of a query, refusing
    a parameter the type does not have (a 400, as handling=strict would)."""
    params, common = [], {}
    for name in query:
        values = query.getlist(name)
        if name in COMMON:
            common[name] = values
            if name in ("_id", "_lastUpdated"):
                params.extend((name, value) for value in values)
        elif resource_type.param(name) is not None:
            params.extend((name, value) for value in values)
        else:
            raise ApiError(
                400, "not-supported", f"{resource_type.name} has no search parameter {name[:60]}."
            )
    formats = common.get("_format", [])
    if any(f not in ("json", "application/fhir+json", "application/json") for f in formats):
        raise ApiError(400, "not-supported", "Only JSON is served.")
    return params, common


def search(resource_type: ResourceType, query, gate: Gate) -> Page:
    params, common = type_params(resource_type, query)
    count = _int("_count", common.get("_count", [str(DEFAULT_COUNT)])[-1], 0, MAX_COUNT)
    offset = _int("_offset", common.get("_offset", ["0"])[-1], 0, MAX_OFFSET)
    includes = [_include_of(resource_type, name) for name in common.get("_include", [])]
    revincludes = [_revinclude_of(resource_type, name) for name in common.get("_revinclude", [])]
    page = Page(resource_type)
    remaining, skip = count, offset
    for source in resource_type.sources:
        queryset = _filtered(source, resource_type, params, gate)
        if queryset is None:
            continue
        total = queryset.count()
        page.total += total
        if remaining and skip < total:
            rows = list(queryset[skip : skip + remaining])
            page.found += [Found(r) for r in _admitted(rows, source, resource_type, gate)]
            remaining -= len(rows)
        skip = max(0, skip - total)
    if offset + count < page.total:
        page.next_offset = offset + count
    page.found += _included(page, includes, gate) + _revincluded(page, revincludes, gate)
    return page


def read(resource_type: ResourceType, resource_id: str, gate: Gate) -> dict:
    for source in resource_type.sources:
        q = source.id_filter(resource_id)
        if q is None:
            continue
        queryset = _filtered(source, resource_type, [], gate).filter(q)
        rows = list(queryset[:1])
        found = _admitted(rows, source, resource_type, gate)
        if found:
            return found[0]
    raise ApiError(404, "not-found", f"{resource_type.name}/{resource_id[:64]} is not known.")


def by_ids(resource_type: ResourceType, ids: list[str], gate: Gate) -> list[dict]:
    found = []
    for source in resource_type.sources:
        q = Q(pk__in=[])
        for one in ids:
            q |= source.id_filter(one) or Q(pk__in=[])
        queryset = _filtered(source, resource_type, [], gate).filter(q)
        found += _admitted(list(queryset[: len(ids)]), source, resource_type, gate)
    return found


def _include_of(resource_type: ResourceType, name: str):
    include = resource_type.include(name)
    if include is None:
        raise ApiError(400, "not-supported", f"_include={name[:80]} is not supported.")
    return include


def _revinclude_of(resource_type: ResourceType, name: str) -> tuple[ResourceType, str]:
    if name not in resource_type.revinclude_names():
        raise ApiError(400, "not-supported", f"_revinclude={name[:80]} is not supported.")
    other, param = name.split(":", 1)
    return REGISTRY[other], param


def _included(page: Page, includes, gate: Gate) -> list[Found]:
    wanted: dict[str, set[str]] = {}
    for include in includes:
        for found in page.found:
            for reference in include.references(found.resource):
                kind, _, resource_id = reference.rpartition("/")
                if kind == include.target:
                    wanted.setdefault(kind, set()).add(resource_id)
    have = {(f.resource["resourceType"], f.resource["id"]) for f in page.found}
    added = []
    for kind, ids in wanted.items():
        ids = sorted(i for i in ids if (kind, i) not in have)
        if ids:
            added += [Found(r, "include") for r in by_ids(REGISTRY[kind], ids, gate)]
    return added


def _revincluded(page: Page, revincludes, gate: Gate) -> list[Found]:
    """Resources of another type that point at the page's patients (the
    `patient` or `subject` parameter of a type whose rows are a client's)."""
    patient_ids = [f.resource["id"] for f in page.found if f.resource["resourceType"] == "Patient"]
    added = []
    for other, _param in revincludes:
        if not patient_ids:
            break
        for source in other.sources:
            queryset = _filtered(source, other, [], gate)
            if queryset is None or source.client_path is None:
                continue
            queryset = queryset.filter(
                **{f"{source.client_path.removesuffix('_id')}__public_id__in": patient_ids}
            )
            rows = list(queryset[:MAX_REVINCLUDE])
            added += [Found(r, "include") for r in _admitted(rows, source, other, gate)]
    return added


def bundle(page: Page, query, path: str) -> dict:
    base = base_url()
    self_query = urlencode([(k, v) for k in query for v in query.getlist(k)])
    links = [{"relation": "self", "url": f"{base}{path}?{self_query}".rstrip("?")}]
    if page.next_offset is not None:
        following = [(k, v) for k in query for v in query.getlist(k) if k != "_offset"]
        following.append(("_offset", str(page.next_offset)))
        links.append({"relation": "next", "url": f"{base}{path}?{urlencode(following)}"})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": page.total,
        "link": links,
        "entry": [
            {
                "fullUrl": f"{base}/{f.resource['resourceType']}/{f.resource['id']}",
                "resource": f.resource,
                "search": {"mode": f.mode},
            }
            for f in page.found
        ],
    }
