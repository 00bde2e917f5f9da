"""The claims and batches pages, seen by each role."""

import pytest
from django.urls import reverse

from billing.models import Charge, ClaimBatch
from billing.selectors import claims as selectors
from billing.services.claims import batch_build
from iop.audit.models import AuditEvent
from tests.accounts.mfa_helpers import make_reauth_stale
from tests.billing.claims_data import clinician, covered_client, ready

pytestmark = pytest.mark.django_db

CLAIMS = reverse("billing:claims")
BATCHES = reverse("billing:batches")
BUILD = reverse("billing:batch-build")
# Measured, then pinned: the session, the user and their roles, the page's
# count and rows with their joins, the audit insert (claims), the tab counts
# and the timely filing figures (claims), the unread notifications, the
# filter form's payers (claims), the session save.
LIST_QUERIES = {"billing:claims": 13, "billing:batches": 9}
BATCH_QUERIES = 10


@pytest.fixture
def lee(db):
    return clinician()


def _batch(actor, lee, n=1):
    for _ in range(n):
        _client, coverage = covered_client()
        ready(coverage, rendering=lee)
    return batch_build(actor=actor).batch


@pytest.mark.parametrize("role", ["intake", "counselor1", "supervisor"])
def test_clinical_roles_may_not_open_claims_or_batches(request, login, role, administrator, lee):
    batch = _batch(administrator, lee)
    browser = login(request.getfixturevalue(role))
    claim = batch.claims.get()
    for url in (
        CLAIMS,
        BATCHES,
        BUILD,
        reverse("billing:batch-detail", args=[batch.public_id]),
        reverse("billing:claim-detail", args=[claim.public_id]),
    ):
        assert browser.get(url).status_code == 403
    assert browser.post(reverse("billing:batch-discard", args=[batch.public_id])).status_code == 403


@pytest.mark.parametrize("role", ["billing_user", "administrator"])
def test_billing_staff_build_a_batch_and_see_it(request, login, role, lee):
    user = request.getfixturevalue(role)
    _client, coverage = covered_client()
    ready(coverage, rendering=lee)
    browser = login(user)
    assert b"Evergreen Health Plan" in browser.get(BUILD).content
    response = browser.post(BUILD, {})
    batch = ClaimBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("billing:batch-detail", args=[batch.public_id])
    page = browser.get(response.url)
    assert batch.claims.get().patient_control_number in page.content.decode()
    assert browser.get(CLAIMS).status_code == 200


def test_an_invalid_build_form_is_a_400_with_the_error(login, administrator):
    response = login(administrator).post(BUILD, {"start": "2026-03-10", "end": "2026-03-01"})
    assert response.status_code == 400
    assert b"before its start" in response.content


def test_wrong_methods_are_refused(login, administrator, lee):
    batch = _batch(administrator, lee)
    browser = login(administrator)
    assert browser.post(CLAIMS).status_code == 405
    assert browser.get(reverse("billing:batch-discard", args=[batch.public_id])).status_code == 405
    assert browser.get(reverse("billing:batch-send", args=[batch.public_id])).status_code == 405


def test_a_claim_outside_the_viewers_policy_is_not_listed_and_a_clinician_gets_403(
    login, administrator, lee, counselor2
):
    # Billing staff see the whole program (iop/audit/policy.py); a clinical
    # role never reaches the billing pages: the role check's 403, not a 404
    # that would confirm the claim exists. The policy itself still keeps the
    # claim from anyone who may not see its client.
    claim = _batch(administrator, lee).claims.get()
    assert not selectors.claims_visible_to(counselor2).filter(pk=claim.pk).exists()
    url = reverse("billing:claim-detail", args=[claim.public_id])
    assert login(counselor2).get(url).status_code == 403


def test_an_unknown_claim_or_batch_is_a_404(login, billing_user):
    browser = login(billing_user)
    unknown = "00000000-0000-0000-0000-000000000000"
    assert browser.get(reverse("billing:claim-detail", args=[unknown])).status_code == 404
    assert browser.get(reverse("billing:batch-detail", args=[unknown])).status_code == 404
    assert browser.post(reverse("billing:claim-void", args=[unknown])).status_code == 404


def test_the_download_needs_a_fresh_reauthentication(login, administrator, lee):
    batch = _batch(administrator, lee)
    browser = login(administrator)
    make_reauth_stale(browser)
    response = browser.get(reverse("billing:batch-download", args=[batch.public_id]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauth"))
    batch.refresh_from_db()
    assert batch.status == ClaimBatch.Status.VALID


def test_the_download_marks_the_batch_sent_and_audits_an_export(login, administrator, lee):
    batch = _batch(administrator, lee)
    response = login(administrator).get(reverse("billing:batch-download", args=[batch.public_id]))
    assert response.status_code == 200
    assert response.content.decode() == batch.content
    assert f"openiop-837p-{batch.control_number:09d}.txt" in response["Content-Disposition"]
    batch.refresh_from_db()
    assert batch.status == ClaimBatch.Status.SENT
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 1


def test_discard_asks_for_confirmation_then_returns_the_charges(login, administrator, lee):
    batch = _batch(administrator, lee)
    url = reverse("billing:batch-discard", args=[batch.public_id])
    browser = login(administrator)
    browser.post(url)
    batch.refresh_from_db()
    assert batch.status == ClaimBatch.Status.VALID
    browser.post(url, {"confirm": "yes"})
    batch.refresh_from_db()
    assert batch.status == ClaimBatch.Status.DISCARDED
    assert Charge.objects.get().status == Charge.Status.READY


def test_the_claims_worklist_audits_each_client_listed(login, administrator, lee):
    batch = _batch(administrator, lee, n=2)
    before = AuditEvent.objects.count()
    login(administrator).get(CLAIMS)
    clients = set(batch.claims.values_list("client_id", flat=True))
    listed = set(AuditEvent.objects.order_by("id")[before:].values_list("client_id", flat=True))
    assert clients <= listed


@pytest.mark.parametrize("url_name", ["billing:claims", "billing:batches"])
def test_list_pages_make_as_many_queries_at_two_sizes(login, administrator, lee, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = login(administrator)
    _batch(administrator, lee, n=1)
    with CaptureQueriesContext(connection) as small:
        browser.get(reverse(url_name))
    _batch(administrator, lee, n=10)
    with CaptureQueriesContext(connection) as large:
        browser.get(reverse(url_name))
    assert len(small) == len(large) == LIST_QUERIES[url_name]


def test_the_batch_page_makes_as_many_queries_at_two_sizes(login, administrator, lee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = login(administrator)
    small_batch = _batch(administrator, lee, n=1)
    large_batch = _batch(administrator, lee, n=10)
    with CaptureQueriesContext(connection) as small:
        browser.get(reverse("billing:batch-detail", args=[small_batch.public_id]))
    with CaptureQueriesContext(connection) as large:
        browser.get(reverse("billing:batch-detail", args=[large_batch.public_id]))
    assert len(small) == len(large) == BATCH_QUERIES


def test_a_sent_claim_is_replaced_from_its_page_after_confirmation(login, administrator, lee):
    from billing.models import Claim
    from billing.services.claims import batch_mark_sent

    batch = batch_mark_sent(actor=administrator, batch=_batch(administrator, lee))
    claim = batch.claims.get()
    Claim.objects.filter(pk=claim.pk).update(payer_claim_number="P-9")
    browser = login(administrator)
    page = browser.get(reverse("billing:claim-detail", args=[claim.public_id]))
    assert b"Replace" in page.content
    url = reverse("billing:claim-replace", args=[claim.public_id])
    browser.post(url)
    assert not Claim.objects.filter(replaces=claim).exists()
    response = browser.post(url, {"confirm": "yes"})
    replacement = Claim.objects.get(replaces=claim)
    assert response.url == reverse("billing:batch-detail", args=[replacement.batch.public_id])
    assert replacement.frequency == Claim.Frequency.REPLACEMENT


def test_ready_charges_near_the_timely_filing_limit_are_warned_of(login, administrator, lee):
    import datetime

    from django.utils import timezone

    from tests.billing.claims_data import payer

    _client, coverage = covered_client(payer_row=payer(timely_filing_days=90))
    ready(coverage, rendering=lee, day=timezone.localdate() - datetime.timedelta(days=85))
    browser = login(administrator)
    for url in (CLAIMS, BUILD):
        html = browser.get(url).content.decode()
        assert "Timely filing limit within 7 days" in html
        assert "Evergreen Health Plan" in html
