"""Re-authentication before changing one's email or second factor and before
bulk exports: the password again (and a code, with MFA) when the last
confirmation is older than REAUTH_MAX_AGE_SECONDS."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from iop.audit.models import AuditEvent
from tests.accounts.mfa_helpers import (
    PASSWORD,
    RECOVERY_CODES,
    enroll,
    make_reauth_stale,
    mark_reauthenticated,
    mark_verified,
    totp_code,
)

REAUTH_URL = reverse("accounts:reauth")
ACCOUNT_URL = reverse("accounts:account")
EMAIL_URL = reverse("accounts:email-change")
CODES_URL = reverse("accounts:mfa-recovery-codes")
REMOVE_URL = reverse("accounts:mfa-remove")
ENROLL_URL = reverse("accounts:mfa-enroll")
PROGRAM_URL = reverse("dashboard:program")


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def _wrong(device):
    return f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"


@pytest.fixture
def stale(login, counselor1):
    """counselor1 signed in long ago, without MFA."""
    browser = login(counselor1)
    make_reauth_stale(browser)
    return browser


@pytest.fixture
def stale_with_mfa(login, counselor1):
    """counselor1 signed in long ago with a verified second factor."""
    device = enroll(counselor1)
    browser = login(counselor1)
    mark_verified(browser, device)
    make_reauth_stale(browser)
    browser.device = device
    return browser


# --- the decorator -------------------------------------------------------------------------


def test_a_fresh_sign_in_counts_as_a_recent_confirmation(login, counselor1):
    assert login(counselor1).get(EMAIL_URL).status_code == 200


def test_a_stale_session_is_asked_to_confirm_before_changing_email(stale):
    response = stale.get(EMAIL_URL)

    assert response.status_code == 302
    assert response.url == f"{REAUTH_URL}?next=%2Faccounts%2Fme%2Femail%2F"


def test_a_stale_post_changes_nothing(stale, counselor1):
    response = stale.post(EMAIL_URL, {"email": "new@clinic.test"})

    assert response.status_code == 302
    assert response.url.startswith(REAUTH_URL)
    counselor1.refresh_from_db()
    assert counselor1.email == "counselor1@clinic.test"
    assert _events(AuditEvent.Action.UPDATE) == []


@override_settings(REAUTH_MAX_AGE_SECONDS=300)
def test_a_confirmation_counts_for_five_minutes(login, counselor1):
    browser = login(counselor1)

    mark_reauthenticated(browser, seconds_ago=290)
    inside = browser.get(EMAIL_URL)
    mark_reauthenticated(browser, seconds_ago=310)
    outside = browser.get(EMAIL_URL)

    assert inside.status_code == 200
    assert outside.status_code == 302


def test_the_account_page_itself_needs_no_confirmation(stale):
    response = stale.get(ACCOUNT_URL)

    assert response.status_code == 200
    assert "Multi-factor authentication" in response.content.decode()


# --- the re-authentication page ---------------------------------------------------------------


def test_the_password_confirms_and_returns_to_the_page(stale):
    response = stale.post(f"{REAUTH_URL}?next={EMAIL_URL}", {"password": PASSWORD})

    assert response.status_code == 302
    assert response.url == EMAIL_URL
    assert stale.get(EMAIL_URL).status_code == 200


def test_a_wrong_password_is_refused_and_audited(stale, counselor1):
    response = stale.post(f"{REAUTH_URL}?next={EMAIL_URL}", {"password": "not-it-at-all"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert stale.get(EMAIL_URL).status_code == 302
    [failure] = _events(AuditEvent.Action.LOGIN_FAILED)
    assert failure.details == {"username": "counselor1"}


def test_the_page_asks_for_no_code_without_mfa(stale):
    form = stale.get(REAUTH_URL).context["form"]

    assert list(form.fields) == ["password"]


def test_with_mfa_the_page_asks_for_a_code_too(stale_with_mfa):
    response = stale_with_mfa.get(REAUTH_URL)

    assert list(response.context["form"].fields) == ["password", "code"]


def test_with_mfa_the_password_alone_is_not_enough(stale_with_mfa):
    response = stale_with_mfa.post(REAUTH_URL, {"password": PASSWORD})

    assert response.status_code == 200
    assert stale_with_mfa.get(EMAIL_URL).status_code == 302


def test_with_mfa_a_wrong_code_is_refused_and_audited(stale_with_mfa, counselor1):
    device = stale_with_mfa.device

    response = stale_with_mfa.post(REAUTH_URL, {"password": PASSWORD, "code": _wrong(device)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    [failure] = _events(AuditEvent.Action.LOGIN_FAILED)
    assert failure.actor == counselor1
    assert failure.details == {"stage": "mfa", "method": "totp", "for": "reauth"}


def test_with_mfa_a_wrong_password_does_not_spend_the_code(stale_with_mfa):
    device = stale_with_mfa.device
    code = totp_code(device)

    stale_with_mfa.post(REAUTH_URL, {"password": "not-it-at-all", "code": code})
    response = stale_with_mfa.post(
        f"{REAUTH_URL}?next={EMAIL_URL}", {"password": PASSWORD, "code": code}
    )

    assert response.status_code == 302
    assert response.url == EMAIL_URL


def test_with_mfa_password_and_code_confirm(stale_with_mfa):
    code = totp_code(stale_with_mfa.device)

    response = stale_with_mfa.post(
        f"{REAUTH_URL}?next={EMAIL_URL}", {"password": PASSWORD, "code": code}
    )

    assert response.url == EMAIL_URL
    assert stale_with_mfa.get(EMAIL_URL).status_code == 200


def test_reauth_ignores_a_next_url_to_another_site(stale):
    response = stale.post(f"{REAUTH_URL}?next=https://evil.example/", {"password": PASSWORD})

    assert response.url == ACCOUNT_URL


def test_reauth_is_not_for_anonymous_visitors(client, db):
    response = client.get(REAUTH_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- the changes behind it -------------------------------------------------------------------


def test_changing_email_saves_it_and_audits_an_update_of_the_user(login, counselor1):
    browser = login(counselor1)

    response = browser.post(EMAIL_URL, {"email": "dana@clinic.test"})

    assert response.status_code == 302
    counselor1.refresh_from_db()
    assert counselor1.email == "dana@clinic.test"
    [event] = _events(AuditEvent.Action.UPDATE)
    assert (event.actor, event.object_type, event.object_id) == (
        counselor1,
        "accounts.user",
        str(counselor1.public_id),
    )
    assert event.details == {"fields": ["email"]}


def test_an_invalid_email_is_refused(login, counselor1):
    response = login(counselor1).post(EMAIL_URL, {"email": "not an address"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    counselor1.refresh_from_db()
    assert counselor1.email == "counselor1@clinic.test"


def test_voluntary_enrollment_asks_for_confirmation_first(stale):
    response = stale.get(ENROLL_URL)

    assert response.status_code == 302
    assert response.url.startswith(REAUTH_URL)
    assert not TOTPDevice.objects.exists()


def test_replacing_the_authenticator_asks_for_confirmation_first(stale_with_mfa):
    response = stale_with_mfa.get(ENROLL_URL)

    assert response.url.startswith(REAUTH_URL)


def test_replacing_the_authenticator_retires_the_old_one(login, counselor1):
    old = enroll(counselor1)
    browser = login(counselor1)
    mark_verified(browser, old)
    browser.get(ENROLL_URL)
    new = TOTPDevice.objects.get(user=counselor1, confirmed=False)

    response = browser.post(ENROLL_URL, {"code": totp_code(new)})

    assert response.status_code == 200
    assert list(TOTPDevice.objects.filter(user=counselor1)) == [new]
    assert browser.get(reverse("dashboard:home")).status_code == 200  # still verified
    [event] = _events(AuditEvent.Action.MFA_CHANGE)
    assert event.details == {"change": "authenticator_replaced"}
    assert _events(AuditEvent.Action.LOGIN) == []


def test_new_recovery_codes_replace_the_old_ones(login, counselor1):
    device = enroll(counselor1)
    browser = login(counselor1)
    mark_verified(browser, device)

    response = browser.post(CODES_URL)

    codes = response.context["codes"]
    assert len(codes) == 10
    tokens = set(
        StaticToken.objects.filter(device__user=counselor1).values_list("token", flat=True)
    )
    assert tokens == set(codes)
    assert not tokens & set(RECOVERY_CODES)
    [event] = _events(AuditEvent.Action.MFA_CHANGE)
    assert event.details == {"change": "recovery_codes_regenerated"}


def test_new_recovery_codes_ask_for_confirmation_first(stale_with_mfa):
    response = stale_with_mfa.post(CODES_URL)

    assert response.url.startswith(REAUTH_URL)
    assert StaticToken.objects.count() == len(RECOVERY_CODES)


def test_turning_mfa_off_removes_the_devices_and_is_audited(login, counselor1):
    device = enroll(counselor1)
    browser = login(counselor1)
    mark_verified(browser, device)

    response = browser.post(REMOVE_URL)

    assert response.url == ACCOUNT_URL
    assert not TOTPDevice.objects.filter(user=counselor1).exists()
    assert not StaticDevice.objects.filter(user=counselor1).exists()
    assert browser.get(reverse("dashboard:home")).status_code == 200
    [event] = _events(AuditEvent.Action.MFA_CHANGE)
    assert event.details == {"change": "removed"}


def test_mfa_cannot_be_turned_off_while_it_is_required(login, counselor1, settings):
    settings.REQUIRE_MFA = True
    device = enroll(counselor1)
    browser = login(counselor1)
    mark_verified(browser, device)

    response = browser.post(REMOVE_URL)

    assert response.url == ACCOUNT_URL
    assert TOTPDevice.objects.filter(user=counselor1).exists()
    assert _events(AuditEvent.Action.MFA_CHANGE) == []
    assert "Turn off" not in browser.get(ACCOUNT_URL).content.decode()


def test_turning_mfa_off_asks_for_confirmation_first(stale_with_mfa):
    response = stale_with_mfa.post(REMOVE_URL)

    assert response.url.startswith(REAUTH_URL)
    assert TOTPDevice.objects.exists()


def test_the_account_page_shows_status_and_devices(login, counselor1):
    device = enroll(counselor1)
    browser = login(counselor1)
    mark_verified(browser, device)

    content = browser.get(ACCOUNT_URL).content.decode()

    assert "counselor1@clinic.test" in content
    assert "Authenticator app" in content
    assert "3 unused codes" in content


def test_every_page_links_to_my_account(login, counselor1):
    content = login(counselor1).get(reverse("dashboard:home")).content.decode()

    assert f'href="{ACCOUNT_URL}"' in content


# --- bulk exports ----------------------------------------------------------------------------

EXPORTS = [
    f"{PROGRAM_URL}?export=caseload",
    f"{PROGRAM_URL}?export=teds",
    reverse("family:ledger-export"),
]


@pytest.mark.parametrize("url", EXPORTS)
def test_an_export_without_recent_confirmation_asks_for_it_and_writes_nothing(
    login, administrator, url
):
    browser = login(administrator)
    make_reauth_stale(browser)

    response = browser.get(url)

    assert response.status_code == 302
    assert response.url.startswith(REAUTH_URL)
    assert _events(AuditEvent.Action.EXPORT) == []


@pytest.mark.parametrize("url", EXPORTS)
def test_an_export_after_confirmation_downloads(login, administrator, url):
    browser = login(administrator)
    make_reauth_stale(browser)
    browser.post(f"{REAUTH_URL}?next={url}", {"password": PASSWORD})

    response = browser.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert _events(AuditEvent.Action.EXPORT)


def test_a_clients_accounting_export_asks_for_confirmation(
    login, administrator, client_of_counselor1
):
    url = reverse("family:accounting-export", args=[client_of_counselor1.public_id])
    browser = login(administrator)
    make_reauth_stale(browser)

    response = browser.get(url)

    assert response.status_code == 302
    assert response.url.startswith(REAUTH_URL)
    assert _events(AuditEvent.Action.EXPORT) == []
    assert _events(AuditEvent.Action.VIEW) == []


def test_the_program_dashboard_page_itself_needs_no_confirmation(login, administrator):
    browser = login(administrator)
    make_reauth_stale(browser)

    assert browser.get(PROGRAM_URL).status_code == 200
    assert browser.get(PROGRAM_URL, {"export": "everything"}).status_code == 200


def test_a_role_without_the_export_gets_403_not_a_password_prompt(login, counselor1):
    browser = login(counselor1)
    make_reauth_stale(browser)

    assert browser.get(f"{PROGRAM_URL}?export=teds").status_code == 403
