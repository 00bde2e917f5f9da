"""The navigation bar's menus (iop/accounts/context_processors.py): each
role's pages grouped into "My work", "Clients", "Billing" and "Program", so the bar
stays on one line; the browser checks its width in
tests/e2e/test_navigation.py."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from iop.accounts import roles
from tests.factories import UserFactory

HOME_URL = reverse("dashboard:home")


def _menus(response):
    menus = response.context["nav_menus"]
    return {menu.label: [link.label for link in menu.links] for menu in menus}


def test_a_counselor_has_my_work_and_clients_menus(login, counselor1):
    menus = _menus(login(counselor1).get(HOME_URL))

    assert menus == {
        "Home": ["Home"],
        "My work": ["My day", "To do", "Proposed diagnoses", "Groups", "Aftercare", "My outcomes"],
        "Clients": ["My caseload", "Find a client"],
    }


def test_intake_has_a_clients_menu_and_no_my_work(login, intake):
    menus = _menus(login(intake).get(HOME_URL))

    assert menus == {
        "Home": ["Home"],
        "Clients": ["Find a client", "Screening worklist", "New referral"],
    }


def test_a_supervisor_has_the_program_dashboard_on_its_own(login, supervisor):
    menus = _menus(login(supervisor).get(HOME_URL))

    assert menus == {
        "Home": ["Home"],
        "My work": ["To do", "Proposed diagnoses", "Groups", "Aftercare"],
        "Clients": ["Find a client", "Screening worklist", "New referral"],
        "Program": ["Program dashboard", "Outcomes"],
    }


def test_an_administrator_has_a_program_menu(login, administrator):
    menus = _menus(login(administrator).get(HOME_URL))

    assert menus == {
        "Home": ["Home"],
        "Clients": ["Find a client"],
        "Billing": [
            "Billing home",
            "Charges",
            "Claims",
            "Claim batches",
            "Files received",
            "Payments to match",
            "Denials",
            "Authorizations",
            "Accounts receivable",
            "Billing dashboard",
            "Payers",
            "Fee schedule",
        ],
        "Program": [
            "Program dashboard",
            "Outcomes",
            "Measurement plan",
            "Not-on-track rules",
            "Audit trail",
            "API clients",
            "System status",
            "Staff",
            "Lockouts",
        ],
    }


def test_billing_staff_have_the_billing_menu_and_no_clinical_page(login, billing_user):
    # Billing's home is billing's own page: the menus are those of any page.
    menus = _menus(login(billing_user).get(reverse("billing:home")))

    assert menus == {
        "Home": ["Home"],
        "Clients": ["Find a client"],
        "Billing": [
            "Billing home",
            "Charges",
            "Claims",
            "Claim batches",
            "Files received",
            "Payments to match",
            "Denials",
            "Authorizations",
            "Accounts receivable",
            "Billing dashboard",
            "Payers",
            "Fee schedule",
        ],
    }


def test_emergency_access_is_not_offered_to_billing_staff(login, billing_user):
    billing_user.user_permissions.add(
        Permission.objects.get(codename="break_glass", content_type__app_label="audit")
    )
    browser = login(billing_user)
    session = browser.session
    session["audit.may_break_glass"] = True
    session.save()

    menus = _menus(browser.get(reverse("billing:home")))

    assert menus["Clients"] == ["Find a client"]


def test_emergency_access_is_in_the_clients_menu_of_a_designated_user(login, counselor2):
    counselor2.user_permissions.add(
        Permission.objects.get(codename="break_glass", content_type__app_label="audit")
    )

    menus = _menus(login(counselor2).get(HOME_URL))

    assert menus["Clients"] == ["My caseload", "Find a client", "Emergency access"]


def test_the_open_page_marks_its_link_and_its_menu(login, counselor1):
    response = login(counselor1).get(reverse("dashboard:my-day"))

    menus = {menu.key: menu for menu in response.context["nav_menus"]}
    assert menus["my-work"].active
    assert not menus["clients"].active
    assert [link.label for link in menus["my-work"].links if link.active] == ["My day"]
    content = response.content.decode()
    assert 'class="dropdown-item active" aria-current="page" href="/my-day/"' in content
    assert 'class="nav-link dropdown-toggle active"' in content


def test_a_menu_of_one_page_is_a_plain_link(login, administrator):
    content = login(administrator).get(HOME_URL).content.decode()

    clients_url = reverse("clients:client-list")
    assert f'<a class="nav-link" href="{clients_url}">Find a client</a>' in content
    assert 'data-menu="clients"' not in content
    assert 'data-menu="program"' in content


def test_the_account_menu_holds_notifications_my_account_and_sign_out(login, db):
    user = UserFactory(first_name="Robin", last_name="Ames", roles=[roles.COUNSELOR])

    content = login(user).get(HOME_URL).content.decode()

    account = content[content.index('data-menu="account"') :]
    assert account.index("Robin Ames") < account.index('data-testid="notifications"')
    assert 'data-testid="my-account"' in account
    assert "Sign out" in account


def test_the_flat_list_of_pages_follows_the_menus(login, counselor1):
    response = login(counselor1).get(HOME_URL)

    flat = [label for label, _url in response.context["nav_items"]]
    in_menus = [link.label for menu in response.context["nav_menus"] for link in menu.links]
    assert flat == in_menus
