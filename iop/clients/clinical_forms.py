"""Forms of the clinical record: appointments, session notes, plans, drug
tests, medications and mutual-help meetings."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from iop import horizon
from iop.clients.forms import counselor_choices
from iop.clients.models import (
    Appointment,
    DrugTest,
    DrugTestResult,
    Medication,
    MutualHelpMeeting,
    Objective,
    ServiceCode,
    Substance,
)
from iop.clients.panel import usual_panel
from iop.formtools import choose

DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class AppointmentForm(forms.ModelForm):
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=240, initial=50
    )

    class Meta:
        model = Appointment
        fields = ["kind", "starts_at", "duration_minutes", "counselor", "mode"]
        widgets = {"starts_at": forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT)}
        field_classes = {"starts_at": horizon.ScheduledDateTimeField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = counselor_choices()
        # The covering scope of the access policy (README, "The access policy").
        self.fields["counselor"].help_text = _(
            "Booking another counselor opens this client to them for the appointment"
            " (covering): from a week before it until 72 hours after."
        )
        self.helper = _helper(_("Schedule"))
        self.helper.layout = Layout(
            Row(Column("kind"), Column("starts_at"), Column("duration_minutes")),
            Row(Column("counselor"), Column("mode")),
        )


class SessionNoteForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Attendance"),
        choices=[c for c in Appointment.Status.choices if c[0] != Appointment.Status.SCHEDULED],
        widget=forms.RadioSelect,
    )
    data = forms.CharField(
        label=_("Data (what was observed and said)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
    )
    assessment = forms.CharField(
        label=_("Assessment (clinical interpretation, progress on objectives)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )
    plan = forms.CharField(
        label=_("Plan (next steps, homework, next session)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )
    service_code = forms.ChoiceField(label=_("Service code"), choices=choose(ServiceCode.choices))
    minutes = forms.IntegerField(label=_("Minutes of service"), min_value=0, max_value=480)
    objectives = forms.ModelMultipleChoiceField(
        label=_("Treatment-plan objectives addressed"),
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_starts_at = horizon.ScheduledDateTimeField(
        label=_("Next appointment (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
    )

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = objectives
        self.fields["objectives"].label_from_instance = lambda objective: objective.label

    def clean_next_starts_at(self):
        when = self.cleaned_data.get("next_starts_at")
        if when and when < timezone.now():
            raise forms.ValidationError(_("The next appointment must be in the future."))
        return when


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"), widget=forms.Textarea(attrs={"rows": 2}), max_length=8000
    )


class StatementForm(forms.Form):
    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 2}))


class ObjectiveForm(forms.Form):
    statement = forms.CharField(
        label=_("Measurable objective"), widget=forms.Textarea(attrs={"rows": 2})
    )
    target_date = horizon.PlannedDateField(
        label=_("Target date"), widget=forms.DateInput(attrs=DATE)
    )


class InterventionForm(forms.Form):
    description = forms.CharField(label=_("Intervention"), max_length=500)
    responsible = forms.CharField(label=_("Who"), max_length=120)
    frequency = forms.CharField(label=_("How often"), max_length=120)


class PlanSignForm(forms.Form):
    client_agreed_on = horizon.PastDateField(
        label=_("Client agreed on"),
        widget=forms.DateInput(attrs=DATE),
        late_message=_("The agreement date cannot be in the future."),
    )
    agreement_note = forms.CharField(
        label=_("How (signature on paper, verbal in session …)"), max_length=200, required=False
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note (no changes needed because …)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


RESULT_CHOICES = [("", _("Not tested")), *DrugTestResult.Result.choices]


class DrugTestForm(forms.Form):
    collected_on = horizon.PastDateField(
        label=_("Collected on"),
        widget=forms.DateInput(attrs=DATE),
        late_message=_("A test cannot be dated in the future."),
    )
    specimen = forms.ChoiceField(label=_("Specimen"), choices=choose(DrugTest.Specimen.choices))
    observed = forms.BooleanField(label=_("Observed collection"), required=False)
    random_selection = forms.BooleanField(
        label=_("Random weekly test"), required=False, initial=True
    )

    ALL_NEGATIVE = "all_negative"

    def __init__(self, data=None, *args, **kwargs):
        panel = usual_panel()
        if data is not None and data.get(self.ALL_NEGATIVE):
            # The shortcut: every substance of the usual panel left blank is
            # negative; a result chosen on the form is kept.
            data = data.copy()
            for code in panel.substances:
                if not data.get(f"result_{code}"):
                    data[f"result_{code}"] = DrugTestResult.Result.NEGATIVE
        super().__init__(data, *args, **kwargs)
        self.fields["collected_on"].initial = timezone.localdate()
        self.fields["specimen"].initial = panel.specimen
        for value, label in Substance.choices:
            self.fields[f"result_{value}"] = forms.ChoiceField(
                label=label,
                choices=RESULT_CHOICES,
                required=False,
                help_text=_("usual panel") if value in panel.substances else "",
            )
        self.helper = _helper(_("Record test"))
        self.helper.layout = Layout(
            "collected_on",
            "specimen",
            "observed",
            "random_selection",
            Div(
                HTML(
                    format_html(
                        '<p class="mb-2" id="usual-panel">{} {}</p>',
                        _("Usual panel:"),
                        ", ".join(str(label) for label in panel.labels),
                    )
                ),
                Submit(
                    self.ALL_NEGATIVE,
                    _("All negative (usual panel)"),
                    css_class="btn-success",
                    aria_describedby="usual-panel",
                ),
                HTML(
                    format_html(
                        '<p class="small text-body-secondary mt-2 mb-0">{}</p>',
                        _(
                            "Records each substance of the usual panel as negative; "
                            "a result chosen below is kept."
                        ),
                    )
                ),
                css_class="border rounded p-3 mb-3",
            ),
            *(f"result_{value}" for value in Substance.values),
        )

    def clean(self):
        cleaned = super().clean()
        if not self.results():
            raise forms.ValidationError(_("Record at least one result."))
        return cleaned

    def results(self) -> dict[str, str]:
        return {
            name.removeprefix("result_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("result_") and value
        }


class MedicationForm(forms.ModelForm):
    class Meta:
        model = Medication
        fields = [
            "drug",
            "other_name",
            "dose",
            "schedule",
            "prescriber_name",
            "prescriber_internal",
            "prescriber_contact",
            "start_date",
            "stop_date",
            "next_injection_due",
            "expected_substance",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs=DATE),
            "stop_date": forms.DateInput(attrs=DATE),
            "next_injection_due": forms.DateInput(attrs=DATE),
        }
        # A medication may be entered ahead of its start, or with a planned stop.
        field_classes = {
            "start_date": horizon.PlannedDateField,
            "stop_date": horizon.PlannedDateField,
            "next_injection_due": horizon.PlannedDateField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add medication"))

    def clean(self):
        cleaned = super().clean()
        start, stop = cleaned.get("start_date"), cleaned.get("stop_date")
        if start and stop and stop < start:
            self.add_error("stop_date", _("The stop date is before the start date."))
        if cleaned.get("drug") == Medication.Drug.OTHER and not cleaned.get("other_name"):
            self.add_error("other_name", _("Name the medication."))
        return cleaned


class StopMedicationForm(forms.Form):
    stop_date = horizon.PastDateField(label=_("Stopped on"), widget=forms.DateInput(attrs=DATE))


class MeetingForm(forms.ModelForm):
    attended_on = horizon.PastDateField(
        label=_("Date"), late_message=_("A meeting cannot be dated in the future.")
    )

    class Meta:
        model = MutualHelpMeeting
        fields = ["attended_on", "kind", "meeting_name", "verified"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended_on"].initial = timezone.localdate()
        self.helper = _helper(_("Record meeting"))
