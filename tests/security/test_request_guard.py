"""A NUL character anywhere in a request (a header, a cookie, the path, a
parameter) is refused with a 400 before anything else runs; and every answer
carries the Permissions-Policy that turns off what the app does not use."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from iop.accounts import roles
from iop.audit.models import AuditEvent
from tests.factories import UserFactory

LOGIN_URL = reverse("accounts:login")
PASSWORD = "correct-horse-battery-staple"  # the factories' password


@pytest.fixture
def dana(db):
    return UserFactory(username="dana", roles=[roles.COUNSELOR])


def test_the_guard_is_the_first_middleware():
    assert settings.MIDDLEWARE[0] == "iop.request_guard.RejectNulCharactersMiddleware"


@pytest.mark.parametrize(
    "header",
    ["User-Agent", "Accept-Language", "Referer", "X-Forwarded-For", "X-Background-Request"],
)
def test_a_nul_in_a_header_is_a_400(client, counselor1, header):
    client.raise_request_exception = False
    client.force_login(counselor1)

    response = client.get("/clients/", headers={header: "a\x00b"})

    assert response.status_code == 400


def test_a_nul_in_the_cookie_header_is_a_400(client, counselor1):
    client.raise_request_exception = False

    response = client.get("/clients/", headers={"Cookie": "sessionid=a\x00b"})

    assert response.status_code == 400


def test_a_cookie_value_that_decodes_to_a_nul_is_a_400(client, counselor1):
    client.raise_request_exception = False
    client.force_login(counselor1)
    # The test client quotes the value as "\000", which the cookie parser decodes to NUL.
    client.cookies["theme"] = "a\x00b"

    response = client.get("/clients/")

    assert "\x00" in response.wsgi_request.COOKIES["theme"]
    assert response.status_code == 400


def test_a_nul_in_the_path_is_a_400(client, counselor1):
    client.raise_request_exception = False
    client.force_login(counselor1)

    assert client.get("/clients/%00/").status_code == 400


def test_a_nul_in_a_header_of_an_anonymous_request_is_a_400(client, db):
    client.raise_request_exception = False

    assert client.get("/health", headers={"User-Agent": "\x00"}).status_code == 400


def test_a_sign_in_with_a_nul_user_agent_is_refused_before_the_password_is_checked(client, dana):
    client.raise_request_exception = False

    response = client.post(
        LOGIN_URL,
        {"username": "dana", "password": PASSWORD},
        headers={"User-Agent": "evil\x00agent"},
    )

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()


def test_wrong_passwords_with_a_nul_user_agent_never_reach_the_throttle(client, dana):
    """Each is a 400 before authentication: no guess is checked, so none can
    slip past the count; the same guesses with a plain header are counted."""
    client.raise_request_exception = False
    wrong = {"username": "dana", "password": "not-the-password"}

    answers = [
        client.post(LOGIN_URL, wrong, headers={"User-Agent": "\x00"}).status_code for _ in range(6)
    ]

    assert answers == [400] * 6
    assert not AccessAttempt.objects.exists()
    client.post(LOGIN_URL, wrong)
    assert AccessAttempt.objects.get().failures_since_start == 1


# --- Permissions-Policy --------------------------------------------------------------------


def _policy(response) -> dict[str, str]:
    value = response.headers["Permissions-Policy"]
    return dict(item.strip().split("=", 1) for item in value.split(","))


@pytest.mark.parametrize("feature", ["camera", "microphone", "geolocation", "payment", "usb"])
def test_a_signed_in_page_turns_off_the_browser_features_the_app_does_not_use(
    client, counselor1, feature
):
    client.force_login(counselor1)

    response = client.get("/clients/")

    assert response.status_code == 200
    assert _policy(response)[feature] == "()"


def test_health_sends_the_permissions_policy(client, db):
    response = client.get("/health")

    assert _policy(response)["camera"] == "()"


def test_the_sign_in_page_sends_the_permissions_policy(client, db):
    response = client.get(LOGIN_URL)

    assert set(_policy(response)) == set(settings.PERMISSIONS_POLICY_DISABLED)
    assert set(_policy(response).values()) == {"()"}
