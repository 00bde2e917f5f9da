"""How far back and ahead a date or a time entered anywhere may lie.

Without a bound, a form takes any year a browser sends, 0001 to 9999. Such
values are not just implausible, they break things: 9999-12-31 23:59 in the
program's time zone is year 10000 in UTC, which PostgreSQL stores but Python
cannot read back (every page listing the row fails, and so does the nightly
group generator), and arithmetic near the ends of Python's calendar (a day
after 9999-12-31, quiet hours at the end of a day) raises OverflowError.
So every date and datetime field of every form carries one of the windows
below, services that schedule check theirs again, and `manage.py check_data`
finds rows stored before the bound existed.

The windows, each inside OUTER, and why:

- BIRTH, from 1900-01-01 to today: nobody in treatment was born earlier
  (the client form also refuses ages over 120) or in the future.
- PAST, from 1900-01-01 to today: a clinical event that happened (a drug
  test collected, a meeting attended, a consent signed, a check-in made, a
  discharge) cannot be dated in the future.
- PLANNED, from 1900-01-01 to two years ahead: a plan's target date, an
  injection due, a consent's expiry or a medication's start and stop lie a
  short way ahead at most.
- SCHEDULED, two years back to two years ahead: appointments, group sessions
  and check-ins are booked weeks ahead (groups eight), not years; one dated
  more than two years back is a mistyped year, not a late entry.
- OUTER, from 1900-01-01 to two years ahead: report and query parameters,
  the admin's date fields, and what the data check expects of every date
  stored anywhere.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

EARLIEST = date(1900, 1, 1)
YEARS_AHEAD = 2
# Scheduled items further back than this are typing mistakes (see above).
SCHEDULED_YEARS_BACK = 2

DATE_INPUT = {"type": "date"}
DATETIME_INPUT = {"type": "datetime-local"}
DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def years_after(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _earliest(today: date) -> date:
    return EARLIEST


def _today(today: date) -> date:
    return today


def _ahead(today: date) -> date:
    return years_after(today, YEARS_AHEAD)


def _scheduled_back(today: date) -> date:
    return years_after(today, -SCHEDULED_YEARS_BACK)


@dataclass(frozen=True)
class Window:
    """The days a value may fall on, computed from today (program time zone).
    `late_message`, where given, says what is wrong with a day after the
    window (for BIRTH and PAST: the future) better than the range does."""

    name: str
    earliest: Callable[[date], date]
    latest: Callable[[date], date]
    message: str
    late_message: str = ""

    def bounds(self, today: date | None = None) -> tuple[date, date]:
        today = today or timezone.localdate()
        return self.earliest(today), self.latest(today)

    def contains(self, value: date | datetime, today: date | None = None) -> bool:
        earliest, latest = self.bounds(today)
        return earliest <= day_of(value) <= latest

    def error(self, today: date | None = None) -> str:
        earliest, latest = self.bounds(today)
        return self.message % {"earliest": earliest.isoformat(), "latest": latest.isoformat()}

    def error_for(self, value: date | datetime, late_message: str = "") -> str:
        """The message for a value outside the window: the late message for
        one after it, where there is one, else the range."""
        late_message = late_message or self.late_message
        if late_message and day_of(value) > self.bounds()[1]:
            return str(late_message)
        return self.error()

    def check(self, value: date | datetime | None, *, field: str) -> None:
        """For services: refuse a value outside the window, naming the field."""
        if value is not None and not self.contains(value):
            raise ValidationError({field: self.error_for(value)}, code="out_of_horizon")


def day_of(value: date | datetime) -> date:
    """The calendar day of a date or datetime, read in the program's time zone
    where that is possible. Converting a datetime near the ends of Python's
    calendar overflows; such a value keeps its own day, far outside any window."""
    if not isinstance(value, datetime):
        return value
    if timezone.is_aware(value):
        try:
            return timezone.localtime(value).date()
        except (OverflowError, ValueError):
            return value.date()
    return value.date()


BIRTH = Window(
    "birth",
    _earliest,
    _today,
    _("Enter a date of birth between %(earliest)s and today."),
    late_message=_("The date of birth cannot be in the future."),
)
PAST = Window(
    "past",
    _earliest,
    _today,
    _("Enter a date between %(earliest)s and today."),
    late_message=_("The date cannot be in the future."),
)
PLANNED = Window(
    "planned",
    _earliest,
    _ahead,
    _("Enter a date between %(earliest)s and %(latest)s (two years ahead at most)."),
)
SCHEDULED = Window(
    "scheduled",
    _scheduled_back,
    _ahead,
    _("Choose a date between %(earliest)s and %(latest)s: two years back or ahead at most."),
)
OUTER = Window("outer", _earliest, _ahead, _("Enter a date between %(earliest)s and %(latest)s."))
WINDOWS = (BIRTH, PAST, PLANNED, SCHEDULED, OUTER)


def outer_datetimes(today: date | None = None) -> tuple[datetime, datetime]:
    """OUTER as aware instants: [first moment, moment after the last day)."""
    earliest, latest = OUTER.bounds(today)
    return (
        timezone.make_aware(datetime.combine(earliest, datetime.min.time())),
        timezone.make_aware(datetime.combine(latest + timedelta(days=1), datetime.min.time())),
    )


class HorizonValidator:
    """A form field's bound. It runs in the field's own clean, before any
    clean_<field> or clean() compares the value with now or converts it."""

    code = "out_of_horizon"

    def __init__(self, window: Window, late_message: str = ""):
        self.window = window
        self.late_message = late_message

    def __call__(self, value) -> None:
        if value is not None and not self.window.contains(value):
            raise ValidationError(self.window.error_for(value, self.late_message), code=self.code)

    def __eq__(self, other):
        return isinstance(other, HorizonValidator) and (other.window, other.late_message) == (
            self.window,
            self.late_message,
        )

    def __hash__(self):
        return hash(self.window.name)


class HorizonBoundField(BoundField):
    """Gives the browser's date picker the same bounds (min and max), computed
    when the page is drawn: a bound fixed at start-up would go stale."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        kind = getattr(widget, "input_type", None)
        earliest, latest = self.field.window.bounds()
        if kind == "date":
            attrs.setdefault("min", earliest.isoformat())
            attrs.setdefault("max", latest.isoformat())
        elif kind == "datetime-local":
            attrs.setdefault("min", f"{earliest.isoformat()}T00:00")
            attrs.setdefault("max", f"{latest.isoformat()}T23:59")
        return attrs


class _Bounded:
    window: Window = OUTER
    bound_field_class = HorizonBoundField

    def __init__(self, *args, window: Window | None = None, late_message: str = "", **kwargs):
        # late_message: the form's own words for a day after the window
        # ("A test cannot be dated in the future."), as its service says them.
        if window is not None:
            self.window = window
        super().__init__(*args, **kwargs)
        self.validators.append(HorizonValidator(self.window, late_message))


class HorizonDateField(_Bounded, forms.DateField):
    """A date field bound to a window (OUTER unless given); a date input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs=DATE_INPUT))
        super().__init__(*args, **kwargs)


def time_zone_hint():
    """What a date-time field says of its clock: the program's time zone
    (TIME_ZONE), in which every time typed is read."""
    return format_lazy(_("Time zone: {zone}."), zone=settings.TIME_ZONE)


class HorizonDateTimeField(_Bounded, forms.DateTimeField):
    """A date and time field bound to a window (OUTER unless given); its help
    text names the time zone the time is read in."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_INPUT_FORMAT)
        )
        text = kwargs.get("help_text")
        hint = time_zone_hint()
        kwargs["help_text"] = format_lazy("{} {}", text, hint) if text else hint
        super().__init__(*args, **kwargs)


# One class per window, so that a ModelForm can name it in Meta.field_classes.
class BirthDateField(HorizonDateField):
    window = BIRTH


class PastDateField(HorizonDateField):
    window = PAST


class PlannedDateField(HorizonDateField):
    window = PLANNED


class QueryDateField(HorizonDateField):
    window = OUTER


class ScheduledDateTimeField(HorizonDateTimeField):
    window = SCHEDULED


# For a ModelAdmin's formfield_overrides: the admin's own date widgets, OUTER's bound.
ADMIN_FORMFIELD_OVERRIDES = {
    models.DateField: {"validators": [HorizonValidator(OUTER)]},
    models.DateTimeField: {"validators": [HorizonValidator(OUTER)]},
}


class OutOfHorizon(ValidationError):
    """A query parameter names a day outside OUTER: the request is a 400."""


def query_month(value: str) -> date | None:
    """The first day of the month a "YYYY-MM" query parameter names; None
    when it is not one; OutOfHorizon when the month lies outside OUTER."""
    try:
        year, month = (int(part) for part in value.split("-"))
        first = date(year, month, 1)
    except (ValueError, TypeError):
        return None
    earliest, latest = OUTER.bounds()
    if not earliest.replace(day=1) <= first <= latest:
        raise OutOfHorizon(OUTER.error(), code="out_of_horizon")
    return first
