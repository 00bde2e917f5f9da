"""A counselor's first sign-in with MFA required: enrollment from the QR
page's key, the recovery codes, then a later sign-in with a code. No request
leaves the site (the QR code is drawn by the server)."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from iop.audit.models import AuditEvent

pytestmark = pytest.mark.e2e


def _code(secret: str, *, seconds_from_now: float = 0) -> str:
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + seconds_from_now
    return f"{totp.token():06d}"


def test_counselor_enrolls_at_first_sign_in_then_signs_in_with_a_code(
    sign_in, page, live_server, counselor1, settings, transactional_db
):
    settings.REQUIRE_MFA = True
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    sign_in("counselor1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.get_by_test_id("mfa-qr").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("mfa-secret").inner_text()
    page.get_by_label("Code from the app").fill(_code(secret))
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="I have saved my codes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.get_by_test_id("account-menu").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in("counselor1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verification code")
    # The code of the step used at enrollment is spent; the app's next one is not.
    page.get_by_label("Verification code").fill(_code(secret, seconds_from_now=30))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    assert all(url.startswith(live_server.url) for url in requests), requests
    logins = AuditEvent.objects.filter(actor=counselor1, action=AuditEvent.Action.LOGIN)
    assert [event.details for event in logins.order_by("pk")] == [{"mfa": "totp"}] * 2
