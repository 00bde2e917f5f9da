"""The README's screenshots (docs/screenshots/*.png), taken in Chromium from
the demo (seed_demo: the same people, groups and notes on every machine;
dates move with the day it runs). Not part of the test run (the file name
does not start with test_); after a change to a page they show, run:

    .venv/bin/pytest --ds=tests.settings tests/e2e/screenshots.py -p no:cacheprovider

and commit the pictures it writes."""

from pathlib import Path

import pytest
from django.db.models import Count, Q
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import GroupSession
from iop.clients.models import Client, Episode
from tests.e2e.demo_site import DEMO_MARK, demo_site, sign_in

pytestmark = [pytest.mark.e2e, DEMO_MARK]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 768, "height": 1024}


@pytest.fixture(scope="module")
def demo(django_db_blocker, migrated_data):
    with demo_site(django_db_blocker, migrated_data) as (server, _seconds):
        yield server


def _shoot(page, name: str) -> Path:
    """The viewport as it is once the page is at rest (Chart.js animates its
    charts for a second)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1_200)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, animations="disabled", caret="hide")
    return path


def _counselor_client() -> Client:
    """counselor1's client in the intensive phase with the most groups
    attended: a chart with something in every section."""
    return (
        Client.objects.filter(
            episodes__phase=Episode.Phase.INTENSIVE,
            episodes__primary_counselor__username="counselor1",
        )
        .annotate(attended=Count("group_attendance", filter=Q(group_attendance__status="present")))
        .order_by("-attended", "legal_last_name")
        .first()
    )


def _counselor_session() -> GroupSession:
    """counselor1's group session that started last (the demo has one on
    every weekday)."""
    return (
        GroupSession.objects.filter(
            group__facilitator__username="counselor1", starts_at__lte=timezone.now()
        )
        .order_by("-starts_at")
        .first()
    )


def test_readme_screenshots(demo, browser):
    written = []

    page = sign_in(browser, demo, "counselor1", viewport=DESKTOP)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    written.append(_shoot(page, "counselor-home"))
    page.goto(f"{demo.url}/clients/{_counselor_client().public_id}/")
    written.append(_shoot(page, "client-chart"))
    session_url = f"{demo.url}/groups/sessions/{_counselor_session().public_id}/"
    page.goto(session_url)
    written.append(_shoot(page, "group-session"))
    page.set_viewport_size(TABLET)
    page.goto(session_url)
    written.append(_shoot(page, "group-session-tablet"))
    page.context.close()

    page = sign_in(browser, demo, "admin", viewport={"width": 1280, "height": 1100})
    page.goto(f"{demo.url}/program/")
    written.append(_shoot(page, "program-dashboard"))
    page.context.close()

    assert all(path.stat().st_size > 10_000 for path in written)
