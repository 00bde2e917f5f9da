"""The pure billing rules at their edges: the 8-minute rule, the CPT
psychotherapy time bands and the IOP per diem's qualifying days."""

import datetime

import pytest

from billing.drafting.rules import (
    psychotherapy_code,
    qualifying_days,
    units_by_8_minute_rule,
    week_of,
)

MONDAY = datetime.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("minutes", "units"),
    [(0, 0), (7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3), (52, 3), (53, 4), (60, 4)],
)
def test_the_8_minute_rule_at_every_edge(minutes, units):
    assert units_by_8_minute_rule(minutes) == units


@pytest.mark.parametrize(
    ("minutes", "code"),
    [
        (15, None),
        (16, "90832"),
        (37, "90832"),
        (38, "90834"),
        (52, "90834"),
        (53, "90837"),
        (90, "90837"),
    ],
)
def test_psychotherapy_time_bands_at_every_edge(minutes, code):
    assert psychotherapy_code(minutes) == code


def test_a_billing_week_runs_monday_to_sunday():
    sunday = MONDAY + datetime.timedelta(days=6)

    assert week_of(MONDAY) == (MONDAY, sunday)
    assert week_of(sunday) == (MONDAY, sunday)
    assert week_of(sunday + datetime.timedelta(days=1))[0] == MONDAY + datetime.timedelta(days=7)


def _days(*minutes):
    return {MONDAY + datetime.timedelta(days=i): m for i, m in enumerate(minutes)}


def test_three_full_days_qualify_and_a_short_one_does_not():
    minutes = _days(180, 200, 180, 179)

    assert qualifying_days(minutes, minutes_a_day=180, days_a_week=3) == {
        MONDAY,
        MONDAY + datetime.timedelta(days=1),
        MONDAY + datetime.timedelta(days=2),
    }


def test_two_full_days_in_a_week_qualify_none():
    assert qualifying_days(_days(180, 180, 179), minutes_a_day=180, days_a_week=3) == set()


def test_full_days_in_two_different_weeks_do_not_add_up():
    minutes = {
        MONDAY + datetime.timedelta(days=5): 180,  # Saturday
        MONDAY + datetime.timedelta(days=6): 180,  # Sunday
        MONDAY + datetime.timedelta(days=7): 180,  # the next Monday
    }

    assert qualifying_days(minutes, minutes_a_day=180, days_a_week=3) == set()


def test_a_payer_s_own_rule_applies():
    minutes = _days(120, 120, 60)

    assert qualifying_days(minutes, minutes_a_day=120, days_a_week=2) == {
        MONDAY,
        MONDAY + datetime.timedelta(days=1),
    }
