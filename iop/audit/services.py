"""Writing the audit trail. Every service that changes client data calls
audit_record inside its transaction, so the change and its trail commit together."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from iop.audit.models import AuditEvent


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR is the peer; behind a reverse proxy the deployment sets it
    # from X-Forwarded-For at the proxy boundary (see the README).
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor,
    action: str,
    client=None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `obj` names the record touched (type and id);
    `details` holds field names or counts, never note text or identifiers."""
    event = _build_event(
        actor=actor, action=action, client=client, obj=obj, request=request, details=details
    )
    event.save(force_insert=True)
    return event


def _build_event(*, actor, action, client, obj, request, details) -> AuditEvent:
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        client=client,
        details=details or {},
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(getattr(obj, "public_id", None) or obj.pk)
    if request is not None:
        event.path = request.path[:500]
        event.ip_address = _client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    return event


def audit_view(request: HttpRequest, *, client, obj: models.Model | None = None) -> AuditEvent:
    """Record that the signed-in user saw a page of this client's record."""
    return audit_record(
        actor=request.user, action=AuditEvent.Action.VIEW, client=client, obj=obj, request=request
    )


def audit_record_many(
    *,
    actor,
    action: str,
    clients,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> list[AuditEvent]:
    """One event per client in a single insert, for pages and actions that
    touch many clients at once (a group session's roster)."""
    events = [
        _build_event(
            actor=actor, action=action, client=client, obj=obj, request=request, details=details
        )
        for client in clients
    ]
    return AuditEvent.objects.bulk_create(events)
