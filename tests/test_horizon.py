"""The horizon of dates and times (iop/horizon.py): its windows at their
edges, its form fields near the ends of Python's calendar, and the parser of
query parameters."""

import datetime
import zoneinfo

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from iop import horizon

TODAY = datetime.date(2026, 12, 2)
DAY = datetime.timedelta(days=1)
FAR = ["0001-01-01", "1899-12-31", "9999-12-31"]
FAR_TIMES = ["0001-01-01T00:00", "1899-12-31T23:59", "9999-12-31T00:00", "9999-12-31T23:59"]


class _Dates(forms.Form):
    born = horizon.BirthDateField()
    collected = horizon.PastDateField()
    target = horizon.PlannedDateField(required=False)
    since = horizon.QueryDateField(required=False)


class _Times(forms.Form):
    starts_at = horizon.ScheduledDateTimeField()


@pytest.mark.parametrize(
    ("window", "earliest", "latest"),
    [
        (horizon.BIRTH, datetime.date(1900, 1, 1), TODAY),
        (horizon.PAST, datetime.date(1900, 1, 1), TODAY),
        (horizon.PLANNED, datetime.date(1900, 1, 1), datetime.date(2028, 12, 2)),
        (horizon.SCHEDULED, datetime.date(2024, 12, 2), datetime.date(2028, 12, 2)),
        (horizon.OUTER, datetime.date(1900, 1, 1), datetime.date(2028, 12, 2)),
    ],
    ids=lambda value: getattr(value, "name", None),
)
def test_each_window_holds_its_edges_and_nothing_beyond(window, earliest, latest):
    assert window.bounds(TODAY) == (earliest, latest)
    assert window.contains(earliest, TODAY)
    assert window.contains(latest, TODAY)
    assert not window.contains(earliest - DAY, TODAY)
    assert not window.contains(latest + DAY, TODAY)


@pytest.mark.parametrize("window", horizon.WINDOWS, ids=lambda window: window.name)
def test_every_window_lies_inside_the_outer_one_the_data_check_uses(window):
    earliest, latest = window.bounds(TODAY)
    outer_earliest, outer_latest = horizon.OUTER.bounds(TODAY)

    assert outer_earliest <= earliest <= latest <= outer_latest


def test_two_years_after_29_february_is_28_february():
    assert horizon.years_after(datetime.date(2028, 2, 29), 2) == datetime.date(2030, 2, 28)


def test_a_time_at_the_end_of_the_calendar_is_outside_without_overflowing():
    # Converting it to UTC (or to any zone east of New York) overflows.
    last = datetime.datetime(9999, 12, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    first = datetime.datetime(1, 1, 1, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))

    assert not horizon.SCHEDULED.contains(last)
    assert not horizon.OUTER.contains(first)


@pytest.mark.parametrize("value", FAR)
@pytest.mark.parametrize("field", ["born", "collected", "target", "since"])
def test_a_far_date_is_a_form_error_in_every_window(field, value):
    form = _Dates(
        {"born": "1980-05-01", "collected": "2026-01-05", **{field: value}},
    )

    assert not form.is_valid()
    assert form.has_error(field, code=horizon.HorizonValidator.code)


def test_the_first_day_and_today_are_accepted():
    form = _Dates({"born": "1900-01-01", "collected": timezone.localdate().isoformat()})

    assert form.is_valid(), form.errors


def test_a_future_date_of_birth_or_collection_is_refused():
    tomorrow = (timezone.localdate() + DAY).isoformat()

    form = _Dates({"born": tomorrow, "collected": tomorrow})

    assert set(form.errors) == {"born", "collected"}


@pytest.mark.parametrize("value", FAR_TIMES)
@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo", "Pacific/Kiritimati", "UTC"])
def test_a_far_time_is_a_form_error_before_anything_converts_it(value, zone):
    with timezone.override(zone):
        form = _Times({"starts_at": value})

        assert not form.is_valid()
        assert form.has_error("starts_at", code=horizon.HorizonValidator.code)


def test_a_time_two_years_ahead_is_accepted_and_a_day_later_refused():
    latest = horizon.SCHEDULED.bounds()[1]

    assert _Times({"starts_at": f"{latest.isoformat()}T23:59"}).is_valid()
    assert not _Times({"starts_at": f"{(latest + DAY).isoformat()}T00:00"}).is_valid()


def test_the_error_names_the_dates_that_are_possible():
    earliest, latest = horizon.SCHEDULED.bounds()

    form = _Times({"starts_at": "9999-12-31T23:59"})

    assert form.errors["starts_at"] == [
        f"Choose a date between {earliest.isoformat()} and {latest.isoformat()}:"
        " two years back or ahead at most."
    ]


def test_the_browser_gets_the_same_bounds_as_min_and_max():
    earliest, latest = horizon.SCHEDULED.bounds()
    html = str(_Times()["starts_at"]) + str(_Dates()["born"])

    assert f'min="{earliest.isoformat()}T00:00"' in html
    assert f'max="{latest.isoformat()}T23:59"' in html
    assert 'min="1900-01-01"' in html
    assert f'max="{timezone.localdate().isoformat()}"' in html


def test_a_service_check_names_the_field():
    too_late = timezone.now() + datetime.timedelta(days=3 * 366)

    with pytest.raises(ValidationError) as refused:
        horizon.SCHEDULED.check(too_late, field="starts_at")

    assert list(refused.value.message_dict) == ["starts_at"]


@pytest.mark.parametrize(
    ("value", "first"),
    [
        ("2026-03", datetime.date(2026, 3, 1)),
        ("1900-01", datetime.date(1900, 1, 1)),
        ("2026-13", None),
        ("13-2026", None),
        ("²-1", None),
        ("", None),
    ],
)
def test_a_query_month_is_read_or_ignored(value, first):
    assert horizon.query_month(value) == first


@pytest.mark.parametrize("value", ["9999-12", "1899-12", "0001-01"])
def test_a_query_month_outside_the_horizon_is_refused(value):
    with pytest.raises(horizon.OutOfHorizon):
        horizon.query_month(value)


def test_a_day_after_the_window_gets_the_fields_own_words():
    class _Test(forms.Form):
        collected_on = horizon.PastDateField(late_message="A test cannot be dated in the future.")

    tomorrow = (timezone.localdate() + DAY).isoformat()

    assert _Test({"collected_on": tomorrow}).errors["collected_on"] == [
        "A test cannot be dated in the future."
    ]
    assert _Test({"collected_on": "1899-12-31"}).errors["collected_on"] == [horizon.PAST.error()]
    assert _Dates({"born": tomorrow}).errors["born"] == [
        "The date of birth cannot be in the future."
    ]
