"""Payers: billing staff and administrators read them, administrators keep them."""

from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from billing.forms.payers import PayerForm
from billing.models import Payer
from billing.services import payers as services
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.formtools import form_saved


@role_required(*roles.BILLING_STAFF)
@require_safe
def payer_list(request):
    payers = Payer.objects.annotate(
        rate_count=Count("rates", distinct=True), coverage_count=Count("coverages", distinct=True)
    ).order_by("-active", "name")
    return render(
        request,
        "billing/payers/payer_list.html",
        {"payers": payers, "can_edit": request.user.has_role(roles.ADMINISTRATOR)},
    )


@role_required(roles.ADMINISTRATOR)
def payer_create(request):
    form = PayerForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: services.payer_create(actor=request.user, data=data, request=request),
        success=_("Payer added."),
    )
    if saved:
        return redirect("billing:payer-list")
    return _form_page(request, form, None)


@role_required(roles.ADMINISTRATOR)
def payer_edit(request, payer_id):
    payer = get_object_or_404(Payer, public_id=payer_id)
    form = PayerForm(request.POST or None, instance=payer)
    saved = form_saved(
        request,
        form,
        lambda data: services.payer_update(
            actor=request.user, payer=payer, data=data, request=request
        ),
        success=_("Payer saved."),
    )
    if saved:
        return redirect("billing:payer-list")
    return _form_page(request, form, payer)


def _form_page(request, form, payer):
    status = 400 if request.method == "POST" else 200
    return render(
        request, "billing/payers/payer_form.html", {"form": form, "payer": payer}, status=status
    )
