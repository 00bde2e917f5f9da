"""A client's superbill for a period: a printable page, audited as an
export and behind a fresh re-authentication like every export."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from billing.forms.superbill import SuperbillPeriodForm
from billing.provider import billing_provider
from billing.selectors.superbill import superbill_for
from iop.accounts import roles
from iop.accounts.mfa.decorators import reauth_required
from iop.audit.decorators import client_view
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.exports import PART2_NOTICE
from iop.formtools import plain_text_400

BILLING_STAFF = (roles.BILLING, roles.ADMINISTRATOR)


@client_view(*BILLING_STAFF)
@reauth_required
@require_GET
def superbill(request, client):
    form = SuperbillPeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        errors = [message for messages in form.errors.values() for message in messages]
        return plain_text_400(errors, _("Check the dates."))
    today = timezone.localdate()
    start, end = today.replace(day=1), today
    if form.is_bound:
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or max(end, start)
    bill = superbill_for(client, start=start, end=end)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        client=client,
        obj=client,
        request=request,
        details={
            "document": "superbill",
            "start": start.isoformat(),
            "end": end.isoformat(),
            "lines": len(bill.lines),
        },
    )
    context = {
        "client": client,
        "bill": bill,
        "form": SuperbillPeriodForm(initial={"start": start, "end": end}),
        "provider": billing_provider(),
        "notice": PART2_NOTICE,
        "prepared_at": timezone.localtime(),
    }
    return render(request, "billing/superbill/superbill.html", context)
