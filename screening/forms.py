from datetime import datetime, time, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from iop import horizon
from iop.clients.forms import counselor_choices
from iop.formtools import choose
from screening.instruments import DIMENSIONS, Instrument
from screening.instruments.anchors import DIMENSION_ANCHORS
from screening.models import (
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
        # Only the primary substance is required. A secondary or tertiary row
        # is optional as a whole: empty, it is skipped; begun, it is finished
        # (clean). Its fields are therefore not marked required.
        self.optional = rank != ReferralSubstance.Rank.PRIMARY
        self.empty_permitted = self.optional
        self.use_required_attribute = not self.optional
        if self.optional:
            for field in self.fields.values():
                field.required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("substance"), Column("route"), Column("frequency"), Column("age_first_use"))
        )

    def clean(self):
        cleaned = super().clean()
        if self.optional:
            missing = [
                name
                for name in self.Meta.fields
                if cleaned.get(name) in (None, "") and name not in self.errors
            ]
            if len(missing) < len(self.Meta.fields):
                message = _("Complete the %(rank)s substance or leave all of its fields empty.") % {
                    "rank": self.label.lower()
                }
                for name in missing:
                    self.add_error(name, message)
        return cleaned


def substance_forms(data=None) -> list[SubstanceForm]:
    return [
        SubstanceForm(data, rank=rank, prefix=f"substance{rank}")
        for rank in ReferralSubstance.Rank.values
    ]


class ItemAnswersForm(forms.Form):
    """What every form of an instrument's items shares (staff entry here,
    the client's own in outcomes): fields named `item_<key>`, the posted
    answers by item, and scoring's item-level errors put on their fields."""

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


class InstrumentForm(ItemAnswersForm):
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


def _anchors(dimension: str) -> str:
    """What each rating point means for `dimension`, as a short list."""
    return format_html(
        '<ul class="list-unstyled mb-0 small" data-testid="anchors-{}">{}</ul>',
        dimension,
        format_html_join(
            "",
            "<li>{}: {}</li>",
            enumerate(DIMENSION_ANCHORS[dimension]),
        ),
    )


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
                help_text=_anchors(dimension),
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
        label=_("Level of care or service"), choices=choose(DECISION_LEVEL_CHOICES)
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
        # The decision and its level are the screener's to choose: the
        # recommendation stands beside them on the page, never pre-selected.
        kwargs.setdefault("initial", {"orientation_at": _next_weekday_morning()})
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
        self.helper.add_input(
            Submit(
                "submit",
                _("Complete and sign the screening"),
                # Signing locks the screening: the dialog asks first (static/js/confirm.js).
                data_confirm=_(
                    "Complete and sign the screening? It is locked once signed: after "
                    "that, only an addendum can be added."
                ),
                data_confirm_label=_("Complete and sign"),
            )
        )

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
