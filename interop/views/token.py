"""The token endpoint (SMART Backend Services): a client assertion in, a
five-minute bearer token out, or an OAuth error (RFC 6749 section 5.2)."""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from interop.models import ApiRequest
from interop.tokens import TokenRefused, token_issue
from iop.accounts.client_ip import client_ip
from iop.ratelimit import within_windows


def _oauth_error(error: str, description: str, status: int) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)


@csrf_exempt  # a client assertion, not a browser session
@require_POST
@never_cache
def token(request):
    address = client_ip(request)
    record = ApiRequest(
        method="POST",
        path=request.path[:500],
        parameters=sorted(request.POST)[:20],
        ip_address=address,
    )
    limit = [(f"fhir:token:{address}", settings.FHIR_TOKEN_RATE_PER_MINUTE)]
    if not within_windows(limit, window=60, what="FHIR token"):
        response = _oauth_error("slow_down", "Too many token requests; wait a minute.", 429)
        record.status, record.outcome = 429, "throttled"
        record.save()
        return response
    try:
        issued = token_issue(
            grant_type=request.POST.get("grant_type", ""),
            assertion_type=request.POST.get("client_assertion_type", ""),
            assertion=request.POST.get("client_assertion", ""),
            scope=request.POST.get("scope", ""),
        )
    except TokenRefused as refused:
        record.client = refused.client
        record.status, record.outcome = (
            refused.status,
            f"{refused.error}: {refused.description}"[:300],
        )
        record.save()
        return _oauth_error(refused.error, refused.description, refused.status)
    record.client = issued.client
    record.status = 200
    record.scope = " ".join(issued.scopes)[:500]
    record.save()
    return JsonResponse(
        {
            "access_token": issued.token,
            "token_type": "bearer",
            "expires_in": issued.expires_in,
            "scope": " ".join(issued.scopes),
        }
    )
