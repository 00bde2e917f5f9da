from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from iop import horizon
from iop.audit.models import AuditEvent, EmergencyAccess
from iop.formtools import choose


class AuditFilterForm(forms.Form):
    start = horizon.QueryDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = horizon.QueryDateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    user = forms.ModelChoiceField(label=_("User"), required=False, queryset=None)
    client = forms.CharField(label=_("Client record number"), required=False, max_length=12)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any")), *AuditEvent.Action.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.order_by(
            "last_name", "first_name", "username"
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("start"),
                Column("end"),
                Column("user"),
                Column("client"),
                Column("action"),
            )
        )
        self.helper.add_input(Submit("filter", _("Filter"), css_class="btn-secondary"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return cleaned


class EmergencyAccessForm(forms.Form):
    """Break-glass: the client is named exactly (record number and date of
    birth, both required), so the form cannot be used to look people up."""

    REASON_MIN_LENGTH = 20

    mrn = forms.CharField(label=_("Client record number"), max_length=12)
    date_of_birth = horizon.BirthDateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.ChoiceField(
        label=_("Reason"), choices=choose(EmergencyAccess.Category.choices)
    )
    reason = forms.CharField(
        label=_("Explain why you need this record now"),
        min_length=REASON_MIN_LENGTH,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At least 20 characters. Administrators review every emergency access."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that this access lasts one hour, is recorded with my reason, and"
            " that every page I open is audited and reviewed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("mrn"), Column("date_of_birth")), "category", "reason", "confirm"
        )
        self.helper.add_input(Submit("open", _("Open the record"), css_class="btn-danger"))

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < self.REASON_MIN_LENGTH:
            raise forms.ValidationError(
                _("Give a reason of at least %(n)d characters.") % {"n": self.REASON_MIN_LENGTH}
            )
        return reason
