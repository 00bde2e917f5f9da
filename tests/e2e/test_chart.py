import pytest
from playwright.sync_api import expect

from iop.audit.models import AuditEvent

pytestmark = pytest.mark.e2e


def test_counselor_signs_in_and_opens_a_client_chart(
    sign_in, counselor1, client_of_counselor1, transactional_db
):
    page = sign_in("counselor1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.get_by_role("link", name="My caseload").click()
    client = client_of_counselor1
    page.get_by_role("link", name=f"{client.legal_last_name}, {client.legal_first_name}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(client.display_name)
    expect(page.get_by_text(client.mrn).first).to_be_visible()
    assert AuditEvent.objects.filter(
        actor=counselor1, client=client, action=AuditEvent.Action.VIEW
    ).exists()
