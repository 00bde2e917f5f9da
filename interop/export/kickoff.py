"""The kick-off request of a bulk export (Bulk Data Access 2.0, "Bulk Data
Kick-off Request"): its headers and parameters checked, each refusal an
OperationOutcome, then one ExportJob and its task enqueued after commit."""

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from interop import scopes as scope_rules
from interop.api.errors import ApiError
from interop.api.registry import REGISTRY
from interop.export import files
from interop.models import AccessToken, ExportJob
from iop.horizon import EARLIEST

# Bulk Data 2.0: the server SHALL accept the full content type and its two
# abbreviations; NDJSON is the only format written here.
OUTPUT_FORMATS = ("application/fhir+ndjson", "application/ndjson", "ndjson")
logger = logging.getLogger(__name__)

# Kick-off parameters served (the rest, _typeFilter and _elements among
# them, are refused: ignoring a filter would send more than was asked).
PARAMETERS = ("_outputFormat", "_since", "_type")
# A FHIR instant (R4 datatypes: instant): to the second, with a zone.
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# Exports of one client running or waiting at once; more is a 429 (Bulk
# Data 2.0 lets a server refuse a new export while others are in progress).
MAX_IN_PROGRESS = 2
RETRY_AFTER_SECONDS = 60


@dataclass(frozen=True)
class ExportRequest:
    kind: str
    types: list[str]
    since: datetime | None
    group_public_id: object = None


def _prefer_async(request) -> None:
    prefer = [p.strip().lower() for p in request.headers.get("Prefer", "").split(",")]
    if "respond-async" not in prefer:
        raise ApiError(
            400, "invalid", "A bulk export is asynchronous: send the header Prefer: respond-async."
        )


def _output_format(query) -> None:
    for value in query.getlist("_outputFormat"):
        if value not in OUTPUT_FORMATS:
            raise ApiError(
                400, "not-supported", "_outputFormat: only application/fhir+ndjson is written."
            )


def parse_since(query) -> datetime | None:
    values = query.getlist("_since")
    if not values:
        return None
    if len(values) > 1:
        raise ApiError(400, "invalid", "_since is given once.")
    value = values[0]
    if not INSTANT.match(value):
        raise ApiError(400, "invalid", "_since must be a FHIR instant, e.g. 2026-01-31T08:00:00Z.")
    try:
        since = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, "invalid", "_since is not a real date and time.") from None
    if since.date() < EARLIEST:
        raise ApiError(400, "invalid", "_since is before the range this server keeps.")
    if since > timezone.now():
        raise ApiError(400, "invalid", "_since is in the future.")
    return since


def _client_data(name: str) -> bool:
    return any(source.client_path for source in REGISTRY[name].sources)


def parse_types(query, token: AccessToken, *, kind: str) -> list[str]:
    """The types asked for (`_type`, comma lists, repeatable), each served
    and allowed by the token's scopes; without `_type`, every served type
    the scopes allow. A group's export holds its members' records: only
    types of client data."""
    asked = [name.strip() for value in query.getlist("_type") for name in value.split(",") if name]
    for name in asked:
        if name not in REGISTRY:
            raise ApiError(400, "not-supported", f"Resource type {name[:60]} is not served here.")
        if kind == ExportJob.Kind.GROUP and not _client_data(name):
            raise ApiError(
                400, "not-supported", f"A group's export holds its members' records, not {name}."
            )
        if scope_rules.allows(token.scopes, name, "s") is None:
            raise ApiError(403, "forbidden", f"The token holds no scope allowing export of {name}.")
    if asked:
        return list(dict.fromkeys(asked))
    types = [
        name
        for name in sorted(REGISTRY)
        if scope_rules.allows(token.scopes, name, "s")
        and (kind == ExportJob.Kind.SYSTEM or _client_data(name))
    ]
    if not types:
        raise ApiError(403, "forbidden", "The token holds no scope allowing an export.")
    return types


def export_request(request, token: AccessToken, *, kind: str, group_public_id=None):
    """The checked kick-off, or an ApiError."""
    if request.method != "GET":
        raise ApiError(405, "not-supported", "Start an export with GET.")
    _prefer_async(request)
    for name in request.GET:
        if name not in PARAMETERS:
            raise ApiError(400, "not-supported", f"The export parameter {name[:60]} is not served.")
    _output_format(request.GET)
    since = parse_since(request.GET)
    types = parse_types(request.GET, token, kind=kind)
    return ExportRequest(kind=kind, types=types, since=since, group_public_id=group_public_id)


def export_start(*, client, asked: ExportRequest, request_url: str) -> ExportJob:
    """One job for the request, its task enqueued once the job is committed."""
    from interop.tasks import run_export  # the task module imports this package

    in_progress = ExportJob.objects.filter(
        client=client, status__in=(ExportJob.Status.ACCEPTED, ExportJob.Status.RUNNING)
    )
    if in_progress.count() >= MAX_IN_PROGRESS:
        raise ApiError(
            429,
            "throttled",
            f"{MAX_IN_PROGRESS} exports are in progress; wait for one to end.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    now = timezone.now()
    job = ExportJob.objects.create(
        client=client,
        kind=asked.kind,
        group_public_id=asked.group_public_id,
        types=asked.types,
        since=asked.since,
        requested_at=now,
        expires_at=now + timedelta(hours=settings.FHIR_EXPORT_RETENTION_HOURS),
        request_url=request_url,
    )
    job_id = str(job.public_id)
    transaction.on_commit(lambda: _enqueue(run_export, job_id))
    return job


def _enqueue(task, job_id: str) -> None:
    """Enqueue after commit; with the broker down the job waits, accepted,
    for the hourly sweep to enqueue it again (interop.tasks.expire_exports)."""
    try:
        task.delay(job_id)
    except Exception:  # the broker's errors vary by transport
        logger.warning("FHIR export %s: not enqueued; the hourly sweep retries", job_id)


def status_url(job: ExportJob) -> str:
    return files.absolute("interop:export-status", job_id=job.public_id)
