"""The billing worklist's filters and the forms of its actions."""

from django import forms
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from billing.models import Charge, Payer
from billing.selectors.charges import BILLED, UNBILLED
from iop import horizon
from iop.accounts import roles


def clinician_choices():
    return (
        get_user_model()
        .objects.filter(groups__name__in=roles.CLINICIANS)
        .distinct()
        .order_by("last_name", "first_name")
    )


class ChargeFilterForm(forms.Form):
    """The worklist's filters, read from the query string; every one optional."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All statuses")),
            *Charge.Status.choices,
            (BILLED, _("Billed: ready, sent, paid or denied")),
            (UNBILLED, _("Not yet billed: drafted or held")),
        ],
    )
    hold_reason = forms.ChoiceField(
        label=_("Held because"),
        required=False,
        choices=[("", _("Any reason")), *Charge.HoldReason.choices],
    )
    payer = forms.ModelChoiceField(
        label=_("Payer"), required=False, queryset=None, empty_label=_("All payers")
    )
    clinician = forms.ModelChoiceField(
        label=_("Rendering clinician"),
        required=False,
        queryset=None,
        empty_label=_("All clinicians"),
    )
    start = horizon.QueryDateField(
        label=_("Service from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = horizon.QueryDateField(
        label=_("Service until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    client = forms.CharField(label=_("Client record number"), required=False, max_length=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = Payer.objects.order_by("name")
        self.fields["clinician"].queryset = clinician_choices()
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm"
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period is before its start."))
        cleaned["client"] = (cleaned.get("client") or "").strip().upper()
        return cleaned


def filter_query(params, *, without=()) -> QueryDict:
    """Only the worklist's filters of `params` (for paging and tab links)."""
    query = QueryDict(mutable=True)
    for name in ChargeFilterForm.base_fields:
        if name not in without and params.get(name):
            query[name] = params[name]
    return query


class HoldForm(forms.Form):
    detail = forms.CharField(label=_("Why is it held?"), max_length=255)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Why is it voided?"), max_length=255)
