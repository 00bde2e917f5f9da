"""The FHIR API's read and search endpoints, its CapabilityStatement and its
SMART configuration. Bearer tokens only; every refusal an OperationOutcome."""

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.defaults import bad_request

from interop import scopes as scope_rules
from interop.api.capability import capability_statement
from interop.api.endpoint import Call, api_endpoint
from interop.api.errors import ApiError, error_response, fhir_response
from interop.api.registry import REGISTRY
from interop.api.search import bundle, read, resource_type_or_400, search
from interop.models import ApiRequest
from interop.tokens import ALGORITHMS, token_url
from iop.accounts.client_ip import client_ip


def _safe_only(request) -> None:
    if request.method not in ("GET", "HEAD"):
        raise ApiError(405, "not-supported", "This API is read-only.")


def refused_unreadable(request):
    """A request holding a NUL character (iop/request_guard.py): 400 and an
    OperationOutcome, recorded with what of it can be stored. The
    administrator's API client pages live under /fhir/ too: staff pages,
    they get the plain 400 page every staff page gets, and no API trail."""
    if request.path_info.startswith(reverse("interop:client-list")):
        return bad_request(request, exception=None)
    ApiRequest.objects.create(
        method=request.method[:8],
        path=request.path.replace("\x00", "")[:500],
        status=400,
        outcome="a NUL character in the request",
        ip_address=client_ip(request),
    )
    return error_response(ApiError(400, "invalid", "The request holds a NUL character."))


@require_safe
def metadata(request):
    """The CapabilityStatement: public, as FHIR servers publish it."""
    return fhir_response(capability_statement(token_url()))


@require_safe
def smart_configuration(request):
    """SMART App Launch 2.0 discovery (/.well-known/smart-configuration),
    what a backend-services client reads to find the token endpoint."""
    scopes = ["system/*.rs"] + [f"system/{name}.rs" for name in sorted(REGISTRY)]
    return JsonResponse(
        {
            "issuer": token_url().rsplit("/", 1)[0],
            "token_endpoint": token_url(),
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ALGORITHMS,
            "grant_types_supported": ["client_credentials"],
            "scopes_supported": [s for s in scopes if scope_rules.parse(s)],
            "capabilities": ["client-confidential-asymmetric", "permission-v2", "permission-v1"],
        }
    )


@api_endpoint
def type_search(request, call: Call, resource_type: str):
    _safe_only(request)
    kind = resource_type_or_400(resource_type)
    call.require(kind.name, "s")
    page = search(kind, request.GET, call.gate)
    call.returning([f.resource for f in page.found])
    return fhir_response(bundle(page, request.GET, f"/{kind.name}"))


@api_endpoint
def instance_read(request, call: Call, resource_type: str, resource_id: str):
    _safe_only(request)
    kind = resource_type_or_400(resource_type)
    call.require(kind.name, "r")
    if request.GET:
        raise ApiError(400, "not-supported", "A read takes no parameters.")
    resource = read(kind, resource_id, call.gate)
    call.returning([resource])
    return fhir_response(resource)
