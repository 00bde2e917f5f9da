"""The groups app's part of the access policy: a counselor also sees the
members of the groups they facilitate (DESIGN.md), registered with
iop.audit.policy so the core does not import this app."""

from django.db.models import Exists, OuterRef, Q

from groups.models import Attendance, Enrollment
from iop.clients.models import Episode

OPEN = (Episode.Phase.INTENSIVE, Episode.Phase.AFTERCARE)


def facilitated_group_members(user) -> Q:
    runs_group = Q(group__facilitator=user) | Q(group__co_facilitator=user)
    enrolled = Enrollment.objects.filter(
        runs_group,
        episode__client=OuterRef("pk"),
        status=Enrollment.Status.ACTIVE,
        episode__phase__in=OPEN,
    )
    dropped_in = Attendance.objects.filter(
        Q(session__group__facilitator=user) | Q(session__group__co_facilitator=user),
        client=OuterRef("pk"),
        episode__phase__in=OPEN,
    )
    return Q(Exists(enrolled)) | Q(Exists(dropped_in))
