"""The date-of-birth question of a self-report link."""

from datetime import date

from django import forms
from django.utils import timezone

from outcomes.selfreport_texts import texts_for


class DateOfBirthForm(forms.Form):
    """One date, in the client's language; errors in the same language."""

    date_of_birth = forms.DateField(
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(
            format="%Y-%m-%d", attrs={"type": "date", "autocomplete": "bday", "required": True}
        ),
    )

    def __init__(self, *args, texts: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        texts = texts or texts_for("en")
        field = self.fields["date_of_birth"]
        field.label = texts["dob_label"]
        field.help_text = texts["dob_help"]
        field.error_messages = {"required": texts["dob_required"], "invalid": texts["dob_invalid"]}
        self.texts = texts

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        # A date of birth is in the past and after 1900 (a sane horizon).
        if not date(1900, 1, 1) <= value <= timezone.localdate():
            raise forms.ValidationError(self.texts["dob_invalid"])
        return value
