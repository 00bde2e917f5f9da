from django import forms
from django.utils.translation import gettext_lazy as _

from billing.codes import PROCEDURE_CODE_CHOICES
from billing.models import Payer
from billing.services.payers import PAYER_FIELDS


class PayerForm(forms.ModelForm):
    accepted_codes = forms.MultipleChoiceField(
        label=_("Codes accepted"),
        choices=PROCEDURE_CODE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the payer accepts every code of the fee schedule."),
    )

    class Meta:
        model = Payer
        fields = PAYER_FIELDS
        widgets = {"state": forms.TextInput(attrs={"size": 2, "maxlength": 2})}

    def clean_state(self):
        return (self.cleaned_data.get("state") or "").upper()

    def validate_unique(self):
        # The service says it, in its own words (a case-insensitive check).
        pass
