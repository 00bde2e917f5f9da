import pytest
from playwright.sync_api import expect

from iop.audit.models import AuditEvent

pytestmark = pytest.mark.e2e


def test_counselor_signs_in_and_opens_a_client_chart(
    sign_in, counselor1, client_of_counselor1, transactional_db
):
    page = sign_in("counselor1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.get_by_role("button", name="Clients").click()

    page.get_by_role("link", name="My caseload").click()
    client = client_of_counselor1
    page.get_by_role("link", name=f"{client.legal_last_name}, {client.legal_first_name}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(client.display_name)
    expect(page.get_by_text(client.mrn).first).to_be_visible()
    assert AuditEvent.objects.filter(
        actor=counselor1, client=client, action=AuditEvent.Action.VIEW
    ).exists()


def test_the_chart_and_the_timeline_it_loads_are_one_view_in_the_trail(
    sign_in, live_server, counselor1, client_of_counselor1, transactional_db
):
    page = sign_in("counselor1")
    client = client_of_counselor1
    views = AuditEvent.objects.filter(
        actor=counselor1, client=client, action=AuditEvent.Action.VIEW
    )
    # The home page lists (and audits) the caseload; what follows is the chart.
    before = list(views.values_list("pk", flat=True))

    page.goto(f"{live_server.url}/clients/{client.public_id}/")

    # htmx fetched the timeline with the page's token (hx-headers): no second event.
    expect(page.get_by_test_id("timeline-section")).to_be_visible()
    opened = views.exclude(pk__in=before)
    assert list(opened.values_list("path", flat=True)) == [f"/clients/{client.public_id}/"]
