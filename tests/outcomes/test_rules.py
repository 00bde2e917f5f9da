"""The not-on-track rules, response and remission at their edges, on
hand-made histories (outcomes.rules states the definitions)."""

from datetime import date, timedelta

import pytest

from outcomes import rules
from outcomes.rules import Due, History, Rule, Score

DAY0 = date(2026, 1, 5)


def scores(*points):
    """(days after DAY0, total) pairs as PHQ-9 or GAD-7 scores."""
    return [Score(on=DAY0 + timedelta(days=days), total=total) for days, total in points]


def bams(*points, composite="use"):
    return [
        Score(on=DAY0 + timedelta(days=days), subscales={composite: value})
        for days, value in points
    ]


# --- improved: points and percent -----------------------------------------------------


def test_exactly_five_points_lower_is_improved():
    assert rules.improved(14, 9, points=5, percent=50)


def test_four_points_lower_and_less_than_half_is_not_improved():
    assert not rules.improved(14, 10, points=5, percent=50)


def test_exactly_half_is_improved_even_under_five_points():
    assert rules.improved(8, 4, points=5, percent=50)


def test_just_over_half_is_not_improved():
    assert not rules.improved(9, 5, points=5, percent=50)


# --- no_improvement: 7 versus 8 weeks -------------------------------------------------


def test_no_improvement_is_not_judged_before_eight_weeks():
    assert not rules.no_improvement(scores((0, 15), (55, 14)), weeks=8, points=5, percent=50)


def test_no_improvement_flags_at_eight_weeks():
    assert rules.no_improvement(scores((0, 15), (56, 14)), weeks=8, points=5, percent=50)


def test_five_points_better_at_eight_weeks_is_on_track():
    assert not rules.no_improvement(scores((0, 15), (56, 10)), weeks=8, points=5, percent=50)


def test_a_latest_score_in_the_minimal_range_is_on_track():
    # 7 -> 4: three points and 43 %, but nothing left to reduce.
    assert not rules.no_improvement(scores((0, 7), (60, 4)), weeks=8, points=5, percent=50)


def test_worsening_from_a_minimal_baseline_is_flagged():
    assert rules.no_improvement(scores((0, 3), (60, 9)), weeks=8, points=5, percent=50)


def test_a_single_score_is_never_flagged():
    assert not rules.no_improvement(scores((0, 20)), weeks=8, points=5, percent=50)


# --- use_running: 13 versus 14 days ---------------------------------------------------


def test_use_on_two_bams_13_days_apart_is_not_two_weeks_running():
    assert not rules.use_running(bams((0, 2), (13, 1)), weeks=2)


def test_use_on_two_bams_14_days_apart_is_two_weeks_running():
    assert rules.use_running(bams((0, 2), (14, 1)), weeks=2)


def test_a_bam_without_use_breaks_the_run():
    assert not rules.use_running(bams((0, 2), (14, 0), (28, 3)), weeks=2)


def test_the_run_counts_from_its_first_bam_with_use():
    assert rules.use_running(bams((0, 0), (7, 1), (14, 1), (21, 2)), weeks=2)


def test_one_bam_with_use_is_not_a_run():
    assert not rules.use_running(bams((0, 4)), weeks=2)


# --- risk_rising: +3 versus +4 --------------------------------------------------------


def test_risk_up_three_is_not_rising():
    assert not rules.risk_rising(bams((0, 8), (28, 11), composite="risk"), points=4)


def test_risk_up_four_from_baseline_is_rising():
    assert rules.risk_rising(bams((0, 8), (28, 12), composite="risk"), points=4)


def test_risk_up_four_from_the_previous_bam_is_rising():
    # Baseline 10, then 6, then 10: no rise from baseline, +4 from the previous.
    history = bams((0, 10), (28, 6), (56, 10), composite="risk")
    assert rules.risk_rising(history, points=4)


def test_risk_falling_is_not_rising():
    assert not rules.risk_rising(bams((0, 14), (28, 9), composite="risk"), points=4)


# --- missed_measures: one versus two --------------------------------------------------


def due(*outcomes, instrument="BAM"):
    return [
        Due(instrument, DAY0 + timedelta(days=28 * number), outcome)
        for number, outcome in enumerate(outcomes)
    ]


def test_one_missed_measure_is_not_flagged():
    assert rules.missed_measures(due("completed", "missed"), count=2) == []


def test_two_missed_in_a_row_are_flagged():
    assert rules.missed_measures(due("completed", "missed", "missed"), count=2) == ["BAM"]


def test_a_completed_measure_between_misses_clears_the_flag():
    assert rules.missed_measures(due("missed", "completed", "missed"), count=2) == []


def test_pending_measures_do_not_count():
    assert rules.missed_measures(due("missed", "pending", "missed"), count=2) == ["BAM"]


def test_misses_of_different_instruments_on_one_day_are_one_miss_each():
    on_admission = due("missed", instrument="BAM") + due("missed", instrument="PHQ-9")
    assert rules.missed_measures(on_admission, count=2) == []


@pytest.mark.parametrize(
    ("status", "closes_on", "expected"),
    [
        ("completed", DAY0, "completed"),
        ("missed", DAY0, "missed"),
        ("open", DAY0 - timedelta(days=1), "missed"),
        ("open", DAY0, "pending"),
        ("cancelled", DAY0 - timedelta(days=1), "pending"),
    ],
)
def test_a_due_measure_is_settled_when_its_window_closed(status, closes_on, expected):
    assert rules.due_outcome(status, closes_on, DAY0) == expected


# --- response and remission -----------------------------------------------------------


def test_response_is_a_fall_of_half_or_more():
    assert rules.response(scores((0, 16), (30, 8))) is True
    assert rules.response(scores((0, 16), (30, 9))) is False


def test_remission_is_a_latest_score_below_five():
    assert rules.remission(scores((0, 16), (30, 4))) is True
    assert rules.remission(scores((0, 16), (30, 5))) is False


def test_response_and_remission_need_a_follow_up_a_week_after_baseline():
    assert rules.response(scores((0, 16), (6, 2))) is None
    assert rules.remission(scores((0, 16))) is None
    assert rules.remission(scores((0, 16), (7, 2))) is True


def test_response_and_remission_do_not_apply_to_a_minimal_baseline():
    assert rules.response(scores((0, 4), (30, 1))) is None
    assert rules.remission(scores((0, 4), (30, 1))) is None


# --- evaluate -------------------------------------------------------------------------


def test_evaluate_names_each_rule_that_fires_with_its_label():
    history = History(
        scores={
            "PHQ-9": scores((0, 15), (56, 14)),
            "BAM": [
                Score(on=DAY0, subscales={"use": 2, "risk": 8}),
                Score(on=DAY0 + timedelta(days=14), subscales={"use": 1, "risk": 12}),
            ],
        },
        due=due("missed", "missed", instrument="GAD-7"),
    )
    active = [
        Rule(key, kind, label, instrument, weeks, points, percent, count)
        for key, kind, label, instrument, weeks, points, percent, count in rules.DEFAULT_RULES
    ]

    flags = rules.evaluate(history, active)

    assert [(flag.key, flag.detail) for flag in flags] == [
        ("phq9-no-improvement", "PHQ-9 15 → 14"),
        ("bam-use-running", "BAM Use 1"),
        ("bam-risk-rising", "BAM Risk 8 → 12"),
        ("measures-missed", "GAD-7"),
    ]
