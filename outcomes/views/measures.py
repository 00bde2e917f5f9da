"""Measures on the client's chart: a counselor asks for one now."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iop.accounts import roles
from iop.audit.decorators import client_view
from iop.clients.models import Episode
from iop.clients.views import chart_redirect
from iop.formtools import message_service_errors
from outcomes.forms import MeasureRequestForm
from outcomes.services.plan import due_measure_request

SECTION = "measures"


@client_view(*roles.CLINICIANS)
@require_POST
def measure_request(request, client):
    form = MeasureRequestForm(request.POST)
    episode = client.episodes.filter(phase__in=Episode.ACTIVE_PHASES).first()
    if episode is None:
        messages.error(request, _("The client has no episode in care."))
    elif not form.is_valid():
        messages.error(request, _("Choose the measure and how it is given."))
    else:
        try:
            due = due_measure_request(
                actor=request.user,
                episode=episode,
                instrument=form.cleaned_data["instrument"],
                method=form.cleaned_data["method"],
                request=request,
            )
        except ValidationError as error:
            message_service_errors(request, error)
        else:
            messages.success(request, _("%(code)s is due today.") % {"code": due.instrument})
    return chart_redirect(client, section=SECTION)
