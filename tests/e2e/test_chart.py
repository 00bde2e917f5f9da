import pytest
from playwright.sync_api import expect

from iop.audit.models import AuditEvent
from tests.e2e.conftest import PASSWORD

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


def _errors_of(page):
    """The console errors and uncaught exceptions of `page` from now on."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _open(page, name):
    page.get_by_role("navigation", name="Chart sections").get_by_role("link", name=name).click()


def test_opening_sections_loads_them_in_place_as_one_view_in_the_trail(
    sign_in, live_server, counselor1, client_of_counselor1, transactional_db
):
    page = sign_in("counselor1")
    client = client_of_counselor1
    views = AuditEvent.objects.filter(
        actor=counselor1, client=client, action=AuditEvent.Action.VIEW
    )
    # The home page lists (and audits) the caseload; what follows is the chart.
    before = list(views.values_list("pk", flat=True))
    errors = _errors_of(page)
    chart = f"{live_server.url}/clients/{client.public_id}/"

    page.goto(chart)
    expect(page.get_by_test_id("overview-clinical")).to_be_visible()
    _open(page, "Drug tests")
    expect(page.locator("#section-drug-tests")).to_be_visible()
    expect(page.get_by_test_id("overview-clinical")).to_be_hidden()
    expect(page).to_have_url(chart + "?section=drug-tests")
    _open(page, "Timeline")
    # htmx fetched the section with the page's token (hx-headers): no second event.
    expect(page.get_by_test_id("timeline-section")).to_be_visible()
    expect(page.locator("#section-drug-tests")).to_be_hidden()
    _open(page, "Drug tests")
    expect(page.locator("#section-drug-tests")).to_have_count(1)
    _open(page, "Overview")
    expect(page.get_by_test_id("overview-clinical")).to_be_visible()

    opened = views.exclude(pk__in=before)
    assert list(opened.values_list("path", flat=True)) == [f"/clients/{client.public_id}/"]
    assert errors == []


def test_a_reload_keeps_the_section_opened(
    sign_in, live_server, client_of_counselor1, transactional_db
):
    page = sign_in("counselor1")
    errors = _errors_of(page)
    chart = f"{live_server.url}/clients/{client_of_counselor1.public_id}/"
    page.goto(chart)

    _open(page, "Medications")
    expect(page.locator("#section-medications")).to_be_visible()
    page.reload()

    expect(page.locator("#section-medications")).to_be_visible()
    expect(page.get_by_test_id("overview-clinical")).to_be_hidden()
    link = page.get_by_role("navigation", name="Chart sections").get_by_role(
        "link", name="Medications"
    )
    expect(link).to_have_attribute("aria-current", "page")
    assert errors == []


def test_a_link_to_a_section_by_its_anchor_opens_it(
    sign_in, live_server, client_of_counselor1, transactional_db
):
    page = sign_in("counselor1")
    errors = _errors_of(page)
    chart = f"{live_server.url}/clients/{client_of_counselor1.public_id}/"

    page.goto(chart + "#plan")

    expect(page.locator("#section-plan")).to_be_visible()
    expect(page).to_have_url(chart + "?section=plan")
    assert errors == []


def test_a_deep_link_shows_its_section_without_javascript(
    browser, live_server, counselor1, client_of_counselor1, transactional_db
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("counselor1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    chart = f"{live_server.url}/clients/{client_of_counselor1.public_id}/"

    page.goto(chart + "?section=drug-tests")
    expect(page.locator("#section-drug-tests")).to_be_visible()
    # The navigation's links are plain links to the same page.
    _open(page, "Sessions and notes")
    expect(page.locator("#section-sessions")).to_be_visible()
    expect(page).to_have_url(chart + "?section=sessions")
    context.close()


def test_the_header_stays_on_screen_while_a_section_scrolls(
    sign_in, live_server, client_of_counselor1, transactional_db
):
    page = sign_in("counselor1")
    page.set_viewport_size({"width": 1280, "height": 500})
    page.goto(f"{live_server.url}/clients/{client_of_counselor1.public_id}/?section=timeline")
    # A long section (a year of history), however little this client has.
    page.locator("#section-timeline").evaluate(
        "(heading) => { heading.parentElement.append(Object.assign("
        "document.createElement('div'), {className: 'py-5 my-5'}).cloneNode()); "
        "heading.parentElement.lastChild.innerHTML = '<p>x</p>'.repeat(200); }"
    )

    page.mouse.wheel(0, 2000)
    page.wait_for_function("() => window.scrollY > 500")

    header = page.get_by_test_id("chart-header")
    expect(header).to_be_in_viewport()
    assert header.bounding_box()["y"] <= 1
