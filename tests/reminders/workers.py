"""Worker processes for the exactly-once tests: each is a separate OS
process that sets Django up on the test database and runs the dispatcher as a
Celery worker or `send_due_reminders` would.

Nothing here may import Django models at module level: a spawned process
imports this module before Django is set up.

    python -m tests.reminders.workers DATABASE_NAME   # one sweep, then exit
"""

import os
import sys
import time


def setup_django(database_name: str, overrides: dict | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django
    from django.conf import settings

    # The test database, not the one DATABASE_URL names.
    settings.DATABASES["default"]["NAME"] = database_name
    for name, value in (overrides or {}).items():
        setattr(settings, name, value)
    django.setup()


def dispatch_twice(database_name: str, overrides: dict, start, results) -> None:
    """A worker that takes part in the race: waits for the others, then runs
    two sweeps back to back, as two beat ticks would; reports what it sent."""
    setup_django(database_name, overrides)
    from django.db import connection

    from iop.reminders.services.dispatch import reminders_dispatch_due

    start.wait(timeout=60)
    sent = 0
    for _ in range(2):
        sent += reminders_dispatch_due().get("sent", 0)
    connection.close()
    results.put((os.getpid(), sent))


class SlowFileSmsBackend:
    """The file backend, 50 ms per message: a batch takes long enough for the
    test to kill the worker in the middle of it."""

    can_look_up = True
    delay = 0.05

    def __init__(self):
        from iop.reminders.channels import FileSmsBackend

        self._file = FileSmsBackend()

    def send(self, *, to: str, body: str, reference: str) -> str:
        time.sleep(self.delay)
        return self._file.send(to=to, body=body, reference=reference)

    def find_sent(self, **lookup) -> str | None:
        return self._file.find_sent(**lookup)


def main(argv: list[str]) -> int:
    """One sweep with the backend, file and quiet hours from the environment."""
    setup_django(argv[1])
    from iop.reminders.services.dispatch import reminders_dispatch_due

    print(reminders_dispatch_due(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
