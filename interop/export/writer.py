"""The worker's side of a bulk export: every requested type, source by
source, streamed from the database in chunks, through the same consent gate
as a search (gate.narrow in SQL before, gate.admit on each chunk), rendered
as the API renders it, one NDJSON file per type; then the ledger rows and
audit events of every client record the files hold.

Exactly once: the job is claimed with a conditional update (accepted ->
running); a second delivery of the task finds nothing to claim. The job
leaves "running" only from "running", so a cancel (DELETE) during the run
wins: the writer sees it between chunks, stops and deletes its files.
"""

import json
import logging
from collections.abc import Iterator
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from interop.api.errors import operation_outcome
from interop.api.gate import Gate
from interop.api.registry import REGISTRY, ResourceType, Source
from interop.api.search import rendered
from interop.export import files
from interop.models import ExportJob
from interop.resources.groups import members_now
from iop.replica import reading_from_replica

logger = logging.getLogger(__name__)

# Rows read per round trip (a server-side cursor) and decided per gate call.
CHUNK = 2_000
# Client records per ledger write: the ledger decides each entry against
# the list of consents it is given, so the list is kept to one slice's.
LEDGER_CHUNK = 500
FAILED = "The export failed on the server; start it again."
OPERATION_OUTCOME = "OperationOutcome"
ERRORS_FILE = f"{OPERATION_OUTCOME}.ndjson"


class Cancelled(Exception):
    """The job was cancelled (DELETE) while it ran."""


# What ends the whole job rather than one type: a cancel, the time limit,
# the database gone.
ABANDON = (Cancelled, SoftTimeLimitExceeded, OperationalError, InterfaceError)


def export_run(job_public_id: str) -> str:
    """Write the job's files and complete it; the job's final status."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(
        public_id=job_public_id, status=ExportJob.Status.ACCEPTED
    ).update(status=ExportJob.Status.RUNNING, started_at=now, progress="started")
    if not claimed:
        return "not claimed"
    job = ExportJob.objects.select_related("client").get(public_id=job_public_id)
    try:
        # The resources are read from the read replica when one is usable;
        # consents, the ledger and the job itself stay on the primary.
        with reading_from_replica():
            output, gate = _write_all(job)
        return _complete(job, output, gate)
    except Cancelled:
        files.files_delete(job.public_id)
        return ExportJob.Status.CANCELLED
    except Exception:  # any failure, the time limit among them, is the job's
        logger.exception("FHIR export %s failed", job.public_id)
        files.files_delete(job.public_id)
        _fail(job, FAILED)
        return ExportJob.Status.FAILED


def _fail(job: ExportJob, error: str) -> None:
    ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.FAILED, finished_at=timezone.now(), error=error[:300], progress=""
    )


def _still_running(job: ExportJob) -> None:
    if not ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).exists():
        raise Cancelled


def _write_all(job: ExportJob) -> tuple[list[dict], Gate]:
    gate = Gate(job.client, at=job.started_at)
    members = members_now(job.group_public_id) if job.kind == ExportJob.Kind.GROUP else None
    directory = files.job_dir(job.public_id)
    directory.mkdir(parents=True, exist_ok=True)
    output, failed = [], []
    for done, name in enumerate(job.types, start=1):
        resource_type = REGISTRY.get(name)
        if resource_type is None:  # no longer served since the kick-off
            continue
        path = directory / f"{name}.ndjson"
        disclosed_before = {client_id: set(c) for client_id, c in gate.disclosed.items()}
        try:
            count = _write_type(path, job, gate, resource_type, members)
        except ABANDON:
            raise
        except Exception:  # one type's failure is reported, the others delivered
            logger.exception("FHIR export %s: %s failed", job.public_id, name)
            path.unlink(missing_ok=True)
            # Nothing of the type is handed out: nothing of it in the ledger.
            gate.disclosed.clear()
            gate.disclosed.update(disclosed_before)
            failed.append(name)
            continue
        # Bulk Data 2.0: no output item for a type without data.
        if count:
            output.append({"type": name, "file": path.name, "count": count})
        else:
            path.unlink()
        ExportJob.objects.filter(pk=job.pk).update(
            progress=f"{done} of {len(job.types)} resource types written"
        )
    if failed:
        output.append(_errors_file(directory, failed))
    return output, gate


def _write_type(path, job, gate, resource_type: ResourceType, members) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for source in resource_type.sources:
            count += _write_source(out, job, gate, resource_type, source, members)
    return count


def _errors_file(directory, failed: list[str]) -> dict:
    """Bulk Data 2.0 "error": an NDJSON file of OperationOutcomes, one per
    type that could not be exported (the export as a whole completes)."""
    path = directory / ERRORS_FILE
    with path.open("w", encoding="utf-8") as out:
        for name in failed:
            outcome = operation_outcome(
                "exception", f"{name} could not be exported; export it again (_type={name})."
            )
            out.write(json.dumps(outcome, separators=(",", ":")) + "\n")
    return {"type": OPERATION_OUTCOME, "file": path.name, "count": len(failed)}


def _rows(job: ExportJob, gate: Gate, source: Source, members) -> QuerySet | None:
    """The source's rows for the job, narrowed as a search narrows them."""
    queryset = source.queryset()
    if members is not None:
        if source.client_path is None:
            return None
        queryset = queryset.filter(**{f"{source.client_path}__in": members})
    # Changed after _since, and up to the manifest's transactionTime (the
    # job's start): a row changed during the run waits for the next export.
    # A row with no time of change is always included (Bulk Data 2.0 allows it).
    unknown = Q(**{f"{source.updated_field}__isnull": True})
    if job.since is not None:
        queryset = queryset.filter(Q(**{f"{source.updated_field}__gt": job.since}) | unknown)
    queryset = queryset.filter(Q(**{f"{source.updated_field}__lte": job.started_at}) | unknown)
    queryset = gate.narrow(queryset, source)
    if source.recipient_narrow is not None and not gate.client.is_internal:
        queryset = source.recipient_narrow(queryset, gate.recipient)
    if source.client_path:
        queryset = queryset.annotate(_api_client_id=F(source.client_path))
    return queryset.order_by("pk")


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write_source(out, job, gate, resource_type: ResourceType, source: Source, members) -> int:
    queryset = _rows(job, gate, source, members)
    if queryset is None:
        return 0
    written = 0
    for chunk in _chunks(queryset.iterator(chunk_size=CHUNK), CHUNK):
        _still_running(job)
        client_ids = [getattr(row, "_api_client_id", None) for row in chunk]
        for row in gate.admit(chunk, source, client_ids):
            resource = rendered(row, source, resource_type)
            out.write(json.dumps(resource, separators=(",", ":"), ensure_ascii=False) + "\n")
            written += 1
    return written


def _complete(job: ExportJob, output: list[dict], gate: Gate) -> str:
    """Complete the job, with the ledger rows and audit events of what its
    files hold, in one transaction; a cancel that came first wins."""
    now = timezone.now()
    try:
        with transaction.atomic():
            completed = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
                status=ExportJob.Status.COMPLETE,
                finished_at=now,
                expires_at=now + timedelta(hours=settings.FHIR_EXPORT_RETENTION_HOURS),
                output=output,
                progress="complete",
            )
            if not completed:
                raise Cancelled
            _record(job, gate, output)
    except ValidationError as error:
        # The ledger refused what the gate admitted (a consent changed
        # during the run): nothing is handed out; the client starts again.
        logger.warning("FHIR export %s refused at the ledger: %s", job.public_id, error)
        files.files_delete(job.public_id)
        _fail(job, "Consents changed during the export; start it again.")
        return ExportJob.Status.FAILED
    return ExportJob.Status.COMPLETE


def _record(job: ExportJob, gate: Gate, output: list[dict]) -> None:
    counts = ", ".join(
        f"{item['type']} {item['count']}" for item in output if item["type"] != OPERATION_OUTCOME
    )
    description = f"FHIR bulk export {job.public_id}: {counts}"[:300]
    disclosed = list(gate.disclosed.items())
    for start in range(0, len(disclosed), LEDGER_CHUNK):
        part = Gate(
            gate.client,
            at=gate.at,
            disclosed=dict(disclosed[start : start + LEDGER_CHUNK]),
            clients=gate.clients,
        )
        part.record(request=None, reference=str(job.public_id), description=description)
