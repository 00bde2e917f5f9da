"""The group pages are a package of modules each under 400 lines (the house
rule for files), and the drop-in candidate queries are reads in selectors."""

from pathlib import Path

import groups
from groups import selectors
from groups.views import dropin

VIEWS = Path(groups.__file__).parent / "views"


def test_group_views_are_a_package_of_modules_under_400_lines():
    modules = sorted(path.name for path in VIEWS.glob("*.py"))
    lengths = {path.name: len(path.read_text().splitlines()) for path in VIEWS.glob("*.py")}

    assert {"groups.py", "sessions.py", "dropin.py"} <= set(modules)
    assert max(lengths.values()) < 400, lengths


def test_drop_in_candidate_queries_are_selectors_the_views_call():
    assert dropin.selectors is selectors
    assert callable(selectors.drop_in_candidates) and callable(selectors.drop_in_choices)
    assert not hasattr(dropin, "_drop_in_candidates")
