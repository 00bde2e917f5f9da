"""Demo audit features, run by `manage.py seed_demo` (its EXTRA_SEEDERS):
one licensed counselor is designated for break-glass access, so the demo
shows the page in that counselor's navigation (no role has the permission),
and the chain is verified after seeding."""

from django.contrib.auth.models import Permission
from django.db import connection

from iop.audit.services import audit_chain_verify

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


def seed_chain_verification(*, users, rng, today) -> str:
    """Verify the audit chain once the demo's events are written, so the audit
    page shows a verification instead of a warning until the nightly run.
    Events are sealed as their transaction commits: inside a caller's open
    transaction they are not yet, so the verification is left to the task."""
    if connection.in_atomic_block:
        return "Audit chain: verified by the nightly task (seeded inside a transaction)."
    verification = audit_chain_verify(notify=False)
    state = "intact" if verification.ok else f"BROKEN: {verification.problem}"
    return f"Audit chain: {verification.rows_checked} events verified, {state}."
