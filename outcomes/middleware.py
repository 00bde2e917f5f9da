"""Kiosk mode's confinement (HIPAA 164.312(a)(2)(iii), automatic logoff).

A device's session that holds a kiosk id (outcomes.services.kiosk) reaches
the questionnaire, the lock screen (the staff sign-in page) and static
files, nothing else: every other path redirects to the lock screen. The
kiosk ends after KIOSK_TIMEOUT_SECONDS without a request, whatever the page
shows (the page also reloads itself to the lock screen then). Showing the lock
screen ends it too (nothing brings the questionnaire back). A staff
member who signs in on the lock screen ends it: the sign-in keeps the
session's data, so the kiosk id is still there to be ended and dropped.

Placed after authentication and messages (settings.MIDDLEWARE).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from outcomes.models import KioskSession
from outcomes.services.kiosk import EndReason, kiosk_end

KIOSK_KEY = "outcomes.kiosk"
LAST_ACTIVITY_KEY = "outcomes.kiosk.last_activity"


def _now() -> float:
    return time.time()


def kiosk_begin(request, kiosk: KioskSession) -> None:
    """The device's session becomes the kiosk's: the staff member's session
    ends (a new key, nothing of theirs kept) and only the kiosk id stays.
    The staff member's other devices stay signed in."""
    request.session.flush()
    request.user = AnonymousUser()
    request.session[KIOSK_KEY] = str(kiosk.public_id)
    request.session[LAST_ACTIVITY_KEY] = _now()


def kiosk_of(request) -> KioskSession | None:
    """The running kiosk of this device's session, if any."""
    public_id = request.session.get(KIOSK_KEY)
    if public_id is None:
        return None
    return (
        KioskSession.objects.select_related("client", "started_by")
        .filter(public_id=public_id, ended_at__isnull=True)
        .first()
    )


def _allowed(path: str) -> bool:
    return (
        path in (reverse("outcomes:kiosk"), reverse("accounts:login"))
        or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        or path == reverse("health")
    )


def _lock_screen(request) -> HttpResponse:
    url = reverse("accounts:login")
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=401)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class KioskMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if KIOSK_KEY not in session:
            return self.get_response(request)
        if request.user.is_authenticated:
            # Signed in some other way than on the lock screen: the kiosk is over.
            self._release(request, EndReason.SIGNED_IN)
            return self.get_response(request)
        last = session.get(LAST_ACTIVITY_KEY, 0)
        if _now() - last >= settings.KIOSK_TIMEOUT_SECONDS:
            self._timeout(request)
        else:
            session[LAST_ACTIVITY_KEY] = _now()
        if not _allowed(request.path):
            return _lock_screen(request)
        if request.method == "GET" and request.path == reverse("accounts:login"):
            # The lock screen is shown: the questionnaire is over, whatever
            # brought the device here (only staff get it back).
            kiosk = kiosk_of(request)
            if kiosk is not None:
                kiosk_end(kiosk=kiosk, reason=EndReason.LOCKED, request=request)
            messages.info(request, _("This device is locked. Staff: sign in to unlock it."))
        response = self.get_response(request)
        if request.user.is_authenticated and KIOSK_KEY in request.session:
            # Staff signed in on the lock screen: the kiosk ends with it.
            self._release(request, EndReason.SIGNED_IN)
        return response

    @staticmethod
    def _timeout(request):
        kiosk = kiosk_of(request)
        if kiosk is not None:
            kiosk_end(kiosk=kiosk, reason=EndReason.TIMEOUT, request=request)
        # The session stays a locked kiosk until staff sign in.
        request.session[LAST_ACTIVITY_KEY] = 0

    @staticmethod
    def _release(request, reason):
        kiosk = kiosk_of(request)
        if kiosk is not None:
            kiosk_end(kiosk=kiosk, reason=reason, actor=request.user, request=request)
        request.session.pop(KIOSK_KEY, None)
        request.session.pop(LAST_ACTIVITY_KEY, None)
