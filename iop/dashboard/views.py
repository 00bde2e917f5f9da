from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aftercare import selectors as aftercare_selectors
from groups import selectors as group_selectors
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.policy import clients_visible_to
from iop.clients.selectors import clinical
from iop.dashboard import selectors
from iop.reminders.models import Reminder
from iop.reminders.services import heartbeat_last, oldest_due_pending_age

# Beat runs the heartbeat every minute; three missed runs mean trouble.
HEARTBEAT_STALE_SECONDS = 180
# The dispatcher runs every minute: a due reminder older than five is stuck.
OUTBOX_STALE_SECONDS = 300


def _heartbeat_status() -> dict:
    beat = heartbeat_last()
    if beat is None:
        return {"last_run_at": None, "age_seconds": None, "ok": False}
    age = (timezone.now() - beat.last_run_at).total_seconds()
    return {
        "last_run_at": beat.last_run_at,
        "age_seconds": int(age),
        "ok": age <= HEARTBEAT_STALE_SECONDS,
        "hostname": beat.hostname,
        "runs": beat.runs,
    }


@role_required(*roles.ALL_ROLES)
def home(request):
    visible = clients_visible_to(request.user)
    context = {"phase_counts": selectors.open_episodes_by_phase(visible)}
    if request.user.sees_whole_program:
        context["caseloads"] = selectors.caseload_by_counselor(visible)
    if request.user.is_counselor:
        context["my_phase_counts"] = selectors.open_episodes_by_phase(
            visible, counselor=request.user
        )
    if request.user.has_role(roles.COUNSELOR, roles.SUPERVISOR):
        # Three missed aftercare check-ins in a row (DOMAIN.md section 7).
        context["aftercare_flagged"] = list(
            aftercare_selectors.flagged_clients(visible).order_by("legal_last_name")[:20]
        )
    return render(request, "dashboard/home.html", context)


def _outbox_status() -> dict:
    age = oldest_due_pending_age()
    counts = dict(Reminder.objects.values_list("status").annotate(n=Count("id")).order_by("status"))
    return {
        "oldest_due_seconds": age,
        "ok": age is None or age <= OUTBOX_STALE_SECONDS,
        "counts": sorted(counts.items()),
    }


@role_required(roles.ADMINISTRATOR)
def system_status(request):
    context = {"heartbeat": _heartbeat_status(), "outbox": _outbox_status()}
    return render(request, "dashboard/system_status.html", context)


@never_cache
@require_GET
def health(request):
    """Liveness for load balancers: no client data, no authentication."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    heartbeat = _heartbeat_status()
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "worker_heartbeat_age_seconds": heartbeat["age_seconds"],
            "worker_ok": heartbeat["ok"],
            "reminders_oldest_due_seconds": oldest_due_pending_age(),
        }
    )


@role_required(roles.COUNSELOR, roles.SUPERVISOR)
@require_GET
def my_day(request):
    """Today's groups and individual sessions with links to document them, and
    the last 7 days' group sessions whose notes are not signed."""
    return render(request, "dashboard/my_day.html", group_selectors.counselor_day(request.user))


@role_required(roles.COUNSELOR, roles.SUPERVISOR)
@require_GET
def worklists(request):
    """What needs doing: unsigned notes, co-signatures (supervisors), plan
    reviews that are due, and today's random drug tests."""
    user = request.user
    visible = clients_visible_to(user)
    counselor = None if user.is_supervisor else user
    context = {
        "unsigned_notes": list(clinical.unsigned_session_notes(user)),
        "unsigned_groups": list(group_selectors.unsigned_group_sessions(user)),
        "reviews_due": list(clinical.plans_due_for_review(visible, counselor=counselor)),
        "tests_due": clinical.drug_tests_due(visible),
        "cosign_notes": list(clinical.notes_awaiting_cosignature()) if user.is_supervisor else [],
        "cosign_groups": list(group_selectors.sessions_awaiting_cosignature())
        if user.is_supervisor
        else [],
    }
    return render(request, "dashboard/worklists.html", context)
