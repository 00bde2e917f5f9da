"""What staff do with self-report links from the chart."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iop.accounts import roles
from iop.audit.decorators import client_view
from iop.clients.views import chart_redirect
from iop.formtools import message_outcome
from outcomes.models import DueMeasure
from outcomes.services.links import measure_link_send


@client_view(roles.COUNSELOR, roles.SUPERVISOR)
@require_POST
def link_send(request, client, due_id):
    """Send a link now for one due measure of this client."""
    due = get_object_or_404(
        DueMeasure.objects.select_related("client"), public_id=due_id, client=client
    )
    message_outcome(
        request,
        lambda: measure_link_send(actor=request.user, due=due, request=request),
        success=_("A link to the form is on its way to the client."),
    )
    return chart_redirect(client)
