"""Cancelling an export (DELETE on its status URL) and deleting exports'
files after FHIR_EXPORT_RETENTION_HOURS (the hourly beat task)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from interop.export import files
from interop.models import ExportJob
from interop.tokens import assertions_forget

# A job still "running" this long after it started lost its worker (killed
# past the task's hard time limit): it is failed, its files deleted.
STALE_RUNNING = timedelta(hours=2)
# A job still "accepted" this long after its kick-off was never enqueued
# (the broker was down) or its message was lost: it is enqueued again.
STALE_ACCEPTED = timedelta(minutes=10)
LIVE = (
    ExportJob.Status.ACCEPTED,
    ExportJob.Status.RUNNING,
    ExportJob.Status.COMPLETE,
    ExportJob.Status.FAILED,
)


def export_cancel(*, job: ExportJob) -> bool:
    """Cancel a job, or tell a client that it is done with the files: they
    are deleted once this commits (a running writer stops at its next chunk
    and deletes what it wrote). False when there was nothing to cancel."""
    cancelled = ExportJob.objects.filter(pk=job.pk, status__in=LIVE).update(
        status=ExportJob.Status.CANCELLED, finished_at=timezone.now(), progress=""
    )
    if cancelled:
        public_id = job.public_id
        transaction.on_commit(lambda: files.files_delete(public_id))
    return bool(cancelled)


def exports_expire(*, now=None) -> dict:
    """Delete the files of every job past its expiry and mark it expired;
    fail jobs whose worker was lost; forget used assertions past their
    expiry (interop.tokens). Idempotent: a second run finds nothing."""
    now = now or timezone.now()
    interrupted = 0
    stale = ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING, started_at__lt=now - STALE_RUNNING
    )
    for job_id, public_id in stale.values_list("pk", "public_id"):
        failed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.FAILED, finished_at=now, error="The export was interrupted."
        )
        if failed:
            files.files_delete(public_id)
            interrupted += 1
    expired = 0
    due = ExportJob.objects.filter(expires_at__lt=now).exclude(status=ExportJob.Status.EXPIRED)
    for job_id, public_id in due.values_list("pk", "public_id"):
        files.files_delete(public_id)
        expired += ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.EXPIRED)
    return {
        "expired": expired,
        "interrupted": interrupted,
        "assertions_forgotten": assertions_forget(),
    }


def exports_waiting(*, now=None) -> list[str]:
    """The jobs accepted long ago and not started: to enqueue again (the
    writer claims a job once, so a second message is harmless)."""
    now = now or timezone.now()
    return [
        str(public_id)
        for public_id in ExportJob.objects.filter(
            status=ExportJob.Status.ACCEPTED,
            requested_at__lt=now - STALE_ACCEPTED,
            expires_at__gte=now,
        ).values_list("public_id", flat=True)
    ]
