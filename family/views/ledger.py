"""The accounting of disclosures as CSV, for administrators: one client's
(from the chart) and the program's ledger over a period. Each download is a
ZIP of the CSV and the 42 CFR part 2 notice (iop.exports), and an audited
export."""

from datetime import datetime, time, timedelta

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from family import selectors
from family.forms import LedgerPeriodForm
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.accounts.mfa.decorators import reauth_required
from iop.audit.decorators import client_view
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record, audit_record_many
from iop.exports import export_response
from iop.formtools import plain_text_400


def _csv(filename: str, header: list[str], rows) -> HttpResponse:
    """One CSV in the program's export shape (iop.exports: a ZIP with the
    Part 2 notice beside it)."""
    return export_response(filename.removesuffix(".csv"), {filename: (header, rows)})


def _row(disclosure, *, with_client: bool) -> list:
    row = [timezone.localtime(disclosure.disclosed_at).strftime("%Y-%m-%d %H:%M")]
    if with_client:
        row.append(disclosure.client.mrn)
    return [
        *row,
        disclosure.recipient_name,
        disclosure.get_recipient_kind_display(),
        "; ".join(disclosure.category_labels),
        disclosure.description,
        disclosure.purpose,
        f"{disclosure.consent.signed_on:%Y-%m-%d} ({disclosure.consent.public_id})",
        disclosure.get_path_display(),
        disclosure.user.username if disclosure.user else _("system"),
    ]


HEADER = [
    gettext_lazy("recipient"),
    gettext_lazy("recipient type"),
    gettext_lazy("what"),
    gettext_lazy("description"),
    gettext_lazy("purpose"),
    gettext_lazy("consent"),
    gettext_lazy("how"),
    gettext_lazy("user"),
]


@client_view(roles.ADMINISTRATOR, whole_record=True)
@reauth_required
@require_safe
def accounting_export(request, client):
    rows = list(selectors.client_accounting(client))
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        client=client,
        obj=client,
        request=request,
        details={"document": "accounting_of_disclosures", "rows": len(rows)},
    )
    return _csv(
        f"disclosures-{client.mrn}.csv",
        [str(_("date")), *map(str, HEADER)],
        (_row(d, with_client=False) for d in rows),
    )


@role_required(roles.ADMINISTRATOR)
@reauth_required
@require_safe
def ledger_export(request):
    form = LedgerPeriodForm(request.GET or None)
    today = timezone.localdate()
    since, until = today - timedelta(days=365 * selectors.ACCOUNTING_YEARS), today
    if form.is_bound and not form.is_valid():
        # Each message as plain text: a day outside the horizon says which days are possible.
        errors = [message for messages in form.errors.values() for message in messages]
        return plain_text_400(errors, _("Check the dates."))
    if form.is_bound:
        since = form.cleaned_data["since"] or since
        until = form.cleaned_data["until"] or until
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    rows = list(selectors.program_ledger(since=start, until=end))
    clients = list({d.client_id: d.client for d in rows}.values())
    audit_record_many(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        clients=clients,
        request=request,
        details={"document": "disclosure_ledger", "since": str(since), "until": str(until)},
    )
    if not clients:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            request=request,
            details={"document": "disclosure_ledger", "rows": 0},
        )
    return _csv(
        f"disclosure-ledger-{since:%Y%m%d}-{until:%Y%m%d}.csv",
        [str(_("date")), str(_("record number")), *map(str, HEADER)],
        (_row(d, with_client=True) for d in rows),
    )
