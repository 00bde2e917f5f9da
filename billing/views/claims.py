"""Claims: the worklist by status, a claim's page with its lines, charges
and status history, and its replacement or void."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from billing.forms.claims import ClaimFilterForm, claim_query
from billing.models import Claim
from billing.selectors import charges as charge_selectors
from billing.selectors import claims as selectors
from billing.services import claims as services
from billing.views.charges import BILLING_STAFF
from iop.accounts.decorators import role_required
from iop.audit.services import audit_list_view, audit_view
from iop.formtools import message_outcome, require_confirmation

CLAIMS_PER_PAGE = 50


def _timely_warnings(user):
    ready = selectors.claimable_charges(charge_selectors.charges_visible_to(user))
    return selectors.timely_filing_warnings(selectors.ready_by_payer(ready))


@role_required(*BILLING_STAFF)
@require_GET
def worklist(request):
    """Claims by status (rejected ones with their reason), filtered by
    payer and dates of service; every client named is audited."""
    form = ClaimFilterForm(request.GET or None)
    visible = selectors.claims_visible_to(request.user)
    claims = base = visible
    if form.is_bound and form.is_valid():
        claims = selectors.filter_claims(visible, form.cleaned_data)
        base = selectors.filter_claims(visible, {**form.cleaned_data, "status": ""})
    elif form.is_bound:
        messages.warning(request, _("Some filters were not valid and were ignored."))
    page = Paginator(selectors.claim_rows(claims), CLAIMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    audit_list_view(request, clients=[claim.client for claim in page.object_list], name="claims")
    counts = selectors.claim_status_counts(base)
    context = {
        "form": form,
        "page": page,
        "query_string": claim_query(request.GET).urlencode(),
        "tabs_query": claim_query(request.GET, without=("status",)).urlencode(),
        "tabs": [(value, label, counts[value]) for value, label in Claim.Status.choices],
        "current_status": request.GET.get("status", ""),
        "warnings": _timely_warnings(request.user),
    }
    return render(request, "billing/claims/worklist.html", context)


def _claim(request, claim_id) -> Claim:
    try:
        return selectors.claim_detail(selectors.claims_visible_to(request.user)).get(
            public_id=claim_id
        )
    except (Claim.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


@role_required(*BILLING_STAFF)
@require_GET
def claim_detail(request, claim_id):
    claim = _claim(request, claim_id)
    context = {
        "claim": claim,
        "lines": list(claim.lines.all()),
        "events": list(claim.status_events.order_by("created_at", "id")),
        "corrections": list(claim.replaced_by.select_related("batch").order_by("id")),
        "correctable": claim.status in services.corrections.CORRECTABLE,
    }
    audit_view(request, client=claim.client, obj=claim)
    return render(request, "billing/claims/detail.html", context)


def _correct(request, claim_id, service, question, success):
    claim = _claim(request, claim_id)

    def call():
        require_confirmation(request, question)
        return service(actor=request.user, claim=claim, request=request)

    outcome = {}
    if message_outcome(request, lambda: outcome.setdefault("claim", call()), success=success):
        return redirect("billing:batch-detail", batch_id=outcome["claim"].batch.public_id)
    return redirect("billing:claim-detail", claim_id=claim.public_id)


@role_required(*BILLING_STAFF)
@require_POST
def claim_replace(request, claim_id):
    return _correct(
        request,
        claim_id,
        services.claim_replace,
        _("Confirm: a replacement claim goes out with the charges as they stand now."),
        _("Replacement claim built in a batch of its own."),
    )


@role_required(*BILLING_STAFF)
@require_POST
def claim_void(request, claim_id):
    return _correct(
        request,
        claim_id,
        services.claim_void,
        _("Confirm: a void claim asks the payer to cancel this claim."),
        _("Void claim built in a batch of its own."),
    )
