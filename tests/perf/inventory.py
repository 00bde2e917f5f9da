"""What the page and load benchmarks ask for, read from the load database
through the application's own access policy, and the SQL each page runs.

Run in a subprocess whose DATABASE_URL is the load database (the benchmark's
pytest process is configured for the application's database):

    python -m tests.perf.inventory plan <out.json>
    python -m tests.perf.inventory queries <pages.json> <out.json>

`plan` lists every staff account by role with, for counselors, the clients
on their caseload and recent sessions of the groups they run (supervisors:
a sample of the program's). `queries` requests each given page twice with
Django's test client and records the second request's SQL: how many
statements, their total time and the slowest ones with their plans.
"""

import json
import os
import sys
import time
from datetime import timedelta


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iop.settings")
    import django

    django.setup()


def plan(out: str) -> None:
    from django.utils import timezone

    from devdata.load.people import LOAD_PASSWORD
    from groups.models import GroupSession
    from groups.selectors import sessions_visible_to
    from iop.accounts import roles
    from iop.accounts.models import User
    from iop.audit.policy import clients_visible_to
    from iop.clients.models import Client, Episode
    from iop.reminders.models import StaffNotification

    now = timezone.now()
    today = timezone.localdate()
    open_phases = [Episode.Phase.INTENSIVE, Episode.Phase.AFTERCARE]

    def recent_sessions(user, limit):
        # The sessions a facilitator opens: the last two weeks' and today's.
        sessions = sessions_visible_to(user).filter(
            status=GroupSession.Status.SCHEDULED,
            starts_at__gte=now - timedelta(days=14),
            starts_at__lt=now + timedelta(days=1),
        )
        return [
            str(pk)
            for pk in sessions.order_by("-starts_at").values_list("public_id", flat=True)[:limit]
        ]

    def staff(role):
        return User.objects.filter(groups__name=role, is_active=True).order_by("username")

    notified = set(StaffNotification.objects.values_list("recipient_id", flat=True).distinct())
    accounts = {}
    for role in roles.ALL_ROLES:
        accounts[role] = []
        for user in staff(role):
            entry = {"username": user.username, "notifications": user.pk in notified}
            if role == roles.COUNSELOR:
                caseload = clients_visible_to(user).filter(
                    episodes__primary_counselor=user, episodes__phase__in=open_phases
                )
                entry["clients"] = sorted(
                    str(pk) for pk in caseload.values_list("public_id", flat=True).distinct()
                )
                entry["sessions"] = recent_sessions(user, 30)
            elif role == roles.SUPERVISOR:
                program = clients_visible_to(user).filter(episodes__phase__in=open_phases)
                entry["clients"] = [
                    str(pk)
                    for pk in program.order_by("public_id")
                    .values_list("public_id", flat=True)
                    .distinct()[:200]
                ]
                entry["sessions"] = recent_sessions(user, 100)
            accounts[role].append(entry)
    data = {
        "clients": Client.objects.count(),
        "today": today.isoformat(),
        "weekday": today.strftime("%A"),
        "password": LOAD_PASSWORD,
        "accounts": accounts,
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)


def _explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        # The statement Django itself ran, with its parameters inlined by
        # psycopg2 (last_executed_query): nothing from outside.
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def queries(pages: str, out: str) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from iop.accounts.models import User

    with open(pages, encoding="utf-8") as handle:
        wanted = json.load(handle)
    results = {}
    for name, spec in wanted.items():
        browser = Client()
        browser.force_login(User.objects.get(username=spec["username"]))
        browser.get(spec["path"])  # warm: templates, the user's session
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = browser.get(spec["path"])
        seconds = time.perf_counter() - started
        timed = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
        slowest = [{"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"]} for q in timed[:3]]
        if slowest and slowest[0]["sql"].lstrip().upper().startswith("SELECT"):
            slowest[0]["plan"] = _explain(slowest[0]["sql"])
        results[name] = {
            "path": spec["path"],
            "username": spec["username"],
            "status": response.status_code,
            "queries": len(captured),
            "sql_ms": round(sum(float(q["time"]) for q in captured.captured_queries) * 1000, 1),
            "in_process_ms": round(seconds * 1000, 1),
            "slowest": slowest,
        }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)


if __name__ == "__main__":
    _setup()
    command, *args = sys.argv[1:]
    {"plan": plan, "queries": queries}[command](*args)
