"""SMART on FHIR system scopes (SMART App Launch 2.0 "system/Type.rs",
and the 1.0 form "system/Type.read"): what a registered client may be
granted and what a request needs. This API is read-only: only the
read (r) and search (s) permissions exist."""

import re

SCOPE = re.compile(r"^system/(?P<type>\*|[A-Z][A-Za-z]+)\.(?P<perms>read|r|s|rs)$")


def parse(scope: str) -> tuple[str, frozenset[str]] | None:
    """(resource type or "*", permissions) of a scope, or None if malformed."""
    match = SCOPE.match(scope)
    if match is None:
        return None
    perms = match["perms"]
    return match["type"], frozenset("rs" if perms == "read" else perms)


def valid(scope: str, known_types) -> bool:
    parsed = parse(scope)
    return parsed is not None and (parsed[0] == "*" or parsed[0] in known_types)


def allows(scopes, resource_type: str, permission: str) -> str | None:
    """The first of `scopes` allowing `permission` ("r" or "s") on the type."""
    for scope in scopes:
        parsed = parse(scope)
        if parsed and parsed[0] in ("*", resource_type) and permission in parsed[1]:
            return scope
    return None


def grant(requested: str, registered) -> list[str]:
    """The requested scopes that the client's registered scopes cover
    (each requested permission held for its type); the rest are dropped,
    as OAuth lets a server grant less than asked (RFC 6749 section 3.3)."""
    granted = []
    for scope in requested.split():
        parsed = parse(scope)
        if parsed is None:
            continue
        kind, perms = parsed
        held = set()
        for registered_scope in registered:
            registered_parsed = parse(registered_scope)
            if registered_parsed and registered_parsed[0] in ("*", kind):
                held |= registered_parsed[1]
        if kind == "*" and not any((parse(s) or ("",))[0] == "*" for s in registered):
            continue
        if perms <= held:
            granted.append(scope)
    return granted
