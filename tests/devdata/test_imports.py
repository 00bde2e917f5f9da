"""devdata imports the product; nothing of the product imports devdata.

The production image leaves the devdata folder out, so an import of it from
the product would fail there only. Every Python file the image holds (all
but devdata/ and tests/) is read with `ast`: an `import devdata...`, a
`from devdata... import` or a dotted path into it (for import_string) fails
the test, naming the file and line.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

REPO = Path(settings.BASE_DIR)
# Not in the image (.dockerignore), or not the product's code.
OUTSIDE_THE_PRODUCT = {"devdata", "tests", "var"}
DOTTED_PATH = re.compile(r"devdata(\.\w+)+")


def _product_files(root: Path) -> list[Path]:
    files = sorted(root.glob("*.py"))
    for folder in sorted(path for path in root.iterdir() if path.is_dir()):
        if folder.name in OUTSIDE_THE_PRODUCT or folder.name.startswith("."):
            continue
        files += sorted(folder.rglob("*.py"))
    return files


def _is_devdata(module: str | None) -> bool:
    return module is not None and module.partition(".")[0] == "devdata"


def devdata_imports(root: Path) -> list[str]:
    """Each import of devdata in root's product files, as "path:line: name"."""
    found = []
    for path in _product_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names if _is_devdata(alias.name)]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module] if node.level == 0 and _is_devdata(node.module) else []
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = [node.value] if DOTTED_PATH.fullmatch(node.value) else []
            else:
                names = []
            found += [f"{path.relative_to(root)}:{node.lineno}: {name}" for name in names]
    return found


def test_no_product_module_imports_devdata():
    found = devdata_imports(REPO)

    assert found == [], "the product must not import devdata:\n" + "\n".join(found)


def test_the_scan_reads_the_product_apps_and_the_top_level_files():
    scanned = {path.relative_to(REPO).parts[0] for path in _product_files(REPO)}

    assert {"iop", "screening", "groups", "family", "aftercare", "manage.py"} <= scanned
    assert not scanned & {"devdata", "tests"}


def test_the_scan_names_each_file_and_line_that_imports_devdata(tmp_path):
    (tmp_path / "manage.py").write_text("import os\n", encoding="utf-8")
    app = tmp_path / "screening"
    app.mkdir()
    (app / "ok.py").write_text('"""Seeded by devdata.demo.screening."""\n', encoding="utf-8")
    (app / "views.py").write_text(
        "import json\n"
        "from devdata.demo import screening\n"
        "def seed():\n"
        "    import devdata.load\n"
        "    return import_string('devdata.load.build')\n",
        encoding="utf-8",
    )
    (tmp_path / "devdata").mkdir()
    (tmp_path / "devdata" / "seeders.py").write_text("import devdata\n", encoding="utf-8")

    assert devdata_imports(tmp_path) == [
        "screening/views.py:2: devdata.demo",
        "screening/views.py:4: devdata.load",
        "screening/views.py:5: devdata.load.build",
    ]
