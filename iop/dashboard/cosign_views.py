"""The supervisor's co-signature queue (iop/dashboard/cosign.py): the list
with its count and filters, reading a note in the queue, co-signing several
read notes at once."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from iop import horizon
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view, audit_record, audit_record_many
from iop.dashboard import cosign
from iop.formtools import message_outcome

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})


class CosignFilterForm(forms.Form):
    counselor = forms.ModelChoiceField(
        label=gettext_lazy("Signed by"),
        required=False,
        queryset=None,
        empty_label=gettext_lazy("Any counselor"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    signed_from = horizon.QueryDateField(
        label=gettext_lazy("Signed from"), required=False, widget=DATE
    )
    signed_to = horizon.QueryDateField(
        label=gettext_lazy("Signed until"), required=False, widget=DATE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Whoever signs clinical notes (a counselor may have left training
        # with notes still awaiting).
        self.fields["counselor"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=roles.CLINICIANS)
            .distinct()
            .order_by("last_name", "first_name")
        )


@role_required(roles.SUPERVISOR)
@require_GET
def cosign_queue(request):
    form = CosignFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    items = cosign.cosign_queue(
        request.user,
        clients_visible_to(request.user),
        counselor=filters.get("counselor"),
        signed_from=filters.get("signed_from"),
        signed_to=filters.get("signed_to"),
    )
    audit_list_view(
        request, clients=[item.client for item in items if item.client], name="cosign_queue"
    )
    context = {
        "form": form,
        "items": items,
        "read_count": sum(item.read for item in items),
        "query": request.GET.urlencode(),
    }
    return render(request, "dashboard/cosign_queue.html", context)


@role_required(roles.SUPERVISOR)
@require_GET
def cosign_read(request, kind, note_id):
    """htmx: a note's text in the queue. Opening it is the audited reading
    that the bulk co-signature asks for."""
    try:
        item = cosign.cosign_queue_item(
            request.user, clients_visible_to(request.user), kind, str(note_id)
        )
    except LookupError as error:
        raise Http404 from error
    details = {cosign.READ_MARK: True}
    if item.client is not None:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            client=item.client,
            obj=item.note,
            request=request,
            details=details,
        )
        lines = None
    else:
        # A group note: its participant lines name each client who attended.
        lines = list(
            item.note.attendance.select_related("client").order_by(
                "client__legal_last_name", "client__pk"
            )
        )
        audit_record_many(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            clients=[line.client for line in lines],
            obj=item.note,
            request=request,
            details=details,
        )
    if item.kind.key == "plan":
        item.note = (
            type(item.note)
            .objects.prefetch_related("problems__goals__objectives__interventions")
            .get(pk=item.note.pk)
        )
    slot = request.GET.get("slot", "")
    context = {
        "item": item,
        "note": item.note,
        "lines": lines,
        "slot": slot if slot.isascii() and slot.isdigit() else "",
    }
    return render(request, item.kind.template, context)


@role_required(roles.SUPERVISOR)
@require_POST
def cosign_bulk(request):
    keys = request.POST.getlist("note")

    def sign():
        count = cosign.cosign_queue_sign(
            actor=request.user,
            visible=clients_visible_to(request.user),
            keys=keys,
            request=request,
        )
        messages.success(
            request,
            ngettext("%(count)s note co-signed.", "%(count)s notes co-signed.", count)
            % {"count": count},
        )

    message_outcome(request, sign)
    url = reverse("dashboard:cosign-queue")
    # Back to the list as it was filtered (only the filter's own fields).
    kept = {
        name: value
        for name, value in QueryDict(request.POST.get("query", "")).items()
        if name in CosignFilterForm.base_fields and value
    }
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)
