from celery import shared_task

from interop.export.retention import exports_expire, exports_waiting
from interop.export.writer import export_run

# A bulk export of the whole program reads every table: far longer than the
# project's default limits (the benchmark's target is 5 minutes for 5,000
# clients). Past the soft limit the job is marked failed.
EXPORT_SOFT_LIMIT = 3_600
EXPORT_HARD_LIMIT = 3_660


@shared_task(soft_time_limit=EXPORT_SOFT_LIMIT, time_limit=EXPORT_HARD_LIMIT)
def run_export(job_id: str) -> str:
    """Write a bulk export's files (interop.export.writer)."""
    return export_run(job_id)


@shared_task(soft_time_limit=300, time_limit=360)
def expire_exports() -> dict:
    """Delete bulk exports' files past their retention; forget used
    assertions; enqueue again the exports that never started."""
    counts = exports_expire()
    waiting = exports_waiting()
    for job_id in waiting:
        run_export.delay(job_id)
    return {**counts, "enqueued_again": len(waiting)}
