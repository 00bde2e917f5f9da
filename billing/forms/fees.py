from django import forms
from django.utils.translation import gettext_lazy as _

from billing.codes import PROCEDURE_CODE_CHOICES, Modifier
from billing.models import Payer
from iop import horizon


class FeeRateForm(forms.Form):
    payer = forms.ModelChoiceField(
        label=_("Payer"),
        queryset=Payer.objects.filter(active=True),
        required=False,
        empty_label=_("The program's own rate (self-pay and grant clients)"),
    )
    code = forms.ChoiceField(label=_("Code"), choices=[("", "---------"), *PROCEDURE_CODE_CHOICES])
    modifiers = forms.MultipleChoiceField(
        label=_("Modifiers"),
        choices=Modifier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    amount = forms.DecimalField(label=_("Rate per unit ($)"), max_digits=9, decimal_places=2)
    effective_from = horizon.QueryDateField(label=_("Effective from"))
    effective_to = horizon.QueryDateField(
        label=_("Effective to"),
        required=False,
        help_text=_("Leave empty for a rate in force until a new one replaces it."),
    )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("A rate cannot be negative."))
        return amount


class FeeFilterForm(forms.Form):
    payer = forms.ModelChoiceField(
        label=_("Payer"),
        queryset=Payer.objects.all(),
        required=False,
        empty_label=_("The program's own rates"),
    )
