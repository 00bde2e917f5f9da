"""The program dashboard's months chart in a real browser: a click on a
month's bar opens the clients behind it, as the table's link does."""

import pytest
from playwright.sync_api import expect

from tests.dashboard.test_program import _admit

pytestmark = pytest.mark.e2e

# Where Chart.js drew a bar, in the page's coordinates.
BAR_JS = """([dataset, index]) => {
  const canvas = document.querySelector('canvas[data-chart="months"]');
  const bar = Chart.getChart(canvas).getDatasetMeta(dataset).data[index];
  const box = canvas.getBoundingClientRect();
  return {x: box.left + bar.x, y: box.top + (bar.y + bar.base) / 2};
}"""


def test_a_click_on_a_months_bar_opens_its_admissions(
    sign_in, live_server, supervisor, counselor1, transactional_db
):
    episodes = [_admit(counselor1, days=1) for _ in range(3)]
    month = episodes[0].admission_date.isoformat()[:7]
    page = sign_in("supervisor")

    page.goto(f"{live_server.url}/program/")
    months = page.evaluate(
        "() => JSON.parse(document.getElementById('dashboard-data').textContent).months"
    )
    point = page.evaluate(BAR_JS, [0, months.index(month)])
    page.mouse.click(point["x"], point["y"])

    expect(page).to_have_url(f"{live_server.url}/program/clients/?figure=admitted&month={month}")
    expect(page.get_by_text("3 clients")).to_be_visible()
