"""Forms of measurement-based care: the date-of-birth question of a
self-report link, the not-on-track rules, the measurement plan, the chart's
measure requests and the questionnaire (kiosk and link)."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outcomes.models import MeasurePlanEntry, OnTrackRule
from outcomes.models.plan import PLAN_INSTRUMENTS, Method
from outcomes.selfreport_texts import texts_for
from outcomes.services.plan_entries import AFTERCARE_MONTH_RANGE, EVERY_DAYS_RANGE
from screening.forms import ItemAnswersForm
from screening.instruments.translations import languages_of


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


LANGUAGE_NAMES = {"en": _("English"), "es": _("Spanish")}


class PlanEntryForm(forms.ModelForm):
    """A line of the plan. Each moment's own field is required for that
    moment and ignored for the others (the service clears it)."""

    class Meta:
        model = MeasurePlanEntry
        fields = ["instrument", "moment", "every_days", "aftercare_month", "method", "window_days"]
        help_texts = {
            "every_days": _("For “every N days”: %(low)s to %(high)s.")
            % {"low": EVERY_DAYS_RANGE[0], "high": EVERY_DAYS_RANGE[1]},
            "aftercare_month": _("For “aftercare month N”: %(low)s to %(high)s.")
            % {"low": AFTERCARE_MONTH_RANGE[0], "high": AFTERCARE_MONTH_RANGE[1]},
            "window_days": _("Days after the due date the measure may still be answered."),
        }

    def __init__(self, *args, schedule_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["every_days"].widget.attrs.update(
            min=EVERY_DAYS_RANGE[0], max=EVERY_DAYS_RANGE[1]
        )
        self.fields["aftercare_month"].widget.attrs.update(
            min=AFTERCARE_MONTH_RANGE[0], max=AFTERCARE_MONTH_RANGE[1]
        )
        self.fields["window_days"].max_value = 60
        self.fields["window_days"].widget.attrs.update(min=0, max=60)
        if schedule_fixed:
            # Measures were made due by this line: its schedule stays.
            for name in ("instrument", "moment", "every_days", "aftercare_month"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        moment = data.get("moment")
        if moment == MeasurePlanEntry.Moment.EVERY:
            low, high = EVERY_DAYS_RANGE
            days = data.get("every_days")
            if days is None or not low <= days <= high:
                self.add_error(
                    "every_days",
                    _("Give the interval in days, %(low)s to %(high)s.")
                    % {"low": low, "high": high},
                )
        else:
            data["every_days"] = None
        if moment == MeasurePlanEntry.Moment.AFTERCARE:
            low, high = AFTERCARE_MONTH_RANGE
            month = data.get("aftercare_month")
            if month is None or not low <= month <= high:
                self.add_error(
                    "aftercare_month",
                    _("Give the month of aftercare, %(low)s to %(high)s.")
                    % {"low": low, "high": high},
                )
        else:
            data["aftercare_month"] = None
        window = data.get("window_days")
        if window is not None and window > 60:
            self.add_error("window_days", _("At most 60 days."))
        return data

    def _post_clean(self):
        # The service validates the row (and its uniqueness) itself; the
        # ModelForm's own instance validation would run the checks twice.
        pass


class MeasureRequestForm(forms.Form):
    """Ask for a measure now, outside the plan."""

    instrument = forms.ChoiceField(label=_("Instrument"), choices=[("", "—"), *PLAN_INSTRUMENTS])
    method = forms.ChoiceField(label=_("How"), choices=[("", "—"), *Method.choices])


class KioskStartForm(forms.Form):
    """Start a measure on the clinic tablet: a due measure, or an instrument."""

    due = forms.UUIDField(required=False, widget=forms.HiddenInput)
    instrument = forms.ChoiceField(
        label=_("Instrument"), choices=[("", "—"), *PLAN_INSTRUMENTS], required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("en", _("English")), ("es", _("Spanish"))], initial="en"
    )

    def clean(self):
        data = super().clean()
        if not data.get("due") and not data.get("instrument"):
            raise forms.ValidationError(_("Choose the measure to give."))
        instrument = data.get("instrument")
        language = data.get("language")
        if instrument and language and language not in languages_of(instrument):
            self.add_error("language", _("This measure is not offered in that language."))
        return data


class QuestionnaireForm(ItemAnswersForm):
    """An instrument as the client answers it (clinic tablet, self-report
    link): each item a group of radio buttons worded in the client's
    language, without points. Fields are not required here: scoring
    (screening.instruments.score) reports each missing item, and the view
    attaches the message to that item (add_item_errors)."""

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for number, item in enumerate(instrument.items, start=1):
            self.fields[f"item_{item.key}"] = forms.ChoiceField(
                label=f"{number}. {item.text}",
                choices=[(str(option.value), option.label) for option in item.options],
                required=False,
                widget=forms.RadioSelect,
                help_text=item.skip_rule or ("" if item.required else _("You may skip this one.")),
            )
