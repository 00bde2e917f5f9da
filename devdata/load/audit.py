"""The audit trail: about 200 events per client (a million for 5,000),
streamed to PostgreSQL with COPY as they are generated.

Events fall on the days the clinic worked, more where more clients were in
care (so the trail grows with the clinic), mostly in office hours. Most are
views of a client in care that day by their counselor; the rest are changes,
logins, failed logins, prints and exports. The table's append-only trigger
fires on UPDATE and DELETE only, so COPY is allowed. The hash chain is built
once after the COPY (see seed_audit), so the trail verifies.
"""

import json

from devdata.load import text
from devdata.load.context import DAY, Ctx, new_uuid
from iop.audit.models import AuditEvent

ACTIONS = (
    ("view", 780),
    ("update", 90),
    ("create", 60),
    ("login", 40),
    ("logout", 20),
    ("login_failed", 4),
    ("print", 3),
    ("export", 3),
)
VIEW_PAGES = ("", "", "", "plan/", "drug-tests/new/", "appointments/new/", "edit/")
CHANGED = (
    ("clients.episode", ["phase"]),
    ("clients.appointment", ["status"]),
    ("clients.drugtest", ["results"]),
    ("clients.sessionnote", ["data", "assessment", "plan"]),
    ("groups.attendance", ["status", "participation"]),
    ("aftercare.checkin", ["outcome", "risk_level"]),
    ("clients.treatmentplan", ["status"]),
)
EXPORTS = ("/dashboard/program/export/", "/audit/export/", "/dashboard/caseload/export/")


def _active_by_day(ctx: Ctx) -> dict[int, list]:
    """The episodes in care (or in screening) on each day of the history."""
    clock = ctx.clock
    active: dict[int, list] = {}
    for episode in ctx.episodes:
        first = max(episode.referral, clock.start)
        last = min(episode.discharge or clock.today, clock.today)
        for day in range(first, last + 1):
            active.setdefault(day, []).append(episode)
    return active


def _pick(random, items):
    return items[int(random() * len(items))]


def _events(ctx: Ctx, rng, count: int):
    clock, staff = ctx.clock, ctx.staff
    active = _active_by_day(ctx)
    days = sorted(active)
    # Weekends see a tenth of a weekday's traffic.
    weights = [len(active[day]) * (0.1 if clock.weekday(day) > 4 else 1.0) for day in days]
    chosen = sorted(rng.choices(days, weights, k=count))
    actions, action_weights = zip(*ACTIONS, strict=True)
    picked = rng.choices(actions, action_weights, k=count)
    everyone = [*staff.counselors, *staff.supervisors, *staff.intake, *staff.administrators]
    workstation = {user: f"10.20.{user % 250}.{(user * 7) % 250 + 2}" for user in everyone}
    agents = {user: rng.choice(text.USER_AGENTS) for user in everyone}
    changed = [(kind, json.dumps({"fields": fields})) for kind, fields in CHANGED]
    failed = json.dumps({"reason": "bad_credentials"})
    # random() alone, scaled by hand: a million events make randint's cost show.
    random, ts = rng.random, clock.ts
    for day, action in zip(chosen, picked, strict=True):
        stamp = day * DAY + 450 + int(random() * 660)  # 7:30 to 18:30
        if stamp > clock.now:
            stamp = clock.now - 1 - int(random() * 600)
        episode = _pick(random, active[day])
        roll = random()
        if roll < 0.72 and episode.counselor:
            actor = episode.counselor
        elif roll < 0.87:
            actor = _pick(random, staff.supervisors)
        elif roll < 0.95:
            actor = _pick(random, staff.intake)
        else:
            actor = _pick(random, staff.administrators)
        username = staff.usernames[actor]
        client, object_type, object_id, path, details = None, "", "", "", "{}"
        public_id = episode.client.public_id
        if action == "view" or action == "print":
            client, object_type, object_id = episode.client.id, "clients.client", public_id
            page = "print/" if action == "print" else _pick(random, VIEW_PAGES)
            path = f"/clients/{public_id}/{page}"
        elif action in ("create", "update"):
            client = episode.client.id
            object_type, fields = _pick(random, changed)
            object_id = episode.public_id if object_type == "clients.episode" else new_uuid(rng)
            path = f"/clients/{public_id}/"
            if action == "update":
                details = fields
        elif action == "export":
            path = _pick(random, EXPORTS)
            details = f'{{"rows": {20 + int(random() * 2000)}}}'
        elif action == "logout":
            path = "/accounts/logout/"
        else:
            path = "/accounts/login/"
            if action == "login_failed":
                details = failed
                if random() < 0.3:  # a mistyped username: no such account
                    actor, username = None, username + "x"
        yield (
            ts(stamp, int(random() * 60)),
            actor,
            username,
            action,
            client,
            object_type,
            object_id,
            path,
            workstation.get(actor, "10.20.250.250"),
            agents.get(actor, text.USER_AGENTS[0]),
            details,
        )


def seed_audit(ctx: Ctx) -> None:
    count = ctx.scale.audit_events
    cursor = ctx.loader.connection.cursor()
    # Sealing a million events one by one as they land takes minutes: the
    # seal trigger is off for the COPY (inside the build's transaction, so no
    # other writer sees it off) and the events are then chained in id order
    # in one pass by the function migration audit/0005 uses.
    cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_seal")
    ctx.loader.copy(
        AuditEvent,
        (
            "created_at",
            "actor_id",
            "actor_username",
            "action",
            "client_id",
            "object_type",
            "object_id",
            "path",
            "ip_address",
            "user_agent",
            "details",
        ),
        _events(ctx, ctx.rng("audit"), count),
    )
    cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_seal")
    cursor.execute("SELECT audit_chain_seal_unsealed()")
    cursor.close()
