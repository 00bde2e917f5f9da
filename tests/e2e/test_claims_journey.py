"""From ready charges to a client's balance (DOMAIN.md section 13): billing
staff build a claim batch of two clients' ready charges, see it validated,
download the 837P after confirming their password again, then upload the
payer's 835, which pays one client's line (a contractual adjustment and
coinsurance) and denies the other's for want of an authorization. The
posted payment shows on the remittance, the denial on the worklist with its
reason in plain words and the next action, and the client's coinsurance on
Accounts receivable."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import Claim, ClaimBatch, Payer
from devdata.billing_payer import claim_paid, line_denied, line_paid, payer_835
from iop.accounts import roles
from iop.accounts.mfa.services import REAUTH_SESSION_KEY
from tests.billing.claims_data import clinician, payer, ready
from tests.billing.factories import CoverageFactory
from tests.factories import ClientFactory, EpisodeFactory, UserFactory

pytestmark = pytest.mark.e2e

# Short, so that the download asks for the password again after a pause.
CLIENTS = [
    ("Avery", "Abbott", "MBR1001", "12 Oak Street"),
    ("Blake", "Brennan", "MBR1002", "40 Elm Avenue"),
]


def _adjustment_reasons():
    """The CARC and RARC descriptions a data migration loads, which a
    transactional test before this one may have flushed."""
    migration = importlib.import_module("billing.migrations.0006_adjustment_reason_codes")
    migration.load(apps, None)


def _ready_client(plan: Payer, rendering, first, last, member, street, day):
    client = ClientFactory(
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=datetime.date(1988, 4, 12),
        sex="female",
        address_line1=street,
        city="Springfield",
        state="IL",
        postal_code="62704",
    )
    EpisodeFactory(client=client, primary_counselor=rendering)
    coverage = CoverageFactory(
        client=client, payer=plan, member_id=member, effective_from=datetime.date(2025, 1, 1)
    )
    ready(coverage, rendering=rendering, day=day)
    return client


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()


def _open_billing(page, name):
    navigation = page.get_by_role("navigation", name="Main navigation")
    navigation.get_by_role("button", name="Billing").click()
    navigation.get_by_role("link", name=name, exact=True).click()


def _remittance_835(batch: ClaimBatch, paid_client, denied_client) -> str:
    claims = {claim.client_id: claim for claim in Claim.objects.filter(batch=batch)}
    paid = claims[paid_client.pk]
    denied = claims[denied_client.pk]
    # 250.00 charged: 180.00 paid, 20.00 coinsurance (PR-2), 50.00 CO-45.
    paid_line = paid.lines.get()
    denied_line = denied.lines.get()
    return payer_835(
        payer=paid.payer,
        claims=[
            claim_paid(paid, [line_paid(paid_line, paid="180.00", patient=[("2", "20.00")])]),
            claim_paid(denied, [line_denied(denied_line, reason="197")]),
        ],
        trace="EFT20261",
    )


def _forget_recent_authentication(page):
    """Age the browser's session past the re-authentication window without
    waiting: signing in counts as a fresh authentication, so the download
    would not ask for the password otherwise."""
    (cookie,) = [
        c for c in page.context.cookies() if c["name"] == django_settings.SESSION_COOKIE_NAME
    ]
    store = importlib.import_module(django_settings.SESSION_ENGINE).SessionStore
    session = store(session_key=cookie["value"])
    session.pop(REAUTH_SESSION_KEY, None)
    session.save()


def test_billing_claims_ready_charges_posts_the_835_and_works_the_denial(
    live_server, browser, transactional_db, tmp_path
):
    _adjustment_reasons()
    UserFactory(username="billing", first_name="Morgan", last_name="Lee", roles=[roles.BILLING])
    rendering = clinician()
    plan = payer(name="Evergreen Health Plan")
    day = timezone.localdate() - datetime.timedelta(days=7)
    abbott, brennan = (_ready_client(plan, rendering, *fields, day=day) for fields in CLIENTS)

    page = browser.new_context(accept_downloads=True).new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, live_server, "billing")

    # Claim batches, from the Billing menu: build one of what is ready.
    _open_billing(page, "Claim batches")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Claim batches")
    page.get_by_role("link", name="Build a batch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Build a claim batch")
    ready_row = page.get_by_test_id("ready-row").filter(has_text="Evergreen Health Plan")
    expect(ready_row).to_contain_text("500.00")
    page.get_by_role("button", name="Build the batch").click()
    expect(page.get_by_text("Batch built with 2 claims.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Valid, ready to send")
    expect(page.get_by_test_id("batch-error")).to_have_count(0)
    expect(page.get_by_test_id("claim-row")).to_have_count(2)
    batch = ClaimBatch.objects.get()
    assert batch.status == ClaimBatch.Status.VALID

    # The 837P: the download asks for the password again, then starts.
    _forget_recent_authentication(page)
    page.get_by_role("link", name="Download and mark sent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Confirm").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = saved.read_text()
    assert content.startswith("ISA*")
    assert "005010X222A1" in content
    batch.refresh_from_db()
    assert batch.status == ClaimBatch.Status.SENT

    # The payer's 835 comes back; the user uploads it on Files received.
    era = tmp_path / "evergreen-era-20261.835"
    era.write_text(_remittance_835(batch, abbott, brennan))
    _open_billing(page, "Files received")
    page.get_by_role("link", name="Upload a file").click()
    page.get_by_label("X12 file (999, 277CA or 835)").set_input_files(era)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(era.name)
    expect(page.get_by_test_id("inbound-message")).to_contain_text(
        "2 claim payments posted, 0 held to be matched, 1 denied lines on the denials worklist"
    )
    remittance_link = page.get_by_role("link", name="Evergreen Health Plan EFT20261")
    expect(remittance_link.locator("xpath=..")).to_contain_text("180.00")

    # The remittance: Abbott's payment posted, Brennan's claim denied.
    remittance_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remittance EFT20261")
    paid = page.get_by_test_id("claim-payment").filter(has_text=abbott.display_name)
    expect(paid).to_contain_text("paid 180.00")
    expect(paid).to_contain_text("patient responsibility 20.00")
    expect(paid).to_contain_text("CO-45")
    expect(paid).to_contain_text("PR-2")
    denied = page.get_by_test_id("claim-payment").filter(has_text=brennan.display_name)
    expect(denied).to_contain_text("paid 0.00")
    expect(denied).to_contain_text("CO-197")

    # The denial on the worklist: the reason in words and what to do next.
    _open_billing(page, "Denials")
    row = page.get_by_test_id("denial-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(brennan.display_name)
    expect(row).to_contain_text("250.00")
    expect(row).to_contain_text("CO-197")
    expect(row).to_contain_text("authorization")
    expect(row).to_contain_text("Obtain a retro authorization, then resubmit")

    # Accounts receivable: Abbott owes the coinsurance, the plan Brennan's day.
    _open_billing(page, "Accounts receivable")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts receivable")
    balances = page.get_by_test_id("clients").get_by_role("row")
    abbott_row = balances.filter(has_text=abbott.display_name)
    expect(abbott_row).to_contain_text("20.00")
    abbott_row.get_by_role("link", name=abbott.display_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statement")
    expect(page.get_by_test_id("balance-due")).to_have_text("20.00")
    page.context.close()
