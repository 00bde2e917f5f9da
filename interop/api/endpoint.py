"""What every API request goes through, in one decorator: the bearer token,
the client's rate limit, the view in one transaction with the ledger rows
and audit events of what it returned, and one ApiRequest row for every
request, answered or refused (HIPAA 164.312(b): the trail of access)."""

import logging
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from interop import scopes as scope_rules
from interop.api.errors import ApiError, error_response
from interop.api.gate import Gate
from interop.models import AccessToken, ApiClient, ApiRequest
from interop.tokens import token_client
from iop.accounts.client_ip import client_ip
from iop.ratelimit import within_windows

logger = logging.getLogger(__name__)

# What ApiRequest.returned keeps of one answer: a page is at most
# MAX_COUNT resources and its includes; a longer list is cut with a count.
RETURNED_KEPT = 5_000


@dataclass
class Call:
    """The authenticated request, as the view sees it."""

    client: ApiClient
    token: AccessToken
    gate: Gate
    scope: str = ""
    returned: list[str] = field(default_factory=list)
    description: str = ""

    def require(self, resource_type: str, permission: str) -> None:
        """Refuse (403) unless the token holds a scope allowing it."""
        scope = scope_rules.allows(self.token.scopes, resource_type, permission)
        if scope is None:
            raise ApiError(
                403,
                "forbidden",
                f"The token holds no scope allowing {'read' if permission == 'r' else 'search'} "
                f"of {resource_type}.",
            )
        self.scope = self.scope or scope

    def returning(self, resources: list[dict]) -> None:
        self.returned += [f"{r['resourceType']}/{r['id']}" for r in resources]


def _bearer(request) -> str:
    header = request.headers.get("Authorization", "")
    kind, _, value = header.partition(" ")
    if kind.lower() != "bearer" or not value.strip():
        raise ApiError(401, "login", "A bearer access token is required.")
    return value.strip()


def _authenticated(request) -> tuple[ApiClient, AccessToken]:
    found = token_client(_bearer(request))
    if found is None:
        raise ApiError(401, "login", "The access token is not valid or has expired.")
    return found


def _returned(call: Call | None) -> list[str]:
    if call is None:
        return []
    if len(call.returned) > RETURNED_KEPT:
        return call.returned[:RETURNED_KEPT] + [f"... {len(call.returned) - RETURNED_KEPT} more"]
    return call.returned


def api_endpoint(view):
    """Wrap an API view `view(request, call, **kwargs)`."""

    @csrf_exempt  # bearer tokens, never cookies: nothing ambient to forge
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        record = ApiRequest(
            method=request.method[:8],
            path=request.path[:500],
            parameters=sorted({name[:60] for name in request.GET})[:50],
            ip_address=client_ip(request),
        )
        call = None
        try:
            client, token = _authenticated(request)
            record.client = client
            limit = [(f"fhir:client:{client.public_id}", settings.FHIR_RATE_PER_MINUTE)]
            if not within_windows(limit, window=60, what="FHIR API"):
                raise ApiError(429, "throttled", "Too many requests; try again in a minute.")
            call = Call(client=client, token=token, gate=Gate(client))
            with transaction.atomic():
                response = view(request, call, *args, **kwargs)
                call.gate.record(
                    request=request,
                    reference=str(record.public_id),
                    description=call.description
                    or f"FHIR API {request.method} {request.path}"[:300],
                )
                record.status = response.status_code
        except ApiError as error:
            response = error_response(error)
            record.status, record.outcome = error.status, error.diagnostics[:300]
        except ValidationError as error:
            # The ledger refused what the gate admitted (a consent changed
            # under the request): nothing was disclosed; the client retries.
            logger.warning("FHIR API disclosure refused at the ledger: %s", error)
            response = error_response(ApiError(409, "conflict", "Consents changed; retry."))
            record.status, record.outcome = 409, "disclosure refused at the ledger"
        record.scope = call.scope if call else ""
        record.returned = _returned(call) if record.status < 400 else []
        record.save()
        if record.client_id:
            ApiClient.objects.filter(pk=record.client_id).update(last_used_at=timezone.now())
        return response

    return wrapped
