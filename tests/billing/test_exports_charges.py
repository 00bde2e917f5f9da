"""The charge CSV for an outside biller: its columns, its audit, its
re-authentication; it marks nothing exported."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from billing.models import Charge
from iop.audit.models import AuditEvent
from iop.exports import NOTICE_FILENAME, PART2_NOTICE
from tests.accounts.mfa_helpers import make_reauth_stale
from tests.billing.factories import ChargeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("billing:charges-export")


def _rows(response):
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert PART2_NOTICE in bundle.read(NOTICE_FILENAME).decode()
    text = bundle.read("openiop-charges.csv").decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_holds_the_filtered_charges_with_every_column(login, administrator):
    clinician = UserFactory(username="counselor1", first_name="Dana", last_name="Reyes")
    ready = ChargeFactory(
        status="ready",
        modifiers=["HF", "HQ"],
        diagnosis_codes=["F10.20", "F41.1"],
        rendering_clinician=clinician,
    )
    ChargeFactory(status="held", hold_reason="manual")
    response = login(administrator).get(EXPORT, {"status": "ready"})
    assert response.status_code == 200
    assert response["X-Part2-Notice"] == PART2_NOTICE
    (row,) = _rows(response)
    client = ready.client
    assert row == {
        "date_of_service": ready.service_date.isoformat(),
        "client_record_number": client.mrn,
        "client_name": f"{client.legal_last_name}, {client.legal_first_name}",
        "client_date_of_birth": client.date_of_birth.isoformat(),
        "payer": ready.payer.name,
        "member_id": ready.coverage.member_id,
        "code": "H0015",
        "modifiers": "HF HQ",
        "units": "1",
        "amount": "250.00",
        "place_of_service": "57",
        "icd10_codes": "F10.20 F41.1",
        "rendering_clinician": "Dana Reyes",
        "status": "ready",
    }


def test_the_export_is_audited_per_client_and_marks_nothing(login, administrator):
    first = ChargeFactory(status="ready")
    second = ChargeFactory(status="ready")
    response = login(administrator).get(EXPORT)
    assert len(_rows(response)) == 2
    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert {event.client_id for event in events} == {first.client_id, second.client_id}
    assert all(event.details == {"export": "charges", "rows": 2} for event in events)
    assert set(Charge.objects.values_list("status", flat=True)) == {"ready"}


def test_the_export_needs_a_fresh_reauthentication(login, administrator):
    ChargeFactory(status="ready")
    browser = login(administrator)
    make_reauth_stale(browser)
    response = browser.get(EXPORT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauth"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_bad_filters_are_a_plain_400(login, administrator):
    response = login(administrator).get(EXPORT, {"start": "2026-05-09", "end": "2026-05-01"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.parametrize("role", ["counselor1", "intake", "supervisor"])
def test_clinical_roles_may_not_export_charges(request, login, role):
    ChargeFactory(status="ready")
    assert login(request.getfixturevalue(role)).get(EXPORT).status_code == 403


def test_the_export_query_count_does_not_grow_with_charges(
    login, administrator, django_assert_num_queries
):
    browser = login(administrator)
    for _ in range(2):
        ChargeFactory(status="ready")
    browser.get(EXPORT)
    with django_assert_num_queries(EXPORT_QUERIES) as small:
        browser.get(EXPORT)
    for _ in range(18):
        ChargeFactory(status="ready")
    with django_assert_num_queries(len(small.captured_queries)):
        response = browser.get(EXPORT)
    assert len(_rows(response)) == 20


# Measured, then pinned: the session, the user and their roles, the charges
# with their clients, payers, coverages and clinicians, the audit insert and
# the session save in its savepoint.
EXPORT_QUERIES = 8
