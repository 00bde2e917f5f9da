from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from iop import horizon
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.chain import chain_last_verification, chain_verification_is_stale
from iop.audit.emergency import emergency_accesses_for_review, may_break_glass, remember_grant
from iop.audit.forms import AuditFilterForm, EmergencyAccessForm
from iop.audit.selectors import audit_events
from iop.audit.services import (
    BREAK_GLASS_PERMISSION,
    EmergencyAccessRefused,
    emergency_access_grant,
)
from iop.clients.views import chart_redirect

EVENTS_PER_PAGE = 50
# Emergency accesses listed for review above the trail (last 30 days).
REVIEW_ROWS = 50


@role_required(roles.ADMINISTRATOR)
def event_list(request):
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "start": data["start"],
            "end": data["end"],
            "user": data["user"],
            "client_mrn": data["client"],
            "action": data["action"],
        }
    # A paginator counts with one query; the page itself is one more.
    page = Paginator(audit_events(**filters), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    verification = chain_last_verification()
    # An invalid filter shows its error above the unfiltered trail; a day
    # outside the horizon (which no selector could compute with) is a 400.
    out_of_horizon = any(
        form.has_error(name, code=horizon.HorizonValidator.code) for name in ("start", "end")
    )
    status = 400 if out_of_horizon else 200
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query_string.urlencode(),
            "verification": verification,
            "verification_stale": chain_verification_is_stale(verification),
            "emergency_accesses": emergency_accesses_for_review()[:REVIEW_ROWS],
        },
        status=status,
    )


@role_required(*roles.RECORD_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def emergency_access(request):
    """Break the glass: open one client's record, named exactly, for an hour.
    Any role that reads the record (billing never does), and only users
    holding the break-glass permission."""
    if not may_break_glass(request.user):
        raise PermissionDenied
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = emergency_access_grant(
                actor=request.user,
                mrn=data["mrn"],
                date_of_birth=data["date_of_birth"],
                category=data["category"],
                reason=data["reason"],
                request=request,
            )
        except EmergencyAccessRefused:
            form.add_error(
                None,
                _(
                    "Too many attempts matched no client. Try again in an hour, or ask an "
                    "administrator or supervisor to open the record."
                ),
            )
            return render(request, "audit/emergency_access.html", {"form": form}, status=429)
        if grant is not None:
            remember_grant(request.session, grant)
            until = timezone.localtime(grant.expires_at).strftime("%H:%M")
            messages.warning(
                request,
                _("Emergency access until %(until)s. Every view is audited.") % {"until": until},
            )
            return chart_redirect(grant.client)
        # The same answer whatever was wrong: it must not confirm who is a client.
        form.add_error(None, _("No client matches this record number and date of birth."))
    status = 400 if request.method == "POST" else 200
    return render(request, "audit/emergency_access.html", {"form": form}, status=status)


emergency_access.required_permission = BREAK_GLASS_PERMISSION
