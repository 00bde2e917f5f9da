"""Claim batches: the list (counts only, no client named), the build page,
a batch's page with its validation findings, and its download, send and
discard."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing import clearinghouse
from billing.forms.claims import BatchBuildForm
from billing.models import ClaimBatch
from billing.selectors import charges as charge_selectors
from billing.selectors import claims as selectors
from billing.services import claims as services
from billing.views.charges import BILLING_STAFF
from iop.accounts.decorators import role_required
from iop.accounts.mfa.decorators import reauth_required
from iop.audit.models import AuditEvent
from iop.audit.services import audit_list_view, audit_record_many
from iop.exports import PART2_NOTICE
from iop.formtools import message_outcome, require_confirmation

BATCHES_PER_PAGE = 50


@role_required(*BILLING_STAFF)
@require_GET
def batch_list(request):
    page = Paginator(selectors.batch_rows(), BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "billing/claims/batches.html", {"page": page})


def _ready(request, data):
    ready = selectors.claimable_charges(charge_selectors.charges_visible_to(request.user))
    return selectors.filter_dates(
        ready, payer=data.get("payer"), start=data.get("start"), until=data.get("end")
    )


@role_required(*BILLING_STAFF)
@require_http_methods(["GET", "POST"])
def batch_build(request):
    """GET: what is ready, per payer, with timely filing warnings. POST:
    build one batch of it (optionally one payer, a period)."""
    form = BatchBuildForm(request.POST if request.method == "POST" else (request.GET or None))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if request.method == "POST" and form.is_valid():
        result = services.batch_build(
            actor=request.user,
            payer=data.get("payer"),
            start=data.get("start"),
            until=data.get("end"),
            request=request,
        )
        if result.held:
            messages.warning(
                request,
                _("%(count)d charges were held: no rendering NPI or no diagnosis.")
                % {"count": result.held},
            )
        if result.batch is None:
            messages.info(request, _("No ready charge could be claimed."))
            return redirect("billing:batch-build")
        messages.success(
            request, _("Batch built with %(count)d claims.") % {"count": result.claims}
        )
        return redirect("billing:batch-detail", batch_id=result.batch.public_id)
    rows = selectors.ready_by_payer(_ready(request, data))
    context = {
        "form": form,
        "rows": rows,
        "warnings": selectors.timely_filing_warnings(rows),
    }
    return render(request, "billing/claims/build.html", context, status=400 if form.errors else 200)


def _batch(batch_id) -> ClaimBatch:
    try:
        return ClaimBatch.objects.select_related("created_by", "sent_by").get(public_id=batch_id)
    except (ClaimBatch.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


@role_required(*BILLING_STAFF)
@require_GET
def batch_detail(request, batch_id):
    """The batch, its claims of clients the viewer may see (audited), and
    the validator's findings in plain words."""
    batch = _batch(batch_id)
    claims = selectors.batch_claims(batch, request.user)
    audit_list_view(request, clients=[claim.client for claim in claims], name="claim batch")
    context = {
        "batch": batch,
        "claims": claims,
        "hidden": batch.claim_count - len(claims),
        "channel": clearinghouse.enabled(),
        "open": batch.status in (ClaimBatch.Status.VALID, ClaimBatch.Status.INVALID),
    }
    return render(request, "billing/claims/batch_detail.html", context)


@role_required(*BILLING_STAFF)
@reauth_required
@require_GET
def batch_download(request, batch_id):
    """The 837P as text, audited as an export per client; a valid batch not
    yet sent is marked sent by download."""
    batch = _batch(batch_id)
    if batch.status not in (ClaimBatch.Status.VALID, ClaimBatch.Status.SENT):
        messages.error(request, _("Only a valid or sent batch can be downloaded."))
        return redirect("billing:batch-detail", batch_id=batch.public_id)
    if batch.status == ClaimBatch.Status.VALID:
        batch = services.batch_mark_sent(actor=request.user, batch=batch, request=request)
    clients = {c.client_id: c.client for c in batch.claims.select_related("client")}.values()
    audit_record_many(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        clients=clients,
        obj=batch,
        request=request,
        details={"export": "837p", "batch": str(batch.public_id)},
    )
    response = HttpResponse(batch.content, content_type="text/plain; charset=utf-8")
    name = f"openiop-837p-{batch.control_number:09d}.txt"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Part2-Notice"] = PART2_NOTICE
    return response


@role_required(*BILLING_STAFF)
@require_POST
def batch_send(request, batch_id):
    batch = _batch(batch_id)
    message_outcome(
        request,
        lambda: services.batch_send(actor=request.user, batch=batch, request=request),
        success=_("Batch sent to %(url)s.") % {"url": settings.CLEARINGHOUSE_URL or "—"},
    )
    return redirect("billing:batch-detail", batch_id=batch.public_id)


def _discard(request, batch):
    require_confirmation(request, _("Confirm: the batch is discarded, its charges ready again."))
    services.batch_discard(actor=request.user, batch=batch, request=request)


@role_required(*BILLING_STAFF)
@require_POST
def batch_discard(request, batch_id):
    batch = _batch(batch_id)
    message_outcome(request, lambda: _discard(request, batch), success=_("Batch discarded."))
    return redirect("billing:batch-detail", batch_id=batch.public_id)
