"""The fee schedule: billing staff and administrators read it, administrators
add rates (a rate is never edited: a new one replaces it)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from billing.forms.fees import FeeFilterForm, FeeRateForm
from billing.selectors.fees import fee_schedule
from billing.services.fees import fee_rate_add
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.formtools import form_saved


@role_required(*roles.BILLING_STAFF)
@require_safe
def fee_list(request):
    filters = FeeFilterForm(request.GET or None)
    payer = filters.cleaned_data["payer"] if filters.is_valid() else None
    return render(
        request,
        "billing/fees/fee_list.html",
        {
            "filters": filters,
            "payer": payer,
            "rates": fee_schedule(payer),
            "can_edit": request.user.has_role(roles.ADMINISTRATOR),
        },
    )


@role_required(roles.ADMINISTRATOR)
def fee_add(request):
    initial = {"payer": request.GET.get("payer")} if request.method == "GET" else None
    form = FeeRateForm(request.POST or None, initial=initial)
    saved = form_saved(
        request,
        form,
        lambda data: fee_rate_add(actor=request.user, request=request, **data),
        success=_("Rate added."),
    )
    if saved:
        payer = form.cleaned_data["payer"]
        url = reverse("billing:fee-list")
        return redirect(f"{url}?payer={payer.pk}" if payer else url)
    status = 400 if request.method == "POST" else 200
    return render(request, "billing/fees/fee_form.html", {"form": form}, status=status)
