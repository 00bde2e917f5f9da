"""The form of an episode's demographic and social items: the chart's edit
page and the referral page (with a prefix) use it."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from iop.clients.models import Demographics
from iop.clients.teds import Race


class DemographicsForm(forms.ModelForm):
    race = forms.MultipleChoiceField(
        label=_("Race (one or more)"),
        choices=Race.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Demographics
        fields = list(Demographics.FIELDS)

    def __init__(self, *args, submit: bool = True, discharged: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not discharged:
            del self.fields["arrests_discharge"]
        self.helper = FormHelper()
        self.helper.form_tag = submit
        layout = [
            Fieldset(
                _("Race, ethnicity and status"),
                "race",
                Row(Column("ethnicity"), Column("marital_status"), Column("veteran")),
            ),
            Fieldset(
                _("Coverage and income"),
                Row(Column("health_insurance"), Column("payment_source")),
                Row(Column("income_source"), Column("not_in_labor_force")),
            ),
            Fieldset(
                _("In the 30 days before admission"),
                Row(
                    Column("arrests_admission"),
                    Column("self_help_admission"),
                    Column("pregnant"),
                ),
            ),
        ]
        if discharged:
            layout.append(Fieldset(_("At discharge"), "arrests_discharge"))
        if submit:
            layout.append(Submit("save", _("Save")))
        self.helper.layout = Layout(*layout)

    def demographics_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}
