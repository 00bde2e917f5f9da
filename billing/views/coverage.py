"""Billing's home, a client's billing page and the client's coverage: what
billing needs of a client and no more (identity, episodes, diagnosis codes,
coverage), never the chart."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from billing.forms.coverage import CoverageEndForm, CoverageForm, VerificationForm
from billing.models import Coverage
from billing.selectors.coverage import client_coverages, coverages_ending, coverages_unverified
from billing.services import coverage as services
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.decorators import client_view
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view
from iop.clients.models import Diagnosis
from iop.formtools import form_saved, message_form_outcome

ENDING_WITHIN_DAYS = 30


@role_required(*roles.BILLING_STAFF)
@require_safe
def home(request):
    today = timezone.localdate()
    visible = clients_visible_to(request.user)
    ending = coverages_ending(visible, today, within_days=ENDING_WITHIN_DAYS)
    unverified = coverages_unverified(visible, today)
    audit_list_view(
        request,
        clients=list({c.client_id: c.client for c in [*ending, *unverified]}.values()),
        name="billing_home",
    )
    return render(
        request,
        "billing/coverage/home.html",
        {"ending": ending, "unverified": unverified, "within_days": ENDING_WITHIN_DAYS},
    )


def client_context(request, client) -> dict:
    """What the client's billing page shows; other billing pages (charges,
    authorizations) add their sections to it."""
    episodes = list(client.episodes.order_by("-referral_date"))
    diagnoses = list(
        Diagnosis.objects.current()
        .filter(client=client, status=Diagnosis.Status.CONFIRMED)
        .select_related("episode")
        .only("icd10_code", "description", "rank", "kind", "date_made", "episode__number")
        .order_by("episode_id", "rank", "pk")
    )
    today = timezone.localdate()
    coverages = client_coverages(client)
    for coverage in coverages:
        # Each coverage's small forms: ids of their own on the one page.
        auto_id = f"id_%s_{coverage.public_id.hex[:8]}"
        coverage.end_form = CoverageEndForm(auto_id=auto_id)
        coverage.verification_form = VerificationForm(
            auto_id=auto_id, initial={"verified_on": today}
        )
    return {
        "client": client,
        "episodes": episodes,
        "diagnoses": diagnoses,
        "coverages": coverages,
        "today": today,
    }


@client_view(*roles.BILLING_STAFF)
@require_safe
def client_page(request, client):
    return render(request, "billing/coverage/client.html", client_context(request, client))


def _client_url(client) -> str:
    return reverse("billing:client", args=[client.public_id])


@client_view(*roles.BILLING_STAFF)
def coverage_add(request, client):
    form = CoverageForm(request.POST or None, request.FILES or None)
    saved = form_saved(
        request,
        form,
        lambda data: services.coverage_add(
            actor=request.user,
            client=client,
            data=form.coverage_data(),
            card_front=data.get("card_front") or None,
            card_back=data.get("card_back") or None,
            request=request,
        ),
        success=_("Coverage added."),
    )
    if saved:
        return redirect(_client_url(client))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "billing/coverage/coverage_form.html",
        {"client": client, "form": form},
        status=status,
    )


def _coverage(client, coverage_id) -> Coverage:
    return get_object_or_404(
        Coverage.objects.select_related("payer", "client"), client=client, public_id=coverage_id
    )


@client_view(*roles.BILLING_STAFF)
@require_POST
def coverage_end(request, client, coverage_id):
    coverage = _coverage(client, coverage_id)
    message_form_outcome(
        request,
        CoverageEndForm(request.POST),
        lambda data: services.coverage_end(
            actor=request.user, coverage=coverage, ends_on=data["ends_on"], request=request
        ),
        success=_("Coverage ended."),
        invalid=_("Enter the coverage's last covered day."),
    )
    return redirect(_client_url(client))


@client_view(*roles.BILLING_STAFF)
@require_POST
def verification_add(request, client, coverage_id):
    coverage = _coverage(client, coverage_id)
    message_form_outcome(
        request,
        VerificationForm(request.POST),
        lambda data: services.verification_record(
            actor=request.user, coverage=coverage, request=request, **data
        ),
        success=_("Verification recorded."),
        invalid=_("Enter the date, how it was verified and the result."),
    )
    return redirect(_client_url(client))


CARD_SIDES = {"front": "card_front", "back": "card_back"}


@client_view(*roles.BILLING_STAFF)
@require_safe
@never_cache
def coverage_card(request, client, coverage_id, side):
    """A card image, through the access policy (client_view audits the view):
    inline, never cached, its type read from its content."""
    coverage = _coverage(client, coverage_id)
    stored = getattr(coverage, CARD_SIDES.get(side, ""), None)
    if not stored:
        raise Http404
    handle = stored.open("rb")
    content_type = services.card_content_type(handle)
    if content_type is None:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="card-{side}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
