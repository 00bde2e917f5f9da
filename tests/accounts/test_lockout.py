"""Login throttling by username and address (django-axes), its audit rows and
the administrators' lockouts page (DOMAIN.md section 10)."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iop.accounts import roles
from iop.accounts.client_ip import client_ip
from iop.audit.models import AuditEvent
from tests.factories import UserFactory

LOGIN_URL = reverse("accounts:login")
LOCKOUTS_URL = reverse("accounts:lockout-list")
UNLOCK_URL = reverse("accounts:lockout-unlock")
PASSWORD = "correct-horse-battery-staple"  # the factories' password
WRONG = "not-the-password"  # noqa: S105
# Per-response tokens: the CSRF token and the scripts' CSP nonce.
TOKENS = re.compile(r'("X-CSRFToken": "|nonce=")[^"]+"')
HOME = "10.0.0.7"
ELSEWHERE = "10.0.0.8"


@pytest.fixture
def dana(db):
    return UserFactory(username="dana", roles=[roles.COUNSELOR])


def _attempt(client, username, password, address=HOME, **extra):
    return client.post(
        LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def _fail(client, username, times, address=HOME):
    for _ in range(times):
        response = _attempt(client, username, WRONG, address)
    return response


def _signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


# --- throttling -----------------------------------------------------------------------------


def test_four_failures_still_let_the_right_password_in(client, dana):
    _fail(client, "dana", 4)

    assert _signed_in(_attempt(client, "dana", PASSWORD))


def test_fifth_failure_locks_the_pair_with_a_429_page(client, dana):
    response = _fail(client, "dana", 5)

    assert response.status_code == 429
    assert "accounts/lockout.html" in [t.name for t in response.templates]
    assert "Too many sign-in attempts" in response.content.decode()


def test_locked_pair_is_refused_even_with_the_right_password(client, dana):
    _fail(client, "dana", 5)

    response = _attempt(client, "dana", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_page_is_the_same_for_an_unknown_username(client, dana):
    known = TOKENS.sub("", _fail(client, "dana", 5).content.decode())
    unknown = TOKENS.sub("", _fail(client, "nobody.here", 5).content.decode())

    assert unknown == known
    assert "dana" not in known


def test_lockout_page_is_in_the_app_layout(client, dana):
    content = _fail(client, "dana", 5).content.decode()

    assert '<main id="main"' in content
    assert "administrator" in content


def test_another_user_from_the_same_address_still_signs_in(client, dana, counselor1):
    _fail(client, "dana", 5)

    assert _signed_in(_attempt(client, "counselor1", PASSWORD, HOME))


def test_the_same_user_from_another_address_still_signs_in(client, dana):
    _fail(client, "dana", 5, HOME)

    assert _signed_in(_attempt(Client(), "dana", PASSWORD, ELSEWHERE))
    assert _attempt(client, "dana", PASSWORD, HOME).status_code == 429


def test_lockout_lifts_after_the_cool_off(client, dana):
    _fail(client, "dana", 5)

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))

    assert _signed_in(_attempt(client, "dana", PASSWORD))


def test_lockout_holds_until_the_cool_off_ends(client, dana):
    _fail(client, "dana", 5)

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14, seconds=50))

    assert _attempt(client, "dana", PASSWORD).status_code == 429


def test_attempts_during_a_lockout_do_not_extend_it(client, dana):
    _fail(client, "dana", 5)
    locked_at = AccessAttempt.objects.get().attempt_time

    _fail(client, "dana", 3)

    attempt = AccessAttempt.objects.get()
    assert attempt.attempt_time == locked_at
    assert attempt.failures_since_start == 5


def test_failures_older_than_the_cool_off_are_forgotten(client, dana):
    # Four failures, then a pause longer than the cool-off: the count restarts.
    _fail(client, "dana", 4)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = _fail(client, "dana", 4)

    assert response.status_code == 200
    assert _signed_in(_attempt(client, "dana", PASSWORD))


def test_a_successful_sign_in_resets_the_count(client, dana):
    _fail(client, "dana", 4)
    _attempt(client, "dana", PASSWORD)
    client.post(reverse("accounts:logout"))

    response = _fail(client, "dana", 4)

    assert response.status_code == 200
    assert not AccessAttempt.objects.filter(failures_since_start__gte=5).exists()


def test_the_failed_attempts_do_not_store_the_password(client, dana):
    _fail(client, "dana", 2)

    attempt = AccessAttempt.objects.get()
    assert WRONG not in attempt.post_data


# --- the client's address -------------------------------------------------------------------


def _request(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post(LOGIN_URL, REMOTE_ADDR=remote, **extra)


def test_without_a_proxy_the_connection_address_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_behind_one_proxy_the_right_most_forwarded_address_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    # The client sent "198.51.100.1" itself; the proxy appended the real peer.
    request = _request("10.0.0.1", "198.51.100.1, 203.0.113.9")

    assert client_ip(request) == "203.0.113.9"


def test_behind_two_proxies_the_second_from_the_right_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(_request("10.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def test_behind_a_proxy_a_missing_or_garbled_header_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request("10.0.0.1")) == "10.0.0.1"
    assert client_ip(_request("10.0.0.1", "not-an-address")) == "10.0.0.1"


def test_behind_a_proxy_a_forged_header_cannot_dodge_the_lockout(client, dana, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    for n in range(5):
        # Each attempt claims a new address on the left; the proxy's entry is the same.
        _attempt(client, "dana", WRONG, proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {HOME}")

    response = _attempt(client, "dana", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {HOME}")

    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == HOME


def test_behind_a_proxy_users_at_other_addresses_are_not_locked_out(client, dana, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        _attempt(client, "dana", WRONG, "10.0.0.1", HTTP_X_FORWARDED_FOR=HOME)

    response = _attempt(client, "dana", PASSWORD, "10.0.0.1", HTTP_X_FORWARDED_FOR=ELSEWHERE)

    assert _signed_in(response)


# --- audit ----------------------------------------------------------------------------------


def test_a_lockout_is_audited_once_with_username_and_address(client, dana):
    _fail(client, "dana", 5)
    _fail(client, "dana", 2)

    event = AuditEvent.objects.get(action=AuditEvent.Action.LOCKOUT)
    assert event.details == {"username": "dana", "ip_address": HOME, "failures": 5}
    assert event.actor is None
    assert WRONG not in str(event.details)


def test_each_failed_attempt_is_audited_once(client, dana):
    _fail(client, "dana", 5)
    _attempt(client, "dana", PASSWORD)

    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert failed.count() == 6
    assert {event.details["username"] for event in failed} == {"dana"}
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()


# --- the administrators' lockouts page ------------------------------------------------------


def test_administrator_sees_current_lockouts(client, login, dana, administrator):
    _fail(client, "dana", 5)
    _fail(client, "someone", 2)

    response = login(administrator).get(LOCKOUTS_URL)

    assert response.status_code == 200
    lockouts = response.context["lockouts"]
    assert [(row["username"], row["ip_address"], row["failures"]) for row in lockouts] == [
        ("dana", HOME, 5)
    ]
    content = response.content.decode()
    assert "dana" in content
    assert HOME in content


def test_expired_lockouts_are_not_listed(client, login, dana, administrator):
    _fail(client, "dana", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = login(administrator).get(LOCKOUTS_URL)

    assert response.context["lockouts"] == []
    assert "No one is locked out." in response.content.decode()


def test_lockouts_page_is_in_the_administrators_navigation(login, administrator, supervisor):
    admin_nav = dict(login(administrator).get(LOCKOUTS_URL).context["nav_items"])

    assert admin_nav["Lockouts"] == LOCKOUTS_URL


@pytest.mark.parametrize("role_user", ["intake", "counselor1", "supervisor"])
def test_other_roles_get_403_on_the_lockouts_page(login, role_user, request):
    user = request.getfixturevalue(role_user)

    assert login(user).get(LOCKOUTS_URL).status_code == 403
    assert login(user).post(UNLOCK_URL, {"username": "x", "ip_address": HOME}).status_code == 403


def test_anonymous_is_sent_to_sign_in_from_the_lockouts_page(client, db):
    response = client.get(LOCKOUTS_URL)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_administrator_unlocks_a_pair_and_it_is_audited(client, login, dana, administrator):
    _fail(client, "dana", 5)
    admin_browser = login(administrator)

    response = admin_browser.post(UNLOCK_URL, {"username": "dana", "ip_address": HOME})

    assert response.status_code == 302
    assert response.url == LOCKOUTS_URL
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNLOCK)
    assert event.actor == administrator
    assert event.details == {"username": "dana", "ip_address": HOME}
    admin_browser.post(reverse("accounts:logout"))
    assert _signed_in(_attempt(client, "dana", PASSWORD))


def test_unlocking_one_pair_leaves_the_others_locked(client, login, dana, administrator):
    _fail(client, "dana", 5, HOME)
    _fail(client, "dana", 5, ELSEWHERE)

    login(administrator).post(UNLOCK_URL, {"username": "dana", "ip_address": HOME})

    assert AccessAttempt.objects.get().ip_address == ELSEWHERE


def test_unlock_by_get_is_refused(login, administrator):
    assert login(administrator).get(UNLOCK_URL).status_code == 405


def test_unlock_without_a_username_is_refused(login, administrator):
    response = login(administrator).post(UNLOCK_URL, {"username": "", "ip_address": HOME})

    assert response.status_code == 400


def test_lockouts_page_query_count_does_not_grow_with_lockouts(
    login, administrator, django_assert_num_queries
):
    def lock(count):
        for n in range(count):
            _fail(Client(), f"user{n}", 5, f"10.1.0.{n}")

    browser = login(administrator)
    lock(2)
    with CaptureQueriesContext(connection) as few:
        assert len(browser.get(LOCKOUTS_URL).context["lockouts"]) == 2
    count = len(few)  # now: later requests reset the query log it reads
    lock(20)
    with django_assert_num_queries(count):
        assert len(browser.get(LOCKOUTS_URL).context["lockouts"]) == 20


def test_the_admin_sign_in_page_is_throttled_too(client, administrator):
    admin_login = reverse("admin:login")
    for _ in range(5):
        response = client.post(
            admin_login, {"username": "admin", "password": WRONG}, REMOTE_ADDR=HOME
        )

    assert response.status_code == 429
    response = client.post(
        admin_login, {"username": "admin", "password": PASSWORD}, REMOTE_ADDR=HOME
    )
    assert response.status_code == 429
