"""Exact scoring of the Brief Addiction Monitor (DOMAIN.md section 3a): the
three composites at every edge, the unscored items and the item-7 skip."""

import pytest

from screening.instruments import InstrumentValidationError, get_instrument, score
from screening.instruments.translations import languages_of, localized

USE_ITEMS = ("4", "5", "6")
RISK_ITEMS = ("1", "2", "3", "8", "11", "15")
PROTECTIVE_ITEMS = ("9", "10", "12", "13", "14", "16")


def bam(**overrides):
    """All scored items 0 (item 14 "No"), item 17 0, then the overrides."""
    answers = {key: 0 for key in (*USE_ITEMS, *RISK_ITEMS, *PROTECTIVE_ITEMS, "17")}
    answers.update({key.removeprefix("i"): value for key, value in overrides.items()})
    return answers


def spread(keys, total):
    """`total` points spread over `keys`, 0-4 each, filling the first first."""
    values = {}
    for key in keys:
        values[key] = min(4, total)
        total -= values[key]
    assert total == 0
    return values


def test_bam_has_no_total_and_reports_three_composites():
    result = score("BAM", bam())

    assert result.total is None
    assert set(result.subscales) == {"use", "risk", "protective"}
    assert get_instrument("BAM").max_total is None


@pytest.mark.parametrize(("use", "flagged"), [(0, False), (1, True), (6, True), (12, True)])
def test_any_use_is_flagged_from_a_use_composite_of_one(use, flagged):
    result = score("BAM", bam(**spread(USE_ITEMS, use), **spread(PROTECTIVE_ITEMS, 20)))

    assert result.subscales["use"] == use
    assert ("any_use" in result.flags) is flagged


@pytest.mark.parametrize(("risk", "flagged"), [(0, False), (11, False), (12, True), (24, True)])
def test_high_risk_is_flagged_from_a_risk_composite_of_twelve(risk, flagged):
    result = score("BAM", bam(**spread(RISK_ITEMS, risk), **spread(PROTECTIVE_ITEMS, 20)))

    assert result.subscales["risk"] == risk
    assert ("high_risk" in result.flags) is flagged


@pytest.mark.parametrize(
    ("protective", "flagged"), [(0, True), (12, True), (13, False), (24, False)]
)
def test_low_protection_is_flagged_at_a_protective_composite_of_twelve_or_less(protective, flagged):
    answers = spread(
        ("9", "10", "12", "13", "16"), protective - 4 if protective >= 4 else protective
    )
    answers["14"] = 4 if protective >= 4 else 0

    result = score("BAM", bam(**answers))

    assert result.subscales["protective"] == protective
    assert ("low_protection" in result.flags) is flagged


def test_band_says_whether_any_composite_is_of_concern():
    calm = score("BAM", bam(**spread(PROTECTIVE_ITEMS, 13)))
    worried = score("BAM", bam(**spread(PROTECTIVE_ITEMS, 13), i4=1))

    assert (calm.band, calm.flags) == ("no_concern", [])
    assert (worried.band, worried.flags) == ("concern", ["any_use"])


def test_item_17_and_items_7a_to_7g_are_in_no_composite():
    base = bam(**spread(PROTECTIVE_ITEMS, 16), i6=2)
    more = {**base, "17": 4, "7A": 4, "7C": 3, "7G": 1}

    assert score("BAM", more).subscales == score("BAM", base).subscales
    assert score("BAM", more).answers["7A"] == 4


def test_item_14_scores_no_as_zero_and_yes_as_four_only():
    assert score("BAM", bam(i14=4)).subscales["protective"] == 4
    with pytest.raises(InstrumentValidationError) as caught:
        score("BAM", bam(i14=2))
    assert set(caught.value.errors) == {"14"}


def test_drug_days_are_not_asked_when_item_6_is_zero():
    with pytest.raises(InstrumentValidationError) as caught:
        score("BAM", bam(**{"7B": 2}))

    assert set(caught.value.errors) == {"7B"}
    # A form posting 0 for the skipped items is harmless.
    assert "7B" not in score("BAM", bam(**{"7B": 0})).answers


def test_drug_days_are_optional_when_item_6_is_positive():
    assert score("BAM", bam(i6=1)).subscales["use"] == 1


@pytest.mark.parametrize("bad", [5, -1, "many", 2.5, True])
def test_out_of_range_answers_are_refused_item_by_item(bad):
    with pytest.raises(InstrumentValidationError) as caught:
        score("BAM", bam(i2=bad, i9=bad))

    assert set(caught.value.errors) == {"2", "9"}


def test_a_missing_item_and_the_old_item_7_key_are_refused():
    answers = bam()
    del answers["11"]
    answers["7"] = 0

    with pytest.raises(InstrumentValidationError) as caught:
        score("BAM", answers)

    assert set(caught.value.errors) == {"11", "7"}


def test_day_counts_use_the_published_bins():
    labels = [option.label for option in get_instrument("BAM").item("2").options]

    assert labels == ["0 days", "1-3 days", "4-8 days", "9-15 days", "16-30 days"]


def test_spanish_is_offered_only_where_a_translation_is_published():
    assert languages_of("PHQ-9") == ("en", "es")
    assert languages_of("GAD-7") == ("en", "es")
    assert languages_of("BAM") == ("en",)
    assert localized("BAM", "es") is get_instrument("BAM")


def test_spanish_wording_scores_exactly_as_english():
    spanish = localized("PHQ-9", "es")
    english = get_instrument("PHQ-9")

    assert [item.key for item in spanish.items] == [item.key for item in english.items]
    assert spanish.item("9").text != english.item("9").text
    assert [o.points for o in spanish.item("9").options] == [0, 1, 2, 3]
    assert spanish.item("1").options[0].label == "Nunca"
    assert spanish.flags == english.flags
