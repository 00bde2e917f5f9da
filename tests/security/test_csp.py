"""Content-Security-Policy: every page sends a policy with a fresh nonce, and
no template or page has what the policy forbids (inline script, event handler
attribute, style element or style attribute). The template scan reads every
template in the repository, so pages added later are covered too."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.groups.factories import group_meeting_now

REPO = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [REPO / "templates", *REPO.glob("*/templates"), *REPO.glob("iop/*/templates")]
TEMPLATES = sorted({path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")})

# A data block (type="application/json", as json_script writes) is never run.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\b(?:src\s*=|type=.application/json))[^>]*>", re.IGNORECASE
)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


def test_the_template_scan_finds_the_templates():
    assert REPO / "templates" / "base.html" in TEMPLATES
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(REPO)))
def test_template_has_nothing_the_policy_forbids(path):
    source = path.read_text()
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("on*= event handler attribute", EVENT_HANDLER),
        ("style= attribute", STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
    ]:
        found = pattern.search(source)
        assert found is None, f"{name}: {found.group(0)[:120]}"


def test_static_scripts_evaluate_no_strings_and_write_no_style_attributes():
    for path in sorted((REPO / "static" / "js").rglob("*.js")):
        source = path.read_text()
        for forbidden in ["eval(", "new Function", 'setAttribute("style"', "setAttribute('style'"]:
            assert forbidden not in source, f"{path.name}: {forbidden}"


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code():
    base = (REPO / "templates" / "base.html").read_text()
    assert '"includeIndicatorStyles": false' in base
    assert '"allowEval": false' in base


def test_the_policy_allows_only_this_origin():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in directives[directive]
        assert "'unsafe-eval'" not in directives[directive]


class _PageScan(HTMLParser):
    """Collects what the policy would block, and the nonces of scripts."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.script_nonces: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("type") == "application/json":
                return  # data for a script (json_script): never executed
            if "src" not in attributes:
                self.problems.append("inline <script>")
            self.script_nonces.append(attributes.get("nonce"))
        if tag == "style":
            self.problems.append("<style> element")
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")


def _assert_page_follows_the_policy(response):
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    nonce = NONCE.search(script_src)
    assert nonce, policy
    scan = _PageScan()
    scan.feed(response.content.decode())
    assert scan.problems == []
    assert nonce.group(1) in scan.script_nonces
    assert {n for n in scan.script_nonces if n} == {nonce.group(1)}
    return nonce.group(1)


def test_the_login_page_follows_the_policy(client):
    _assert_page_follows_the_policy(client.get(reverse("accounts:login")))


def test_each_response_has_its_own_nonce(client):
    first = _assert_page_follows_the_policy(client.get(reverse("accounts:login")))
    second = _assert_page_follows_the_policy(client.get(reverse("accounts:login")))
    assert first != second


def test_counselor_pages_with_progress_bars_follow_the_policy(login, counselor1):
    _, session, clients = group_meeting_now(counselor1, [("Ana", "Lopez"), ("Ben", "Ortiz")])
    browser = login(counselor1)
    home = browser.get(reverse("dashboard:home"))
    _assert_page_follows_the_policy(home)
    # The chart opened on its groups section (a deep link renders it with the page).
    chart = browser.get(
        reverse("clients:client-detail", args=[clients[0].public_id]), {"section": "groups"}
    )
    _assert_page_follows_the_policy(chart)
    assert b"data-progress=" in chart.content
    _assert_page_follows_the_policy(
        browser.get(reverse("groups:session-detail", args=[session.public_id]))
    )


def test_a_form_page_follows_the_policy(login, intake):
    _assert_page_follows_the_policy(login(intake).get(reverse("clients:client-create")))


def test_the_program_dashboard_with_charts_follows_the_policy(login, administrator):
    response = login(administrator).get(reverse("dashboard:program"))
    _assert_page_follows_the_policy(response)
