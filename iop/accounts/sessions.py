"""Session limits (DOMAIN.md section 10; HIPAA 164.312(a)(2)(iii) automatic
logoff): a session ends after SESSION_IDLE_SECONDS without activity and
SESSION_ABSOLUTE_SECONDS after sign-in, whatever the activity.

Activity is a request the person made, recorded at most every
SESSION_ACTIVITY_RESOLUTION_SECONDS (one write of the session a minute, not
one per page). Background requests (polling, the
session-timeout script's status check) say so with the header
``X-Background-Request: 1``: they neither count as activity nor renew the
session, so a page left open does not keep a session alive.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

SIGNED_IN_AT = "iop_signed_in_at"
LAST_ACTIVITY_AT = "iop_last_activity_at"
BACKGROUND_HEADER = "HTTP_X_BACKGROUND_REQUEST"


def _now() -> float:
    return time.time()


def session_start(session) -> None:
    """Stamp a new signed-in session (called at login)."""
    now = _now()
    session[SIGNED_IN_AT] = now
    session[LAST_ACTIVITY_AT] = now


def is_background(request: HttpRequest) -> bool:
    # The status check is background by nature, whatever its headers say.
    return request.META.get(BACKGROUND_HEADER) == "1" or request.path == reverse(
        "accounts:session-status"
    )


def seconds_left(session) -> int:
    """Seconds until the session ends, by whichever limit comes first."""
    now = _now()
    idle_left = session.get(LAST_ACTIVITY_AT, now) + settings.SESSION_IDLE_SECONDS - now
    absolute_left = session.get(SIGNED_IN_AT, now) + settings.SESSION_ABSOLUTE_SECONDS - now
    return max(0, int(min(idle_left, absolute_left)))


def _expired_reason(session) -> str | None:
    now = _now()
    if now - session[SIGNED_IN_AT] >= settings.SESSION_ABSOLUTE_SECONDS:
        return "absolute"
    if now - session[LAST_ACTIVITY_AT] >= settings.SESSION_IDLE_SECONDS:
        return "idle"
    return None


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        if SIGNED_IN_AT not in session or LAST_ACTIVITY_AT not in session:
            # A session signed in before these limits existed: its clock starts now.
            session_start(session)
        reason = _expired_reason(session)
        if reason is not None:
            return self._end(request, reason)
        now = _now()
        resolution = settings.SESSION_ACTIVITY_RESOLUTION_SECONDS
        if not is_background(request) and now - session[LAST_ACTIVITY_AT] >= resolution:
            # Marks the session modified: SessionMiddleware saves it and pushes
            # its stored expiry SESSION_COOKIE_AGE ahead. Within the resolution
            # of the last record nothing is written (the idle clock then runs
            # from that record: a little early, never late).
            session[LAST_ACTIVITY_AT] = now
        return self.get_response(request)

    def _end(self, request: HttpRequest, reason: str) -> HttpResponse:
        # The user_logged_out receiver writes the audit row with this reason.
        request.logout_reason = reason
        logout(request)
        if reason == "idle":
            text = _("You were signed out after %(minutes)d minutes without activity.") % {
                "minutes": settings.SESSION_IDLE_SECONDS // 60
            }
        else:
            text = _("You were signed out: a session lasts at most %(hours)d hours.") % {
                "hours": settings.SESSION_ABSOLUTE_SECONDS // 3600
            }
        messages.info(request, text)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.headers.get("HX-Request") or is_background(request):
            # htmx follows HX-Redirect; scripts read the status.
            response = JsonResponse({"seconds_left": 0}, status=401)
            response["HX-Redirect"] = login_url
            return response
        if request.method == "GET":
            login_url = f"{login_url}?{urlencode({'next': request.get_full_path()})}"
        return redirect(login_url)
