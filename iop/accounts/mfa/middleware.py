from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from iop.accounts.mfa.services import mfa_pending


class MFARequiredMiddleware:
    """A signed-in user who still owes a second factor reaches nothing but the
    MFA pages (verify or enroll), sign-out, the session timer, static files
    and the health check
    — the Django admin included, as it shares the session. Placed after
    django-otp's OTPMiddleware, which tells whether the session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            # The full path: reverse() below includes any script prefix.
            and not self._exempt(request.path)
            and mfa_pending(request)
        ):
            return self._to_verification(request)
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        mfa_pages = reverse("accounts:mfa-verify").removesuffix("verify/")
        return (
            path.startswith(mfa_pages)
            or path == reverse("accounts:logout")
            or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
            or path == reverse("health")
            # The idle-logoff timer: it says how long the session has left and
            # keeps it alive, so the warning works on the MFA pages too.
            or path in (reverse("accounts:session-status"), reverse("accounts:session-keepalive"))
        )

    @staticmethod
    def _to_verification(request):
        url = reverse("accounts:mfa-verify")
        if request.headers.get("HX-Request"):
            # An htmx swap would put the whole page inside a fragment: tell
            # htmx to load the verification page instead.
            response = HttpResponse(status=401)
            response["HX-Redirect"] = url
            return response
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return redirect(url)
