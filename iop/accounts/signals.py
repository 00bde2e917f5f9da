"""Authentication events go to the audit trail. These receivers are the
framework's only hook for logins and lockouts, so they call the services
directly."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from iop.accounts.mfa.services import mfa_pending, password_login_completed
from iop.accounts.services import user_session_register, user_sessions_end
from iop.accounts.sessions import session_start
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    # With a second factor to come, the login is audited once it is verified.
    if request is not None and password_login_completed(request, user):
        return
    audit_record(actor=user, action=AuditEvent.Action.LOGIN, request=request)


@receiver(user_logged_in)
def _start_session(sender, request, user, **kwargs):
    # login() has already given the session a new key (no session fixation).
    session_start(request.session)
    if request.session.session_key:
        user_session_register(user=user, session_key=request.session.session_key)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "logout_reason", None)
        audit_record(
            actor=user,
            action=AuditEvent.Action.LOGOUT,
            request=request,
            details={"reason": reason} if reason else None,
        )


@receiver(user_logged_out)
def _end_every_session(sender, request, user, **kwargs):
    # Signing out, on our page or the staff admin's, signs out everywhere: the
    # user's other browsers too. A session-limit logoff (it gives a reason)
    # ends only the session that ran out, and so does signing out of a session
    # still owing its second factor: the password alone must not let anyone
    # sign the real person out of their verified sessions.
    if user is None or getattr(request, "logout_reason", None) is not None:
        return
    if request is not None and mfa_pending(request):
        return
    user_sessions_end(user=user)


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


@receiver(user_locked_out)
def _audit_lockout(sender, request, username, ip_address, **kwargs):
    # axes sends this on the failure that reaches the limit and again on each
    # attempt refused during the lockout; those refusals are already audited as
    # failed logins, so only the first (axes has just counted the failures) is
    # the lockout itself.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    audit_record(
        actor=None,
        action=AuditEvent.Action.LOCKOUT,
        request=request,
        details={
            "username": str(username or "")[:150],
            "ip_address": ip_address,
            "failures": request.axes_failures_since_start,
        },
    )
