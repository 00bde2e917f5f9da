"""Demo emergency access, run by `manage.py seed_demo` (its EXTRA_SEEDERS):
one counselor is designated for break-glass access, so the demo shows the
page in that counselor's navigation. No role has the permission by default."""

from django.contrib.auth.models import Group

# Made by migration audit/0007 with the permission audit.break_glass.
GROUP = "Emergency access"
DESIGNATED = "counselor2"


def seed_emergency_access(*, users, rng, today) -> str:
    user = users.get(DESIGNATED)
    if user is None:
        return "Emergency access: no demo counselor to designate."
    user.groups.add(Group.objects.get(name=GROUP))  # idempotent
    return f"Emergency access: {user.username} may break the glass (Emergency access in the menu)."
