"""Forms of the Diagnoses page: the DSM-5-TR criteria checklist, a
co-occurring diagnosis by ICD-10-CM code, resolving, and the diagnosis at
discharge. They validate the input's shape; the services check the rest
(the checklist against the severity, the code against the shipped list)."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iop import horizon
from iop.clients.diagnoses import Criterion, Remission, Severity, SubstanceClass
from iop.clients.models import Diagnosis
from iop.formtools import choose

DATE = {"type": "date"}


def _date_made():
    return horizon.PastDateField(
        label=_("Date made"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs=DATE),
        late_message=_("A diagnosis cannot be dated in the future."),
    )


class SudChecklistForm(forms.Form):
    substance_class = forms.ChoiceField(
        label=_("Substance class"), choices=choose(SubstanceClass.choices)
    )
    criteria_met = forms.MultipleChoiceField(
        label=_("Criteria met within 12 months"),
        choices=Criterion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Hallucinogen and inhalant use disorders have no withdrawal criterion. "
            "For a disorder in remission, tick the criteria met when it was diagnosed."
        ),
    )
    supervised_medication = forms.BooleanField(
        label=_(
            "Tolerance and withdrawal occurred only under appropriate medical supervision "
            "with prescribed medication (not counted)"
        ),
        required=False,
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=[("", _("As the checklist gives")), *Severity.choices],
        required=False,
    )
    remission = forms.ChoiceField(
        label=_("Remission"),
        choices=[("", _("Not in remission")), *Remission.choices],
        required=False,
    )
    on_maintenance_therapy = forms.BooleanField(
        label=_("On maintenance therapy (opioid)"), required=False
    )
    in_controlled_environment = forms.BooleanField(
        label=_("In a controlled environment"), required=False
    )
    date_made = _date_made()
    primary = forms.BooleanField(label=_("Primary diagnosis"), required=False)


class CodeDiagnosisForm(forms.Form):
    icd10_code = forms.CharField(
        label=_("ICD-10-CM code"),
        max_length=10,
        help_text=_("Type a code or words of its description and choose from the list."),
    )
    date_made = _date_made()
    primary = forms.BooleanField(label=_("Primary diagnosis"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The shipped list, searched as one types (htmx fills the datalist).
        self.fields["icd10_code"].widget.attrs.update(
            {
                "list": "icd10-options",
                "autocomplete": "off",
                "hx-get": reverse("clients:icd10-search"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#icd10-options",
                "hx-swap": "innerHTML",
            }
        )


class ResolveForm(forms.Form):
    date_resolved = horizon.PastDateField(
        label=_("Resolved on"),
        widget=forms.DateInput(attrs=DATE),
        late_message=_("A diagnosis cannot be resolved in the future."),
    )


class DischargeDiagnosisForm(forms.Form):
    """One of the episode's diagnoses, or none; `diagnoses` are the episode's
    own (given by the view, so rendering makes no query)."""

    diagnosis = forms.ChoiceField(label=_("Diagnosis at discharge"), required=False)

    def __init__(self, *args, diagnoses, **kwargs):
        super().__init__(*args, **kwargs)
        self.diagnoses = {str(d.public_id): d for d in diagnoses}
        self.fields["diagnosis"].choices = [("", _("None recorded"))] + [
            (key, f"{d.icd10_code} {d.label}") for key, d in self.diagnoses.items()
        ]

    def clean_diagnosis(self):
        value = self.cleaned_data["diagnosis"]
        return self.diagnoses[value] if value else None


class ProblemForm(forms.Form):
    """A treatment-plan problem and the episode's current diagnoses it addresses."""

    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 2}))
    diagnoses = forms.ModelMultipleChoiceField(
        label=_("Diagnoses it addresses"),
        queryset=Diagnosis.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["diagnoses"].queryset = Diagnosis.objects.current().filter(episode=episode)
