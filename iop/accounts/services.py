"""Writes on staff accounts: their signed-in sessions, deactivation and the
lifting of login lockouts. Each writes its audit row in the same transaction."""

from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from iop.accounts.models import User, UserSession
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record


def user_session_register(*, user: User, session_key: str) -> UserSession:
    """Remember a new signed-in session, and forget the user's sessions that
    have since expired (their rows would otherwise pile up)."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user=user).exclude(session_key__in=live).delete()
    session, _ = UserSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user}
    )
    return session


@transaction.atomic
def user_sessions_end(*, user: User) -> int:
    """End every signed-in session of the user, on every device."""
    keys = UserSession.objects.filter(user=user).values("session_key")
    count, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return count


@transaction.atomic
def user_deactivate(*, user: User, actor, request: HttpRequest | None = None) -> User:
    """Close an account: it can no longer sign in, and its open sessions end now."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = user_sessions_end(user=user)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=user,
        request=request,
        details={"fields": ["is_active"], "sessions_ended": ended},
    )
    return user


@transaction.atomic
def lockout_unlock(*, username: str, ip_address: str, actor, request: HttpRequest) -> int:
    """Lift the lockout of one username at one address before its cool-off ends."""
    # Exactly this pair: axes' own reset() widens to every username of the
    # address when the username is empty.
    count, _ = AccessAttempt.objects.filter(username=username, ip_address=ip_address).delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UNLOCK,
        request=request,
        details={"username": username, "ip_address": ip_address},
    )
    return count
