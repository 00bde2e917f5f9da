"""The TEDS codebook module: every code OpenIOP writes is one the codebook
defines, with the labels of the TEDS-A / TEDS-D public-use codebooks."""

import pytest

from iop.clients import teds
from iop.clients.models import LevelOfCare

MISSING = -9


@pytest.mark.parametrize("codes", teds.CODES, ids=lambda codes: codes.item)
def test_every_code_written_is_a_code_the_codebook_defines(codes):
    assert set(codes.codes.values()) <= set(codes.labels)
    assert MISSING not in codes.labels


@pytest.mark.parametrize("codes", teds.CODES, ids=lambda codes: codes.item)
def test_declined_and_unknown_answers_are_exported_as_missing(codes):
    for value in codes.unmapped:
        assert codes.code(value) == MISSING
    assert codes.code("") == MISSING


@pytest.mark.parametrize(
    ("level", "code"),
    [
        (LevelOfCare.OUTPATIENT, 7),
        (LevelOfCare.INTENSIVE_OUTPATIENT, 6),
        (LevelOfCare.PARTIAL_HOSPITALIZATION, 6),
        (LevelOfCare.RESIDENTIAL_CLINICAL, MISSING),
    ],
)
def test_services_codes_an_iop_as_intensive_outpatient(level, code):
    assert teds.SERVICES.code(level) == code
    assert teds.SERVICES.labels[6] == "Ambulatory, intensive outpatient"
    assert teds.SERVICES.labels[7] == "Ambulatory, non-intensive outpatient"
    assert teds.SERVICES.labels[8] == "Ambulatory, detoxification"


def test_education_uses_all_five_codes():
    assert sorted(teds.EDUC.codes.values()) == [1, 2, 3, 4, 5]
    assert teds.EDUC.code(teds.Education.GRADE_8_OR_LESS) == 1
    assert teds.EDUC.code(teds.Education.BELOW_HIGH_SCHOOL) == 2


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (
            teds.MARSTAT,
            {1: "Never married", 2: "Now married", 3: "Separated", 4: "Divorced, widowed"},
        ),
        (teds.ARRESTS, {0: "None", 1: "Once", 2: "Two or more times"}),
        (
            teds.ETHNIC,
            {
                1: "Puerto Rican",
                2: "Mexican",
                3: "Cuban or other specific Hispanic",
                4: "Not of Hispanic or Latino origin",
                5: "Hispanic or Latino, specific origin not specified",
            },
        ),
        (
            teds.SELF_HELP,
            {
                1: "No attendance",
                2: "1-3 times in the past month",
                3: "4-7 times in the past month",
                4: "8-30 times in the past month",
                5: "Some attendance, frequency is unknown",
            },
        ),
        (
            teds.HLTHINS,
            {
                1: "Private insurance, Blue Cross/Blue Shield, HMO",
                2: "Medicaid",
                3: "Medicare, other (e.g. TRICARE, CHAMPUS)",
                4: "None",
            },
        ),
    ],
    ids=lambda value: value.item if isinstance(value, teds.Codes) else None,
)
def test_the_labels_are_the_codebooks(codes, expected):
    assert dict(codes.labels) == expected


def test_race_codes_one_race_by_its_code_and_several_as_two_or_more():
    assert teds.race_code(["white"]) == 5
    assert teds.race_code(["black"]) == 4
    assert teds.race_code(["alaska_native"]) == 1
    assert teds.race_code(["american_indian"]) == 2
    assert teds.race_code(["asian"]) == 6
    assert teds.race_code(["pacific_islander"]) == 9
    assert teds.race_code(["other"]) == 7
    assert teds.race_code(["white", "asian"]) == 8
    assert teds.race_code(["declined"]) == MISSING
    assert teds.race_code(["unknown"]) == MISSING
    assert teds.race_code([]) == MISSING
    assert teds.race_code(None) == MISSING
    assert teds.RACE.labels[8] == "Two or more races"


def test_sex_is_written_as_the_codebooks_gender():
    assert teds.SEX.code("male") == 1
    assert teds.SEX.code("female") == 2
    assert teds.SEX.code("unknown") == MISSING


@pytest.mark.parametrize(
    ("icd10", "code"),
    [
        ("F10.10", 9),
        ("F10.20", 4),
        ("F10.21", 4),
        ("F10.129", 3),
        ("F11.10", 12),
        ("F11.20", 5),
        ("F12.10", 10),
        ("F12.20", 7),
        ("F14.10", 13),
        ("F14.20", 6),
        ("F15.20", 8),
        ("F13.10", 11),
        ("F19.20", 8),
        ("F41.1", 14),
        ("F32.1", 15),
        ("F33.0", 15),
        ("F20.9", 16),
        ("F31.81", 17),
        ("F90.0", 18),
        ("F43.10", 19),
        ("F17.210", MISSING),
        ("Z63.0", MISSING),
        ("", MISSING),
    ],
)
def test_dsmcrit_places_an_icd10_code_in_the_codebooks_category(icd10, code):
    assert teds.dsmcrit(icd10) == code
    assert code == MISSING or code in teds.DSMCRIT_LABELS
