"""The groups app's part of the access policy: a counselor also sees the
members of the groups they facilitate (DESIGN.md), registered with
iop.audit.policy so the core does not import this app."""

from django.db.models import Q

from groups.models import Attendance, Enrollment
from iop.clients.models import Episode

OPEN = (Episode.Phase.INTENSIVE, Episode.Phase.AFTERCARE)


def facilitated_group_members(user) -> Q:
    """Clients enrolled in, or with a line on a session of, a group the user
    runs, while their episode is open (uncorrelated IN subqueries: see
    iop.audit.policy)."""
    runs_group = Q(group__facilitator=user) | Q(group__co_facilitator=user)
    enrolled = Enrollment.objects.filter(
        runs_group, status=Enrollment.Status.ACTIVE, episode__phase__in=OPEN
    ).values("episode__client_id")
    dropped_in = Attendance.objects.filter(
        Q(session__group__facilitator=user) | Q(session__group__co_facilitator=user),
        episode__phase__in=OPEN,
    ).values("client_id")
    return Q(pk__in=enrolled) | Q(pk__in=dropped_in)
