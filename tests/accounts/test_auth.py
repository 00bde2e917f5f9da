"""Signing in and out, password rules and idle logoff (DOMAIN.md section 10)."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from iop.accounts import roles
from iop.accounts.models import User
from tests.factories import UserFactory

LOGIN_URL = reverse("accounts:login")
LOGOUT_URL = reverse("accounts:logout")
HOME_URL = reverse("dashboard:home")
PASSWORD = "correct-horse-battery-staple"  # the factories' password


@pytest.fixture
def demo_counselor(db):
    return UserFactory(
        username="demo.counselor",
        first_name="Dana",
        last_name="Demo",
        roles=[roles.COUNSELOR],
    )


def _session_row(browser):
    return Session.objects.get(session_key=browser.session.session_key)


# --- the login page ---------------------------------------------------------------------


def test_login_page_renders_in_the_app_layout(client, db):
    response = client.get(LOGIN_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="visually-hidden-focusable skip-link" href="#main"' in content
    assert '<main id="main"' in content
    assert "<header>" in content
    assert "<footer" in content


def test_login_page_labels_its_inputs(client, db):
    content = client.get(LOGIN_URL).content.decode()

    assert re.search(r'<label\s+for="id_username"', content)
    assert re.search(r'<label\s+for="id_password"', content)
    assert 'autocomplete="current-password"' in content


def test_login_page_shows_no_navigation_to_anonymous(client, db):
    response = client.get(LOGIN_URL)

    assert response.context["nav_items"] == []
    assert "Sign out" not in response.content.decode()


# --- signing in ---------------------------------------------------------------------------


def test_demo_user_can_log_in_and_lands_on_home(client, demo_counselor):
    response = client.post(LOGIN_URL, {"username": "demo.counselor", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == HOME_URL
    home = client.get(response.url)
    assert home.status_code == 200
    assert home.context["user"] == demo_counselor
    assert "Welcome, Dana" in home.content.decode()


def test_login_follows_a_safe_next_url(client, demo_counselor):
    response = client.post(
        f"{LOGIN_URL}?next=/clients/", {"username": "demo.counselor", "password": PASSWORD}
    )

    assert response.url == "/clients/"


def test_login_ignores_a_next_url_to_another_site(client, demo_counselor):
    response = client.post(
        f"{LOGIN_URL}?next=https://evil.example/",
        {"username": "demo.counselor", "password": PASSWORD},
    )

    assert response.url == HOME_URL


def test_wrong_password_shows_an_error(client, demo_counselor):
    response = client.post(LOGIN_URL, {"username": "demo.counselor", "password": "not-it-at-all"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_error_is_announced_as_an_alert(client, demo_counselor):
    response = client.post(LOGIN_URL, {"username": "demo.counselor", "password": "not-it-at-all"})

    assert '<div class="alert alert-block alert-danger" role="alert">' in response.content.decode()


def test_wrong_password_error_does_not_say_whether_user_exists(client, demo_counselor):
    known = client.post(LOGIN_URL, {"username": "demo.counselor", "password": "not-it-at-all"})
    unknown = client.post(LOGIN_URL, {"username": "nobody.here", "password": "not-it-at-all"})

    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_inactive_user_cannot_log_in(client, demo_counselor):
    demo_counselor.is_active = False
    demo_counselor.save(update_fields=["is_active"])

    response = client.post(LOGIN_URL, {"username": "demo.counselor", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signed_in_user_opening_login_goes_home(login, demo_counselor):
    response = login(demo_counselor).get(LOGIN_URL)

    assert response.status_code == 302
    assert response.url == HOME_URL


# --- signing out --------------------------------------------------------------------------


def test_logout_by_get_is_refused(login, demo_counselor):
    browser = login(demo_counselor)

    response = browser.get(LOGOUT_URL)

    assert response.status_code == 405
    assert browser.get(HOME_URL).status_code == 200


def test_logout_by_post_ends_the_session(login, demo_counselor):
    browser = login(demo_counselor)
    session_key = browser.session.session_key

    response = browser.post(LOGOUT_URL)

    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert not Session.objects.filter(session_key=session_key).exists()
    after = browser.get(HOME_URL)
    assert after.status_code == 302
    assert after.url.startswith(LOGIN_URL)


def test_every_page_offers_sign_out_as_a_form(login, demo_counselor):
    content = login(demo_counselor).get(HOME_URL).content.decode()

    assert f'<form method="post" action="{LOGOUT_URL}"' in content


# --- passwords ----------------------------------------------------------------------------


def test_password_of_eleven_characters_is_rejected(db):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Tq7#mZ9!pLx")


def test_password_of_twelve_characters_is_accepted(db):
    validate_password("Tq7#mZ9!pLx2")


def test_long_passphrase_is_accepted(db):
    validate_password("orbit lantern cobalt meadow 42")


def test_common_password_is_rejected(db):
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234")


def test_numeric_password_is_rejected(db):
    with pytest.raises(ValidationError, match="entirely numeric"):
        validate_password("918273645546")


def test_password_like_the_username_is_rejected(db):
    user = User(username="dana.demolition", first_name="Dana", email="dana@clinic.test")

    with pytest.raises(ValidationError, match="too similar"):
        validate_password("dana.demolition", user=user)


# --- idle logoff ---------------------------------------------------------------------------


def test_idle_limit_is_fifteen_minutes_and_renewed_only_by_activity():
    assert settings.SESSION_IDLE_SECONDS == 900
    # The session middleware saves the session on a person's requests only.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_session_ends_when_the_browser_closes():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_signed_in_session_is_stored_a_little_past_the_idle_limit(client, demo_counselor):
    # The session middleware ends it at fifteen minutes with an explanation;
    # the stored expiry is the backstop.
    client.post(LOGIN_URL, {"username": "demo.counselor", "password": PASSWORD})

    remaining = _session_row(client).expire_date - timezone.now()

    assert datetime.timedelta(minutes=15) < remaining <= datetime.timedelta(minutes=30)


def test_each_request_pushes_the_expiry_forward(client, demo_counselor):
    client.post(LOGIN_URL, {"username": "demo.counselor", "password": PASSWORD})
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )

    client.get(HOME_URL)

    remaining = _session_row(client).expire_date - timezone.now()
    assert remaining > datetime.timedelta(minutes=29)


def test_idle_session_past_its_expiry_is_signed_out(client, demo_counselor):
    client.post(LOGIN_URL, {"username": "demo.counselor", "password": PASSWORD})
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.get(HOME_URL)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


# --- roles and the pages' privacy headers ---------------------------------------------------


def test_navigation_follows_the_role(login, counselor1, administrator):
    counselor_nav = dict(login(counselor1).get(HOME_URL).context["nav_items"])
    admin_nav = dict(login(administrator).get(HOME_URL).context["nav_items"])

    assert "My caseload" in counselor_nav
    assert "Audit trail" not in counselor_nav
    assert "Audit trail" in admin_nav
    assert "New client" not in admin_nav


def test_authenticated_page_is_not_stored(login, demo_counselor):
    response = login(demo_counselor).get(HOME_URL)

    assert response["Cache-Control"] == "no-store"


def test_user_has_role_of_its_groups(counselor1):
    assert counselor1.is_counselor
    assert not counselor1.is_supervisor
    assert counselor1.has_role(roles.INTAKE, roles.COUNSELOR)
    assert not counselor1.sees_whole_program


def test_an_administrator_lands_on_the_program_dashboard(client, administrator):
    response = client.post(
        LOGIN_URL, {"username": "admin", "password": "correct-horse-battery-staple"}
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard:program")


def test_a_counselor_lands_on_home_with_the_caseload(client, counselor1):
    response = client.post(
        LOGIN_URL, {"username": "counselor1", "password": "correct-horse-battery-staple"}
    )

    assert response.url == HOME_URL
