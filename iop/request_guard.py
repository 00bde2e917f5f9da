"""Requests holding a NUL character anywhere are refused with the 400 page
before anything else runs: the first middleware.

PostgreSQL cannot store or compare text holding NUL (0x00): a query with one
fails with an error, not a miss. Forms refuse it field by field already, but
much is read before any form: a view reading a parameter itself (a search
box, an address to unlock), the audit trail and the sign-in throttle storing
the User-Agent, the session middleware reading the cookie. A NUL in a header
answered 500 and, on the sign-in page, left no failed-login row and no
lockout count behind, a way around the throttle. No browser sends a NUL, so
the plain 400 page is the whole answer, except under a path prefix named in
settings.REQUEST_GUARD_REFUSALS: there the named view answers (the FHIR API
answers an OperationOutcome, audited, as it answers every bad request).

Checked: every HTTP_* header (the cookie header among them), the content
type and length, the path, the raw query string, the parsed cookies (an
octal escape inside a quoted cookie value decodes to NUL), the query
parameters and, on a POST, the form parameters."""

from django.conf import settings
from django.utils.module_loading import import_string
from django.views.defaults import bad_request

NUL = "\x00"
# Request headers that the WSGI server passes without the HTTP_ prefix.
UNPREFIXED_HEADERS = ("CONTENT_TYPE", "CONTENT_LENGTH")


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            _meta_holds_nul(request.META)
            or NUL in request.path_info
            or NUL in request.path
            or _holds_nul_text(request.COOKIES)
            or _holds_nul(request.GET)
            or (request.method == "POST" and _holds_nul(request.POST))
        ):
            return _refusal(request)
        return self.get_response(request)


def _refusal(request):
    for prefix, view in getattr(settings, "REQUEST_GUARD_REFUSALS", {}).items():
        if request.path_info.startswith(prefix):
            return import_string(view)(request)
    return bad_request(request, exception=None)


def _meta_holds_nul(meta) -> bool:
    return any(
        NUL in key or (isinstance(value, str) and NUL in value)
        for key, value in meta.items()
        if key.startswith("HTTP_") or key in UNPREFIXED_HEADERS or key == "QUERY_STRING"
    )


def _holds_nul_text(mapping) -> bool:
    return any(NUL in key or NUL in value for key, value in mapping.items())


def _holds_nul(params) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in params.lists()
    )
