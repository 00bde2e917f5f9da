from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from billing.models import Coverage, CoverageVerification, Payer
from billing.services.coverage import validate_card
from iop import horizon

CARD = forms.FileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})


class CoverageForm(forms.ModelForm):
    class Meta:
        model = Coverage
        fields = (
            "payer",
            "plan_name",
            "member_id",
            "group_number",
            "order",
            "subscriber_relationship",
            "subscriber_name",
            "subscriber_birth_date",
            "effective_from",
            "effective_to",
            "card_front",
            "card_back",
        )
        widgets = {
            "card_front": CARD,
            "card_back": CARD,
        }
        # Dates within the program's horizon (iop/horizon.py): a coverage
        # starts and ends within OUTER, a subscriber was born in BIRTH.
        field_classes = {
            "subscriber_birth_date": horizon.BirthDateField,
            "effective_from": horizon.QueryDateField,
            "effective_to": horizon.QueryDateField,
        }
        help_texts = {
            "subscriber_name": _("Left empty when the client is the subscriber: their own name."),
            "card_front": _("JPEG, PNG or PDF, up to 5 MB."),
            "card_back": _("JPEG, PNG or PDF, up to 5 MB."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = Payer.objects.filter(active=True)
        self.fields["effective_from"].required = True

    def _card(self, field):
        card = self.cleaned_data.get(field)
        if card:
            try:
                validate_card(card, field)
            except ValidationError as error:
                raise forms.ValidationError(error.message_dict[field]) from error
        return card

    def clean_card_front(self):
        return self._card("card_front")

    def clean_card_back(self):
        return self._card("card_back")

    def _post_clean(self):
        # The service checks dates and writes the row (nothing from the
        # model's own clean, which would need the client).
        pass

    def coverage_data(self) -> dict:
        data = {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in ("card_front", "card_back")
        }
        data["subscriber_name"] = data.get("subscriber_name") or ""
        return data


class CoverageEndForm(forms.Form):
    ends_on = horizon.QueryDateField(label=_("Last covered day"))


class VerificationForm(forms.ModelForm):
    class Meta:
        model = CoverageVerification
        fields = ("verified_on", "method", "result", "notes")
        field_classes = {"verified_on": horizon.PastDateField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
