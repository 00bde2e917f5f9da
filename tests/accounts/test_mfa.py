"""Multi-factor authentication at sign-in: enrollment, verification with an
authenticator code or a recovery code, reuse and guessing refused, and the
middleware that holds an unverified session at the door (DOMAIN.md section 10)."""

import datetime
import re
from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from iop.accounts.mfa.services import mfa_reset
from iop.audit.models import AuditEvent
from tests.accounts.mfa_helpers import (
    PASSWORD,
    RECOVERY_CODES,
    enroll,
    mark_verified,
    totp_code,
)

LOGIN_URL = reverse("accounts:login")
LOGOUT_URL = reverse("accounts:logout")
HOME_URL = reverse("dashboard:home")
VERIFY_URL = reverse("accounts:mfa-verify")
ENROLL_URL = reverse("accounts:mfa-enroll")


@pytest.fixture
def require_mfa(settings):
    settings.REQUIRE_MFA = True


def _sign_in(browser, user):
    response = browser.post(LOGIN_URL, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step failed"
    return response


def _verify(browser, code, next_url=None):
    url = VERIFY_URL if next_url is None else f"{VERIFY_URL}?next={next_url}"
    return browser.post(url, {"code": code})


def _events(action, user=None):
    events = AuditEvent.objects.filter(action=action)
    if user is not None:
        events = events.filter(actor=user)
    return list(events.order_by("pk"))


def _rewind_throttle(device):
    # As if the back-off delay had passed.
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(hours=2)
    )


# --- MFA off: the quick start -------------------------------------------------------------


def test_without_require_mfa_a_password_alone_signs_in(client, counselor1):
    _sign_in(client, counselor1)

    assert client.get(HOME_URL).status_code == 200
    assert [e.details for e in _events(AuditEvent.Action.LOGIN)] == [{}]


def test_a_user_who_enrolled_must_verify_even_when_mfa_is_not_required(client, counselor1):
    enroll(counselor1)
    _sign_in(client, counselor1)

    response = client.get(HOME_URL)

    assert response.status_code == 302
    assert response.url == f"{VERIFY_URL}?next=%2F"


# --- enrollment -----------------------------------------------------------------------------


def test_first_sign_in_with_mfa_required_leads_to_enrollment(client, counselor1, require_mfa):
    landing = _sign_in(client, counselor1).url

    to_verify = client.get(landing)
    to_enroll = client.get(to_verify.url)

    assert to_verify.url.startswith(VERIFY_URL)
    assert to_enroll.status_code == 302
    assert to_enroll.url.startswith(ENROLL_URL)
    page = client.get(to_enroll.url)
    assert page.status_code == 200
    assert "Set up your authenticator app" in page.content.decode()


def test_enrollment_qr_code_is_inline_svg_with_no_external_address(client, counselor1, require_mfa):
    _sign_in(client, counselor1)

    content = client.get(ENROLL_URL).content.decode()

    figure = content[content.index('data-testid="mfa-qr"') :]
    assert re.match(r'data-testid="mfa-qr">\s*<svg\b', figure)
    assert "<title>QR code for your authenticator app</title>" in figure
    assert not re.search(r'(src|href|action)="(https?:)?//', content)
    assert "otpauth://" not in content  # only in the drawing, never as a link


def test_enrollment_shows_the_secret_for_manual_entry(client, counselor1, require_mfa):
    _sign_in(client, counselor1)

    response = client.get(ENROLL_URL)

    device = TOTPDevice.objects.get(user=counselor1, confirmed=False)
    shown = response.context["secret"].replace(" ", "")
    assert len(shown) == 32
    assert b32decode(shown) == device.bin_key


def test_reloading_enrollment_keeps_the_same_secret(client, counselor1, require_mfa):
    _sign_in(client, counselor1)

    first = client.get(ENROLL_URL).context["secret"]
    second = client.get(ENROLL_URL).context["secret"]

    assert first == second
    assert TOTPDevice.objects.filter(user=counselor1).count() == 1


def test_enrollment_confirmed_with_a_code_shows_ten_recovery_codes_and_signs_in(
    client, counselor1, require_mfa
):
    _sign_in(client, counselor1)
    client.get(ENROLL_URL)
    device = TOTPDevice.objects.get(user=counselor1)

    response = client.post(f"{ENROLL_URL}?next=/", {"code": totp_code(device)})

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    assert set(
        StaticToken.objects.filter(device__user=counselor1).values_list("token", flat=True)
    ) == set(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME_URL).status_code == 200
    assert [e.details for e in _events(AuditEvent.Action.MFA_CHANGE)] == [{"change": "enrolled"}]
    assert [e.details for e in _events(AuditEvent.Action.LOGIN)] == [{"mfa": "totp"}]


def test_enrollment_with_a_wrong_code_stays_on_the_page_unconfirmed(
    client, counselor1, require_mfa
):
    _sign_in(client, counselor1)
    client.get(ENROLL_URL)
    device = TOTPDevice.objects.get(user=counselor1)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(ENROLL_URL, {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert not StaticDevice.objects.filter(user=counselor1).exists()
    assert client.get(HOME_URL).status_code == 302


def test_an_enrolled_but_unverified_session_cannot_enroll_a_new_device(client, counselor1):
    enroll(counselor1)
    _sign_in(client, counselor1)

    response = client.get(ENROLL_URL)

    assert response.status_code == 302
    assert response.url.startswith(VERIFY_URL)
    assert TOTPDevice.objects.filter(user=counselor1).count() == 1


# --- verification -------------------------------------------------------------------------


def test_verifying_with_the_app_code_reaches_the_page_asked_for(client, counselor1):
    device = enroll(counselor1)
    _sign_in(client, counselor1)

    response = _verify(client, totp_code(device), next_url="/clients/")

    assert response.status_code == 302
    assert response.url == "/clients/"
    assert client.get(HOME_URL).status_code == 200


def test_an_administrator_still_lands_on_the_program_dashboard(client, administrator):
    device = enroll(administrator)
    landing = _sign_in(client, administrator).url
    to_verify = client.get(landing).url

    response = client.post(to_verify, {"code": totp_code(device)})

    assert response.url == reverse("dashboard:program")


def test_a_verified_sign_in_writes_one_login_event_naming_the_method(client, counselor1):
    device = enroll(counselor1)
    _sign_in(client, counselor1)

    _verify(client, totp_code(device))

    logins = _events(AuditEvent.Action.LOGIN)
    assert [(e.actor, e.details) for e in logins] == [(counselor1, {"mfa": "totp"})]


def test_verification_gives_the_session_a_new_key(client, counselor1):
    device = enroll(counselor1)
    _sign_in(client, counselor1)
    before = client.session.session_key

    _verify(client, totp_code(device))

    assert client.session.session_key != before


def test_verify_ignores_a_next_url_to_another_site(client, counselor1):
    device = enroll(counselor1)
    _sign_in(client, counselor1)

    response = _verify(client, totp_code(device), next_url="https://evil.example/")

    assert response.url == HOME_URL


def test_a_wrong_code_is_refused_and_audited_as_a_failed_login(client, counselor1):
    device = enroll(counselor1)
    _sign_in(client, counselor1)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = _verify(client, wrong)

    assert response.status_code == 200
    assert "not valid" in response.content.decode()
    failures = _events(AuditEvent.Action.LOGIN_FAILED)
    assert [(e.actor, e.details) for e in failures] == [
        (counselor1, {"stage": "mfa", "method": "totp"})
    ]
    assert _events(AuditEvent.Action.LOGIN) == []
    assert client.get(HOME_URL).status_code == 302


def test_a_used_code_is_refused_a_second_time(client, counselor1):
    device = enroll(counselor1)
    code = totp_code(device)
    _sign_in(client, counselor1)
    assert _verify(client, code).status_code == 302
    client.post(LOGOUT_URL)
    _rewind_throttle(device)

    _sign_in(client, counselor1)
    response = _verify(client, code)

    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_a_used_code_is_refused_in_another_session(client, counselor1):
    device = enroll(counselor1)
    code = totp_code(device)
    other = Client()
    _sign_in(client, counselor1)
    _sign_in(other, counselor1)

    first = _verify(client, code)
    second = _verify(other, code)

    assert first.status_code == 302
    assert second.status_code == 200
    assert other.get(HOME_URL).status_code == 302


def test_the_next_code_of_the_app_is_accepted_after_one_was_used(client, counselor1):
    device = enroll(counselor1)
    _sign_in(client, counselor1)
    _verify(client, totp_code(device))
    client.post(LOGOUT_URL)

    _sign_in(client, counselor1)
    response = _verify(client, totp_code(device, seconds_from_now=30))

    assert response.status_code == 302


def test_a_recovery_code_signs_in_once(client, counselor1):
    enroll(counselor1)
    _sign_in(client, counselor1)

    first = _verify(client, RECOVERY_CODES[0].upper())
    client.post(LOGOUT_URL)
    _sign_in(client, counselor1)
    second = _verify(client, RECOVERY_CODES[0])

    assert first.status_code == 302
    assert second.status_code == 200
    assert StaticToken.objects.filter(device__user=counselor1).count() == 2
    logins = _events(AuditEvent.Action.LOGIN)
    assert [e.details for e in logins] == [{"mfa": "recovery"}]


def test_repeated_wrong_codes_refuse_even_the_right_one_for_a_while(client, counselor1):
    device = enroll(counselor1)
    right = totp_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    _sign_in(client, counselor1)
    for _ in range(5):
        _rewind_throttle(device)
        _verify(client, wrong)
    device.refresh_from_db()
    assert device.throttling_failure_count == 5  # the next try waits 16 seconds

    refused = _verify(client, right)

    assert refused.status_code == 200
    assert "Too many wrong codes" in refused.content.decode()
    assert _events(AuditEvent.Action.LOGIN_FAILED)[-1].details["throttled"] is True
    _rewind_throttle(device)
    assert _verify(client, right).status_code == 302


def test_recovery_codes_are_throttled_too(client, counselor1):
    enroll(counselor1)
    _sign_in(client, counselor1)
    for _ in range(3):
        StaticDevice.objects.filter(user=counselor1).update(
            throttling_failure_timestamp=timezone.now() - datetime.timedelta(hours=2)
        )
        _verify(client, "wrongcod")

    response = _verify(client, RECOVERY_CODES[1])

    assert response.status_code == 200
    assert StaticToken.objects.filter(token=RECOVERY_CODES[1]).exists()


# --- the door: what an unverified session may reach -----------------------------------------

PAGES = [
    ("counselor1", "dashboard:home"),
    ("counselor1", "dashboard:my-day"),
    ("counselor1", "clients:client-list"),
    ("supervisor", "groups:group-list"),
    ("intake", "screening:worklist"),
    ("administrator", "dashboard:program"),
    ("administrator", "audit:event-list"),
    ("administrator", "admin:index"),
    ("administrator", "admin:accounts_user_changelist"),
    ("administrator", "accounts:account"),
]


@pytest.mark.parametrize(("role", "page"), PAGES)
def test_an_unverified_session_is_sent_to_verification_everywhere(
    request, client, role, page, require_mfa
):
    user = request.getfixturevalue(role)
    enroll(user)
    client.force_login(user)
    url = reverse(page)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(VERIFY_URL)


@pytest.mark.parametrize(("role", "page"), PAGES)
def test_a_verified_session_reaches_the_pages_of_its_role(request, client, role, page, require_mfa):
    user = request.getfixturevalue(role)
    if page.startswith("admin:"):
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    device = enroll(user)
    client.force_login(user)
    mark_verified(client, device)

    response = client.get(reverse(page))

    assert response.status_code == 200


def test_an_unverified_post_changes_nothing(client, counselor1, client_of_counselor1):
    enroll(counselor1)
    client.force_login(counselor1)
    url = reverse("accounts:email-change")

    response = client.post(url, {"email": "new@clinic.test"})

    assert response.status_code == 302
    assert response.url == VERIFY_URL
    counselor1.refresh_from_db()
    assert counselor1.email == "counselor1@clinic.test"


def test_an_htmx_request_of_an_unverified_session_gets_401_and_a_redirect_header(
    client, counselor1, require_mfa
):
    client.force_login(counselor1)

    response = client.get(HOME_URL, headers={"HX-Request": "true"})

    assert response.status_code == 401
    assert response["HX-Redirect"] == VERIFY_URL


def test_an_unverified_session_may_sign_out_and_reach_static_files_and_health(
    client, counselor1, require_mfa
):
    client.force_login(counselor1)

    assert client.get("/health").status_code == 200
    assert client.get("/static/css/app.css").status_code in (200, 404)
    assert client.get("/static/css/app.css").status_code != 302
    assert client.post(LOGOUT_URL).status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_unverified_session_can_ask_its_time_left_so_the_idle_warning_works(
    client, counselor1, require_mfa
):
    client.force_login(counselor1)

    status = client.get(reverse("accounts:session-status"), headers={"X-Background-Request": "1"})
    keepalive = client.post(reverse("accounts:session-keepalive"))

    assert status.status_code == 200
    assert status.json()["seconds_left"] > 0
    assert keepalive.status_code in (200, 204)
    # Everything else still waits for the code.
    assert client.get(HOME_URL).url == f"{VERIFY_URL}?next=%2F"


def test_the_verification_page_is_not_for_anonymous_visitors(client, db):
    response = client.get(VERIFY_URL)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_the_verification_page_sends_a_verified_session_on(client, counselor1):
    device = enroll(counselor1)
    client.force_login(counselor1)
    mark_verified(client, device)

    response = client.get(f"{VERIFY_URL}?next=/clients/")

    assert response.status_code == 302
    assert response.url == "/clients/"


# --- administrators reset a lost device ------------------------------------------------------


def test_an_administrator_resets_a_staff_members_mfa_from_the_staff_admin(
    client, administrator, counselor1, require_mfa
):
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    admin_device = enroll(administrator)
    enroll(counselor1)
    client.force_login(administrator)
    mark_verified(client, admin_device)

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "mfa_reset_action", "_selected_action": [counselor1.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=counselor1).exists()
    assert not StaticDevice.objects.filter(user=counselor1).exists()
    assert TOTPDevice.objects.filter(user=administrator).exists()
    [event] = _events(AuditEvent.Action.MFA_CHANGE)
    assert event.actor == administrator
    assert event.object_id == str(counselor1.public_id)
    assert event.details == {"change": "reset_by_administrator"}


def test_a_reset_ends_the_staff_members_sessions(counselor1, require_mfa):
    device = enroll(counselor1)
    desk = Client()
    _sign_in(desk, counselor1)
    _verify(desk, totp_code(device))
    assert desk.get(HOME_URL).status_code == 200

    mfa_reset(actor=None, users=[counselor1])

    response = desk.get(HOME_URL)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_after_a_reset_the_staff_member_signs_in_and_enrolls_again(client, counselor1, require_mfa):
    enroll(counselor1)
    mfa_reset(actor=None, users=[counselor1])
    _sign_in(client, counselor1)

    response = client.get(HOME_URL, follow=True)

    assert response.redirect_chain[-1][0].startswith(ENROLL_URL)


def test_signing_out_before_the_code_leaves_the_verified_sessions_signed_in(counselor1):
    device = enroll(counselor1)
    desk, intruder = Client(), Client()
    _sign_in(desk, counselor1)
    _verify(desk, totp_code(device))

    _sign_in(intruder, counselor1)  # knows the password, not the code
    intruder.post(LOGOUT_URL)

    assert desk.get(HOME_URL).status_code == 200


def test_the_staff_admin_does_not_offer_device_editing(client, administrator):
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client.force_login(administrator)

    content = client.get(reverse("admin:index")).content.decode()

    assert "TOTP device" not in content
    assert "otp_static" not in content


def test_roles_still_apply_after_verification(client, intake, require_mfa):
    device = enroll(intake)
    client.force_login(intake)
    mark_verified(client, device)

    assert client.get(reverse("dashboard:program")).status_code == 403


# --- other sessions of the same person --------------------------------------------------------


def test_other_sessions_verify_again_after_the_authenticator_is_replaced(client, counselor1):
    old = enroll(counselor1)
    other = Client()
    other.force_login(counselor1)
    mark_verified(other, old)
    assert other.get(HOME_URL).status_code == 200

    old.delete()
    new = TOTPDevice.objects.create(user=counselor1, name="Authenticator app", confirmed=True)

    response = other.get(HOME_URL)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY_URL)
    assert _verify(other, totp_code(new)).status_code == 302
    assert other.get(HOME_URL).status_code == 200


def test_a_session_carries_on_once_mfa_was_turned_off_elsewhere(client, counselor1):
    device = enroll(counselor1)
    client.force_login(counselor1)
    mark_verified(client, device)

    TOTPDevice.objects.filter(user=counselor1).delete()
    StaticDevice.objects.filter(user=counselor1).delete()

    response = client.get(HOME_URL, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == HOME_URL
    assert client.get(HOME_URL).status_code == 200


def test_pages_a_pending_session_may_reach_are_recognised_under_a_script_prefix(client, counselor1):
    """Served under a path prefix (SCRIPT_NAME), the MFA pages and sign-out are
    still let through: otherwise the verification page redirects to itself."""
    from django.urls import set_script_prefix

    enroll(counselor1)
    _sign_in(client, counselor1)
    # What the WSGI handler does for a request under the prefix (the test
    # client's handler does not).
    set_script_prefix("/iop/")
    try:
        verify = client.get("/accounts/mfa/verify/", SCRIPT_NAME="/iop")
        logout = client.post("/accounts/logout/", SCRIPT_NAME="/iop")
        home = client.get("/", SCRIPT_NAME="/iop")
    finally:
        set_script_prefix("/")

    assert verify.status_code == 200
    assert logout.status_code == 302
    assert "/mfa/" not in logout.url
    assert home.status_code == 302


def test_enrollment_in_another_session_shows_another_secret(counselor1, require_mfa):
    """A secret shown to one session is never the one another session
    confirms: whoever saw the first page cannot read the codes of the
    authenticator the person then sets up."""
    earlier, person = Client(), Client()
    _sign_in(earlier, counselor1)
    seen = earlier.get(ENROLL_URL).context["secret"]
    _sign_in(person, counselor1)

    shown = person.get(ENROLL_URL).context["secret"]
    device = TOTPDevice.objects.get(user=counselor1, confirmed=False)
    person.post(ENROLL_URL, {"code": totp_code(device)})

    assert shown != seen
    device.refresh_from_db()
    assert device.confirmed
    assert TOTPDevice.objects.filter(user=counselor1).count() == 1
    assert earlier.post(ENROLL_URL, {"code": "123456"}).status_code == 302
