"""The administrator's pages of the FHIR API: the registered clients with
their use and the disclosures they caused, registering one, and revoking
one at once. Staff pages (sessions, roles), not API endpoints."""

from django.conf import settings
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interop import selectors
from interop.forms import ApiClientForm
from interop.models import ApiClient
from interop.services import api_client_register, api_client_revoke
from interop.tokens import token_url
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.services import audit_list_view
from iop.formtools import form_saved, message_outcome, require_confirmation


@role_required(roles.ADMINISTRATOR)
@require_safe
def client_list(request):
    """Every client, active first; two queries whatever their number and traffic."""
    clients = list(
        selectors.api_clients_with_use().order_by(
            F("revoked_at").asc(nulls_first=True), "name", "id"
        )
    )
    disclosures = selectors.disclosure_counts([client.pk for client in clients])
    for client in clients:
        client.disclosures = disclosures.get(client.pk, 0)
    return render(
        request,
        "interop/client_list.html",
        {"clients": clients, "recent_days": selectors.RECENT_DAYS},
    )


@role_required(roles.ADMINISTRATOR)
@require_http_methods(["GET", "HEAD", "POST"])
def client_register(request):
    form = ApiClientForm(request.POST or None)
    registered = []
    if form_saved(
        request,
        form,
        lambda data: registered.append(
            api_client_register(actor=request.user, data=data, request=request)
        ),
        success=_("API client registered. Send the recipient its client id and the URLs below."),
    ):
        return redirect("interop:client-detail", api_client_id=registered[0].public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "interop/client_form.html", {"form": form}, status=status)


def _connection() -> dict:
    """What the recipient configures its system with."""
    return {
        "token_url": token_url(),
        "fhir_base": settings.SITE_URL + reverse("interop:metadata").rsplit("/", 1)[0],
    }


@role_required(roles.ADMINISTRATOR)
@require_safe
def client_detail(request, api_client_id):
    client = get_object_or_404(
        selectors.api_clients_with_use(ApiClient.objects.select_related("created_by")),
        public_id=api_client_id,
    )
    client.disclosures = selectors.disclosure_counts([client.pk]).get(client.pk, 0)
    disclosures = selectors.recent_disclosures(client)
    # The ledger rows name clients: the page is a list view of them.
    audit_list_view(request, clients=[d.client for d in disclosures], name="api_client")
    context = {
        "client": client,
        "requests": selectors.recent_requests(client),
        "tokens": selectors.recent_tokens(client),
        "disclosures": disclosures,
        "recent_days": selectors.RECENT_DAYS,
        **_connection(),
    }
    return render(request, "interop/client_detail.html", context)


def _revoke(request, client):
    require_confirmation(
        request, _("Confirm revoking: the system's access ends at once and cannot be restored.")
    )
    api_client_revoke(actor=request.user, client=client, request=request)


@role_required(roles.ADMINISTRATOR)
@require_POST
def client_revoke(request, api_client_id):
    client = get_object_or_404(ApiClient, public_id=api_client_id)
    message_outcome(
        request,
        lambda: _revoke(request, client),
        success=_("API client revoked: its tokens no longer work."),
    )
    return redirect("interop:client-detail", api_client_id=client.public_id)
