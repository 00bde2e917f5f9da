"""The date-of-birth question of a self-report link, and the not-on-track
rules' form."""

from datetime import date

from django import forms
from django.utils import timezone

from outcomes.models import OnTrackRule
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


class OnTrackRuleForm(forms.ModelForm):
    """One rule's label, parameters and use; only the parameters its kind
    reads are offered (outcomes.rules)."""

    rule = forms.SlugField(widget=forms.HiddenInput)

    class Meta:
        model = OnTrackRule
        fields = ["label", "weeks", "points", "percent", "count", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].initial = self.instance.key
        for name in ("weeks", "points", "percent", "count"):
            if name not in self.instance.parameters:
                del self.fields[name]
            else:
                self.fields[name].required = True
        for name, field in self.fields.items():
            if name != "active":
                field.widget.attrs.setdefault("class", "form-control form-control-sm")
        self.fields["active"].widget.attrs["class"] = "form-check-input"
        self.auto_id = f"id_{self.instance.key}_%s"
