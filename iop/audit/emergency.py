"""Emergency ("break-glass") access around its grants: who may use it, the
banner on a chart opened through it, the audit page's review list and the
administrators' digest line. The grant itself is made by the service
emergency_access_grant (iop/audit/services.py)."""

from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import ngettext

from iop.audit.models import AuditEvent, EmergencyAccess
from iop.audit.services import BREAK_GLASS_PERMISSION

# The session remembers, from sign-in, whether to offer the page in the
# navigation (so the layout costs no query), and which charts this session
# opened through a grant (so the chart's banner costs none either). The
# permission itself is checked on every use of the page.
SESSION_MAY_BREAK_GLASS = "audit.may_break_glass"
SESSION_GRANTS = "audit.emergency_grants"

REVIEW_DAYS = 30


def may_break_glass(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active) and user.has_perm(
        BREAK_GLASS_PERMISSION
    )


def remember_grant(session, grant: EmergencyAccess) -> None:
    grants = {**session.get(SESSION_GRANTS, {})}
    now = timezone.now()
    # Drop expired entries so the session does not grow.
    grants = {key: value for key, value in grants.items() if _until(value) > now}
    grants[str(grant.client.public_id)] = grant.expires_at.isoformat()
    session[SESSION_GRANTS] = grants


def _until(value: str) -> datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return parsed or timezone.now() - timedelta(seconds=1)


def chart_banner(request, client, *, printing=False) -> dict:
    """The chart's banner while it is open through an emergency grant. Only
    designated users can hold one, and the session knows who they are (from
    sign-in, or from the grant made in it): for everybody else the banner
    costs no query."""
    session = getattr(request, "session", None)
    if session is None:
        return {"grant": None}
    remembered = session.get(SESSION_GRANTS, {}).get(str(client.public_id))
    if not session.get(SESSION_MAY_BREAK_GLASS) and not remembered:
        return {"grant": None}
    grant = (
        EmergencyAccess.objects.filter(
            user=request.user, client=client, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )
    return {"grant": grant}


def emergency_accesses_for_review(*, days: int = REVIEW_DAYS) -> QuerySet[EmergencyAccess]:
    """Recent grants, newest first, each with the number of pages of the
    client its user viewed during the grant (one query with a subquery)."""
    views = (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.VIEW,
            actor=OuterRef("user"),
            client=OuterRef("client"),
            created_at__gte=OuterRef("starts_at"),
            created_at__lte=OuterRef("expires_at"),
        )
        .order_by()
        .values("actor")
        .annotate(total=Count("id"))
        .values("total")
    )
    return (
        EmergencyAccess.objects.filter(starts_at__gte=timezone.now() - timedelta(days=days))
        .select_related("user", "client")
        .annotate(views=Coalesce(Subquery(views), 0))
        .order_by("-starts_at", "-id")
    )


def digest_items(user) -> list[str]:
    """Administrators hear every morning of the last day's emergency
    accesses: counts only, never who or which client."""
    if not user.is_administrator:
        return []
    since = timezone.now() - timedelta(hours=24)
    counts = AuditEvent.objects.filter(
        action=AuditEvent.Action.BREAK_GLASS, created_at__gte=since
    ).aggregate(
        granted=Count("id", filter=Q(details__outcome="granted")),
        refused=Count("id", filter=Q(details__outcome="no_match")),
    )
    lines = []
    if counts["granted"]:
        lines.append(
            ngettext(
                "%(count)d emergency access in the last 24 hours: review it on the audit page",
                "%(count)d emergency accesses in the last 24 hours: review them on the audit page",
                counts["granted"],
            )
            % {"count": counts["granted"]}
        )
    if counts["refused"]:
        lines.append(
            ngettext(
                "%(count)d emergency access attempt matched no client in the last 24 hours",
                "%(count)d emergency access attempts matched no client in the last 24 hours",
                counts["refused"],
            )
            % {"count": counts["refused"]}
        )
    return lines
