"""Files received from clearinghouses and payers, what each did, the
remittances and their postings, the payments held for a person to match,
and the denials worklist."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing.forms.remittances import (
    ClaimChoiceForm,
    ClaimSearchForm,
    DenialFilterForm,
    DenialResolveForm,
    InboundUploadForm,
)
from billing.models import InboundFile, Remittance
from billing.selectors import remittances as selectors
from billing.services.denials import denial_resolve
from billing.services.inbound import inbound_receive
from billing.services.remittances import claim_payment_match
from billing.views.charges import BILLING_STAFF
from iop.accounts.decorators import role_required
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view
from iop.formtools import add_service_errors, message_form_outcome

PER_PAGE = 50


def _get(queryset, public_id):
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def _describe(rows, descriptions: dict[str, str]) -> None:
    """Attach the CARC's and RARCs' descriptions to postings or denials."""
    for row in rows:
        row.reason_text = descriptions.get(row.reason_code, "")
        row.remarks = [(code, descriptions.get(code, "")) for code in row.remark_codes]


def _visible_ids(user, clients) -> set[int]:
    """Which of `clients` (ids) `user` may see, in one query."""
    ids = {pk for pk in clients if pk is not None}
    return set(clients_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


@role_required(*BILLING_STAFF)
@require_GET
def inbound_files(request):
    """Files received, newest first. Names no client."""
    page = Paginator(selectors.inbound_files(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "billing/remittances/inbound_files.html", {"page": page})


@role_required(*BILLING_STAFF)
@require_http_methods(["GET", "POST"])
def inbound_upload(request):
    form = InboundUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            inbound = inbound_receive(
                name=upload.name, content=form.cleaned_data["content"],
                via=InboundFile.Via.UPLOAD, actor=request.user, request=request,
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            level = (
                messages.ERROR if inbound.status == InboundFile.Status.REFUSED else messages.INFO
            )
            messages.add_message(request, level, inbound.get_status_display())
            return redirect("billing:inbound-file-detail", file_id=inbound.public_id)
    return render(request, "billing/remittances/upload.html", {"form": form})


@role_required(*BILLING_STAFF)
@require_GET
def inbound_file_detail(request, file_id):
    """What a file did: claims acknowledged or rejected, payments posted or
    held, the reason a file was refused. Clients named are audited."""
    inbound = _get(selectors.inbound_files(), file_id)
    events = selectors.inbound_file_events(inbound)
    visible = _visible_ids(request.user, [e.claim.client_id for e in events if e.claim])
    shown = [e.claim.client for e in events if e.claim and e.claim.client_id in visible]
    audit_list_view(request, clients=shown, name="inbound-file")
    context = {
        "inbound": inbound,
        "events": events,
        "visible": visible,
        "remittances": selectors.inbound_file_remittances(inbound),
        "message_lines": inbound.message.splitlines(),
    }
    return render(request, "billing/remittances/inbound_file.html", context)


@role_required(*BILLING_STAFF)
@require_GET
def remittance_detail(request, remittance_id):
    remittance = _get(Remittance.objects.select_related("payer", "inbound_file"), remittance_id)
    payments = selectors.remittance_payments(remittance)
    visible = _visible_ids(request.user, [p.claim.client_id for p in payments if p.claim])
    postings = [posting for payment in payments for posting in payment.postings.all()]
    descriptions = selectors.reason_descriptions(
        {p.reason_code for p in postings if p.reason_code},
        {code for p in postings for code in p.remark_codes},
    )
    _describe(postings, descriptions)
    audit_list_view(
        request,
        clients=[p.claim.client for p in payments if p.claim and p.claim.client_id in visible],
        name="remittance",
    )
    context = {
        "remittance": remittance,
        "payments": payments,
        "visible": visible,
        "provider_adjustments": selectors.provider_adjustments(remittance),
    }
    return render(request, "billing/remittances/remittance.html", context)


@role_required(*BILLING_STAFF)
@require_GET
def unmatched_payments(request):
    """Claim payments held for a person to match. They name no client of
    ours (no claim is matched); the payer's patient name is shown."""
    page = Paginator(selectors.unmatched_payments(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "billing/remittances/unmatched.html", {"page": page})


@role_required(*BILLING_STAFF)
@require_http_methods(["GET", "POST"])
def claim_payment_match_view(request, payment_id):
    payment = _get(selectors.unmatched_payments(), payment_id)
    search = ClaimSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    claims = selectors.claims_for_match(request.user, payment, query)
    choice = ClaimChoiceForm(request.POST or None)
    if request.method == "POST" and choice.is_valid():
        claim = claims.filter(public_id=choice.cleaned_data["claim"]).first()
        if claim is None:
            choice.add_error("claim", _("Choose a claim from the list."))
        else:
            try:
                claim_payment_match(
                    actor=request.user, claim_payment=payment, claim=claim, request=request
                )
            except ValidationError as error:
                add_service_errors(choice, error)
            else:
                messages.success(request, _("Payment matched and posted."))
                return redirect("billing:remittance-detail", payment.remittance.public_id)
    rows = list(claims[:PER_PAGE])
    audit_list_view(request, clients=[claim.client for claim in rows], name="claim-match")
    context = {"payment": payment, "search": search, "choice": choice, "claims": rows}
    return render(request, "billing/remittances/match.html", context)


@role_required(*BILLING_STAFF)
@require_GET
def denials(request):
    """Open denials by due date, overdue first; filtered by payer and reason."""
    form = DenialFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = selectors.open_denials(selectors.denials_visible_to(request.user), filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for denial in page.object_list:
        denial.overdue = selectors.is_overdue(denial)
    descriptions = selectors.reason_descriptions(
        {d.reason_code for d in page.object_list},
        {code for d in page.object_list for code in d.remark_codes},
    )
    _describe(page.object_list, descriptions)
    audit_list_view(request, clients=[d.client for d in page.object_list], name="denials")
    context = {
        "form": form,
        "page": page,
        "resolve_form": DenialResolveForm(),
        "query_string": request.GET.urlencode() if not form.errors else "",
    }
    return render(request, "billing/remittances/denials.html", context)


@role_required(*BILLING_STAFF)
@require_POST
def denial_resolve_view(request, denial_id):
    denial = _get(selectors.denials_visible_to(request.user), denial_id)
    message_form_outcome(
        request,
        DenialResolveForm(request.POST),
        lambda data: denial_resolve(
            actor=request.user,
            denial=denial,
            resolution=data["resolution"],
            action_taken=data["action_taken"],
            request=request,
        ),  # fmt: skip
        success=_("Denial resolved."),
        invalid=_("Choose what was done and say how the denial was resolved."),
    )
    return redirect("billing:denials")
