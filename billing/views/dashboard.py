"""The billing dashboard: what was billed, what is held and why, what is
not billed yet, which authorizations run out; every figure drills into the
worklist (within the access policy)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from billing.selectors import dashboard
from billing.selectors.charges import BILLED
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view

BILLING_STAFF = (roles.BILLING, roles.ADMINISTRATOR)


@role_required(*BILLING_STAFF)
@require_GET
def billing_dashboard(request):
    today = timezone.localdate()
    clients = clients_visible_to(request.user)
    per_day = dashboard.billed_per_day(clients, today=today)
    at_risk = dashboard.authorizations_at_risk(clients, today=today)
    # The authorizations name their clients: each one listed is audited.
    audit_list_view(request, clients=[a.coverage.client for a in at_risk], name="billing_dashboard")
    context = {
        "today": today,
        "period_days": dashboard.PERIOD_DAYS,
        "per_day": per_day,
        "per_day_total": sum(figure.amount for figure in per_day),
        "per_day_count": sum(figure.count for figure in per_day),
        "per_payer": dashboard.billed_per_payer(clients, today=today),
        "held": dashboard.held_by_reason(clients),
        "unbilled": dashboard.days_not_billed(clients),
        "at_risk": at_risk,
        "billed": BILLED,
        "ending_within": dashboard.ENDING_WITHIN_DAYS,
    }
    return render(request, "billing/dashboard/dashboard.html", context)
