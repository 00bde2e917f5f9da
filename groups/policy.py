"""The groups app's part of the access policy: a counselor also sees the
members of the groups they facilitate (DESIGN.md), registered with
iop.audit.policy so the core does not import this app.

The scope is as wide as running the group needs, no wider: a client is a
member while their enrollment in the group is in force, or for
RECENT_ATTENDANCE after they last attended one of its sessions (a drop-in,
or a client moved to another group whose last notes are still being
written), and only while their episode is open.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from groups.models import Attendance, Enrollment
from iop.clients.models import Episode

RECENT_ATTENDANCE = timedelta(days=14)


def facilitated_group_members(user) -> Q:
    """Clients enrolled today in a group the user runs, or who attended
    one of its sessions in the last 14 days, while their episode is open
    (uncorrelated IN subqueries: see iop.audit.policy)."""
    today = timezone.localdate()
    runs_group = Q(group__facilitator=user) | Q(group__co_facilitator=user)
    # In force today: admission enrolls a client in every track at once,
    # Social Support from week 13, which must not open them from day one.
    enrolled = Enrollment.objects.filter(
        runs_group,
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        status=Enrollment.Status.ACTIVE,
        start_date__lte=today,
        episode__phase__in=Episode.ACTIVE_PHASES,
    ).values("episode__client_id")
    attended = Attendance.objects.filter(
        Q(session__group__facilitator=user) | Q(session__group__co_facilitator=user),
        status__in=Attendance.ATTENDED,
        session__starts_at__gte=timezone.now() - RECENT_ATTENDANCE,
        episode__phase__in=Episode.ACTIVE_PHASES,
    ).values("client_id")
    return Q(pk__in=enrolled) | Q(pk__in=attended)
