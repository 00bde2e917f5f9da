"""Session limits: idle logoff, the absolute limit, background requests, a new
session key at sign-in, and ending every session of a user (DOMAIN.md
section 10)."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iop.accounts import roles, sessions
from iop.accounts.models import UserSession
from iop.accounts.services import user_deactivate
from iop.audit.models import AuditEvent
from tests.factories import UserFactory

LOGIN_URL = reverse("accounts:login")
LOGOUT_URL = reverse("accounts:logout")
HOME_URL = reverse("dashboard:home")
STATUS_URL = reverse("accounts:session-status")
KEEPALIVE_URL = reverse("accounts:session-keepalive")
PASSWORD = "correct-horse-battery-staple"  # the factories' password
BACKGROUND = {"HTTP_X_BACKGROUND_REQUEST": "1"}
MINUTE = 60


@pytest.fixture
def dana(db):
    return UserFactory(username="dana", roles=[roles.COUNSELOR])


@pytest.fixture
def clock(monkeypatch):
    """Simulated time for the session middleware, in seconds."""

    class Clock:
        now = 1_800_000_000.0

        def advance(self, seconds):
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr(sessions, "_now", lambda: clock.now)
    return clock


def _sign_in(browser, username="dana"):
    response = browser.post(LOGIN_URL, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def _logout_events(user):
    return AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.LOGOUT)


# --- a new session key at sign-in ------------------------------------------------------


def test_signing_in_gives_a_new_session_key(client, dana):
    # A session fixed before sign-in (session fixation) is not the one signed in.
    client.get(LOGIN_URL)
    session = client.session
    session["planted"] = "by someone else"
    session.save()
    before = session.session_key

    _sign_in(client)

    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_a_planted_session_cookie_does_not_become_signed_in(client, dana):
    planted = Client()
    planted.get(LOGIN_URL)
    planted_session = planted.session
    planted_session["x"] = 1
    planted_session.save()
    client.cookies["sessionid"] = planted_session.session_key

    _sign_in(client)

    assert client.cookies["sessionid"].value != planted_session.session_key
    planted.cookies["sessionid"] = planted_session.session_key
    assert planted.get(HOME_URL).status_code == 302


# --- idle logoff ------------------------------------------------------------------------


def test_activity_within_the_idle_limit_keeps_the_session(client, dana, clock):
    _sign_in(client)
    for _ in range(3):
        clock.advance(14 * MINUTE)
        assert client.get(HOME_URL).status_code == 200


def test_fifteen_idle_minutes_sign_the_user_out(client, dana, clock):
    _sign_in(client)
    clock.advance(15 * MINUTE)

    response = client.get(HOME_URL)

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next=%2F"
    assert "_auth_user_id" not in client.session
    page = client.get(response.url)
    assert "signed out after 15 minutes without activity" in page.content.decode()


def test_idle_logoff_is_audited_with_its_reason(client, dana, clock):
    _sign_in(client)
    clock.advance(16 * MINUTE)

    client.get(HOME_URL)

    assert _logout_events(dana).get().details == {"reason": "idle"}


def test_idle_logoff_deletes_the_stored_session(client, dana, clock):
    _sign_in(client)
    key = client.session.session_key
    clock.advance(16 * MINUTE)

    client.get(HOME_URL)

    assert not Session.objects.filter(session_key=key).exists()


def test_background_polling_does_not_keep_a_session_alive(client, dana, clock):
    _sign_in(client)
    answers = []
    for _ in range(16):  # sixteen minutes of polling and nothing else
        clock.advance(MINUTE)
        answers.append(client.get(STATUS_URL, **BACKGROUND).status_code)

    assert answers == [200] * 14 + [401, 302]
    response = client.get(HOME_URL)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_a_background_header_on_any_page_is_not_activity(client, dana, clock):
    _sign_in(client)
    clock.advance(10 * MINUTE)
    assert client.get(HOME_URL, **BACKGROUND).status_code == 200
    clock.advance(5 * MINUTE)

    assert client.get(HOME_URL).status_code == 302


def test_background_requests_do_not_save_the_session(client, dana, clock):
    _sign_in(client)
    row = Session.objects.get(session_key=client.session.session_key)

    response = client.get(STATUS_URL, **BACKGROUND)

    assert "sessionid" not in response.cookies
    assert Session.objects.get(pk=row.pk).expire_date == row.expire_date


def test_a_real_request_saves_the_session_and_its_expiry(client, dana, clock):
    _sign_in(client)
    row = Session.objects.get(session_key=client.session.session_key)

    client.get(HOME_URL)

    assert Session.objects.get(pk=row.pk).expire_date > row.expire_date


# --- activity recorded once a minute (production's resolution) ---------------------------


@pytest.fixture
def a_minute(settings):
    settings.SESSION_ACTIVITY_RESOLUTION_SECONDS = MINUTE


def test_pages_within_a_minute_of_the_last_record_do_not_write_the_session(
    client, dana, clock, a_minute
):
    _sign_in(client)
    clock.advance(MINUTE)
    client.get(HOME_URL)  # recorded: a minute after the sign-in
    row = Session.objects.get(session_key=client.session.session_key)
    clock.advance(MINUTE - 1)

    response = client.get(HOME_URL)

    assert response.status_code == 200 and "sessionid" not in response.cookies
    assert Session.objects.get(pk=row.pk).expire_date == row.expire_date
    clock.advance(1)
    assert "sessionid" in client.get(HOME_URL).cookies  # a minute on: recorded again


def test_with_the_resolution_the_idle_limit_runs_from_the_last_record(
    client, dana, clock, a_minute
):
    _sign_in(client)
    clock.advance(30)
    assert client.get(HOME_URL).status_code == 200  # not recorded: within the minute
    clock.advance(15 * MINUTE - 30)

    # Fifteen minutes after the last record, thirty seconds early: never late.
    response = client.get(HOME_URL)

    assert response.status_code == 302 and response.url.startswith(LOGIN_URL)


def test_a_page_costs_no_session_write_within_the_resolution(
    client, dana, clock, a_minute, settings
):
    _sign_in(client)
    with CaptureQueriesContext(connection) as recorded:
        client.get(HOME_URL)
    settings.SESSION_ACTIVITY_RESOLUTION_SECONDS = 0
    with CaptureQueriesContext(connection) as every_request:
        client.get(HOME_URL)

    writes = [q for q in recorded.captured_queries if q["sql"].startswith("UPDATE")]
    assert writes == []
    assert len(every_request.captured_queries) - len(recorded.captured_queries) == 3


def test_status_reports_the_seconds_left(client, dana, clock):
    _sign_in(client)
    clock.advance(4 * MINUTE)

    response = client.get(STATUS_URL)

    assert response.json() == {"seconds_left": 11 * MINUTE}
    assert response["Cache-Control"] == "no-store"


def test_status_of_an_expired_session_answers_401(client, dana, clock):
    _sign_in(client)
    clock.advance(15 * MINUTE)

    response = client.get(STATUS_URL, **BACKGROUND)

    assert response.status_code == 401
    assert response.json() == {"seconds_left": 0}
    assert _logout_events(dana).get().details == {"reason": "idle"}


def test_keepalive_counts_as_activity(client, dana, clock):
    _sign_in(client)
    clock.advance(14 * MINUTE)

    response = client.post(KEEPALIVE_URL)
    clock.advance(14 * MINUTE)

    assert response.json() == {"seconds_left": 15 * MINUTE}
    assert client.get(HOME_URL).status_code == 200


def test_keepalive_by_get_is_refused(client, dana):
    _sign_in(client)

    assert client.get(KEEPALIVE_URL).status_code == 405


def test_htmx_request_of_an_expired_session_gets_401_with_a_redirect(client, dana, clock):
    _sign_in(client)
    clock.advance(16 * MINUTE)

    response = client.get(HOME_URL, HTTP_HX_REQUEST="true")

    assert response.status_code == 401
    assert response["HX-Redirect"] == LOGIN_URL


def test_idle_limit_follows_the_setting(client, dana, clock, settings):
    settings.SESSION_IDLE_SECONDS = 70
    _sign_in(client)
    clock.advance(69)
    assert client.get(HOME_URL).status_code == 200
    clock.advance(70)

    assert client.get(HOME_URL).status_code == 302


# --- the absolute limit -----------------------------------------------------------------


def test_ten_hours_after_sign_in_the_session_ends_despite_activity(client, dana, clock):
    _sign_in(client)
    for _ in range(42):  # a request every 14 minutes: 9 h 48 min
        clock.advance(14 * MINUTE)
        assert client.get(HOME_URL).status_code == 200
    clock.advance(12 * MINUTE)

    response = client.get(HOME_URL)

    assert response.status_code == 302
    assert _logout_events(dana).get().details == {"reason": "absolute"}
    page = client.get(response.url)
    assert "a session lasts at most 10 hours" in page.content.decode()


def test_status_counts_down_to_the_absolute_limit(client, dana, clock, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 20 * MINUTE
    _sign_in(client)
    clock.advance(10 * MINUTE)
    client.get(HOME_URL)  # the idle clock restarts; the absolute one runs on
    clock.advance(5 * MINUTE)

    assert client.get(STATUS_URL).json() == {"seconds_left": 5 * MINUTE}


# --- ending every session of a user -----------------------------------------------------


def test_sign_in_registers_the_session(client, dana):
    _sign_in(client)

    assert UserSession.objects.get(user=dana).session_key == client.session.session_key


def test_signing_out_ends_the_users_sessions_on_every_device(dana):
    desk, phone = _sign_in(Client()), _sign_in(Client())
    assert phone.get(HOME_URL).status_code == 200

    desk.post(LOGOUT_URL)

    assert phone.get(HOME_URL).status_code == 302
    assert not Session.objects.exists()
    assert not UserSession.objects.exists()


def test_signing_out_leaves_other_users_signed_in(dana, counselor1):
    mine, theirs = _sign_in(Client()), _sign_in(Client(), "counselor1")

    mine.post(LOGOUT_URL)

    assert theirs.get(HOME_URL).status_code == 200


def test_signing_out_is_audited_once_without_a_reason(client, dana):
    _sign_in(client)

    client.post(LOGOUT_URL)

    assert _logout_events(dana).get().details == {}


def test_idle_logoff_of_one_browser_leaves_the_others(dana, clock):
    desk = _sign_in(Client())
    clock.advance(10 * MINUTE)
    phone = _sign_in(Client())
    clock.advance(6 * MINUTE)

    assert desk.get(HOME_URL).status_code == 302
    assert phone.get(HOME_URL).status_code == 200


def test_deactivating_a_user_ends_their_sessions(dana, administrator):
    browser = _sign_in(Client())

    user_deactivate(user=dana, actor=administrator)

    assert not Session.objects.filter(session_key=browser.session.session_key).exists()
    assert browser.get(HOME_URL).status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_id=str(dana.public_id))
    assert event.details == {"fields": ["is_active"], "sessions_ended": 1}


def test_deactivating_a_user_in_the_staff_admin_ends_their_sessions(dana, administrator):
    browser = _sign_in(Client())
    staff = Client()
    staff.force_login(administrator)
    change_url = reverse("admin:accounts_user_change", args=[dana.pk])
    form = staff.get(change_url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(
        {
            "username": dana.username,
            "is_active": "",
            "date_joined_0": dana.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": dana.date_joined.strftime("%H:%M:%S"),
            "groups": [group.pk for group in dana.groups.all()],
        }
    )
    data.pop("is_active")
    data.pop("last_login", None)

    response = staff.post(change_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    dana.refresh_from_db()
    assert not dana.is_active
    assert browser.get(HOME_URL).status_code == 302
    assert not UserSession.objects.filter(user=dana).exists()
    # Audited like any deactivation, by the administrator who made it.
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_id=str(dana.public_id))
    assert event.actor == administrator
    assert event.details == {"fields": ["is_active"], "sessions_ended": 1}


def test_an_inactive_users_session_is_refused_even_if_left_behind(client, dana):
    _sign_in(client)
    type(dana).objects.filter(pk=dana.pk).update(is_active=False)

    assert client.get(HOME_URL).status_code == 302


def test_expired_session_rows_are_forgotten_at_the_next_sign_in(dana):
    first = _sign_in(Client())
    Session.objects.filter(session_key=first.session.session_key).delete()

    _sign_in(Client())

    assert UserSession.objects.filter(user=dana).count() == 1


# --- the warning in the page -----------------------------------------------------------


def test_signed_in_pages_carry_the_timeout_warning_and_its_script(client, dana):
    _sign_in(client)

    content = client.get(HOME_URL).content.decode()

    assert 'id="session-timeout"' in content
    assert 'data-idle-seconds="900"' in content
    assert 'role="alertdialog"' in content
    assert "Stay signed in" in content
    assert "js/session-timeout.js" in content


def test_the_sign_in_page_has_no_timeout_warning(client, db):
    content = client.get(LOGIN_URL).content.decode()

    assert "session-timeout" not in content


def test_signing_out_of_the_staff_admin_signs_out_everywhere(administrator):
    desk, phone = Client(), Client()
    desk.force_login(administrator)
    phone.force_login(administrator)

    desk.post(reverse("admin:logout"))

    assert desk.get(HOME_URL).status_code == 302
    assert phone.get(HOME_URL).status_code == 302
    assert not UserSession.objects.filter(user=administrator).exists()
