"""Screening's part in the staff digest: open safety flags, counted."""

from django.utils.translation import ngettext

from iop.audit.policy import clients_visible_to
from screening.models import SafetyFlag


def digest_items(user) -> list[str]:
    """Supervisors hear of open safety flags every morning until addressed
    (a count, within the access policy)."""
    if not user.is_supervisor:
        return []
    open_flags = SafetyFlag.objects.filter(
        addressed_at__isnull=True, client__in=clients_visible_to(user)
    ).count()
    if not open_flags:
        return []
    return [
        ngettext("%(count)d open safety flag", "%(count)d open safety flags", open_flags)
        % {"count": open_flags}
    ]
