"""From a signed group to a superbill: a counselor signs today's group; the
billing office finds the day's IOP per diem charges, one of them held because
the client's plan has no authorization on file, records the authorization,
releases the charge and prints the client's superbill (DOMAIN.md section 13)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import Authorization, Charge
from billing.selectors.authorizations import live_charges
from iop.accounts import roles
from iop.clients.models import Episode
from tests.billing.drafting_helpers import (
    covered,
    diagnosed,
    group_service,
    individual_service,
    payer,
)
from tests.factories import UserFactory
from tests.groups.factories import group_meeting_now

pytestmark = pytest.mark.e2e

NAMES = [("Avery", "Abbott"), ("Blake", "Brennan")]
PER_DIEM_MINUTES = 180  # the default qualifying day (DOMAIN.md section 5a)


def _other_days_of_the_week(today: datetime.date) -> list[datetime.date]:
    """Two more weekdays of today's Monday-Sunday billing week, the past ones
    first, so that today completes a week of three per diem days."""
    monday = today - datetime.timedelta(days=today.weekday())
    weekdays = [monday + datetime.timedelta(days=i) for i in range(5)]
    others = [day for day in weekdays if day != today]
    return sorted(others, key=lambda day: (day > today, abs((day - today).days)))[:2]


def _a_week_of_services(episode, session, today):
    """Two full days earlier in the week and, today, an individual session
    that the group will bring to three hours."""
    for day in _other_days_of_the_week(today):
        group_service(episode, day, 120)
        individual_service(episode, day, 60)
    hour = max(0, timezone.localtime().hour - 4)
    individual_service(episode, today, PER_DIEM_MINUTES - session.duration_minutes, hour=hour)


def _sign_the_group(page, live_server, session, clients):
    page.goto(live_server.url + reverse("groups:session-detail", args=[session.public_id]))
    page.wait_for_load_state("load")
    page.get_by_label("Group note (topic, content, process)").fill(
        "Alcohol as the legal drug: where it shows up in each person's week."
    )
    for client in clients:
        page.get_by_label(f"Participation of {client.display_name}").select_option("active")
        page.get_by_label(f"Remark on {client.display_name}").fill(
            f"{client.legal_first_name} named a weekend trigger and a plan to avoid it."
        )
    page.get_by_role("button", name="Save and sign all").click()
    page.get_by_role("dialog", name="This cannot be undone").get_by_role(
        "button", name="Sign all"
    ).click()
    expect(page.get_by_text("Group note and participant lines signed.")).to_be_visible()


def _charge_row(page, client, day):
    return (
        page.get_by_test_id("charge-row")
        .filter(has_text=client.display_name)
        .filter(has_text=day.isoformat())
    )


def test_billing_releases_a_held_per_diem_once_authorized_and_prints_the_superbill(
    live_server, browser, transactional_db
):
    counselor = UserFactory(
        username="counselor1", first_name="Casey", last_name="Rivera", roles=[roles.COUNSELOR]
    )
    UserFactory(username="billing", first_name="Morgan", last_name="Lee", roles=[roles.BILLING])
    _group, session, (abbott, brennan) = group_meeting_now(
        counselor, NAMES, name="Relapse Prevention Evening"
    )
    today = timezone.localdate()
    plan = payer("Harbor Medicaid MCO", requires_authorization=True)
    for client in (abbott, brennan):
        episode = client.episodes.get()
        # Admitted two weeks ago: the whole week is in treatment.
        Episode.objects.filter(pk=episode.pk).update(
            admission_date=today - datetime.timedelta(days=14)
        )
        covered(episode, plan)
        diagnosed(episode)
        _a_week_of_services(episode, session, today)
    Authorization.objects.create(
        coverage=abbott.coverages.get(),
        number="HM-1001",
        service_codes=["H0015"],
        units_authorized=20,
        starts_on=today - datetime.timedelta(days=14),
        ends_on=today + datetime.timedelta(days=30),
        created_by=counselor,
    )

    # The counselor signs today's group: each client's day now qualifies.
    counselor_page = browser.new_context().new_page()
    counselor_page.set_default_timeout(15_000)
    counselor_page.goto(f"{live_server.url}/accounts/login/")
    _sign_in(counselor_page, "counselor1")
    _sign_the_group(counselor_page, live_server, session, [abbott, brennan])
    counselor_page.context.close()

    # Billing staff find the day's per diem charges on the worklist.
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    _sign_in(page, "billing")
    navigation = page.get_by_role("navigation", name="Main navigation")
    navigation.get_by_role("button", name="Billing").click()
    navigation.get_by_role("link", name="Charges", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Charges")
    filters = page.get_by_role("search", name="Filter charges")
    filters.get_by_label("Service from").fill(today.isoformat())
    filters.get_by_label("Service until").fill(today.isoformat())
    filters.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("charge-row")).to_have_count(2)
    expect(_charge_row(page, abbott, today)).to_contain_text("H0015")
    expect(_charge_row(page, abbott, today)).to_contain_text("Drafted")
    held = _charge_row(page, brennan, today)
    expect(held).to_contain_text("H0015")
    expect(held).to_contain_text("Held: Outside an active authorization")

    # Release is refused while no authorization covers the day.
    held.get_by_role("link", name=today.isoformat()).click()
    page.get_by_role("button", name="Release to ready").click()
    expect(page.get_by_text("No active authorization covers this code")).to_be_visible()
    expect(page.get_by_test_id("charge-status")).to_contain_text("Held")
    charge_url = page.url

    # The plan's authorization arrives: recorded from the client's billing page.
    page.goto(live_server.url + reverse("billing:client", args=[brennan.public_id]))
    page.get_by_role("navigation", name="This client in billing").get_by_role(
        "link", name="Authorizations"
    ).click()
    page.get_by_label("Coverage").select_option(label="Harbor Medicaid MCO · Primary · M123")
    page.get_by_label("Authorization number").fill("HM-2002")
    page.get_by_label("H0015", exact=False).check()
    page.get_by_label("Units authorized").fill("12")
    page.get_by_label("From").fill((today - datetime.timedelta(days=7)).isoformat())
    page.get_by_label(re.compile(r"^\s*To\W*$")).fill(
        (today + datetime.timedelta(days=21)).isoformat()
    )
    page.get_by_role("button", name="Record the authorization").click()
    expect(page.get_by_test_id("authorization-row").filter(has_text="HM-2002")).to_be_visible()

    # Released, the charge draws one unit on the new authorization.
    page.goto(charge_url)
    page.get_by_role("button", name="Release to ready").click()
    expect(page.get_by_text("Charge released: it is ready to bill.")).to_be_visible()
    expect(page.get_by_test_id("charge-status")).to_have_text("Ready")
    released = live_charges().get(client=brennan, service_date=today)
    assert released.status == Charge.Status.READY
    assert released.authorization.number == "HM-2002"

    # The superbill of the month (signing in just now counts as the fresh
    # authentication an export needs).
    page.get_by_test_id("superbill-link").click()
    expect(page.get_by_role("heading", level=1, name="Superbill")).to_be_visible()
    expect(page.get_by_test_id("notice")).to_contain_text("42 CFR part 2")
    line = page.get_by_test_id("line").filter(has_text=today.isoformat())
    expect(line).to_contain_text("H0015")
    expect(line).to_contain_text("250.00")
    expect(page.get_by_test_id("diagnoses")).to_contain_text("F10.20")
    expect(page.get_by_role("button", name="Print")).to_be_visible()


def _sign_in(page, username):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
