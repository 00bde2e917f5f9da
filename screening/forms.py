from datetime import datetime, time, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iop import horizon
from iop.clients.forms import counselor_choices
from screening.instruments import DIMENSIONS, Instrument
from screening.models import (
    ADMITTING_LEVELS,
    DECISION_LEVEL_CHOICES,
    Referral,
    ReferralSubstance,
    SafetyFlag,
    Screening,
)

RATING_CHOICES = [(str(value), str(value)) for value in range(5)]


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = [
            "source",
            "source_detail",
            "prior_episodes",
            "planned_moud",
            "employment",
            "living_arrangement",
            "education",
        ]
        # Veteran status and pregnancy are asked with the demographics
        # (iop.clients Demographics), where "declined" and "unknown" are
        # answers; the referral's own fields keep what was recorded before.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Referral"),
                Row(Column("source"), Column("source_detail"), Column("prior_episodes")),
                Row(Column("employment"), Column("living_arrangement"), Column("education")),
                "planned_moud",
            )
        )


class SubstanceForm(forms.ModelForm):
    class Meta:
        model = ReferralSubstance
        fields = ["substance", "route", "frequency", "age_first_use"]

    def __init__(self, *args, rank: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.rank = rank
        self.label = ReferralSubstance.Rank(rank).label
        # Only the primary substance is required; the others may stay empty.
        self.empty_permitted = rank != ReferralSubstance.Rank.PRIMARY
        self.use_required_attribute = rank == ReferralSubstance.Rank.PRIMARY
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("substance"), Column("route"), Column("frequency"), Column("age_first_use"))
        )


def substance_forms(data=None) -> list[SubstanceForm]:
    return [
        SubstanceForm(data, rank=rank, prefix=f"substance{rank}")
        for rank in ReferralSubstance.Rank.values
    ]


class InstrumentForm(forms.Form):
    """An instrument's items as radio buttons, generated from its definition.

    Fields are not required here: which items must be answered depends on
    skip rules, and screening.instruments.score reports each missing or
    invalid item, which the view attaches to that item's field.
    """

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for number, item in enumerate(instrument.items, start=1):
            choices = [
                (
                    str(option.value),
                    option.label
                    if option.points is None or not item.scored
                    else f"{option.label} ({option.points})",
                )
                for option in item.options
            ]
            help_text = item.skip_rule or ("" if item.required else _("Optional; not scored."))
            self.fields[f"item_{item.key}"] = forms.ChoiceField(
                label=f"{number}. {item.text}",
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                help_text=help_text,
            )

    def answers(self) -> dict[str, str]:
        """The posted answers keyed by item, leaving out unanswered items."""
        return {
            name.removeprefix("item_"): value
            for name, value in self.cleaned_data.items()
            if value not in ("", None)
        }

    def add_item_errors(self, errors: dict[str, str]) -> None:
        for key, message in errors.items():
            field = f"item_{key}"
            self.add_error(field if field in self.fields else None, message)


class DimensionRatingsForm(forms.Form):
    complicated_withdrawal = forms.BooleanField(
        label=_("Complicated withdrawal now or in history (seizure, delirium, hallucinations)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for dimension, description in DIMENSIONS.items():
            self.fields[f"{dimension}_rating"] = forms.TypedChoiceField(
                label=f"{dimension} {description}",
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
            )
            self.fields[f"{dimension}_justification"] = forms.CharField(
                label=_("Why %(dimension)s is rated so") % {"dimension": dimension},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
            )

    @classmethod
    def initial_from(cls, screening: Screening) -> dict:
        initial = {"complicated_withdrawal": screening.complicated_withdrawal}
        for rating in screening.ratings.all():
            initial[f"{rating.dimension}_rating"] = str(rating.rating)
            initial[f"{rating.dimension}_justification"] = rating.justification
        return initial

    def ratings(self) -> dict[str, tuple[int, str]]:
        return {
            dimension: (
                self.cleaned_data[f"{dimension}_rating"],
                self.cleaned_data[f"{dimension}_justification"],
            )
            for dimension in DIMENSIONS
        }


class SafetyActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action taken"), choices=SafetyFlag.Action.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What was done, with whom, and when"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Record the action")))


def _next_weekday_morning() -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


class CompletionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Screening.Decision.choices, widget=forms.RadioSelect
    )
    decided_level = forms.ChoiceField(
        label=_("Level of care or service"), choices=DECISION_LEVEL_CHOICES
    )
    reason = forms.CharField(
        label=_("Reason (required when the decision differs from the recommendation)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    counselor = forms.ModelChoiceField(
        label=_("Primary counselor (admission)"), queryset=None, required=False
    )
    orientation_at = horizon.ScheduledDateTimeField(
        label=_("Orientation session (admission)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    referred_to = forms.CharField(
        label=_("Referred to (program or service)"), required=False, max_length=200
    )
    share_results_in_letter = forms.BooleanField(
        label=_("The client consents to share screening results in the referral letter"),
        required=False,
    )

    def __init__(self, *args, screening: Screening, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "decided_level": screening.recommended_level
                if screening.recommended_level
                else "2.1",
                "decision": Screening.Decision.ADMIT
                if screening.recommended_level in ADMITTING_LEVELS
                else Screening.Decision.REFER,
                "orientation_at": _next_weekday_morning(),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = counselor_choices()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "decision",
            Row(Column("decided_level"), Column("reason")),
            Fieldset(_("Admission"), Row(Column("counselor"), Column("orientation_at"))),
            Fieldset(_("Referral out"), "referred_to", "share_results_in_letter"),
        )
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Complete and sign the screening")))

    def clean_orientation_at(self):
        when = self.cleaned_data.get("orientation_at")
        if when and when < timezone.now():
            raise forms.ValidationError(_("The orientation must be in the future."))
        return when

    def decision_data(self) -> dict:
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "decided_level": data["decided_level"],
            "reason": data["reason"],
            "counselor": data["counselor"],
            "orientation_at": data["orientation_at"],
            "referred_to": data["referred_to"],
            "share_results_in_letter": data["share_results_in_letter"],
        }


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Sign and add the addendum")))
