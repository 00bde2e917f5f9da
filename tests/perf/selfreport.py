"""A live self-report link on the load database, for the page benchmark.

    python -m tests.perf.selfreport OUT.json

Run by tests/perf/test_selfreport_page.py in the application's environment
(server.app_env): a PHQ-9 due by link for the first client in the intensive
phase, a token issued as the dispatcher issues it, and the token and the
client's date of birth written to OUT.json (the benchmark's own file)."""

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from iop.clients.models import Episode
    from tests.outcomes.support import due_by_link, issued_link

    episode = (
        Episode.objects.filter(phase=Episode.Phase.INTENSIVE, admission_date__isnull=False)
        .select_related("client")
        .order_by("pk")
        .first()
    )
    _link, token = issued_link(due_by_link(episode))
    Path(argv[1]).write_text(
        json.dumps({"token": token, "dob": episode.client.date_of_birth.isoformat()}),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
