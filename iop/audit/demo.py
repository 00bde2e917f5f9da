"""Demo emergency access, run by `manage.py seed_demo` (its EXTRA_SEEDERS):
one licensed counselor is designated for break-glass access, so the demo
shows the page in that counselor's navigation. No role has the permission."""

from django.contrib.auth.models import Permission

# counselor2 is in training: a licensed counselor is the one to designate.
DESIGNATED = "counselor1"


def seed_emergency_access(*, users, rng, today) -> str:
    user = users.get(DESIGNATED)
    if user is None:
        return "Emergency access: no demo counselor to designate."
    # Given directly rather than through the "Emergency access" group, so the
    # demo accounts' groups stay exactly their roles.
    permission = Permission.objects.get(content_type__app_label="audit", codename="break_glass")
    user.user_permissions.add(permission)  # idempotent
    return f"Emergency access: {user.username} may break the glass (Emergency access in the menu)."
