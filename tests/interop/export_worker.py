"""A Celery worker process for the bulk export tests: the project's Celery
app (iop.celery) with the test settings, on the test database, consuming
from the broker in REDIS_URL as the production worker does.

Nothing here may import Django models at module level: the process sets
Django up on the test database first (tests.reminders.workers).

    python -m tests.interop.export_worker DATABASE_NAME
"""

import sys

from tests.reminders.workers import setup_django


def main(argv: list[str]) -> int:
    setup_django(argv[1])
    from iop.celery import app

    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=export-test-{argv[1]}@%h",
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
