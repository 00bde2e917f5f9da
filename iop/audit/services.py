"""Writing the audit trail. Every service that changes client data calls
audit_record inside its transaction, so the change and its trail commit together."""

import time
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from iop.accounts import roles
from iop.accounts.client_ip import client_ip
from iop.audit.chain import chain_check
from iop.audit.models import AuditEvent, ChainVerification, EmergencyAccess
from iop.clients.models import Client
from iop.reminders.services import staff_notify

# The permission that designates who may break the glass (assigned to users
# or groups in the admin; no role has it by default).
BREAK_GLASS_PERMISSION = "audit.break_glass"
EMERGENCY_ACCESS_DURATION = timedelta(hours=1)
# Misses (record number and date of birth matching nobody) a designated user
# may make in an hour before the page refuses them: enough for a typo or two,
# too few to guess a date of birth for a known record number.
EMERGENCY_ACCESS_MISS_LIMIT = 3
EMERGENCY_ACCESS_MISS_WINDOW = timedelta(hours=1)


class EmergencyAccessRefused(Exception):
    """Too many attempts that matched nobody: refused before any lookup."""


def _client_ip(request: HttpRequest) -> str | None:
    # The same address the login throttle keys on: REMOTE_ADDR, or behind
    # TRUSTED_PROXY_COUNT reverse proxies the entry our own proxy wrote.
    return client_ip(request)


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


def audit_view(
    request: HttpRequest,
    *,
    client,
    obj: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that the signed-in user saw a page of this client's record."""
    return audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        client=client,
        obj=obj,
        request=request,
        details=details,
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


def audit_list_view(request: HttpRequest, *, clients, name: str) -> list[AuditEvent]:
    """A list page showed these clients (names, record numbers): one view
    event per client, so each client's trail says who saw them listed. A
    client listed twice on the page (due and flagged) is one event."""
    return audit_record_many(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        clients={client.pk: client for client in clients}.values(),
        request=request,
        details={"list": name},
    )


def emergency_access_grant(
    *,
    actor,
    mrn: str,
    date_of_birth: date,
    category: str,
    reason: str,
    request: HttpRequest | None = None,
) -> EmergencyAccess | None:
    """Break the glass: let `actor` open the client with this record number
    and date of birth for one hour, outside the access policy.

    The client must be named exactly (both identifiers), so the form cannot
    be used to search. The grant and its BREAK_GLASS event, with the reason,
    commit together. No match returns None, and the attempt is audited too.
    After EMERGENCY_ACCESS_MISS_LIMIT misses in the window, attempts are
    refused before any lookup (audited, then EmergencyAccessRefused); the
    count, the lookup and the audit row are made under a per-user lock, so
    simultaneous attempts cannot share one count.
    """
    if not actor.has_perm(BREAK_GLASS_PERMISSION):
        raise PermissionDenied
    details = {"category": category, "reason": reason}
    with transaction.atomic():
        _emergency_access_lock(actor)
        # Counted after the lock, in a statement of its own: under READ
        # COMMITTED it sees the misses of every attempt that held it before.
        misses = AuditEvent.objects.filter(
            actor=actor,
            action=AuditEvent.Action.BREAK_GLASS,
            details__outcome="no_match",
            created_at__gte=timezone.now() - EMERGENCY_ACCESS_MISS_WINDOW,
        ).count()
        refused = misses >= EMERGENCY_ACCESS_MISS_LIMIT
        if refused:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.BREAK_GLASS,
                request=request,
                details={**details, "outcome": "refused_too_many_misses"},
            )
        else:
            grant = _emergency_access_lookup(
                actor=actor,
                mrn=mrn,
                date_of_birth=date_of_birth,
                details=details,
                notify_if_missed=misses + 1 == EMERGENCY_ACCESS_MISS_LIMIT,
                request=request,
            )
    # Raised once the refusal's audit row has committed.
    if refused:
        raise EmergencyAccessRefused
    return grant


def _emergency_access_lock(actor) -> None:
    """Serialise one user's attempts: the miss count, the lookup and its
    audit row are one step per user, or simultaneous requests would all read
    the same count and each get a lookup.

    The lock is the user's own row, FOR NO KEY UPDATE (released at the end
    of the transaction). Not FOR UPDATE: the audit chain's seal locks the
    actor's row FOR KEY SHARE when any transaction auditing this user
    commits (migration 0006), and FOR UPDATE would hold those commits up
    for the length of an attempt; FOR NO KEY UPDATE does not conflict with
    KEY SHARE, only with another attempt's lock (PostgreSQL manual,
    "Explicit Locking: Row-Level Locks"). No deadlock with the chain either:
    this lock is taken first in the transaction and the chain's lock only
    at its commit, and a seal waits for its row locks before it takes the
    chain's lock, never while holding it."""
    list(
        get_user_model()
        .objects.select_for_update(no_key=True)
        .filter(pk=actor.pk)
        .values_list("pk", flat=True)
    )


def _emergency_access_lookup(
    *, actor, mrn: str, date_of_birth: date, details: dict, notify_if_missed: bool, request
) -> EmergencyAccess | None:
    """emergency_access_grant's lookup, grant and audit row, under its lock."""
    client = Client.objects.filter(mrn__iexact=mrn.strip(), date_of_birth=date_of_birth).first()
    if client is None:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.BREAK_GLASS,
            request=request,
            details={**details, "outcome": "no_match"},
        )
        if notify_if_missed:
            staff_notify(
                recipients=list(_administrators()),
                kind="emergency_access",
                message=(
                    f"{actor.get_full_name() or actor.username} reached the limit of "
                    "emergency access attempts that matched no client: review the audit page."
                ),
                link=reverse("audit:event-list"),
            )
        return None
    now = timezone.now()
    grant = EmergencyAccess.objects.create(
        user=actor,
        client=client,
        category=details["category"],
        reason=details["reason"],
        starts_at=now,
        expires_at=now + EMERGENCY_ACCESS_DURATION,
        ip_address=_client_ip(request) if request is not None else None,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.BREAK_GLASS,
        client=client,
        obj=grant,
        request=request,
        details={**details, "outcome": "granted", "expires_at": grant.expires_at.isoformat()},
    )
    return grant


def _administrators():
    return get_user_model().objects.filter(is_active=True, groups__name=roles.ADMINISTRATOR)


def audit_chain_verify(*, notify: bool = True) -> ChainVerification:
    """Recompute the audit chain, record the result, and tell the
    administrators in-app when it is broken (the nightly task and
    `manage.py verify_audit` both come here)."""
    started = time.monotonic()
    report = chain_check()
    verification = ChainVerification.objects.create(
        ok=report.ok,
        rows_checked=report.rows_checked,
        head_seq=report.head_seq,
        head_hash=report.head_hash,
        problem=report.problem[:200],
        broken_seq=report.broken_seq,
        broken_event_id=report.broken_event_id,
        broken_event_at=report.broken_event_at,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    if not report.ok and notify:
        position = f" at #{report.broken_seq}" if report.broken_seq else ""
        staff_notify(
            recipients=list(_administrators()),
            kind="audit_chain",
            message=f"The audit trail failed its integrity check{position}: review the audit page.",
            link=reverse("audit:event-list"),
        )
    return verification
