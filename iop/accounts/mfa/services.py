"""Enrolling, verifying and removing a staff member's second factor, and the
session marks that record them. Each change writes its audit row."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from iop.accounts.services import user_session_register, user_sessions_end
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record

# The session holds when the password (and code) were last confirmed, and
# whether this sign-in is subject to a second factor (owed until verified).
REAUTH_SESSION_KEY = "iop_reauth_at"
MFA_PENDING_SESSION_KEY = "iop_mfa_pending"
# The unconfirmed authenticator whose secret this session's enrollment page shows.
ENROLL_DEVICE_SESSION_KEY = "iop_mfa_enroll_device"

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


# --- reading the state ------------------------------------------------------------------


def totp_device_for(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def mfa_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_applies(user) -> bool:
    """Whether signing in as this user takes a second factor."""
    return settings.REQUIRE_MFA or mfa_enrolled(user)


def password_login_completed(request: HttpRequest, user) -> bool:
    """Called when the password has been accepted. Marks the session as
    freshly authenticated and, when a code is still owed, as pending; returns
    whether it is (the login is then audited once the code is verified)."""
    reauth_mark(request)
    pending = mfa_applies(user)
    if pending:
        request.session[MFA_PENDING_SESSION_KEY] = True
    return pending


def mfa_pending(request: HttpRequest) -> bool:
    """A signed-in session that must still verify (or enroll) a second factor."""
    if not (settings.REQUIRE_MFA or request.session.get(MFA_PENDING_SESSION_KEY)):
        return False
    is_verified = getattr(request.user, "is_verified", None)
    return is_verified is None or not is_verified()


# --- re-authentication --------------------------------------------------------------------


def reauth_mark(request: HttpRequest) -> None:
    request.session[REAUTH_SESSION_KEY] = int(time.time())


def reauth_is_recent(request: HttpRequest, max_age: int | None = None) -> bool:
    if max_age is None:
        max_age = settings.REAUTH_MAX_AGE_SECONDS
    confirmed_at = request.session.get(REAUTH_SESSION_KEY)
    return isinstance(confirmed_at, int) and 0 <= time.time() - confirmed_at <= max_age


# --- verifying a code ----------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    device: TOTPDevice | StaticDevice | None
    kind: str  # "totp" or "recovery"
    throttled: bool = False

    @property
    def ok(self) -> bool:
        return self.device is not None


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def mfa_code_check(*, user, code: str, request: HttpRequest, stage: str = "login") -> CodeCheck:
    """Check a code from the authenticator app (six digits) or a recovery
    code. The device row is locked so two requests cannot both spend the same
    code; a TOTP code of a time step already used is refused (django-otp keeps
    the last step), a recovery code is deleted once used, and wrong codes
    throttle the device. Failures are audited as LOGIN_FAILED at stage "mfa"."""
    code = _normalised(code)
    # The app's codes are six digits; recovery codes are eight letters and digits.
    kind = "totp" if code.isascii() and code.isdigit() and len(code) == 6 else "recovery"
    model = TOTPDevice if kind == "totp" else StaticDevice
    throttled = False
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("-pk")
            .first()
        )
        verified = False
        if device is not None:
            throttled = not device.verify_is_allowed()[0]
            verified = not throttled and device.verify_token(code)
        details = {"stage": "mfa", "method": kind}
        if stage != "login":
            details["for"] = stage
        if throttled:
            details["throttled"] = True
        if not verified:
            audit_record(
                actor=user, action=AuditEvent.Action.LOGIN_FAILED, request=request, details=details
            )
            return CodeCheck(device=None, kind=kind, throttled=throttled)
    return CodeCheck(device=device, kind=kind)


def mfa_session_verified(request: HttpRequest, device, *, kind: str) -> None:
    """The second factor of this sign-in is verified: a new session key for
    the raised privilege, the device in the session, and the LOGIN audited
    (the password step left it to this one when it marked the session)."""
    audit_login = bool(request.session.get(MFA_PENDING_SESSION_KEY))
    request.session.cycle_key()
    user_session_register(user=request.user, session_key=request.session.session_key)
    otp_login(request, device)
    # Kept after verification: if the device is later replaced or removed,
    # this session has to verify again (or learns there is nothing to verify).
    request.session[MFA_PENDING_SESSION_KEY] = True
    reauth_mark(request)
    if audit_login:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.LOGIN,
            request=request,
            details={"mfa": kind},
        )


# --- enrolling and changing --------------------------------------------------------------


def totp_enrollment_start(*, user, session) -> TOTPDevice:
    """The unconfirmed device whose secret the enrollment page shows; the
    same one for this session until it is confirmed, so reloading the page
    keeps the QR code. Another session gets a new secret (and the earlier
    one is dropped): a secret seen elsewhere must not become the one the
    person confirms."""
    device_id = session.get(ENROLL_DEVICE_SESSION_KEY)
    device = None
    if isinstance(device_id, int):
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        session[ENROLL_DEVICE_SESSION_KEY] = device.pk
    return device


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def totp_enrollment_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the new authenticator with a code from it. It replaces any
    earlier one, comes with fresh recovery codes (returned, shown once) and
    verifies the session. Returns [] when the code is wrong."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(
            pk=device.pk, user=user, confirmed=False
        )
        if not device.verify_token(_normalised(code)):
            return []
        replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()[0] > 0
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        was_verified = user.is_verified()
        audit_record(
            actor=user,
            action=AuditEvent.Action.MFA_CHANGE,
            obj=user,
            request=request,
            details={"change": "authenticator_replaced" if replaced else "enrolled"},
        )
        request.session.pop(ENROLL_DEVICE_SESSION_KEY, None)
        if was_verified:
            otp_login(request, device)
            request.session[MFA_PENDING_SESSION_KEY] = True
            reauth_mark(request)
        else:
            mfa_session_verified(request, device, kind="totp")
    return codes


def recovery_codes_regenerate(*, request: HttpRequest) -> list[str]:
    with transaction.atomic():
        codes = _recovery_codes_replace(request.user)
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.MFA_CHANGE,
            obj=request.user,
            request=request,
            details={"change": "recovery_codes_regenerated"},
        )
    return codes


def mfa_remove(*, request: HttpRequest) -> None:
    """A user turns their own MFA off (only while it is not required)."""
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(
            actor=user,
            action=AuditEvent.Action.MFA_CHANGE,
            obj=user,
            request=request,
            details={"change": "removed"},
        )
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session.pop(MFA_PENDING_SESSION_KEY, None)


def mfa_reset(*, actor, users, request: HttpRequest | None = None) -> int:
    """An administrator clears the devices of staff who lost theirs, and ends
    their sessions: a lost phone may be in someone's hands with a page open,
    and a new authenticator must follow a fresh password sign-in. With MFA
    required they enroll again after signing in. Returns how many accounts had
    a device."""
    with transaction.atomic():
        user_ids = [user.pk for user in users]
        had = set(
            TOTPDevice.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
        ) | set(StaticDevice.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
        TOTPDevice.objects.filter(user_id__in=user_ids).delete()
        StaticDevice.objects.filter(user_id__in=user_ids).delete()
        for user in get_user_model().objects.filter(pk__in=had).order_by("pk"):
            user_sessions_end(user=user)
            audit_record(
                actor=actor,
                action=AuditEvent.Action.MFA_CHANGE,
                obj=user,
                request=request,
                details={"change": "reset_by_administrator"},
            )
    return len(had)


def user_email_change(*, request: HttpRequest, email: str) -> None:
    user = request.user
    with transaction.atomic():
        user.email = email
        user.save(update_fields=["email"])
        audit_record(
            actor=user,
            action=AuditEvent.Action.UPDATE,
            obj=user,
            request=request,
            details={"fields": ["email"]},
        )
