"""Bulk export (FHIR Bulk Data Access 2.0): the kick-off for the whole
system or a group's members, the status URL (poll, or DELETE to cancel) and
the file downloads. Each is an API request like any other (api_endpoint:
bearer token, rate limit, ApiRequest row); a job is the business of the
client that started it alone: to any other, it does not exist (404)."""

from django.conf import settings
from django.http import FileResponse

from interop import scopes as scope_rules
from interop.api.endpoint import Call, api_endpoint
from interop.api.errors import ApiError, fhir_response, operation_outcome
from interop.api.params import id_q
from interop.export import files
from interop.export.kickoff import export_request, export_start, status_url
from interop.export.manifest import status_response
from interop.export.retention import export_cancel
from interop.export.writer import OPERATION_OUTCOME
from interop.models import ExportJob
from interop.resources.groups import GROUP


def _kickoff(request, call: Call, asked) -> object:
    job = export_start(
        client=call.client,
        asked=asked,
        request_url=settings.SITE_URL + request.get_full_path(),
    )
    granting = {scope_rules.allows(call.token.scopes, name, "s") for name in asked.types}
    call.scope = " ".join(sorted(granting))[:500]
    call.description = f"FHIR bulk export {job.public_id} requested"
    return fhir_response(
        operation_outcome("informational", "The export was accepted.", "information"),
        202,
        {"Content-Location": status_url(job)},
    )


@api_endpoint
def system_export(request, call: Call):
    asked = export_request(request, call.token, kind=ExportJob.Kind.SYSTEM)
    return _kickoff(request, call, asked)


@api_endpoint
def group_export(request, call: Call, group_id: str):
    found = id_q(group_id)
    group = GROUP.sources[0].queryset().filter(found).first() if found is not None else None
    if group is None:
        raise ApiError(404, "not-found", f"Group/{group_id[:64]} is not known.")
    asked = export_request(
        request, call.token, kind=ExportJob.Kind.GROUP, group_public_id=group.public_id
    )
    return _kickoff(request, call, asked)


def _job_of(call: Call, job_id) -> ExportJob:
    job = ExportJob.objects.filter(public_id=job_id, client=call.client).first()
    if job is None:
        raise ApiError(404, "not-found", "No such export.")
    return job


@api_endpoint
def export_status(request, call: Call, job_id):
    job = _job_of(call, job_id)
    if request.method == "DELETE":
        if not export_cancel(job=job):
            raise ApiError(404, "not-found", "No such export.")
        call.description = f"FHIR bulk export {job.public_id} cancelled"
        return fhir_response(
            operation_outcome("informational", "The export was cancelled.", "information"), 202
        )
    if request.method not in ("GET", "HEAD"):
        raise ApiError(405, "not-supported", "Poll an export with GET, cancel it with DELETE.")
    return status_response(job)


@api_endpoint
def export_file(request, call: Call, job_id, name: str):
    if request.method not in ("GET", "HEAD"):
        raise ApiError(405, "not-supported", "Download a file with GET.")
    job = _job_of(call, job_id)
    if job.status == ExportJob.Status.EXPIRED:
        raise ApiError(
            410, "deleted", "The export's files were deleted after the retention period."
        )
    item = next((i for i in job.output if i["file"] == name), None)
    path = files.file_path(job.public_id, name)
    if job.status != ExportJob.Status.COMPLETE or item is None or path is None:
        raise ApiError(404, "not-found", "No such file.")
    # Bulk Data 2.0: a file is fetched with a token whose scopes cover its
    # type (an error file holds OperationOutcomes, no one's record).
    if item["type"] != OPERATION_OUTCOME:
        call.require(item["type"], "s")
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise ApiError(404, "not-found", "No such file.") from None
    call.returned = [f"{item['type']} x{item['count']} (export {job.public_id})"]
    call.description = f"FHIR bulk export {job.public_id}: {name} downloaded"
    response = FileResponse(handle, content_type=files.NDJSON)
    response["Cache-Control"] = "no-store"
    return response
