from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.models import CheckIn, OutreachAttempt
from iop import horizon
from iop.clients import teds
from iop.clients.models import Episode
from iop.formtools import choose

DATE = {"type": "date"}
TEXT = {"rows": 2}


class StepDownForm(forms.Form):
    started_on = horizon.PastDateField(
        label=_("Aftercare starts on"),
        widget=forms.DateInput(attrs=DATE),
        late_message=_("Aftercare cannot start in the future."),
    )
    recovery_goals = forms.CharField(label=_("Recovery goals"), widget=forms.Textarea(attrs=TEXT))
    triggers = forms.CharField(label=_("Triggers"), widget=forms.Textarea(attrs=TEXT))
    warning_signs = forms.CharField(label=_("Warning signs"), widget=forms.Textarea(attrs=TEXT))
    coping_steps = forms.CharField(label=_("Coping steps"), widget=forms.Textarea(attrs=TEXT))
    people_to_call = forms.CharField(
        label=_("People to call (names and numbers)"), widget=forms.Textarea(attrs=TEXT)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate()


class CheckInForm(forms.Form):
    contacted_on = horizon.PastDateField(
        label=_("Date"),
        widget=forms.DateInput(attrs=DATE),
        late_message=_("A check-in cannot be dated in the future."),
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=choose(CheckIn.Mode.choices))
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=CheckIn.Outcome.choices, widget=forms.RadioSelect
    )
    days_of_use = forms.IntegerField(
        label=_("Days of use since the last contact"), min_value=0, max_value=366, initial=0
    )
    substances_used = forms.CharField(label=_("Substances used"), max_length=200, required=False)
    mutual_help_meetings = forms.IntegerField(
        label=_("Mutual-help meetings since the last contact"),
        min_value=0,
        max_value=400,
        initial=0,
    )
    employment = forms.ChoiceField(
        label=_("Employment"), choices=[("", "—"), *CheckIn.Employment.choices], required=False
    )
    housing = forms.ChoiceField(
        label=_("Housing"), choices=[("", "—"), *CheckIn.Housing.choices], required=False
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=[("", "—"), *CheckIn.Risk.choices], required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs=TEXT), required=False)
    re_engagement = forms.ChoiceField(
        label=_("Re-engagement (required for high risk or any use)"),
        choices=CheckIn.ReEngagement.choices,
        required=False,
    )
    re_engagement_detail = forms.CharField(
        label=_("Referral or other detail"), max_length=300, required=False
    )
    session_at = horizon.ScheduledDateTimeField(
        label=_("Extra session (when)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = timezone.localdate()

    def clean_session_at(self):
        when = self.cleaned_data.get("session_at")
        if when and when < timezone.now():
            raise forms.ValidationError(_("The extra session must be in the future."))
        return when


class OutreachAttemptForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=choose(OutreachAttempt.Method.choices))
    outcome = forms.ChoiceField(label=_("Result"), choices=choose(OutreachAttempt.Outcome.choices))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DischargeForm(forms.Form):
    discharge_date = horizon.PastDateField(
        label=_("Discharge date"),
        widget=forms.DateInput(attrs=DATE),
        late_message=_("Discharge cannot be in the future."),
    )
    reason = forms.TypedChoiceField(
        label=_("TEDS discharge reason"),
        choices=choose(Episode.DischargeReason.choices),
        coerce=int,
        empty_value=None,
    )
    substances_at_discharge = forms.CharField(
        label=_("Substances used in the past 30 days"), max_length=200, required=False
    )
    employment = forms.ChoiceField(label=_("Employment"), choices=choose(teds.Employment.choices))
    living_arrangement = forms.ChoiceField(
        label=_("Living arrangement"), choices=choose(teds.Living.choices)
    )
    mutual_help = forms.ChoiceField(
        label=_("Mutual-help attendance, past 30 days"),
        choices=choose(teds.MutualHelp.choices),
    )
    primary_frequency = forms.ChoiceField(
        label=_("Use of the primary substance, past 30 days"),
        choices=[("", _("Not known")), *teds.Frequency.choices],
        required=False,
    )
    arrests = forms.ChoiceField(
        label=_("Arrests, past 30 days"),
        choices=[("", _("Not asked")), *teds.Arrests.choices],
        required=False,
    )
    summary = forms.CharField(
        label=_("Discharge summary"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discharge_date"].initial = timezone.localdate()

    def summary_data(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "substances_at_discharge",
                "employment",
                "living_arrangement",
                "mutual_help",
                "primary_frequency",
                "summary",
            )
        }
