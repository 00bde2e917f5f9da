"""Authorizations and utilization review pages, for billing staff and
administrators. Thin: the forms read the input, the services decide and
write, the selectors list within the access policy."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from billing.forms.authorizations import AuthorizationFilterForm, AuthorizationForm, ReviewForm
from billing.models import Authorization, Coverage
from billing.selectors.authorizations import (
    UNITS_ALERT_PERCENT,
    AlertKind,
    Status,
    alert_counts,
    authorization_alerts,
    authorizations_listed,
    status_of,
    with_next_review,
    with_units_used,
)
from billing.services import authorizations as services
from family.consents import NOTICE
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.decorators import client_view
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view
from iop.formtools import form_saved

BILLING_OFFICE = (roles.BILLING, roles.ADMINISTRATOR)
PER_PAGE = 50
ALERTS_SHOWN = 50


def _rows(authorizations, today, alerts=()) -> list[dict]:
    """Each authorization with its status and usage, for the usage bar
    (text and percent, not colour alone)."""
    alerts_of = {}
    for alert in alerts:
        alerts_of.setdefault(alert.authorization.pk, []).append(alert)
    rows = []
    for authorization in authorizations:
        used, authorized = authorization.units_used, authorization.units_authorized
        status = status_of(authorization, today)
        rows.append(
            {
                "authorization": authorization,
                "status": status,
                "status_label": Status.LABELS[status],
                "percent": min(100, used * 100 // authorized) if authorized else 0,
                "remaining": max(0, authorized - used),
                # Where the meter turns to "high": the units alert's threshold.
                "high": authorized * UNITS_ALERT_PERCENT / 100,
                "alerts": alerts_of.get(authorization.pk, []),
            }
        )
    return rows


@role_required(*BILLING_OFFICE)
@require_GET
def authorizations(request):
    """The program's authorizations with their usage, filtered by payer and
    status; the alerts first. A fixed number of queries whatever the data."""
    today = timezone.localdate()
    visible = clients_visible_to(request.user)
    filters = AuthorizationFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    listed = authorizations_listed(
        clients=visible, today=today, payer=chosen.get("payer"), status=chosen.get("status", "")
    )
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    alerts = authorization_alerts(today, clients=visible)
    rows = _rows(page.object_list, today, alerts)
    shown_alerts = alerts[:ALERTS_SHOWN]
    audit_list_view(
        request,
        clients=[row["authorization"].coverage.client for row in rows]
        + [alert.client for alert in shown_alerts],
        name="billing-authorizations",
    )
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "alerts": shown_alerts,
        "alert_total": len(alerts),
        "alert_counts": [(AlertKind.LABELS[k], n) for k, n in alert_counts(alerts).items()],
        "query": request.GET.copy(),
    }
    context["query"].pop("page", None)
    return render(request, "billing/authorizations/list.html", context)


def _client_authorizations(client):
    return with_next_review(
        with_units_used(
            Authorization.objects.filter(coverage__client=client).select_related("coverage__payer")
        )
    ).order_by("-ends_on", "-id")


@client_view(*BILLING_OFFICE)
def client_authorizations(request, client):
    """One client's authorizations, by coverage, and the form to add one."""
    today = timezone.localdate()
    coverages = Coverage.objects.filter(client=client).select_related("payer")
    form = AuthorizationForm(request.POST or None, coverages=coverages)
    saved = form_saved(
        request,
        form,
        lambda data: services.authorization_add(
            actor=request.user, coverage=data["coverage"], data=data, request=request
        ),
        success=_("Authorization recorded."),
    )
    if saved:
        return redirect("billing:client-authorizations", client_id=client.public_id)
    alerts = authorization_alerts(today, clients=type(client).objects.filter(pk=client.pk))
    context = {
        "client": client,
        "form": form,
        "coverages": list(coverages),
        "rows": _rows(_client_authorizations(client), today, alerts),
        "alerts": alerts,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "billing/authorizations/client.html", context, status=status)


@client_view(*BILLING_OFFICE)
def authorization_review(request, client, authorization_id):
    """An authorization, its reviews, and the form to record one. The page
    says whether a consent covers payment to the payer (its date and
    scope), never what the consent says."""
    authorization = get_object_or_404(
        with_next_review(with_units_used(Authorization.objects.select_related("coverage__payer"))),
        coverage__client=client,
        public_id=authorization_id,
    )
    authorization.coverage.client = client
    form = ReviewForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: services.utilization_review_record(
            actor=request.user, authorization=authorization, data=data, request=request
        ),
        success=_("Review recorded, and the disclosure to the payer written to the ledger."),
    )
    if saved:
        return redirect(
            "billing:authorization-review",
            client_id=client.public_id,
            authorization_id=authorization.public_id,
        )
    today = timezone.localdate()
    context = {
        "client": client,
        "row": _rows([authorization], today)[0],
        "authorization": authorization,
        "reviews": list(
            authorization.reviews.select_related("extension", "recorded_by", "disclosure")
        ),
        "consent": services.payment_consent(authorization.coverage),
        "notice": NOTICE,
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "billing/authorizations/review.html", context, status=status)
