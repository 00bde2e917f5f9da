"""Chromium accepts the Permissions-Policy header as sent: a feature name it
does not know is reported on the console of every page, and a feature the
policy turns off is refused to the page's scripts."""

import pytest

pytestmark = pytest.mark.e2e


def test_chromium_knows_every_feature_the_policy_names(live_server, page, transactional_db):
    reports: list[str] = []
    page.on(
        "console",
        lambda message: reports.append(message.text) if "Permissions" in message.text else None,
    )

    response = page.goto(f"{live_server.url}/accounts/login/")

    assert "camera=()" in response.headers["permissions-policy"]
    assert reports == []


def test_the_page_cannot_use_a_feature_the_policy_turns_off(live_server, page, transactional_db):
    page.goto(f"{live_server.url}/accounts/login/")

    allowed = page.evaluate(
        "() => document.featurePolicy ? document.featurePolicy.allowsFeature('camera') : null"
    )

    assert allowed is False
