"""Every refusal of the API is a FHIR OperationOutcome (R4 3.1.0.5.3 and the
RESTful API's "handling errors"), never an HTML page or a stack trace."""

import json

from django.http import HttpResponse

FHIR_JSON = "application/fhir+json; charset=utf-8"


class ApiError(Exception):
    """A request the API answers with `status` and an OperationOutcome.

    `code` is from the IssueType value set (invalid, not-found, security,
    login, forbidden, throttled, not-supported, too-costly, exception)."""

    def __init__(self, status: int, code: str, diagnostics: str, headers: dict | None = None):
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        # Headers the answer carries (a 429's Retry-After).
        self.headers = headers or {}


def operation_outcome(code: str, diagnostics: str, severity: str = "error") -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }


def fhir_response(body: dict, status: int = 200, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, separators=(",", ":")), status=status, content_type=FHIR_JSON
    )
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(error: ApiError) -> HttpResponse:
    headers = dict(error.headers)
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return fhir_response(operation_outcome(error.code, error.diagnostics), error.status, headers)
