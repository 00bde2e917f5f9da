"""The second factor at sign-in (verify, enroll), the "My account" page and
its changes, and re-authentication. All but verify and enroll ask for a recent
password (and code) confirmation first."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from iop.accounts.mfa import services
from iop.accounts.mfa.decorators import reauth_required
from iop.accounts.mfa.forms import EmailForm, EnrollForm, ReauthForm, VerifyForm


def _wrong_code(check) -> str:
    if check.throttled:
        return _("Too many wrong codes. Wait a little and try again.")
    return _("That code is not valid, or was already used.")


def _next_url(request, default: str | None = None) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


# --- at sign-in ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    next_url = _next_url(request)
    user = request.user
    if user.is_verified():
        return redirect(next_url)
    if not services.mfa_enrolled(user):
        if settings.REQUIRE_MFA:
            return redirect(_with_next("accounts:mfa-enroll", next_url))
        # The device was removed since this session signed in: nothing to verify.
        request.session.pop(services.MFA_PENDING_SESSION_KEY, None)
        return redirect(next_url)
    form = VerifyForm(request.POST or None)
    if form.is_valid():
        check = services.mfa_code_check(user=user, code=form.cleaned_data["code"], request=request)
        if check.ok:
            services.mfa_session_verified(request, check.device, kind=check.kind)
            if check.kind == "recovery":
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(count)s are left.")
                    % {"count": services.recovery_codes_left(user)},
                )
            return redirect(next_url)
        form.add_error("code", _wrong_code(check))
    return render(request, "accounts/mfa/verify.html", {"form": form})


def _qr_svg(device) -> str:
    # Drawn here as SVG markup: the secret never leaves the server for a QR service.
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, light="#fff", title=_("QR code for your authenticator app"), svgclass="mfa-qr"
    )
    svg = svg.replace("<svg ", '<svg role="img" ', 1)
    return mark_safe(svg)  # noqa: S308 - segno's own markup, from our own URI


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@reauth_required(only_if=lambda request: not services.mfa_pending(request))
@require_http_methods(["GET", "POST"])
def enroll(request):
    """Set up (or replace) the authenticator. Forced at sign-in when MFA is
    required; from My account it first asks for the password again."""
    user = request.user
    next_url = _next_url(request, default=reverse("accounts:account"))
    if not user.is_verified() and services.mfa_enrolled(user):
        # A new device must not stand in for verifying the enrolled one.
        return redirect(_with_next("accounts:mfa-verify", next_url))
    device = services.totp_enrollment_start(user=user, session=request.session)
    form = EnrollForm(request.POST or None)
    if form.is_valid():
        codes = services.totp_enrollment_confirm(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes:
            return render(
                request,
                "accounts/mfa/recovery_codes.html",
                {"codes": codes, "next": next_url, "enrolled": True},
            )
        form.add_error("code", _("That code did not match. Check the time on your phone."))
    context = {
        "form": form,
        "qr_svg": _qr_svg(device),
        "secret": _grouped(b32encode(device.bin_key).decode().rstrip("=")),
        "replacing": services.mfa_enrolled(user),
        "forced": services.mfa_pending(request),
    }
    return render(request, "accounts/mfa/enroll.html", context)


# --- My account --------------------------------------------------------------------------


@login_required
@require_GET
def account(request):
    user = request.user
    context = {
        "totp": services.totp_device_for(user),
        "recovery_codes_left": services.recovery_codes_left(user),
        "require_mfa": settings.REQUIRE_MFA,
    }
    return render(request, "accounts/account.html", context)


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def email_change(request):
    form = EmailForm(request.POST or None, initial={"email": request.user.email})
    if form.is_valid():
        services.user_email_change(request=request, email=form.cleaned_data["email"])
        messages.success(request, _("Your email address was changed."))
        return redirect("accounts:account")
    return render(request, "accounts/account_email.html", {"form": form})


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """New recovery codes; the earlier ones stop working."""
    if not services.mfa_enrolled(request.user):
        return redirect("accounts:account")
    if request.method == "POST":
        codes = services.recovery_codes_regenerate(request=request)
        context = {"codes": codes, "next": reverse("accounts:account")}
        return render(request, "accounts/mfa/recovery_codes.html", context)
    return render(request, "accounts/mfa/recovery_codes_confirm.html")


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def remove(request):
    if settings.REQUIRE_MFA:
        messages.error(request, _("Multi-factor authentication is required for every account."))
        return redirect("accounts:account")
    if not services.mfa_enrolled(request.user):
        return redirect("accounts:account")
    if request.method == "POST":
        services.mfa_remove(request=request)
        messages.success(request, _("Multi-factor authentication is off for your account."))
        return redirect("accounts:account")
    return render(request, "accounts/mfa/remove.html")


# --- re-authentication ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reauth(request):
    next_url = _next_url(request, default=reverse("accounts:account"))
    user = request.user
    with_code = services.mfa_enrolled(user)
    form = ReauthForm(request.POST or None, request=request, with_code=with_code)
    if form.is_valid():
        confirmed = True
        # The code is checked only after the password, so a mistyped
        # password does not spend it.
        if with_code:
            check = services.mfa_code_check(
                user=user, code=form.cleaned_data["code"], request=request, stage="reauth"
            )
            confirmed = check.ok
            if not check.ok:
                form.add_error("code", _wrong_code(check))
        if confirmed:
            services.reauth_mark(request)
            return redirect(next_url)
    context = {"form": form, "cancel_url": reverse("accounts:account")}
    return render(request, "accounts/mfa/reauth.html", context)
