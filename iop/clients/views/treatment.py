"""Drug tests, medications, mutual-help meetings and the printable chart."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from iop.accounts import roles
from iop.audit.decorators import client_view
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.clinical_forms import (
    DrugTestForm,
    MedicationForm,
    MeetingForm,
    StopMedicationForm,
)
from iop.clients.models import Medication
from iop.clients.services import treatment as services
from iop.clients.views import chart_redirect
from iop.clients.views.records import chart_context
from iop.formtools import form_saved, message_form_outcome


def _form_page(request, client, form, title):
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "clients/record_form.html",
        {"client": client, "form": form, "title": title},
        status=status,
    )


@client_view(*roles.CLINICIANS)
def drug_test_new(request, client):
    form = DrugTestForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: services.drug_test_record(
            actor=request.user,
            client=client,
            collected_on=data["collected_on"],
            specimen=data["specimen"],
            observed=data["observed"],
            random_selection=data["random_selection"],
            results=form.results(),
            request=request,
        ),
        success=_("Drug test recorded."),
    )
    if saved:
        return chart_redirect(client, section="drug-tests")
    return _form_page(request, client, form, _("Record a drug test"))


@client_view(*roles.CLINICIANS)
def medication_new(request, client):
    form = MedicationForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: services.medication_add(
            actor=request.user, client=client, data=data, request=request
        ),
        success=_("Medication added."),
    )
    if saved:
        return chart_redirect(client, section="medications")
    return _form_page(request, client, form, _("Add a medication"))


@client_view(*roles.CLINICIANS)
@require_POST
def medication_stop(request, client, medication_id):
    medication = get_object_or_404(Medication, client=client, public_id=medication_id)
    message_form_outcome(
        request,
        StopMedicationForm(request.POST),
        lambda data: services.medication_stop(
            actor=request.user, medication=medication, stop_date=data["stop_date"], request=request
        ),
        success=_("Medication stopped."),
        invalid=_("Give the date the medication stopped."),
    )
    return chart_redirect(client, section="medications")


@client_view(*roles.CLINICIANS)
def meeting_new(request, client):
    form = MeetingForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: services.meeting_record(
            actor=request.user, client=client, data=data, request=request
        ),
        success=_("Meeting recorded."),
    )
    if saved:
        return chart_redirect(client, section="mutual-help")
    return _form_page(request, client, form, _("Record a mutual-help meeting"))


@client_view(*roles.RECORD_ROLES)
@require_safe
def chart_print(request, client):
    """The whole chart laid out for paper; printing is audited as a print."""
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.PRINT,
        client=client,
        obj=client,
        request=request,
        details={"document": "chart"},
    )
    # The timeline section then lists every entry up to the print limit.
    context = chart_context(request, client, printing=True)
    context["printing"] = True
    return render(request, "clients/client_print.html", context)
