"""When the plan makes a measure due (outcomes/schedule.py): pure date
arithmetic across month ends and phase changes."""

from datetime import date

import pytest

from outcomes.schedule import Milestones, Occasion, add_months, occasions

FAR = date(2030, 1, 1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 12, 15), 12, date(2026, 12, 15)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_admission_measure_is_due_on_the_admission_date():
    milestones = Milestones(date(2025, 1, 6))

    assert occasions("admission", milestones, through=FAR) == [
        Occasion("admission", date(2025, 1, 6))
    ]


def test_nothing_is_due_before_admission():
    assert occasions("every", Milestones(None), through=FAR, every_days=28) == []


def test_every_n_days_counts_from_admission_up_to_the_day_planned():
    milestones = Milestones(date(2025, 1, 31))

    found = occasions("every", milestones, through=date(2025, 4, 25), every_days=28)

    assert found == [
        Occasion("every-28-1", date(2025, 2, 28)),
        Occasion("every-28-2", date(2025, 3, 28)),
        Occasion("every-28-3", date(2025, 4, 25)),
    ]


def test_every_n_days_crosses_a_leap_february():
    admitted = Milestones(date(2024, 1, 31))

    found = occasions("every", admitted, through=date(2024, 3, 31), every_days=30)

    assert [o.due_on for o in found] == [date(2024, 3, 1), date(2024, 3, 31)]


def test_every_n_days_stops_at_step_down():
    milestones = Milestones(date(2025, 1, 1), stepped_down_on=date(2025, 3, 1))

    found = occasions("every", milestones, through=FAR, every_days=28)

    # Jan 29 and Feb 26; Mar 26 would fall in aftercare.
    assert [o.due_on for o in found] == [date(2025, 1, 29), date(2025, 2, 26)]


def test_every_n_days_on_the_step_down_day_itself_never_comes():
    milestones = Milestones(date(2025, 1, 1), stepped_down_on=date(2025, 1, 29))

    assert occasions("every", milestones, through=FAR, every_days=28) == []


def test_every_n_days_stops_at_discharge_before_step_down():
    milestones = Milestones(date(2025, 1, 1), discharged_on=date(2025, 2, 1))

    found = occasions("every", milestones, through=FAR, every_days=30)

    assert [o.due_on for o in found] == [date(2025, 1, 31)]


def test_step_down_and_discharge_measures_wait_for_their_day():
    admitted = Milestones(date(2025, 1, 1))
    done = Milestones(
        date(2025, 1, 1), stepped_down_on=date(2025, 4, 1), discharged_on=date(2026, 4, 1)
    )

    assert occasions("step_down", admitted, through=FAR) == []
    assert occasions("discharge", admitted, through=FAR) == []
    assert occasions("step_down", done, through=FAR) == [Occasion("step_down", date(2025, 4, 1))]
    assert occasions("discharge", done, through=FAR) == [Occasion("discharge", date(2026, 4, 1))]


def test_aftercare_month_counts_calendar_months_from_step_down_clamped():
    milestones = Milestones(date(2025, 1, 1), stepped_down_on=date(2025, 8, 31))

    found = [
        occasions("aftercare", milestones, through=FAR, aftercare_month=month)[0]
        for month in (3, 6, 12)
    ]

    assert found == [
        Occasion("aftercare-3", date(2025, 11, 30)),
        Occasion("aftercare-6", date(2026, 2, 28)),
        Occasion("aftercare-12", date(2026, 8, 31)),
    ]


def test_aftercare_month_after_discharge_never_comes():
    milestones = Milestones(
        date(2025, 1, 1), stepped_down_on=date(2025, 4, 1), discharged_on=date(2025, 8, 1)
    )

    assert occasions("aftercare", milestones, through=FAR, aftercare_month=3)
    assert occasions("aftercare", milestones, through=FAR, aftercare_month=6) == []


def test_occasions_later_than_through_are_left_for_later():
    milestones = Milestones(date(2025, 1, 1), stepped_down_on=date(2025, 4, 1))

    assert occasions("aftercare", milestones, through=date(2025, 6, 30), aftercare_month=3) == []


@pytest.mark.parametrize(
    ("moment", "kwargs"),
    [("every", {}), ("every", {"every_days": 0}), ("aftercare", {}), ("sometime", {})],
)
def test_an_entry_missing_its_moment_field_is_refused(moment, kwargs):
    with pytest.raises(ValueError):
        occasions(moment, Milestones(date(2025, 1, 1), date(2025, 2, 1)), through=FAR, **kwargs)
