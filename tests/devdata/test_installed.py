"""The devdata app is installed only when DEVDATA says so (by default when
DEBUG is on), and the application runs without it, as in the production
image: its .dockerignore leaves the folder out and its Dockerfile sets
DEVDATA=0."""

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(settings.BASE_DIR)

# The product's packages: what the image holds besides manage.py.
PRODUCT_PACKAGES = sorted(
    path.parent.name
    for path in REPO.glob("*/__init__.py")
    if path.parent.name not in {"devdata", "tests"}
)

# Run in a child process with DEBUG off and no DEVDATA: the folder cannot be
# imported at all, as in the image; Django starts, its checks pass and every
# module of the product imports.
WITHOUT_DEVDATA = """
import importlib, importlib.abc, pkgutil, sys

class NoDevdata(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] == "devdata":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoDevdata())
import django
django.setup()
from django.core.management import call_command
call_command("check")
for name in sys.argv[1:]:
    package = importlib.import_module(name)
    for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
        importlib.import_module(module.name)
print("imported", *sys.argv[1:])
"""


def _production_env() -> dict[str, str]:
    """The environment of the image: iop.settings, DEBUG off, no DEVDATA
    (tests/settings.py turned it on for this process)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DEVDATA"} and not key.startswith("DJANGO_")
    }
    env.update(DJANGO_SETTINGS_MODULE="iop.settings", DEBUG="0", SECRET_KEY="tests-only")
    return env


def _run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, *args],
        cwd=REPO,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    ("environment", "installed"),
    [
        ({"DEBUG": "1"}, True),
        ({"DEBUG": "0"}, False),
        ({"DEBUG": "0", "DEVDATA": "1"}, True),
        ({"DEBUG": "1", "DEVDATA": "0"}, False),
    ],
)
def test_devdata_is_installed_when_devdata_is_on_which_by_default_follows_debug(
    monkeypatch, environment, installed
):
    for name in ("DEBUG", "DEVDATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "tests-only")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    namespace = runpy.run_path(str(REPO / "iop" / "settings.py"))

    assert namespace["DEVDATA"] is installed
    assert ("devdata" in namespace["INSTALLED_APPS"]) is installed


def test_the_test_run_has_devdata_installed():
    assert settings.DEVDATA
    assert "devdata" in settings.INSTALLED_APPS


def test_the_docker_image_leaves_the_devdata_folder_out_and_turns_it_off():
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")

    assert "devdata" in ignored
    assert re.search(r"^\s*DEVDATA=0\b", dockerfile, re.MULTILINE)


def test_the_product_starts_and_imports_every_module_without_the_devdata_folder():
    assert {"iop", "screening", "groups", "family", "aftercare"} <= set(PRODUCT_PACKAGES)

    result = _run(["-c", WITHOUT_DEVDATA, *PRODUCT_PACKAGES])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_seed_demo_is_an_unknown_command_without_devdata():
    result = _run(["manage.py", "seed_demo"])

    assert result.returncode == 1
    assert "Unknown command: 'seed_demo'" in result.stderr
