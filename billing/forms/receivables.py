"""The A/R page's as-of date, its drill-down's cell, and a client payment."""

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.selectors.receivables.ledger import BUCKETS
from billing.selectors.receivables.report import CLIENTS
from billing.services.payments import MAX_DAYS_BACK
from iop import horizon
from iop.formtools import choose

# The as-of date of the A/R page: today or up to five years back (A/R
# older than that is written off, not aged); never ahead.
AS_OF_YEARS_BACK = 5
AS_OF = horizon.Window(
    "ar_as_of",
    lambda today: horizon.years_after(today, -AS_OF_YEARS_BACK),
    lambda today: today,
    _("Enter a date between %(earliest)s and %(latest)s."),
)


class AsOfForm(forms.Form):
    as_of = horizon.HorizonDateField(label=_("As of"), required=False, window=AS_OF)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"


class DrillDownForm(AsOfForm):
    """One cell of the aging table: a payer (its public id; "none" for
    charges without one; "clients" for what clients owe) and a bucket."""

    payer = forms.CharField(max_length=36)
    bucket = forms.ChoiceField(choices=choose([(key, label) for key, label, *_rest in BUCKETS]))

    def clean_payer(self):
        value = self.cleaned_data["payer"].strip().lower()
        if value in (CLIENTS, "none"):
            return value
        try:
            return str(uuid.UUID(value))
        except ValueError as error:
            raise forms.ValidationError(_("Not a payer of this list.")) from error


class ClientPaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_value=Decimal("99999999.99"),
        max_digits=10,
        decimal_places=2,
    )
    received_on = horizon.PastDateField(
        label=_("Received on"),
        help_text=_("Within the last %(days)s days.") % {"days": MAX_DAYS_BACK},
    )
    method = forms.ChoiceField(
        label=_("Method"),
        choices=choose([("cash", _("Cash")), ("check", _("Check")), ("card", _("Card"))]),
    )
    reference = forms.CharField(
        label=_("Reference (check or receipt number)"), required=False, max_length=60
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm"
            )


class PaymentReverseForm(forms.Form):
    number = forms.RegexField(regex=r"^[0-9A-F]{8}$", max_length=8)
    reason = forms.CharField(label=_("Why is it reversed?"), max_length=200)
