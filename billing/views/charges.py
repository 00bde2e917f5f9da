"""The billing worklist: charges by status and filter, a charge's page with
the service facts behind it, its actions (hold, release, void) and the
charge CSV for an outside biller."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from billing.forms.charges import ChargeFilterForm, HoldForm, VoidForm, filter_query
from billing.models import Charge
from billing.selectors import charges as selectors
from billing.services import charges as services
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.accounts.mfa.decorators import reauth_required
from iop.audit.models import AuditEvent
from iop.audit.services import audit_list_view, audit_record_many, audit_view
from iop.exports import export_response
from iop.formtools import (
    message_form_outcome,
    message_outcome,
    message_service_errors,
    plain_text_400,
    require_confirmation,
)

BILLING_STAFF = (roles.BILLING, roles.ADMINISTRATOR)
CHARGES_PER_PAGE = 50


def _filtered(request, params):
    """The charges `request.user` may see, filtered by `params`; the form
    (with its errors: invalid filters are reported and ignored)."""
    form = ChargeFilterForm(params or None)
    charges = selectors.charges_visible_to(request.user)
    if form.is_bound and form.is_valid():
        return form, selectors.filter_charges(charges, form.cleaned_data)
    return form, charges


@role_required(*BILLING_STAFF)
@require_GET
def worklist(request):
    """Charges by status, filtered by payer, clinician, dates of service and
    client, newest first. Every client named on the page is audited."""
    form, charges = _filtered(request, request.GET)
    if form.is_bound and not form.is_valid():
        messages.warning(request, _("Some filters were not valid and were ignored."))
    without_status = filter_query(request.GET, without=("status", "hold_reason"))
    if form.is_bound and form.is_valid():
        base = selectors.filter_charges(
            selectors.charges_visible_to(request.user),
            {**form.cleaned_data, "status": "", "hold_reason": ""},
        )
    else:
        base = selectors.charges_visible_to(request.user)
    page = Paginator(selectors.worklist_rows(charges), CHARGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    audit_list_view(request, clients=[charge.client for charge in page.object_list], name="charges")
    query = filter_query(request.GET)
    counts = selectors.status_counts(base)
    context = {
        "form": form,
        "page": page,
        "query_string": query.urlencode(),
        "tabs_query": without_status.urlencode(),
        "tabs": [(value, label, counts[value]) for value, label in Charge.Status.choices],
        "ready_count": counts[Charge.Status.READY],
        "current_status": request.GET.get("status", ""),
    }
    return render(request, "billing/charges/worklist.html", context)


def _charge(request, charge_id) -> Charge:
    """The charge if its client is one `request.user` may see; else 404."""
    try:
        return selectors.worklist_rows(selectors.charges_visible_to(request.user)).get(
            public_id=charge_id
        )
    except (Charge.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


@role_required(*BILLING_STAFF)
@require_GET
def charge_detail(request, charge_id):
    """A charge and the service facts behind it (never a note's text)."""
    charge = _charge(request, charge_id)
    context = {
        "charge": charge,
        "evidence": list(charge.evidence.select_related("clinician")),
        "history": list(
            Charge.objects.filter(replaces=charge).select_related("created_by").order_by("id")
        ),
        # The superbill of the month of service, for the same client.
        "superbill_start": charge.service_date.replace(day=1),
        "superbill_end": _month_end(charge.service_date),
        "hold_form": HoldForm(),
        "void_form": VoidForm(),
    }
    audit_view(request, client=charge.client, obj=charge)
    return render(request, "billing/charges/detail.html", context)


def _month_end(day):
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _back(charge):
    return redirect("billing:charge-detail", charge_id=charge.public_id)


@role_required(*BILLING_STAFF)
@require_POST
def charge_hold(request, charge_id):
    charge = _charge(request, charge_id)
    message_form_outcome(
        request,
        HoldForm(request.POST),
        lambda data: services.charge_hold(
            actor=request.user, charge=charge, detail=data["detail"], request=request
        ),
        success=_("Charge held."),
        invalid=_("Say why the charge is held."),
    )
    return _back(charge)


@role_required(*BILLING_STAFF)
@require_POST
def charge_release(request, charge_id):
    charge = _charge(request, charge_id)
    message_outcome(
        request,
        lambda: services.charge_release(actor=request.user, charge=charge, request=request),
        success=_("Charge released: it is ready to bill."),
    )
    return _back(charge)


def _void(request, charge, data):
    require_confirmation(
        request, _("Confirm voiding: a void cannot be taken back; the charge stops counting.")
    )
    services.charge_void(actor=request.user, charge=charge, reason=data["reason"], request=request)


@role_required(*BILLING_STAFF)
@require_POST
def charge_void(request, charge_id):
    charge = _charge(request, charge_id)
    message_form_outcome(
        request,
        VoidForm(request.POST),
        lambda data: _void(request, charge, data),
        success=_("Charge voided."),
        invalid=_("Say why the charge is voided."),
    )
    return _back(charge)


# The charge CSV's columns, documented in the README (Billing: charge export).
CSV_HEADER = [
    "date_of_service",
    "client_record_number",
    "client_name",
    "client_date_of_birth",
    "payer",
    "member_id",
    "code",
    "modifiers",
    "units",
    "amount",
    "place_of_service",
    "icd10_codes",
    "rendering_clinician",
    "status",
]


def _csv_row(charge: Charge) -> list:
    client = charge.client
    clinician = charge.rendering_clinician
    return [
        charge.service_date.isoformat(),
        client.mrn,
        f"{client.legal_last_name}, {client.legal_first_name}",
        client.date_of_birth.isoformat(),
        charge.payer.name if charge.payer else "",
        charge.coverage.member_id if charge.coverage else "",
        charge.code,
        " ".join(charge.modifiers),
        charge.units,
        "" if charge.amount is None else f"{charge.amount:.2f}",
        charge.place_of_service,
        " ".join(charge.diagnosis_codes),
        clinician.get_full_name() if clinician else "",
        charge.status,
    ]


@role_required(*BILLING_STAFF)
@reauth_required
@require_GET
def charges_export(request):
    """The worklist's filtered charges as CSV in the export ZIP with the
    Part 2 notice; one export event per client in it. Marks nothing."""
    form, charges = _filtered(request, request.GET)
    if form.is_bound and not form.is_valid():
        return plain_text_400(
            [str(error) for errors in form.errors.values() for error in errors],
            _("The filters are not valid."),
        )
    rows = list(selectors.worklist_rows(charges).order_by("service_date", "client__mrn", "id"))
    response = export_response(
        "openiop-charges", {"openiop-charges.csv": (CSV_HEADER, [_csv_row(c) for c in rows])}
    )
    audit_record_many(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        clients={charge.client_id: charge.client for charge in rows}.values(),
        request=request,
        details={"export": "charges", "rows": len(rows)},
    )
    return response


def _mark(request, charges):
    require_confirmation(
        request,
        _("Confirm: the ready charges of this list are marked exported to the biller."),
    )
    return services.charges_mark_exported(actor=request.user, charges=charges, request=request)


@role_required(*BILLING_STAFF)
@require_POST
def charges_mark_exported(request):
    """Mark the filtered worklist's ready charges exported (sent to the
    outside biller), an explicit action of its own."""
    form, charges = _filtered(request, request.POST)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("The filters are not valid."))
        return redirect("billing:charges")
    # Back to the same list: the filters as validated, never the raw POST.
    query = filter_query(request.POST).urlencode()
    target = reverse("billing:charges") + (f"?{query}" if query else "")
    try:
        marked = _mark(request, charges)
    except ValidationError as error:
        message_service_errors(request, error)
    else:
        messages.success(request, _("%(count)d charges marked exported.") % {"count": marked})
    return redirect(target)
