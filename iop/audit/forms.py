from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from iop.audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    user = forms.ModelChoiceField(label=_("User"), required=False, queryset=None)
    client = forms.CharField(label=_("Client record number"), required=False, max_length=12)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any")), *AuditEvent.Action.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.order_by("username")
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
