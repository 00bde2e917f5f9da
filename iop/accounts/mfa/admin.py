"""The staff admin's part in MFA: resetting a lost authenticator. Devices are
not edited in the admin (an administrator who could add one for someone else
would hold their second factor), so django-otp's own device admins are
removed."""

import contextlib

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from iop.accounts.mfa.services import mfa_reset

for _model in (TOTPDevice, StaticDevice):
    with contextlib.suppress(NotRegistered):
        admin.site.unregister(_model)


@admin.action(
    description=_("Reset multi-factor authentication (lost phone)"), permissions=["change"]
)
def mfa_reset_action(modeladmin, request, queryset):
    count = mfa_reset(actor=request.user, users=list(queryset), request=request)
    modeladmin.message_user(
        request,
        ngettext(
            "Multi-factor authentication was reset for %(count)d account: "
            "it enrolls again at its next sign-in.",
            "Multi-factor authentication was reset for %(count)d accounts: "
            "they enroll again at their next sign-in.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )
