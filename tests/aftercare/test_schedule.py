"""The aftercare check-in schedule (DOMAIN.md section 7): weekly in month 1,
every two weeks in months 2-3, monthly in months 4-12, on the program's clock."""

import datetime
from datetime import date

from django.utils import timezone

from aftercare.schedule import check_in_dates, check_in_time, plan_end

UTC = datetime.UTC

# The default schedule for a plan starting Monday 2 March 2026.
MARCH_2026 = [
    # Month 1, weekly.
    date(2026, 3, 9),
    date(2026, 3, 16),
    date(2026, 3, 23),
    date(2026, 3, 30),
    # Months 2-3 (from 2 April), every two weeks.
    date(2026, 4, 16),
    date(2026, 4, 30),
    date(2026, 5, 14),
    date(2026, 5, 28),
    # Months 4-12, monthly on the start's day of the month.
    date(2026, 7, 2),
    date(2026, 8, 2),
    date(2026, 9, 2),
    date(2026, 10, 2),
    date(2026, 11, 2),
    date(2026, 12, 2),
    date(2027, 1, 2),
    date(2027, 2, 2),
    date(2027, 3, 2),
]


def _gaps(dates):
    return [(later - earlier).days for earlier, later in zip(dates, dates[1:], strict=False)]


def test_default_schedule_gives_these_seventeen_dates_for_a_start_on_2_march_2026():
    assert check_in_dates(date(2026, 3, 2)) == MARCH_2026


def test_default_schedule_has_four_weekly_check_ins_in_month_one():
    dates = check_in_dates(date(2026, 3, 2))

    month_one = [day for day in dates if day <= date(2026, 4, 2)]

    assert len(month_one) == 4
    assert set(_gaps([date(2026, 3, 2), *month_one])) == {7}


def test_default_schedule_has_check_ins_every_two_weeks_in_months_two_and_three():
    dates = check_in_dates(date(2026, 3, 2))

    months_two_three = [day for day in dates if date(2026, 4, 2) < day <= date(2026, 6, 2)]

    assert len(months_two_three) == 4
    assert set(_gaps(months_two_three)) == {14}


def test_default_schedule_has_one_check_in_a_month_in_months_four_to_twelve():
    dates = check_in_dates(date(2026, 3, 2))

    monthly = [day for day in dates if day > date(2026, 6, 2)]

    assert [(day.year, day.month) for day in monthly] == [
        (2026, 7),
        (2026, 8),
        (2026, 9),
        (2026, 10),
        (2026, 11),
        (2026, 12),
        (2027, 1),
        (2027, 2),
        (2027, 3),
    ]
    assert {day.day for day in monthly} == {2}


def test_last_check_in_falls_on_the_day_the_plan_ends():
    start = date(2026, 3, 2)

    assert check_in_dates(start)[-1] == plan_end(start)


def test_monthly_check_ins_of_a_start_on_the_31st_fall_on_the_last_day_of_shorter_months():
    dates = check_in_dates(date(2026, 1, 31))

    monthly = dates[-9:]

    assert monthly == [
        date(2026, 5, 31),
        date(2026, 6, 30),
        date(2026, 7, 31),
        date(2026, 8, 31),
        date(2026, 9, 30),
        date(2026, 10, 31),
        date(2026, 11, 30),
        date(2026, 12, 31),
        date(2027, 1, 31),
    ]


def test_a_start_on_31_january_keeps_weekly_and_fortnightly_steps_across_february():
    dates = check_in_dates(date(2026, 1, 31))

    assert dates[:8] == [
        date(2026, 2, 7),
        date(2026, 2, 14),
        date(2026, 2, 21),
        date(2026, 2, 28),
        # Month 2 starts on 28 February (31 January + 1 month).
        date(2026, 3, 14),
        date(2026, 3, 28),
        date(2026, 4, 11),
        date(2026, 4, 25),
    ]
    assert len(dates) == 17


def test_a_monthly_check_in_falls_on_29_february_in_a_leap_year():
    dates = check_in_dates(date(2027, 3, 31))

    assert date(2028, 2, 29) in dates
    assert dates[-3:] == [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]


def test_a_weekly_check_in_falls_on_29_february_in_a_leap_year():
    dates = check_in_dates(date(2028, 2, 1))

    assert dates[:4] == [date(2028, 2, 8), date(2028, 2, 15), date(2028, 2, 22), date(2028, 2, 29)]


def test_a_start_on_31_january_of_a_leap_year_begins_month_two_on_29_february():
    dates = check_in_dates(date(2028, 1, 31))

    # Weekly until 29 February, then every two weeks counted from it.
    assert dates[3:5] == [date(2028, 2, 28), date(2028, 3, 14)]


def test_a_plan_starting_on_29_february_ends_on_28_february_next_year():
    assert plan_end(date(2028, 2, 29)) == date(2029, 2, 28)
    assert check_in_dates(date(2028, 2, 29))[-1] == date(2029, 2, 28)


def test_a_plan_starting_on_28_february_2027_ends_on_28_february_2028():
    assert plan_end(date(2027, 2, 28)) == date(2028, 2, 28)


def test_plan_ends_twelve_months_after_it_starts():
    assert plan_end(date(2026, 3, 2)) == date(2027, 3, 2)


def test_check_in_time_is_ten_local_time_before_and_after_the_change_to_daylight_time():
    # Daylight saving time began in New York on Sunday 8 March 2026.
    before = check_in_time(date(2026, 3, 7))
    after = check_in_time(date(2026, 3, 9))

    assert timezone.localtime(before).time() == datetime.time(10, 0)
    assert timezone.localtime(after).time() == datetime.time(10, 0)


def test_check_in_time_utc_offset_changes_across_daylight_saving_time():
    before = check_in_time(date(2026, 3, 7))
    after = check_in_time(date(2026, 3, 9))

    assert before.utcoffset() == datetime.timedelta(hours=-5)
    assert after.utcoffset() == datetime.timedelta(hours=-4)
    assert before.astimezone(UTC).time() == datetime.time(15, 0)
    assert after.astimezone(UTC).time() == datetime.time(14, 0)


def test_check_in_time_after_the_autumn_change_is_still_ten_local_time():
    # Daylight saving time ended on Sunday 1 November 2026.
    after = check_in_time(date(2026, 11, 2))

    assert after.astimezone(UTC) == datetime.datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def test_check_in_hour_is_a_program_setting(settings):
    settings.AFTERCARE_CHECKIN_HOUR = 14

    assert timezone.localtime(check_in_time(date(2026, 3, 9))).time() == datetime.time(14, 0)


def test_a_custom_schedule_from_the_settings_replaces_the_default(settings):
    # Weekly for two months, then monthly to month 6.
    settings.AFTERCARE_SCHEDULE = [(0, 2, "1w"), (2, 6, "1m")]

    assert check_in_dates(date(2026, 3, 2)) == [
        date(2026, 3, 9),
        date(2026, 3, 16),
        date(2026, 3, 23),
        date(2026, 3, 30),
        date(2026, 4, 6),
        date(2026, 4, 13),
        date(2026, 4, 20),
        date(2026, 4, 27),
        date(2026, 6, 2),
        date(2026, 7, 2),
        date(2026, 8, 2),
        date(2026, 9, 2),
    ]


def test_a_custom_schedule_may_step_every_two_months(settings):
    settings.AFTERCARE_SCHEDULE = [(0, 12, "2m")]

    dates = check_in_dates(date(2026, 3, 2))

    assert dates == [
        date(2026, 5, 2),
        date(2026, 7, 2),
        date(2026, 9, 2),
        date(2026, 11, 2),
        date(2027, 1, 2),
        date(2027, 3, 2),
    ]


def test_overlapping_rules_of_a_custom_schedule_give_each_date_once(settings):
    settings.AFTERCARE_SCHEDULE = [(0, 1, "1w"), (0, 1, "2w")]

    dates = check_in_dates(date(2026, 3, 2))

    assert dates == [date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 23), date(2026, 3, 30)]
