"""Dependency hygiene: scripts/audit_deps.py fails on a known vulnerability,
says plainly that it skipped the check where the advisory service cannot be
reached, and ruff keeps its security rules (S) on."""

import importlib.util
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def audit_deps():
    spec = importlib.util.spec_from_file_location("audit_deps", REPO / "scripts" / "audit_deps.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VULNERABLE = """{"dependencies": [
  {"name": "django", "version": "5.2.19", "vulns": [
    {"id": "PYSEC-2099-1", "fix_versions": ["5.2.20"], "aliases": [], "description": "x"}]},
  {"name": "segno", "version": "1.6.6", "vulns": []}], "fixes": []}"""
CLEAN = """{"dependencies": [
  {"name": "django", "version": "5.2.19", "vulns": []},
  {"name": "private-thing", "skip_reason": "Dependency not found on PyPI"}], "fixes": []}"""
ALL_SKIPPED = """{"dependencies": [
  {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"},
  {"name": "segno", "skip_reason": "Dependency not found on PyPI and could not be audited"}],
  "fixes": []}"""


def test_a_known_vulnerability_fails_the_check(audit_deps):
    verdict = audit_deps.judge(1, VULNERABLE, "")
    assert not verdict.ok
    assert "django 5.2.19: PYSEC-2099-1 (fixed in 5.2.20)" in verdict.message


def test_no_vulnerability_passes_and_names_what_was_not_checked(audit_deps):
    verdict = audit_deps.judge(0, CLEAN, "")
    assert verdict.ok
    assert "No known vulnerabilities in 1 dependencies" in verdict.message
    assert "private-thing" in verdict.message


@pytest.mark.parametrize(
    ("returncode", "stdout", "stderr"),
    [
        (0, ALL_SKIPPED, ""),
        (1, "", "requests.exceptions.ConnectionError: Max retries exceeded with url"),
        (None, "", ""),
    ],
    ids=["service-without-answers", "connection-error", "timeout"],
)
def test_an_unreachable_advisory_service_is_reported_not_failed(
    audit_deps, returncode, stdout, stderr
):
    verdict = audit_deps.judge(returncode, stdout, stderr)
    assert verdict.ok
    assert "SKIPPED" in verdict.message and "could not be reached" in verdict.message


def test_another_pip_audit_failure_fails_the_check(audit_deps):
    verdict = audit_deps.judge(1, "", "ERROR: invalid requirement: 'django=='")
    assert not verdict.ok


def test_the_script_tells_of_a_network_it_cannot_reach(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("django==5.2.19\n")
    closed_proxy = "http://127.0.0.1:9"  # nothing listens on the discard port
    env = dict(os.environ, HTTPS_PROXY=closed_proxy, HTTP_PROXY=closed_proxy, NO_PROXY="")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            str(REPO / "scripts" / "audit_deps.py"),
            str(requirements),
            "--",
            "--no-deps",
            "--disable-pip",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "could not be reached" in result.stdout


def test_make_test_runs_the_audit_and_ruff_keeps_the_security_rules():
    makefile = (REPO / "Makefile").read_text()
    checks = next(line for line in makefile.splitlines() if line.startswith("checks:"))
    assert "audit-deps" in checks
    assert "scripts/audit_deps.py requirements.txt" in makefile
    lint = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    assert "S" in lint["select"]
