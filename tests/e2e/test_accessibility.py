"""WCAG 2.1 AA, checked with axe-core in Chromium on every page each demo
role can reach (HHS's Section 504 rule makes WCAG 2.1 AA the bar for
programs that take HHS money). A serious or critical violation fails the
test, which lists each one with its page, rule and element.

The demo (seed_demo) is seeded once for the module; each demo account signs
in and crawls from its landing page (tests/e2e/crawl.py says how pages are
told apart), and every page is checked as loaded and with what it hides
opened: <details> and collapsed tables, dialogs (the idle-logoff warning),
menus and tabs; the navigation bar with each menu open and collapsed on a
narrow screen. Measured on a 2-core machine: about 110 s for the module
(18 s to seed and reset the database, 12-23 s per role)."""

import pytest
from playwright.sync_api import expect

from devdata.demo.clients_data import DEMO_USERS
from tests.e2e.axe import axe_violations, report
from tests.e2e.crawl import Crawl, navigation_states, page_states
from tests.e2e.demo_site import DEMO_MARK, demo_site, sign_in

pytestmark = [pytest.mark.e2e, DEMO_MARK]

# Links followed from the landing page. In the demo, depth 2 (a chart from
# the caseload, a form from the chart) already reaches every kind of page;
# 4 leaves room for pages nested deeper, and 7 found nothing more.
MAX_DEPTH = 4
# Pages a demo account must reach, so that each is checked with content
# (seed_demo's claim batch, its acknowledgements, and an 835 with a posted
# payment, a denial and a payment held to be matched).
MUST_REACH = {
    "billing": {
        "billing:claims",
        "billing:claim-detail",
        "billing:batches",
        "billing:batch-build",
        "billing:batch-detail",
        "billing:inbound-files",
        "billing:inbound-upload",
        "billing:inbound-file-detail",
        "billing:remittance-detail",
        "billing:unmatched-payments",
        "billing:claim-payment-match",
        "billing:denials",
        "billing:receivables",
        "billing:receivables-charges",
        "billing:client-statement",
    },
}


@pytest.fixture(scope="module")
def demo(django_db_blocker, migrated_data):
    with demo_site(django_db_blocker, migrated_data) as (server, _seconds):
        yield server


def _check(page, label, context=None):
    return axe_violations(page, label=label, context=context)


@pytest.mark.parametrize("username", [user.username for user in DEMO_USERS])
def test_no_page_a_demo_user_reaches_has_a_serious_or_critical_violation(demo, browser, username):
    page = sign_in(browser, demo, username)
    landing = page.url
    found = []
    for state, element in navigation_states(page):
        found += _check(page, f"navigation of {username} {state}", element)

    crawl = Crawl(origin=demo.url, max_depth=MAX_DEPTH)
    dialogs = set()
    reached = set()
    for label in crawl.pages(page, [landing]):
        reached.add(label.split()[0])
        for state, element in page_states(page, seen_dialogs=dialogs):
            found += _check(page, f"{label} {state}".strip(), element)
    page.context.close()

    assert "session-timeout" in dialogs
    assert len(crawl.seen) > 5
    missed = MUST_REACH.get(username, set()) - reached
    assert not missed, f"pages not reached, so not checked: {sorted(missed)}"
    assert not found, f"{len(found)} serious or critical violations:\n{report(found)}"
    assert not crawl.broken, "\n".join(crawl.broken)


def test_the_sign_in_page_has_no_serious_or_critical_violation(demo, browser):
    page = browser.new_context().new_page()
    page.goto(f"{demo.url}/accounts/login/")
    found = _check(page, "sign-in page")
    # The page again after a failed attempt, with its error message.
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".alert-danger")).to_be_visible()
    found += _check(page, "sign-in page after a failed attempt")
    page.goto(f"{demo.url}/no-such-page/")
    found += _check(page, "page not found")
    page.context.close()

    assert not found, report(found)
