"""The navigation bar in a real browser: grouped into menus, it stays on one
line for every role from 1024 px up, and below Bootstrap's `lg` breakpoint
(992 px) it collapses behind the toggler."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from iop.accounts import roles
from iop.reminders.models import StaffNotification
from tests.e2e.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

# The account menu carries the person's name (a long one here) and the
# unread count.
PEOPLE = {
    "intake": [roles.INTAKE],
    "counselor": [roles.COUNSELOR],
    "supervisor": [roles.SUPERVISOR],
    "admin": [roles.ADMINISTRATOR],
    "billing": [roles.BILLING],
    # Every role at once, and emergency access: the widest navigation there is.
    "everything": list(roles.ALL_ROLES),
}

# Where each top-level entry of the bar sits, and how tall one link is.
GEOMETRY_JS = """() => {
  const box = (element) => element.getBoundingClientRect();
  const entries = [document.querySelector('.navbar-brand'),
                   ...document.querySelectorAll('#main-nav .navbar-nav > .nav-item')];
  const links = entries.slice(1).map((entry) => box(entry.querySelector('.nav-link')).height);
  return {
    bar: box(document.getElementById('main-nav')).height,
    link: Math.max(...links),
    middles: entries.map((entry) => Math.round(box(entry).top + box(entry).height / 2)),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


def _person(key):
    user = UserFactory(
        username=key, first_name="Alexandria", last_name="Montgomery-Villanueva", roles=PEOPLE[key]
    )
    if key == "everything":
        user.user_permissions.add(
            Permission.objects.get(codename="break_glass", content_type__app_label="audit")
        )
    # A two-digit unread count on the account menu.
    StaffNotification.objects.bulk_create(
        StaffNotification(recipient=user, kind="safety_flag", message="A flag to review")
        for _ in range(12)
    )
    return user


def _sign_in(browser, live_server, username, width):
    page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


@pytest.mark.parametrize("width", [1024, 1280])
@pytest.mark.parametrize("key", PEOPLE)
def test_the_navigation_is_one_line_from_1024_pixels_up(
    browser, live_server, transactional_db, key, width
):
    _person(key)
    page = _sign_in(browser, live_server, key, width)

    geometry = page.evaluate(GEOMETRY_JS)

    # One line: the bar is as tall as one link, and every entry (the brand
    # included) sits on the same line; nothing sticks out sideways.
    assert geometry["bar"] <= geometry["link"] + 1, geometry
    assert max(geometry["middles"]) - min(geometry["middles"]) <= 2, geometry
    assert geometry["overflow"] <= 0, geometry
    page.context.close()


@pytest.mark.parametrize("key", ["counselor", "everything"])
def test_below_992_pixels_the_navigation_collapses_behind_the_toggler(
    browser, live_server, transactional_db, key
):
    _person(key)
    page = _sign_in(browser, live_server, key, 991)
    navigation = page.get_by_role("navigation", name="Main navigation")
    toggler = navigation.get_by_role("button", name="Toggle navigation")

    expect(toggler).to_be_visible()
    expect(page.locator("#main-nav")).to_be_hidden()

    toggler.focus()
    page.keyboard.press("Enter")

    expect(page.locator("#main-nav")).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    page.context.close()


def test_a_counselor_reaches_each_page_through_its_menu(browser, live_server, transactional_db):
    _person("counselor")
    page = _sign_in(browser, live_server, "counselor", 1280)
    navigation = page.get_by_role("navigation", name="Main navigation")

    navigation.get_by_role("button", name="My work").click()
    navigation.get_by_role("link", name="My day").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My day")
    # The open page's menu is marked, and so is the page within it.
    expect(navigation.get_by_role("button", name="My work")).to_have_class(
        "nav-link dropdown-toggle active"
    )
    navigation.get_by_role("button", name="My work").click()
    expect(navigation.get_by_role("link", name="My day")).to_have_attribute("aria-current", "page")

    navigation.get_by_role("button", name="Clients").click()
    navigation.get_by_role("link", name="My caseload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    page.context.close()


def test_the_account_menu_holds_notifications_my_account_and_sign_out(
    browser, live_server, transactional_db
):
    _person("counselor")
    page = _sign_in(browser, live_server, "counselor", 1280)
    navigation = page.get_by_role("navigation", name="Main navigation")
    account = navigation.get_by_role("button", name="Alexandria Montgomery-Villanueva")

    expect(navigation.get_by_role("link", name="My account")).to_be_hidden()
    account.click()
    expect(navigation.get_by_role("link", name="Notifications")).to_be_visible()
    expect(navigation.get_by_role("link", name="My account")).to_be_visible()
    expect(navigation.get_by_test_id("current-user")).to_contain_text("Counselor")
    navigation.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.context.close()
