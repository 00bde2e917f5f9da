"""Exact scoring of the screening instruments (DOMAIN.md section 3)."""

import dataclasses
import pickle

import pytest

from screening.instruments import (
    INSTRUMENT_CODES,
    REGISTRY,
    InstrumentValidationError,
    get_instrument,
    score,
)

SUMMED = ("AUDIT", "AUDIT-C", "DAST-10", "PHQ-9", "PHQ-2", "GAD-7", "CIWA-Ar", "COWS")


def totalling(code, total):
    """Answers for ``code`` whose points add up to ``total``, largest points first."""
    items = [item for item in get_instrument(code).items if item.scored]

    def fill(index, remaining):
        if index == len(items):
            return {} if remaining == 0 else None
        item = items[index]
        for option in sorted(item.options, key=lambda option: -option.points):
            if option.points <= remaining:
                rest = fill(index + 1, remaining - option.points)
                if rest is not None:
                    return {item.key: option.value, **rest}
        return None

    answers = fill(0, total)
    assert answers is not None, f"{code} cannot total {total}"
    return answers


def points(*values):
    """Answers "1", "2", ... with the given points, in order."""
    return {str(number): value for number, value in enumerate(values, start=1)}


def audit(*first, item_9=0, item_10=0):
    """AUDIT answers: the given items from item 1, then items 9 and 10."""
    return {**points(*first), "9": item_9, "10": item_10}


def phq9(*values, **extra):
    return {**points(*values), **extra}


def dast(*yes):
    """DAST-10 answers: "yes" for the given item numbers, "no" elsewhere."""
    return {str(n): "yes" if n in yes else "no" for n in range(1, 11)}


def cssrs(*yes, within_3_months=None):
    """C-SSRS answers: "yes" for the given keys; items 3-5 asked only after a yes to 2."""
    keys = ["1", "2", "6"] + (["3", "4", "5"] if "2" in yes else [])
    answers = {key: "yes" if key in yes else "no" for key in keys}
    if within_3_months is not None:
        answers["6b"] = "yes" if within_3_months else "no"
    return answers


def errors_of(code, answers, **kwargs):
    with pytest.raises(InstrumentValidationError) as caught:
        score(code, answers, **kwargs)
    return caught.value.errors


# --- registry ---------------------------------------------------------------


def test_registry_lists_every_instrument_code():
    assert INSTRUMENT_CODES == (
        "AUDIT",
        "AUDIT-C",
        "DAST-10",
        "PHQ-9",
        "PHQ-2",
        "GAD-7",
        "CIWA-Ar",
        "COWS",
        "C-SSRS",
        "BAM",
    )


def test_get_instrument_returns_the_registered_definition():
    assert get_instrument("PHQ-9") is REGISTRY["PHQ-9"]


def test_get_instrument_rejects_an_unknown_code():
    with pytest.raises(KeyError, match="PHQ-10"):
        get_instrument("PHQ-10")


def test_score_rejects_an_unknown_code():
    with pytest.raises(KeyError):
        score("BDI", {})


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_every_definition_cites_its_source_licence_and_attribution(code):
    instrument = get_instrument(code)
    assert instrument.source
    assert instrument.licence
    assert instrument.attribution
    assert instrument.version


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_every_band_key_is_lower_case(code):
    for band in get_instrument(code).bands:
        assert band.key == band.key.lower()
        assert band.label


@pytest.mark.parametrize("code", SUMMED)
def test_every_possible_total_falls_in_exactly_one_band(code):
    instrument = get_instrument(code)
    for total in range(instrument.max_total + 1):
        assert sum(band.contains(total) for band in instrument.bands) == 1


def test_registry_cannot_be_changed():
    with pytest.raises(TypeError):
        REGISTRY["AUDIT"] = None


def test_audit_c_uses_audit_items_1_to_3():
    assert get_instrument("AUDIT-C").items == get_instrument("AUDIT").items[:3]


def test_phq2_uses_phq9_items_1_and_2():
    assert get_instrument("PHQ-2").items == get_instrument("PHQ-9").items[:2]


# --- maxima and band edges ------------------------------------------------


@pytest.mark.parametrize(
    ("code", "maximum", "top_band"),
    [
        ("AUDIT", 40, "zone_iv"),
        ("AUDIT-C", 12, "positive"),
        ("DAST-10", 10, "severe"),
        ("PHQ-9", 27, "severe"),
        ("PHQ-2", 6, "positive"),
        ("GAD-7", 21, "severe"),
        ("CIWA-Ar", 67, "severe"),
        ("COWS", 48, "severe"),
    ],
)
def test_highest_answers_give_the_maximum_score(code, maximum, top_band):
    instrument = get_instrument(code)
    answers = {
        item.key: max(item.options, key=lambda option: option.points).value
        for item in instrument.items
        if item.scored
    }
    result = score(code, answers)
    assert (instrument.max_total, result.total, result.band) == (maximum, maximum, top_band)


def test_audit_all_fours_scores_40():
    assert score("AUDIT", points(*[4] * 10)).total == 40


@pytest.mark.parametrize(
    ("code", "total", "band"),
    [
        ("AUDIT", 0, "zone_i"),
        ("AUDIT", 7, "zone_i"),
        ("AUDIT", 8, "zone_ii"),
        ("AUDIT", 15, "zone_ii"),
        ("AUDIT", 16, "zone_iii"),
        ("AUDIT", 19, "zone_iii"),
        ("AUDIT", 20, "zone_iv"),
        ("DAST-10", 0, "none"),
        ("DAST-10", 1, "low"),
        ("DAST-10", 2, "low"),
        ("DAST-10", 3, "moderate"),
        ("DAST-10", 5, "moderate"),
        ("DAST-10", 6, "substantial"),
        ("DAST-10", 8, "substantial"),
        ("DAST-10", 9, "severe"),
        ("PHQ-9", 0, "minimal"),
        ("PHQ-9", 4, "minimal"),
        ("PHQ-9", 5, "mild"),
        ("PHQ-9", 9, "mild"),
        ("PHQ-9", 10, "moderate"),
        ("PHQ-9", 14, "moderate"),
        ("PHQ-9", 15, "moderately_severe"),
        ("PHQ-9", 19, "moderately_severe"),
        ("PHQ-9", 20, "severe"),
        ("PHQ-2", 0, "negative"),
        ("PHQ-2", 2, "negative"),
        ("PHQ-2", 3, "positive"),
        ("GAD-7", 0, "minimal"),
        ("GAD-7", 4, "minimal"),
        ("GAD-7", 5, "mild"),
        ("GAD-7", 9, "mild"),
        ("GAD-7", 10, "moderate"),
        ("GAD-7", 14, "moderate"),
        ("GAD-7", 15, "severe"),
        ("CIWA-Ar", 0, "mild"),
        ("CIWA-Ar", 9, "mild"),
        ("CIWA-Ar", 10, "moderate"),
        ("CIWA-Ar", 18, "moderate"),
        ("CIWA-Ar", 19, "severe"),
        ("COWS", 0, "none"),
        ("COWS", 4, "none"),
        ("COWS", 5, "mild"),
        ("COWS", 12, "mild"),
        ("COWS", 13, "moderate"),
        ("COWS", 24, "moderate"),
        ("COWS", 25, "moderately_severe"),
        ("COWS", 36, "moderately_severe"),
        ("COWS", 37, "severe"),
    ],
)
def test_band_edges(code, total, band):
    result = score(code, totalling(code, total))
    assert (result.total, result.band) == (total, band)


def test_band_label_is_human_text():
    assert score("PHQ-9", totalling("PHQ-9", 15)).band_label == "Moderately severe depression"


@pytest.mark.parametrize(("total", "flags"), [(7, []), (8, ["positive"])])
def test_audit_flags_positive_from_8(total, flags):
    assert score("AUDIT", totalling("AUDIT", total)).flags == flags


# --- AUDIT skip rule and items 9-10 ----------------------------------------


def test_audit_skips_items_2_to_8_when_item_1_is_zero():
    result = score("AUDIT", audit(0, item_9=2, item_10=4))
    assert (result.total, result.answers) == (6, {"1": 0, "9": 2, "10": 4})


def test_audit_skips_items_4_to_8_when_items_2_and_3_are_zero():
    result = score("AUDIT", audit(1, 0, 0, item_9=2))
    assert (result.total, sorted(result.answers)) == (3, ["1", "10", "2", "3", "9"])


def test_audit_accepts_zero_for_a_skipped_item_and_drops_it():
    result = score("AUDIT", audit(0, 0, 0, 0, 0, 0, 0, 0))
    assert (result.total, list(result.answers)) == (0, ["1", "9", "10"])


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        (audit(0, 1), "2"),
        (audit(0, item_9=0) | {"5": 2}, "5"),
        (audit(2, 0, 0, 1, 0, 0, 0, 0), "4"),
        (audit(2, 0, 0, 0, 0, 0, 0, 3), "8"),
    ],
)
def test_audit_rejects_a_nonzero_answer_to_a_skipped_item(answers, key):
    assert "not asked" in errors_of("AUDIT", answers)[key]


@pytest.mark.parametrize("missing", ["2", "3"])
def test_audit_requires_items_2_and_3_when_item_1_is_above_zero(missing):
    answers = audit(1, 0, 0)
    del answers[missing]
    assert errors_of("AUDIT", answers) == {missing: "missing answer"}


def test_audit_requires_items_4_to_8_when_item_2_or_3_is_above_zero():
    errors = errors_of("AUDIT", audit(1, 0, 1))
    assert list(errors) == ["4", "5", "6", "7", "8"]


def test_audit_requires_items_9_and_10_even_when_item_1_is_zero():
    assert list(errors_of("AUDIT", {"1": 0})) == ["9", "10"]


@pytest.mark.parametrize("key", ["item_9", "item_10"])
@pytest.mark.parametrize("value", [1, 3, 5])
def test_audit_items_9_and_10_reject_odd_points(key, value):
    errors = errors_of("AUDIT", audit(0, **{key: value}))
    assert errors == {key.removeprefix("item_"): "not one of the options (0, 2, 4)"}


@pytest.mark.parametrize("value", [0, 2, 4])
def test_audit_items_9_and_10_accept_0_2_and_4(value):
    assert score("AUDIT", audit(0, item_9=value, item_10=value)).total == 2 * value


# --- AUDIT-C ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sex", "total", "band"),
    [
        ("female", 2, "negative"),
        ("female", 3, "positive"),
        ("male", 3, "negative"),
        ("male", 4, "positive"),
        (None, 2, "negative"),
        (None, 3, "positive"),
    ],
)
def test_audit_c_cut_off_depends_on_sex(sex, total, band):
    assert score("AUDIT-C", totalling("AUDIT-C", total), sex=sex).band == band


@pytest.mark.parametrize(("sex", "flags"), [("male", []), ("female", ["positive"])])
def test_audit_c_flags_a_positive_screen(sex, flags):
    assert score("AUDIT-C", points(1, 1, 1), sex=sex).flags == flags


def test_audit_c_is_scored_from_a_full_audit_administration():
    result = score("AUDIT-C", points(2, 1, 1, 4, 4, 4, 4, 4, 4, 4))
    assert (result.total, result.answers) == (4, {"1": 2, "2": 1, "3": 1})


def test_audit_c_from_a_full_audit_still_checks_every_item():
    assert list(errors_of("AUDIT-C", points(2, 1, 1, 0, 0, 0, 0, 0, 1, 0))) == ["9"]


def test_audit_c_skips_items_2_and_3_when_item_1_is_zero():
    assert score("AUDIT-C", {"1": 0}).answers == {"1": 0}


def test_sex_is_case_insensitive():
    assert score("AUDIT-C", points(2, 1, 0), sex="Male").band == "negative"


def test_unknown_sex_is_rejected():
    assert list(errors_of("AUDIT-C", points(1, 1, 1), sex="f")) == ["sex"]


# --- DAST-10 ----------------------------------------------------------------


def test_dast_item_3_no_scores_a_point():
    assert score("DAST-10", dast()).total == 1


def test_dast_item_3_yes_scores_nothing():
    assert score("DAST-10", dast(3)).total == 0


def test_dast_every_yes_but_item_3_scores_10():
    assert score("DAST-10", dast(1, 2, 4, 5, 6, 7, 8, 9, 10)).total == 10


def test_dast_rejects_points_instead_of_yes_or_no():
    assert errors_of("DAST-10", dast() | {"1": 1}) == {"1": "not one of the options (yes, no)"}


def test_yes_and_no_are_case_insensitive():
    result = score("DAST-10", dast() | {"1": " YES", "3": "Yes"})
    assert (result.total, result.answers["1"]) == (1, "yes")


# --- PHQ-9, PHQ-2, GAD-7 ----------------------------------------------------


@pytest.mark.parametrize("difficulty", ["not_difficult", "somewhat", "very", "extremely"])
def test_phq9_difficulty_item_is_not_counted(difficulty):
    result = score("PHQ-9", phq9(*[1] * 9, difficulty=difficulty))
    assert (result.total, result.answers["difficulty"]) == (9, difficulty)


def test_phq9_difficulty_item_is_optional():
    assert "difficulty" not in score("PHQ-9", phq9(*[0] * 9)).answers


def test_phq9_rejects_an_unknown_difficulty():
    assert list(errors_of("PHQ-9", phq9(*[0] * 9, difficulty=3))) == ["difficulty"]


@pytest.mark.parametrize("item_9", [1, 2, 3])
def test_phq9_item_9_flags_suicide_risk_whatever_the_total(item_9):
    result = score("PHQ-9", phq9(0, 0, 0, 0, 0, 0, 0, 0, item_9))
    assert (result.band, result.flags) == ("minimal", ["suicide_risk"])


def test_phq9_severe_total_without_item_9_raises_no_flag():
    result = score("PHQ-9", phq9(3, 3, 3, 3, 3, 3, 3, 3, 0))
    assert (result.band, result.flags) == ("severe", [])


def test_phq2_is_scored_from_a_full_phq9_administration():
    result = score("PHQ-2", phq9(2, 1, 3, 3, 3, 3, 3, 3, 3, difficulty="very"))
    assert (result.total, result.answers) == (3, {"1": 2, "2": 1})


@pytest.mark.parametrize(("total", "flags"), [(2, []), (3, ["positive"])])
def test_phq2_flags_positive_from_3(total, flags):
    assert score("PHQ-2", totalling("PHQ-2", total)).flags == flags


def test_phq2_from_a_partial_phq9_names_the_missing_items():
    assert list(errors_of("PHQ-2", phq9(1, 1, 1))) == ["4", "5", "6", "7", "8", "9"]


def test_gad7_raises_no_flags():
    assert score("GAD-7", totalling("GAD-7", 21)).flags == []


# --- CIWA-Ar and COWS -------------------------------------------------------


@pytest.mark.parametrize("value", [-1, 5, 7])
def test_ciwa_orientation_takes_only_0_to_4(value):
    assert list(errors_of("CIWA-Ar", points(*[0] * 9, value))) == ["10"]


@pytest.mark.parametrize("value", range(8))
def test_ciwa_items_1_to_9_take_every_value_0_to_7(value):
    assert score("CIWA-Ar", points(value, *[0] * 9)).total == value


@pytest.mark.parametrize(("total", "flags"), [(9, []), (10, ["withdrawal_risk"])])
def test_ciwa_flags_withdrawal_risk_from_10(total, flags):
    assert score("CIWA-Ar", totalling("CIWA-Ar", total)).flags == flags


def test_cows_restlessness_rejects_2():
    errors = errors_of("COWS", points(0, 0, 2, *[0] * 8))
    assert errors == {"3": "not one of the options (0, 1, 3, 5)"}


@pytest.mark.parametrize(
    ("key", "value"),
    [("1", 3), ("4", 3), ("5", 3), ("7", 4), ("11", 1), ("11", 2), ("11", 4), ("2", 5)],
)
def test_cows_items_reject_points_they_do_not_have(key, value):
    assert list(errors_of("COWS", points(*[0] * 11) | {key: value})) == [key]


@pytest.mark.parametrize(("total", "flags"), [(12, []), (13, ["withdrawal_risk"])])
def test_cows_flags_withdrawal_risk_from_13(total, flags):
    assert score("COWS", totalling("COWS", total)).flags == flags


# --- C-SSRS -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "band"),
    [
        (cssrs(), "none"),
        (cssrs("1"), "low"),
        (cssrs("2"), "low"),
        (cssrs("1", "2"), "low"),
        (cssrs("2", "3"), "moderate"),
        (cssrs("2", "4"), "high"),
        (cssrs("2", "5"), "high"),
        (cssrs("6", within_3_months=False), "moderate"),
        (cssrs("6", within_3_months=True), "high"),
        (cssrs("1", "6", within_3_months=False), "moderate"),
        (cssrs("2", "3", "6", within_3_months=True), "high"),
        (cssrs("2", "4", "6", within_3_months=False), "high"),
    ],
)
def test_cssrs_risk_is_the_highest_level_triggered(answers, band):
    assert score("C-SSRS", answers).band == band


def test_cssrs_total_is_none():
    assert score("C-SSRS", cssrs("2", "3", "4", "5")).total is None


@pytest.mark.parametrize(
    ("answers", "flags"),
    [
        (cssrs("1", "2"), []),
        (cssrs("2", "3"), ["suicide_risk"]),
        (cssrs("6", within_3_months=True), ["suicide_risk"]),
    ],
)
def test_cssrs_flags_suicide_risk_when_moderate_or_high(answers, flags):
    assert score("C-SSRS", answers).flags == flags


def test_cssrs_items_3_to_5_are_absent_when_item_2_is_no():
    assert score("C-SSRS", cssrs("1")).answers == {"1": "yes", "2": "no", "6": "no"}


@pytest.mark.parametrize("key", ["3", "4", "5"])
@pytest.mark.parametrize("value", ["yes", "no"])
def test_cssrs_rejects_items_3_to_5_when_item_2_is_no(key, value):
    errors = errors_of("C-SSRS", cssrs("1") | {key: value})
    assert errors == {key: "not asked (asked only when item 2 is yes); leave it blank"}


def test_cssrs_requires_items_3_to_5_when_item_2_is_yes():
    answers = {"1": "yes", "2": "yes", "6": "no"}
    assert errors_of("C-SSRS", answers) == dict.fromkeys(["3", "4", "5"], "missing answer")


def test_cssrs_requires_6b_when_item_6_is_yes():
    assert errors_of("C-SSRS", cssrs("6")) == {"6b": "missing answer"}


@pytest.mark.parametrize("value", ["yes", "no"])
def test_cssrs_rejects_6b_when_item_6_is_no(value):
    assert list(errors_of("C-SSRS", cssrs() | {"6b": value})) == ["6b"]


# --- answer validation ------------------------------------------------------


@pytest.mark.parametrize("value", ["3", " 3 ", 3, 3.0])
def test_points_accept_ints_int_like_strings_and_integral_floats(value):
    result = score("GAD-7", points(value, 0, 0, 0, 0, 0, 0))
    assert (result.total, result.answers["1"]) == (3, 3)


@pytest.mark.parametrize("value", [True, False, 1.5, "1.5", "three", "0x1", [1], 4, -1])
def test_points_reject_values_that_are_not_options(value):
    errors = errors_of("GAD-7", points(value, 0, 0, 0, 0, 0, 0))
    assert errors == {"1": "not one of the options (0, 1, 2, 3)"}


@pytest.mark.parametrize("value", [None, "", "  "])
def test_blank_answer_counts_as_missing(value):
    assert errors_of("GAD-7", points(value, 0, 0, 0, 0, 0, 0)) == {"1": "missing answer"}


def test_missing_item_is_named():
    assert errors_of("GAD-7", points(0, 0, 0, 0, 0, 0)) == {"7": "missing answer"}


def test_unknown_item_key_is_named():
    assert list(errors_of("GAD-7", points(*[0] * 8))) == ["8"]


def test_every_bad_item_is_listed_at_once():
    errors = errors_of("PHQ-9", {"1": 4, "2": "x", "4": 0, "extra": 1})
    assert list(errors) == ["1", "2", "3", "5", "6", "7", "8", "9", "extra"]


def test_validation_error_is_a_value_error():
    with pytest.raises(ValueError):
        score("GAD-7", {})


def test_validation_error_message_names_the_items():
    with pytest.raises(InstrumentValidationError) as caught:
        score("AUDIT", audit(0, item_9=1, item_10=3))
    assert str(caught.value) == (
        "AUDIT: item 9: not one of the options (0, 2, 4); item 10: not one of the options (0, 2, 4)"
    )


def test_validation_error_does_not_repeat_the_answer():
    with pytest.raises(InstrumentValidationError) as caught:
        score("GAD-7", points("secret", 0, 0, 0, 0, 0, 0))
    assert "secret" not in str(caught.value)


def test_validation_error_survives_pickling():
    with pytest.raises(InstrumentValidationError) as caught:
        score("GAD-7", {})
    copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own object
    assert (str(copy), copy.errors) == (str(caught.value), caught.value.errors)


def test_answers_must_be_a_mapping():
    with pytest.raises(TypeError):
        score("GAD-7", [0] * 7)


def test_result_is_frozen():
    result = score("GAD-7", totalling("GAD-7", 3))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = 0


def test_result_carries_code_version_and_normalised_answers():
    result = score("GAD-7", points("1", "0", 0, 0, 0, 0, "2"))
    assert (result.code, result.version) == ("GAD-7", get_instrument("GAD-7").version)
    assert result.answers == points(1, 0, 0, 0, 0, 0, 2)
