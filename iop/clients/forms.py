from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iop import horizon
from iop.accounts import roles
from iop.clients.models import Client, Episode

# A plausible birth date: nobody is older than this in a treatment program.
MAX_AGE_YEARS = 120


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = [
            "legal_first_name",
            "legal_last_name",
            "preferred_name",
            "date_of_birth",
            "sex",
            "gender_identity",
            "preferred_language",
            "phone",
            "email",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postal_code",
            "sms_consent",
            "email_consent",
            "emergency_contact_name",
            "emergency_contact_relationship",
            "emergency_contact_phone",
        ]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}
        field_classes = {"date_of_birth": horizon.BirthDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Identity"),
                Row(
                    Column("legal_first_name"), Column("legal_last_name"), Column("preferred_name")
                ),
                Row(Column("date_of_birth"), Column("sex"), Column("gender_identity")),
                "preferred_language",
            ),
            Fieldset(
                _("Contact"),
                Row(Column("phone"), Column("email")),
                "address_line1",
                "address_line2",
                Row(Column("city"), Column("state"), Column("postal_code")),
            ),
            Fieldset(_("Reminder consent"), "sms_consent", "email_consent"),
            Fieldset(
                _("Emergency contact"),
                Row(
                    Column("emergency_contact_name"),
                    Column("emergency_contact_relationship"),
                    Column("emergency_contact_phone"),
                ),
            ),
        )
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_date_of_birth(self):
        # The future is refused by the field's horizon (BIRTH), in the same words.
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born < date(today.year - MAX_AGE_YEARS, 1, 1):
            raise forms.ValidationError(_("Check the year of birth."))
        return born

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sms_consent") and not cleaned.get("phone"):
            self.add_error("phone", _("A phone number is needed for text reminders."))
        if cleaned.get("email_consent") and not cleaned.get("email"):
            self.add_error("email", _("An email address is needed for email reminders."))
        return cleaned

    def client_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def counselor_choices():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.COUNSELOR)
        .order_by("last_name", "first_name")
    )


class ClientFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name, record number or birth date")}),
    )
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("Any phase")), *Episode.Phase.choices]
    )
    counselor = forms.ModelChoiceField(
        label=_("Counselor"), required=False, queryset=None, empty_label=_("Any counselor")
    )
    mine = forms.BooleanField(label=_("My caseload only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = counselor_choices()
        self.fields["q"].widget.attrs["class"] = "form-control"
        self.fields["phase"].widget.attrs["class"] = "form-select"
        self.fields["counselor"].widget.attrs["class"] = "form-select"
        self.fields["mine"].widget.attrs["class"] = "form-check-input"


class AssignCounselorForm(forms.Form):
    counselor = forms.ModelChoiceField(label=_("Primary counselor"), queryset=None)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = counselor_choices()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Assign")))
