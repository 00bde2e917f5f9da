from django.core.paginator import Paginator
from django.shortcuts import render

from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.forms import AuditFilterForm
from iop.audit.selectors import audit_events

EVENTS_PER_PAGE = 50


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
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query_string": query_string.urlencode()},
    )
