"""Level-of-care placement aid (DOMAIN.md section 4)."""

import dataclasses

import pytest

from screening.instruments import (
    DEFAULT_PLACEMENT_TABLE,
    DIMENSIONS,
    GATES,
    LEVEL_LABELS,
    InstrumentValidationError,
    recommend_level,
    score,
    validate_table,
)
from screening.instruments.anchors import DIMENSION_ANCHORS


def rated(*values, **overrides):
    """Ratings D1-D6: the given values in order (default 0), then overrides."""
    ratings = dict.fromkeys(DIMENSIONS, 0)
    ratings.update(zip(DIMENSIONS, values, strict=False))
    ratings.update(overrides)
    return ratings


def ciwa(total):
    """A CIWA-Ar result with ``total``, sevens first."""
    answers = {}
    for key in map(str, range(1, 11)):
        answers[key] = min(total, 4 if key == "10" else 7)
        total -= answers[key]
    return score("CIWA-Ar", answers)


def cows(total):
    """A COWS result of 12 or 13 (or 0) from fixed answer sets."""
    answers = {
        0: [0] * 11,
        12: [4, 4, 3, 1, 0, 0, 0, 0, 0, 0, 0],
        13: [4, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0],
    }[total]
    return score("COWS", {str(n): value for n, value in enumerate(answers, start=1)})


def cssrs(band):
    answers = {
        "low": {"1": "yes", "2": "no", "6": "no"},
        "moderate": {"1": "no", "2": "no", "6": "yes", "6b": "no"},
        "high": {"1": "no", "2": "no", "6": "yes", "6b": "yes"},
    }[band]
    return score("C-SSRS", answers)


def errors_of(ratings, **kwargs):
    with pytest.raises(InstrumentValidationError) as caught:
        recommend_level(ratings, **kwargs)
    return caught.value.errors


# --- default table ----------------------------------------------------------


def test_default_table_runs_from_outpatient_to_inpatient():
    assert [level for level, _ in DEFAULT_PLACEMENT_TABLE] == [
        "1.0",
        "2.1",
        "2.5",
        "3.5",
        "3.7",
        "4",
    ]


def test_default_table_cannot_be_changed():
    with pytest.raises(TypeError):
        DEFAULT_PLACEMENT_TABLE[0][1]["D1"] = 4


def test_every_level_and_gate_has_a_label():
    levels = [level for level, _ in DEFAULT_PLACEMENT_TABLE]
    assert set(LEVEL_LABELS) == set(levels) | set(GATES)
    assert LEVEL_LABELS["2.1"] == "Intensive outpatient"


@pytest.mark.parametrize(
    ("ratings", "level"),
    [
        # Each row lands on its level with every rating at that level's caps...
        ((0, 0, 0, 0, 0, 0), "1.0"),
        ((1, 1, 1, 1, 1, 1), "1.0"),
        ((1, 2, 2, 2, 2, 2), "2.1"),
        ((2, 2, 3, 3, 3, 3), "2.5"),
        ((2, 3, 3, 4, 4, 4), "3.5"),
        ((3, 3, 3, 4, 4, 4), "3.7"),
        ((4, 4, 4, 4, 4, 4), "4"),
        # ... and one point over a cap moves to the next level that fits.
        ((2, 1, 1, 1, 1, 1), "2.5"),
        ((1, 2, 1, 1, 1, 1), "2.1"),
        ((1, 1, 1, 1, 1, 2), "2.1"),
        ((2, 2, 2, 2, 2, 2), "2.5"),
        ((1, 3, 2, 2, 2, 2), "3.5"),
        ((1, 2, 3, 2, 2, 2), "2.5"),
        ((1, 2, 2, 2, 2, 3), "2.5"),
        ((3, 2, 3, 3, 3, 3), "3.7"),
        ((2, 3, 3, 3, 3, 3), "3.5"),
        ((2, 2, 4, 3, 3, 3), "4"),
        ((2, 2, 3, 4, 3, 3), "3.5"),
        ((2, 2, 3, 3, 3, 4), "3.5"),
        ((3, 3, 3, 4, 4, 4), "3.7"),
        ((2, 4, 3, 4, 4, 4), "4"),
        ((2, 3, 4, 4, 4, 4), "4"),
        ((4, 3, 3, 4, 4, 4), "4"),
        ((3, 4, 3, 4, 4, 4), "4"),
        ((3, 3, 4, 4, 4, 4), "4"),
    ],
)
def test_recommends_the_first_level_whose_caps_every_rating_fits(ratings, level):
    placement = recommend_level(rated(*ratings))
    assert (placement.level, placement.gate, placement.table_level) == (level, None, level)


@pytest.mark.parametrize(
    ("ratings", "reasons"),
    [
        (rated(D3=3), ["D3 rated 3 exceeds the 2.1 cap of 2"]),
        (rated(2, 2, 2, 2, 2, 2), ["D1 rated 2 exceeds the 2.1 cap of 1"]),
        (rated(1, 3, 2, 2, 2, 3), ["D2 rated 3 exceeds the 2.5 cap of 2"]),
        (rated(2, 2, 4, 4, 3, 3), ["D3 rated 4 exceeds the 3.7 cap of 3"]),
    ],
)
def test_reason_names_the_dimension_over_the_cap_of_the_level_below(ratings, reasons):
    assert recommend_level(ratings).reasons == reasons


def test_reasons_list_every_dimension_over_the_cap_in_order():
    assert recommend_level(rated(3, 4, 4, 4, 4, 4)).reasons == [
        "D2 rated 4 exceeds the 3.7 cap of 3",
        "D3 rated 4 exceeds the 3.7 cap of 3",
    ]


def test_least_intensive_level_says_all_ratings_fit():
    assert recommend_level(rated()).reasons == ["All ratings fit the 1.0 caps"]


def test_placement_carries_the_level_label():
    assert recommend_level(rated(1, 2)).label == "Intensive outpatient"


def test_placement_is_frozen():
    placement = recommend_level(rated())
    with pytest.raises(dataclasses.FrozenInstanceError):
        placement.level = "4"


# --- safety gates -----------------------------------------------------------


def test_high_cssrs_risk_gates_to_urgent_evaluation():
    placement = recommend_level(rated(), {"C-SSRS": cssrs("high")})
    assert (placement.level, placement.gate) == ("urgent_evaluation", "urgent_evaluation")
    assert placement.reasons == ["C-SSRS risk is high: same-day evaluation"]


@pytest.mark.parametrize("band", ["low", "moderate"])
def test_lower_cssrs_risk_does_not_gate(band):
    assert recommend_level(rated(), {"C-SSRS": cssrs(band)}).gate is None


@pytest.mark.parametrize(
    ("total", "gate"),
    [(9, None), (10, "wm_first"), (18, "wm_first"), (19, "wm_inpatient"), (67, "wm_inpatient")],
)
def test_ciwa_total_gates_withdrawal_management(total, gate):
    assert recommend_level(rated(), {"CIWA-Ar": ciwa(total)}).gate == gate


@pytest.mark.parametrize(("total", "gate"), [(0, None), (12, None), (13, "wm_first")])
def test_cows_total_gates_withdrawal_management_from_13(total, gate):
    assert recommend_level(rated(), {"COWS": cows(total)}).gate == gate


def test_complicated_withdrawal_gates_to_inpatient_withdrawal_management():
    placement = recommend_level(rated(), complicated_withdrawal=True)
    assert (placement.level, placement.reasons) == (
        "wm_inpatient",
        ["Complicated withdrawal (seizure, delirium or hallucinations)"],
    )


def test_gate_overrides_the_table_and_keeps_the_table_level():
    placement = recommend_level(rated(4, 4, 4, 4, 4, 4), {"CIWA-Ar": ciwa(10)})
    assert (placement.level, placement.table_level) == ("wm_first", "4")


def test_cssrs_high_beats_severe_alcohol_withdrawal():
    placement = recommend_level(rated(), {"CIWA-Ar": ciwa(25), "C-SSRS": cssrs("high")})
    assert placement.gate == "urgent_evaluation"
    assert placement.reasons == [
        "C-SSRS risk is high: same-day evaluation",
        "CIWA-Ar total 25 is 19 or more",
    ]


def test_inpatient_withdrawal_beats_withdrawal_management_first():
    placement = recommend_level(
        rated(), {"CIWA-Ar": ciwa(12), "COWS": cows(13)}, complicated_withdrawal=True
    )
    assert placement.gate == "wm_inpatient"
    assert placement.reasons == [
        "Complicated withdrawal (seizure, delirium or hallucinations)",
        "CIWA-Ar total 12 is 10-18",
        "COWS total 13 is 13 or more",
    ]


def test_other_instruments_do_not_gate():
    phq9 = score("PHQ-9", {str(n): 3 for n in range(1, 10)})
    assert recommend_level(rated(), {"PHQ-9": phq9}).gate is None


def test_scores_must_be_results_filed_under_their_own_code():
    assert errors_of(rated(), scores={"COWS": ciwa(20)}) == {
        "COWS": "must be the result of score() for this instrument"
    }


def test_complicated_withdrawal_must_be_a_bool():
    assert list(errors_of(rated(), complicated_withdrawal="yes")) == ["complicated_withdrawal"]


# --- custom table -----------------------------------------------------------

TWO_LEVELS = [
    ("low", dict.fromkeys(DIMENSIONS, 2)),
    ("high", dict.fromkeys(DIMENSIONS)),
]


@pytest.mark.parametrize(
    ("ratings", "level"), [(rated(2, 2, 2, 2, 2, 2), "low"), (rated(D5=3), "high")]
)
def test_custom_table_replaces_the_default(ratings, level):
    assert recommend_level(ratings, table=TWO_LEVELS).level == level


def test_custom_level_without_a_label_is_labelled_by_its_code():
    placement = recommend_level(rated(D5=3), table=TWO_LEVELS)
    assert (placement.label, placement.reasons) == ("high", ["D5 rated 3 exceeds the low cap of 2"])


def test_custom_table_still_applies_the_safety_gates():
    assert recommend_level(rated(), {"COWS": cows(13)}, table=TWO_LEVELS).level == "wm_first"


def test_custom_table_without_an_any_row_raises_when_nothing_fits():
    with pytest.raises(ValueError, match="no level"):
        recommend_level(rated(D1=3), table=TWO_LEVELS[:1])


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ([("1.0", dict.fromkeys(DIMENSIONS, 5))], "1.0.D1"),
        ([("1.0", {"D1": 1})], "1.0"),
        ([("1.0", dict.fromkeys(DIMENSIONS, 1)), ("1.0", dict.fromkeys(DIMENSIONS))], "1.0"),
        ([("wm_first", dict.fromkeys(DIMENSIONS))], "row 1"),
        ([], "table"),
    ],
)
def test_invalid_custom_table_is_rejected(table, key):
    with pytest.raises(InstrumentValidationError) as caught:
        validate_table(table)
    assert key in caught.value.errors


# --- invalid ratings --------------------------------------------------------


def test_missing_dimension_is_named():
    ratings = rated()
    del ratings["D4"]
    assert errors_of(ratings) == {"D4": "missing rating"}


@pytest.mark.parametrize("value", [-1, 5, True, 1.5, "high", None])
def test_rating_outside_0_to_4_is_rejected(value):
    assert list(errors_of(rated(D2=value))) == ["D2"]


def test_rating_may_be_an_int_like_string():
    assert recommend_level(rated(D3="3")).level == "2.5"


def test_unknown_dimension_is_rejected():
    assert list(errors_of(rated(D7=1))) == ["D7"]


def test_every_bad_dimension_is_listed_at_once():
    ratings = rated(D1=9, D6=-2)
    del ratings["D3"]
    assert list(errors_of(ratings)) == ["D1", "D3", "D6"]


def test_rating_error_is_a_value_error_naming_the_dimension():
    with pytest.raises(ValueError, match="D5"):
        recommend_level(rated(D5=7))


def test_every_dimension_says_what_each_point_from_0_to_4_means():
    assert list(DIMENSION_ANCHORS) == list(DIMENSIONS)
    assert all(len(anchors) == 5 and all(anchors) for anchors in DIMENSION_ANCHORS.values())
