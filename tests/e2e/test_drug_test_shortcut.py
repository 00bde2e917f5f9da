"""A routine negative drug test is two actions from the chart: open the form
(which starts with today and the program's usual specimen), then All
negative."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from iop.clients.models import DrugTest
from iop.clients.panel import usual_panel

pytestmark = pytest.mark.e2e


def test_a_routine_negative_test_takes_two_actions(
    live_server, sign_in, counselor1, client_of_counselor1, transactional_db
):
    client = client_of_counselor1
    page = sign_in(counselor1.username)
    page.goto(live_server.url + reverse("clients:client-detail", args=[client.public_id]))

    page.get_by_role("link", name="Record drug test").first.click()
    page.get_by_role("button", name="All negative (usual panel)").click()

    expect(page.get_by_text("Drug test recorded.")).to_be_visible()
    test = DrugTest.objects.get(client=client)
    results = dict(test.results.values_list("substance", "result"))
    assert set(results) == set(usual_panel().substances)
    assert set(results.values()) == {"negative"}
