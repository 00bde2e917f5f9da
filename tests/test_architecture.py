"""The architecture's import contracts (pyproject.toml [tool.importlinter],
docs/architecture.md) hold on the tree, and each one fails when a forbidden
import is planted in a copy of it, naming the import."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "iop",
    "screening",
    "groups",
    "family",
    "aftercare",
    "billing",
    "outcomes",
    "interop",
    "devdata",
)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own venv's tool on our own tree
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        # Wide enough that a contract's name and verdict share one line.
        env={**os.environ, "COLUMNS": "400"},
        timeout=120,
        check=False,
    )


def test_the_tree_keeps_every_contract():
    result = _lint(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def tree(tmp_path):
    """A copy of the product packages and the contracts, to plant imports in."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "planted", "contract"),
    [
        ("groups/_planted.py", "import devdata.demo.groups\n", "never imports devdata"),
        ("iop/clients/_planted.py", "import groups.models\n", "The core"),
        ("iop/reminders/_planted.py", "import iop.dashboard.measures\n", "The core"),
        ("screening/_planted.py", "import family.models\n", "Feature apps import each other"),
        ("groups/_planted.py", "import aftercare.models\n", "Feature apps import each other"),
        ("family/_planted.py", "import interop.models\n", "Feature apps import each other"),
        ("iop/clients/_planted.py", "import interop.api.gate\n", "The core"),
    ],
    ids=[
        "product-to-devdata",
        "core-to-feature",
        "core-to-dashboard",
        "feature-arrow-not-listed",
        "reverse-of-a-listed-arrow",
        "feature-to-the-api",
        "core-to-the-api",
    ],
)
def test_a_forbidden_import_breaks_its_contract(tree, module, planted, contract):
    (tree / module).write_text(planted)

    result = _lint(tree)

    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if " BROKEN" in line]
    assert any(contract in line for line in broken), result.stdout
    assert module.removesuffix(".py").replace("/", ".") in result.stdout
