"""The DSM-5-TR criteria -> severity -> ICD-10-CM rule, against the coding
table (DOMAIN.md section 11) for every class, severity and remission."""

import pytest

from iop.clients import icd10
from iop.clients.diagnoses import (
    Criterion,
    Remission,
    Severity,
    SubstanceClass,
    criteria_for,
    sud_diagnosis,
)

# The coding table: class -> ICD-10-CM category (DSM-5-TR).
CATEGORIES = {
    "alcohol": "F10",
    "opioid": "F11",
    "cannabis": "F12",
    "sedative": "F13",
    "cocaine": "F14",
    "stimulant": "F15",
    "hallucinogen": "F16",
    "inhalant": "F18",
    "other": "F19",
}
# Severity and remission -> the code's last two digits.
SUFFIX = {
    ("mild", None): "10",
    ("moderate", None): "20",
    ("severe", None): "20",
    ("mild", "early"): "11",
    ("mild", "sustained"): "11",
    ("moderate", "early"): "21",
    ("moderate", "sustained"): "21",
    ("severe", "early"): "21",
    ("severe", "sustained"): "21",
}
# How many criteria give each severity: the bands' edges.
COUNTS = {"mild": (2, 3), "moderate": (4, 5), "severe": (6, 10)}

TABLE = [
    (klass, severity, remission, count, f"{category}.{suffix}")
    for klass, category in CATEGORIES.items()
    for (severity, remission), suffix in SUFFIX.items()
    for count in COUNTS[severity]
]


def met(klass, count):
    # The first `count` criteria the class's checklist asks.
    return {c.value for c in criteria_for(klass)[:count]}


@pytest.mark.parametrize(("klass", "severity", "remission", "count", "code"), TABLE)
def test_criteria_give_the_severity_and_code_of_the_coding_table(
    klass, severity, remission, count, code
):
    result = sud_diagnosis(klass, met(klass, count), remission=remission)

    assert result == (severity, code)
    assert result.severity == severity
    assert result.icd10_code == code


@pytest.mark.parametrize("klass", CATEGORIES)
@pytest.mark.parametrize("remission", [None, "early", "sustained"])
@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_criteria_is_no_use_disorder(klass, remission, count):
    assert sud_diagnosis(klass, met(klass, count), remission=remission) == (None, None)


@pytest.mark.parametrize("klass", CATEGORIES)
def test_every_class_has_a_code_in_the_coding_table(klass):
    assert SubstanceClass(klass) in SubstanceClass
    assert {c.value for c in SubstanceClass} == set(CATEGORIES)


@pytest.mark.parametrize("code", sorted({row[4] for row in TABLE}))
def test_every_code_the_rule_gives_is_billable_in_the_shipped_list(code):
    found = icd10.lookup(code)

    assert found is not None, code
    assert found.billable


def test_tolerance_and_withdrawal_under_medical_supervision_are_not_counted():
    criteria = {"tolerance", "withdrawal", "craving", "cut_down"}

    assert sud_diagnosis("opioid", criteria) == ("moderate", "F11.20")
    assert sud_diagnosis("opioid", criteria, supervised_medication=True) == ("mild", "F11.10")
    assert sud_diagnosis("opioid", {"tolerance", "withdrawal"}, supervised_medication=True) == (
        None,
        None,
    )


def test_supervision_leaves_the_other_criteria_counted():
    criteria = {c.value for c in Criterion}

    assert sud_diagnosis("sedative", criteria, supervised_medication=True) == ("severe", "F13.20")


@pytest.mark.parametrize("klass", ["hallucinogen", "inhalant"])
def test_hallucinogen_and_inhalant_checklists_have_no_withdrawal_criterion(klass):
    assert Criterion.WITHDRAWAL not in criteria_for(klass)
    assert len(criteria_for(klass)) == 10
    with pytest.raises(ValueError, match="no withdrawal criterion"):
        sud_diagnosis(klass, {"withdrawal", "craving"})


def test_other_classes_ask_all_eleven_criteria():
    assert criteria_for("alcohol") == tuple(Criterion)
    assert len(Criterion) == 11


@pytest.mark.parametrize(
    ("klass", "criteria", "remission"),
    [
        ("tobacco", {"craving", "cut_down"}, None),
        ("alcohol", {"craving", "legal_problems"}, None),
        ("alcohol", {"craving", "cut_down"}, "partial"),
    ],
)
def test_unknown_class_criterion_or_remission_is_refused(klass, criteria, remission):
    with pytest.raises(ValueError):
        sud_diagnosis(klass, criteria, remission=remission)


def test_enum_members_are_accepted_as_well_as_their_values():
    result = sud_diagnosis(
        SubstanceClass.OPIOID,
        {Criterion.CRAVING, Criterion.CUT_DOWN, Criterion.TIME_SPENT, Criterion.ROLE_FAILURE},
        remission=Remission.EARLY,
    )

    assert result == (Severity.MODERATE, "F11.21")
