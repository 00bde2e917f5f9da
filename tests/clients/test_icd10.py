"""The shipped ICD-10-CM list and its lookup."""

import importlib.util
import sys
from pathlib import Path

from iop.clients import icd10

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_icd10cm_list.py"


def test_shipped_list_is_what_the_script_generates_from_the_published_tabular():
    spec = importlib.util.spec_from_file_location("make_icd10cm_list", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_icd10cm_list"] = module
    spec.loader.exec_module(module)

    assert icd10.DATA_FILE.read_text(encoding="utf-8") == module.render()


def test_list_holds_the_whole_f_chapter():
    codes = icd10.codes()

    assert next(iter(codes)) == "F01"
    assert "F99" in codes
    assert all(code.startswith("F") for code in codes)
    assert sum(item.billable for item in codes.values()) == 871


def test_lookup_finds_a_billable_code_with_its_description():
    found = icd10.lookup("F33.1")

    assert found.description == "Major depressive disorder, recurrent, moderate"
    assert found.billable


def test_lookup_normalizes_case_spaces_and_the_dot():
    assert icd10.lookup(" f331 ").code == "F33.1"
    assert icd10.lookup("f32.a").code == "F32.A"


def test_lookup_refuses_a_category_that_is_not_billable():
    assert icd10.codes()["F32"].billable is False
    assert icd10.lookup("F32") is None


def test_lookup_refuses_a_code_outside_the_list():
    assert icd10.lookup("F99.9") is None
    assert icd10.lookup("I10") is None
    assert icd10.lookup("") is None


def test_search_by_code_prefix_lists_billable_codes_in_order():
    found = [item.code for item in icd10.search("F33.4")]

    assert found == ["F33.40", "F33.41", "F33.42"]


def test_search_by_words_matches_every_word_of_the_description():
    found = [item.code for item in icd10.search("recurrent depressive moderate")]

    assert found == ["F33.1"]


def test_search_is_capped_and_empty_for_a_blank_query():
    assert len(icd10.search("F")) == icd10.SEARCH_LIMIT
    assert icd10.search("  ") == []
