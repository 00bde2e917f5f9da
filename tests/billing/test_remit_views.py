"""The pages of files received, remittances, held payments and denials,
seen by each role."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import ClaimPayment, Denial, InboundFile, Posting, Remittance
from devdata.billing_payer import claim_paid, line_denied
from devdata.billing_payer import payer_835 as payer_835_of
from iop.audit.models import AuditEvent
from tests.billing.claim_factories import sent_claim
from tests.billing.factories import CoverageFactory
from tests.billing.remit_helpers import fixture, fixture_claims, receive

pytestmark = pytest.mark.django_db

FILES = reverse("billing:inbound-files")
UPLOAD = reverse("billing:inbound-upload")
DENIALS = reverse("billing:denials")
UNMATCHED = reverse("billing:unmatched-payments")


def _upload(browser, content, name="remit.835"):
    data = content if isinstance(content, bytes) else content.encode()
    return browser.post(UPLOAD, {"file": SimpleUploadedFile(name, data, "text/plain")})


@pytest.fixture
def posted(medicaid):
    claims = fixture_claims(medicaid)
    return claims, receive("835_payments.x12")


@pytest.mark.parametrize("role", ["intake", "counselor1", "supervisor"])
def test_clinical_roles_may_not_open_the_pages(request, login, role, posted):
    browser = login(request.getfixturevalue(role))
    _claims, inbound = posted
    held = ClaimPayment.objects.get(status="unmatched")
    denial = Denial.objects.first()
    remittance = Remittance.objects.get()
    for url in (
        FILES,
        UPLOAD,
        DENIALS,
        UNMATCHED,
        reverse("billing:inbound-file-detail", args=[inbound.public_id]),
        reverse("billing:remittance-detail", args=[remittance.public_id]),
        reverse("billing:claim-payment-match", args=[held.public_id]),
    ):
        assert browser.get(url).status_code == 403, url
    resolve = reverse("billing:denial-resolve", args=[denial.public_id])
    assert browser.post(resolve, {"action_taken": "appeal", "resolution": "x"}).status_code == 403
    assert _upload(browser, fixture("835_reversal.x12")).status_code == 403
    denial.refresh_from_db()
    assert denial.status == Denial.Status.OPEN


def test_an_uploaded_835_is_posted_and_its_page_says_what_it_did(login, billing_user, medicaid):
    fixture_claims(medicaid)
    browser = login(billing_user)
    response = _upload(browser, fixture("835_payments.x12"))
    inbound = InboundFile.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("billing:inbound-file-detail", args=[inbound.public_id])
    assert inbound.received_by == billing_user
    page = browser.get(response.url).content.decode()
    assert "EFT1001" in page and "held to be matched" in page
    assert browser.get(FILES).content.decode().count('data-testid="inbound-row"') == 1


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", "The submitted file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        ("Dear billing office", "not an X12 file"),
        (
            fixture("999_accepted.x12").replace("ST*999", "ST*997").replace("X231A1~", "X231Z~"),
            "only 999, 277CA",
        ),
    ],
)
def test_a_bad_upload_is_a_form_error_and_stores_nothing(login, billing_user, content, error):
    response = _upload(login(billing_user), content)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not InboundFile.objects.exists()


def test_a_file_uploaded_twice_is_a_form_error_the_second_time(login, billing_user, medicaid):
    fixture_claims(medicaid)
    browser = login(billing_user)
    _upload(browser, fixture("835_payments.x12"))
    count = Posting.objects.count()
    response = _upload(browser, fixture("835_payments.x12"))
    assert response.status_code == 200
    assert "already received" in response.content.decode()
    assert Posting.objects.count() == count


def test_an_invalid_x12_upload_is_stored_refused_with_its_reason(login, billing_user, medicaid):
    browser = login(billing_user)
    response = _upload(browser, fixture("835_broken.x12"))
    inbound = InboundFile.objects.get()
    assert inbound.status == InboundFile.Status.REFUSED
    assert "CLP03" in browser.get(response.url).content.decode()


def test_the_remittance_page_shows_adjustments_with_their_descriptions_and_plb(
    login, billing_user, posted
):
    claims, _inbound = posted
    remittance = Remittance.objects.get()
    response = login(billing_user).get(
        reverse("billing:remittance-detail", args=[remittance.public_id])
    )
    page = response.content.decode()
    assert "CO-45 Charge exceeds fee schedule" in page
    assert "CO-197 Precertification/authorization/notification/pre-treatment absent." in page
    assert "N54 Claim information is inconsistent" in page
    assert "OVERPAY1" in page
    assert claims["C9000001"].client.mrn in page
    events = AuditEvent.objects.filter(details__list="remittance")
    assert {e.client_id for e in events} == {c.client_id for c in claims.values()}


def test_the_denials_worklist_lists_open_denials_overdue_in_words_and_audits(
    login, billing_user, posted
):
    Denial.objects.filter(reason_code="29").update(due_on=datetime.date(2026, 1, 1))
    response = login(billing_user).get(DENIALS)
    page = response.content.decode()
    rows = list(response.context["page"].object_list)
    assert [d.reason_code for d in rows] == ["29", "197"]
    assert "Overdue" in page
    assert "Obtain a retro authorization" in page
    assert "The time limit for filing has expired." in page
    events = AuditEvent.objects.filter(details__list="denials")
    assert {e.client_id for e in events} == {d.client_id for d in rows}


def test_the_denials_worklist_filters_by_payer_and_reason(login, billing_user, posted):
    browser = login(billing_user)
    rows = browser.get(DENIALS, {"reason": "197"}).context["page"].object_list
    assert [d.reason_code for d in rows] == ["197"]
    other = CoverageFactory().payer
    assert list(browser.get(DENIALS, {"payer": other.pk}).context["page"].object_list) == []


def test_resolving_a_denial_closes_it_and_billing_the_client_posts_their_share(
    login, billing_user, posted
):
    denial = Denial.objects.get(reason_code="197")
    url = reverse("billing:denial-resolve", args=[denial.public_id])
    browser = login(billing_user)
    assert browser.post(url, {"action_taken": "bill_client", "resolution": ""}).status_code == 302
    denial.refresh_from_db()
    assert denial.status == Denial.Status.OPEN
    browser.post(url, {"action_taken": "bill_client", "resolution": "No retro auth given."})
    denial.refresh_from_db()
    assert denial.status == Denial.Status.RESOLVED
    assert denial.resolved_by == billing_user
    share = Posting.objects.get(kind="patient_resp", claim_line=denial.claim_line)
    assert share.amount == denial.amount
    assert AuditEvent.objects.filter(client=denial.client, object_id=str(denial.public_id)).exists()
    assert browser.get(url).status_code == 405


def test_the_unmatched_queue_and_matching_a_payment_by_hand(login, billing_user, posted, medicaid):
    target = sent_claim(coverage=CoverageFactory(payer=medicaid),
                        dates=[datetime.date(2026, 11, 5)])  # fmt: skip
    browser = login(billing_user)
    page = browser.get(UNMATCHED).content.decode()
    assert "C9999999" in page and "POE, PAT" in page
    held = ClaimPayment.objects.get(status="unmatched")
    url = reverse("billing:claim-payment-match", args=[held.public_id])
    found = browser.get(url, {"q": target.client.mrn})
    assert [c.pk for c in found.context["claims"]] == [target.pk]
    assert browser.post(url, {"claim": "not-a-uuid"}).status_code == 200
    response = browser.post(url, {"claim": str(target.public_id)})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == ClaimPayment.Status.POSTED
    assert browser.get(url).status_code == 404


def test_unknown_ids_are_404(login, billing_user):
    browser = login(billing_user)
    missing = "00000000-0000-0000-0000-000000000000"
    for name in ("inbound-file-detail", "remittance-detail", "claim-payment-match"):
        assert browser.get(reverse(f"billing:{name}", args=[missing])).status_code == 404
    resolve = reverse("billing:denial-resolve", args=[missing])
    assert browser.post(resolve, {"action_taken": "appeal", "resolution": "x"}).status_code == 404


def _denials(count, payer):
    """An 835 denying `count` claims of as many clients, and as many
    payments for claims we do not know (held)."""
    outcomes = []
    for _ in range(count):
        claim = sent_claim(coverage=CoverageFactory(payer=payer))
        outcomes.append(claim_paid(claim, [line_denied(claim.lines.get(), reason="197")]))
        unknown = claim_paid(claim, [line_denied(claim.lines.get(), reason="16")])
        unknown.patient_control_number = f"ZZ{claim.pk}"
        outcomes.append(unknown)
    return payer_835_of(payer=payer, claims=outcomes, trace=f"D{count}")


def test_list_pages_make_the_same_number_of_queries_at_two_sizes(
    login, billing_user, medicaid, django_assert_num_queries
):
    browser = login(billing_user)
    receive("small.835", content=_denials(3, medicaid))
    counts = {}
    for url in (DENIALS, UNMATCHED, FILES):
        browser.get(url)
        with CaptureQueriesContext(connection) as small:
            browser.get(url)
        counts[url] = len(small.captured_queries)
    receive("large.835", content=_denials(27, medicaid))
    for url in (DENIALS, UNMATCHED, FILES):
        with django_assert_num_queries(counts[url]):
            browser.get(url)
    assert len(browser.get(DENIALS).context["page"].object_list) == 30
    assert len(browser.get(UNMATCHED).context["page"].object_list) == 30


def test_the_remittance_page_makes_the_same_number_of_queries_at_two_sizes(
    login, billing_user, medicaid
):
    browser = login(billing_user)
    counts = []
    for size in (3, 30):
        receive(f"r{size}.835", content=_denials(size, medicaid))
        remittance = Remittance.objects.get(trace_number=f"D{size}")
        url = reverse("billing:remittance-detail", args=[remittance.public_id])
        browser.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(url)
        assert len(response.context["payments"]) == 2 * size
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
