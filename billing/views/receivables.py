"""Accounts receivable: the A/R page (aging by payer, balances by client,
days in A/R, denial rate by reason, collections per month, each chart with
its table), the charges behind an aging cell, and the CSV export. Every
figure is read from the charges the viewer may see; definitions in
billing/selectors/receivables/ledger.py and on the page."""

import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from billing.forms.receivables import AsOfForm, DrillDownForm
from billing.selectors.charges import charges_visible_to
from billing.selectors.receivables import measures, report
from billing.selectors.receivables.ledger import BUCKETS, ledger_rows
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.accounts.mfa.decorators import reauth_required
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view, audit_record_many
from iop.clients.models import Client
from iop.exports import export_response
from iop.formtools import plain_text_400

BILLING_STAFF = (roles.BILLING, roles.ADMINISTRATOR)
CLIENTS_PER_PAGE = 25
CHARGES_PER_PAGE = 50


def _errors(form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def _figures(request, as_of: datetime.date) -> dict:
    charges = charges_visible_to(request.user)
    rows = ledger_rows(charges, as_of=as_of)
    totals = report.totals(rows, as_of=as_of)
    aging = report.aging_by_payer(rows, clients_label=_("Clients (their share)"))
    start = as_of - datetime.timedelta(days=report.DAYS_IN_AR_PERIOD - 1)
    denials = measures.denial_rate_by_reason(
        clients_visible_to(request.user), start=start, end=as_of, billed=totals.charges_in_period
    )
    return {
        "rows": rows,
        "totals": totals,
        "aging": aging,
        "bucket_totals": report.bucket_totals(aging),
        "period_start": start,
        "denials": denials,
        "denied_share": measures.denial_share(denials, totals.charges_in_period),
        "collections": measures.collections_per_month(charges, as_of=as_of),
    }


def _chart_data(figures: dict) -> dict:
    """The series the charts draw; the tables beside them hold the same."""
    return {
        "buckets": [label for _key, label, *_rest in BUCKETS],
        "aging": [
            {"label": row.label, "data": [float(amount) for _key, amount in row.ordered]}
            for row in figures["aging"]
        ],
        "denial_codes": [figure.code for figure in figures["denials"]],
        "denial_amounts": [float(figure.amount) for figure in figures["denials"]],
        "months": [figure.month.strftime("%Y-%m") for figure in figures["collections"]],
        "payer_payments": [float(figure.payer) for figure in figures["collections"]],
        "client_payments": [float(figure.client) for figure in figures["collections"]],
    }


def _with_clients(values: list[dict]) -> list[dict]:
    clients = Client.objects.in_bulk([row["client_id"] for row in values])
    return [{**row, "client": clients[row["client_id"]]} for row in values]


@role_required(*BILLING_STAFF)
@require_GET
def receivables(request):
    """The A/R page as of a date (today unless ?as_of= names another)."""
    form = AsOfForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return plain_text_400(_errors(form), _("Check the date."))
    as_of = (form.cleaned_data.get("as_of") if form.is_bound else None) or timezone.localdate()
    figures = _figures(request, as_of)
    page = Paginator(report.client_balances(figures["rows"]), CLIENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = _with_clients(list(page.object_list))
    audit_list_view(
        request, clients=[row["client"] for row in page.object_list], name="receivables"
    )
    context = {
        **figures,
        "form": AsOfForm(initial={"as_of": as_of}),
        "as_of": as_of,
        "as_of_param": as_of.isoformat(),
        "buckets": BUCKETS,
        "page": page,
        "charts": _chart_data(figures),
    }
    return render(request, "billing/receivables/receivables.html", context)


@role_required(*BILLING_STAFF)
@require_GET
def receivables_charges(request):
    """The charges behind one cell of the aging table, with their balances."""
    form = DrillDownForm(request.GET)
    if not form.is_valid():
        return plain_text_400(_errors(form), _("Choose a cell of the aging table."))
    as_of = form.cleaned_data["as_of"] or timezone.localdate()
    payer, bucket = form.cleaned_data["payer"], form.cleaned_data["bucket"]
    rows = report.drill_down(
        ledger_rows(charges_visible_to(request.user), as_of=as_of), payer=payer, bucket=bucket
    )
    page = Paginator(rows, CHARGES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    audit_list_view(
        request, clients=[row.client for row in page.object_list], name="receivables_charges"
    )
    context = {
        "page": page,
        "as_of": as_of,
        "payer": payer,
        "clients_cell": payer == report.CLIENTS,
        "bucket_label": dict((key, label) for key, label, *_rest in BUCKETS)[bucket],
        "payer_name": next((row.payer.name for row in page.object_list if row.payer), ""),
        "query": f"as_of={as_of.isoformat()}&payer={payer}&bucket={bucket}",
    }
    return render(request, "billing/receivables/charges.html", context)


# The export's files and columns, documented in the README (Billing: A/R export).
AGING_HEADER = ["payer", *[f"days_{key}" for key, *_rest in BUCKETS], "total"]
CLIENT_HEADER = [
    "client_record_number",
    "client_name",
    "client_balance",
    "payer_balance",
    "total",
    "oldest_date_of_service",
]
COLLECTIONS_HEADER = ["month", "payer_payments", "client_payments", "total"]


@role_required(*BILLING_STAFF)
@reauth_required
@require_GET
def receivables_export(request):
    """The aging by payer, every client balance and the collections per
    month as CSV files in the export ZIP with the Part 2 notice; one export
    event per client whose balance is in it."""
    form = AsOfForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return plain_text_400(_errors(form), _("Check the date."))
    as_of = (form.cleaned_data.get("as_of") if form.is_bound else None) or timezone.localdate()
    figures = _figures(request, as_of)
    balances = _with_clients(list(report.client_balances(figures["rows"])))
    aging = [
        [row.label, *[f"{amount:.2f}" for _key, amount in row.ordered], f"{row.total:.2f}"]
        for row in figures["aging"]
    ]
    clients = [
        [
            row["client"].mrn,
            f"{row['client'].legal_last_name}, {row['client'].legal_first_name}",
            f"{row['client_total']:.2f}",
            f"{row['payer_total']:.2f}",
            f"{row['total']:.2f}",
            row["oldest"].isoformat(),
        ]
        for row in balances
    ]
    collections = [
        [f.month.strftime("%Y-%m"), f"{f.payer:.2f}", f"{f.client:.2f}", f"{f.total:.2f}"]
        for f in figures["collections"]
    ]
    response = export_response(
        f"openiop-receivables-{as_of.isoformat()}",
        {
            "aging-by-payer.csv": (AGING_HEADER, aging),
            "client-balances.csv": (CLIENT_HEADER, clients),
            "collections-by-month.csv": (COLLECTIONS_HEADER, collections),
        },
    )
    audit_record_many(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        clients=[row["client"] for row in balances],
        request=request,
        details={"export": "receivables", "as_of": as_of.isoformat(), "rows": len(clients)},
    )
    return response
