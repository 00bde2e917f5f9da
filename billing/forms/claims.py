"""The claims worklist's filters and the batch build's choices."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from billing.models import Claim, Payer
from iop import horizon


def _style(form):
    for field in form.fields.values():
        field.widget.attrs["class"] = (
            "form-select form-select-sm"
            if isinstance(field, forms.ChoiceField)
            else "form-control form-control-sm"
        )


class _Period(forms.Form):
    payer = forms.ModelChoiceField(
        label=_("Payer"), required=False, queryset=None, empty_label=_("All payers")
    )
    start = horizon.QueryDateField(
        label=_("Service from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = horizon.QueryDateField(
        label=_("Service until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = Payer.objects.order_by("name")
        _style(self)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return cleaned


class ClaimFilterForm(_Period):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Claim.Status.choices]
    )


class BatchBuildForm(_Period):
    """Which ready charges to claim; every field optional."""


def claim_query(params, *, without=()) -> QueryDict:
    query = QueryDict(mutable=True)
    for name in ClaimFilterForm.base_fields:
        if name not in without and params.get(name):
            query[name] = params[name]
    return query
