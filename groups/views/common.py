"""What every group page shares: how a session is fetched within the user's
groups (the roles that run groups are roles.CLINICIANS)."""

from django.shortcuts import get_object_or_404

from groups import selectors
from groups.models import GroupSession
from iop import horizon


def readable(sessions):
    # A row dated outside the horizon (stored as year 10000 in UTC before the
    # forms were bounded) cannot be read back: it is left out of the group's
    # pages, a 404 on its own, and named by `manage.py check_data`.
    earliest, after = horizon.outer_datetimes()
    return sessions.filter(starts_at__gte=earliest, starts_at__lt=after)


def session_for(user, session_id) -> GroupSession:
    # Outside the groups a user runs (or the program, for supervisors): 404.
    return get_object_or_404(readable(selectors.sessions_visible_to(user)), public_id=session_id)
