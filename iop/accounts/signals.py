"""Authentication events go to the audit trail. These receivers are the
framework's only hook for logins, so they call the audit service directly."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from iop.accounts.mfa.services import password_login_completed
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    # With a second factor to come, the login is audited once it is verified.
    if request is not None and password_login_completed(request, user):
        return
    audit_record(actor=user, action=AuditEvent.Action.LOGIN, request=request)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditEvent.Action.LOGOUT, request=request)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username is kept: never the password that was tried.
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        details={"username": username},
    )
