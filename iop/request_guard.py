"""Requests whose parameters hold a NUL character are refused with the 400
page before any view sees them.

PostgreSQL cannot store or compare text holding NUL (0x00): a query with one
fails with an error, not a miss. Forms refuse it field by field already; a
view that reads a parameter itself (a search box, an address to unlock)
would answer such a request with a 500. No one types a NUL, so the plain
400 page is the whole answer."""

from django.views.defaults import bad_request


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST)):
            return bad_request(request, exception=None)
        return self.get_response(request)


def _holds_nul(params) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in params.lists()
    )
