"""Helpers for tests of multi-factor authentication and re-authentication."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from iop.accounts.mfa.services import MFA_PENDING_SESSION_KEY, REAUTH_SESSION_KEY

PASSWORD = "correct-horse-battery-staple"  # the factories' password
RECOVERY_CODES = [f"recov{n:03d}" for n in range(3)]


def totp_code(device: TOTPDevice, *, seconds_from_now: float = 0) -> str:
    """The code an authenticator app would show, computed from the device key."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + seconds_from_now
    return f"{totp.token():0{device.digits}d}"


def enroll(user) -> TOTPDevice:
    """A confirmed authenticator and three known recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=static, token=t) for t in RECOVERY_CODES)
    return device


def _edit_session(browser, **values):
    session = browser.session
    for key, value in values.items():
        if value is None:
            session.pop(key, None)
        else:
            session[key] = value
    session.save()


def mark_verified(browser, device) -> None:
    """As if the session had entered a code from `device` at sign-in."""
    _edit_session(
        browser, **{DEVICE_ID_SESSION_KEY: device.persistent_id, MFA_PENDING_SESSION_KEY: True}
    )


def mark_reauthenticated(browser, *, seconds_ago: int = 0) -> None:
    """The session's password (and code) confirmed `seconds_ago`."""
    _edit_session(browser, **{REAUTH_SESSION_KEY: int(time.time()) - seconds_ago})


def make_reauth_stale(browser) -> None:
    """The last confirmation is older than any re-authentication window."""
    mark_reauthenticated(browser, seconds_ago=24 * 3600)
