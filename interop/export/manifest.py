"""What the status URL answers (Bulk Data Access 2.0, "Bulk Data Status
Request"): 202 with X-Progress and Retry-After while the job runs, the
manifest when it is complete, an OperationOutcome when it failed."""

from django.http import JsonResponse
from django.utils.http import http_date

from interop.api.errors import ApiError, fhir_response, operation_outcome
from interop.export import files
from interop.export.writer import OPERATION_OUTCOME
from interop.models import ExportJob

# Seconds a client is asked to wait between polls while the job runs.
RETRY_AFTER_SECONDS = 5


def _item(job: ExportJob, item: dict) -> dict:
    return {
        "type": item["type"],
        "url": files.file_url(job.public_id, item["file"]),
        "count": item["count"],
    }


def manifest(job: ExportJob) -> dict:
    """The complete status: the files per type, and the OperationOutcomes of
    the types that could not be exported in "error"."""
    return {
        "transactionTime": job.started_at.isoformat(),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [_item(job, i) for i in job.output if i["type"] != OPERATION_OUTCOME],
        "error": [_item(job, i) for i in job.output if i["type"] == OPERATION_OUTCOME],
    }


def gone() -> ApiError:
    """What an expired job's URLs answer: its files were deleted (410)."""
    return ApiError(410, "deleted", "The export's files were deleted after the retention period.")


def status_response(job: ExportJob):
    if job.in_progress:
        return fhir_response(
            operation_outcome("informational", job.progress or "accepted", "information"),
            202,
            {
                "X-Progress": (job.progress or job.status)[:99],
                "Retry-After": str(RETRY_AFTER_SECONDS),
            },
        )
    if job.status == ExportJob.Status.COMPLETE:
        response = JsonResponse(manifest(job))
        response["Expires"] = http_date(job.expires_at.timestamp())
        response["Cache-Control"] = "no-store"
        return response
    if job.status == ExportJob.Status.FAILED:
        return fhir_response(operation_outcome("exception", job.error or "The export failed."), 500)
    if job.status == ExportJob.Status.EXPIRED:
        raise ApiError(
            410, "deleted", "The export's files were deleted after the retention period."
        )
    raise ApiError(404, "not-found", "No such export.")
