"""Staff, clients, episodes of care and caseload assignments.

The clinic grows over the three years (referrals rise from 0.4x to 1.6x
the average rate), so today's caseload is larger than the first year's.
Each admitted episode gets a TEDS outcome drawn from the adult-IOP shares
(DOMAIN.md section 1) and a length of stay for it (log-normal around the
TEDS medians: completers ~50 days, drop-outs ~26). Half of the completers
step down to the one-year aftercare phase before their discharge; their
episodes stay open a year longer, which is why the completed share is drawn
a little above 38%: among discharged episodes it comes out near 38%.
"""

import math
import re
import unicodedata

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connections

from devdata.load import context, text
from devdata.load.context import DAY, Ctx, new_uuid
from iop.accounts import roles
from iop.accounts.models import DegreeLevel, User
from iop.accounts.npi import npi_check_digit
from iop.clients.models import CaseloadAssignment, Client, Episode
from iop.clients.services.records import (
    EMAIL_CONSENT_WORDING,
    SMS_CONSENT_WORDING,
    _luhn_check_digit,
)

# The one password of every generated account (a load database only).
# Licenses that require a master's degree (LPC-A: the associate license of
# a counselor who holds one).
MASTERS_LICENSES = frozenset({"LPC", "LPC-A", "LCSW", "LMSW", "LMFT"})
LOAD_PASSWORD = "openiop-load-2026"  # noqa: S105 -- documented, synthetic data only

Phase = Episode.Phase
Reason = Episode.DischargeReason

# outcome, weight, median days, sigma. The completed weight is above TEDS's
# 38 (of 110) because half of the completers are still open in aftercare (see above).
OUTCOMES = (
    ("completed", 48, 43, 0.30),
    ("transferred", 18, 44, 0.45),
    ("dropped", 23, 26, 0.55),
    ("terminated", 14, 36, 0.45),
    ("other", 7, 40, 0.50),
)
REASONS = {
    "completed": Reason.COMPLETED,
    "transferred": Reason.TRANSFERRED,
    "dropped": Reason.LEFT_AGAINST_ADVICE,
    "terminated": Reason.TERMINATED,
}
# Chance of attending a group or session, by how the episode ends.
ATTENDANCE = {"completed": 0.9, "transferred": 0.8, "dropped": 0.64, "terminated": 0.62}
GROWTH = (0.4, 1.6)
READMISSION = {"dropped": 0.25, "terminated": 0.2, "completed": 0.06}


def _ascii(value: str) -> str:
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def seed_staff(ctx: Ctx) -> None:
    rng = ctx.rng("staff")
    scale, staff, clock = ctx.scale, ctx.staff, ctx.clock
    plan = [
        (roles.COUNSELOR, "counselor", scale.counselors, staff.counselors),
        (roles.SUPERVISOR, "supervisor", scale.supervisors, staff.supervisors),
        (roles.INTAKE, "intake", scale.intake, staff.intake),
        (roles.ADMINISTRATOR, "admin", scale.administrators, staff.administrators),
        (roles.BILLING, "billing", scale.billing, staff.billing),
    ]
    total = sum(count for _, _, count, _ in plan)
    next_id = ctx.loader.reserve(User, total)
    groups = dict(Group.objects.using(ctx.loader.using).values_list("name", "pk"))
    password = make_password(LOAD_PASSWORD)
    users, memberships = [], []
    degrees = ctx.rng("degrees")
    # Their own stream, so the staff's other draws stay as they were.
    public_ids = ctx.rng("staff-public-ids")
    for role, prefix, count, ids in plan:
        for number in range(1, count + 1):
            user_id, next_id = next_id, next_id + 1
            female = rng.random() < 0.6
            first = rng.choice(text.FIRST_FEMALE if female else text.FIRST_MALE)
            last = rng.choice(text.LAST)
            username = f"{prefix}{number:03d}"
            # About one counselor in eight is in training (notes need co-signing).
            training = role == roles.COUNSELOR and rng.random() < 0.12
            joined = clock.ts((clock.start - rng.randint(0, 900)) * DAY + 9 * 60)
            clinical = role not in (roles.INTAKE, roles.BILLING)
            credential = rng.choice(text.CREDENTIALS) if clinical else ""
            users.append(
                (
                    user_id,
                    new_uuid(public_ids),
                    password,
                    username,
                    first,
                    last,
                    f"{username}@openiop.example",
                    role == roles.ADMINISTRATOR,
                    True,
                    joined,
                    "LCDC-I" if training else credential,
                    _degree_level(degrees, credential) if clinical and not training else "",
                    training,
                    _npi(user_id) if clinical else "",
                )
            )
            memberships.append((user_id, groups[role]))
            ids.append(user_id)
            staff.usernames[user_id] = username
            if training:
                staff.in_training.add(user_id)
    ctx.loader.copy(
        User,
        (
            "id",
            "public_id",
            "password",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "credentials",
            "degree_level",
            "in_training",
            "npi",
        ),
        users,
    )
    ctx.loader.copy(User.groups.through, ("user_id", "group_id"), memberships)


def _npi(user_id: int) -> str:
    """A fictitious individual NPI per clinician, with a valid check digit."""
    first_nine = f"1{user_id % 10**8:08d}"
    return first_nine + str(npi_check_digit(first_nine))


def _degree_level(rng, credential: str) -> str:
    """A clinician's highest degree: the counseling and social work licenses
    need a master's; an addiction counselor's license is held at several
    degree levels. One in twenty-five leaves it unrecorded (their charges
    for payers wanting it are held)."""
    if rng.random() < 0.04:
        return ""
    if credential in MASTERS_LICENSES:
        return DegreeLevel.DOCTORAL if rng.random() < 0.05 else DegreeLevel.MASTERS
    return rng.choice(
        (
            DegreeLevel.MASTERS,
            DegreeLevel.BACHELORS,
            DegreeLevel.BACHELORS,
            DegreeLevel.BELOW_BACHELORS,
        )
    )


def _referral_day(rng, clock) -> int:
    """A referral day on a linearly growing rate (inverse of its CDF)."""
    low, high = GROWTH
    a, b = (high - low) / 2, low
    x = (-b + math.sqrt(b * b + 4 * a * rng.random())) / (2 * a)
    return clock.start + int(x * context.HISTORY_DAYS)


def _lognormal(rng, median: float, sigma: float, low: int, high: int) -> int:
    return max(low, min(high, round(median * math.exp(sigma * rng.gauss(0, 1)))))


def plan_episode(rng, episode: context.Episode, today: int) -> None:
    """Dates, phase and discharge of one episode from its referral day."""
    admission = episode.referral + rng.randint(3, 14)
    names, weights = zip(*[(row[0], row[1]) for row in OUTCOMES], strict=True)
    outcome = rng.choices(names, weights)[0]
    episode.outcome = outcome
    episode.attend = min(0.97, ATTENDANCE.get(outcome, 0.75) + rng.uniform(-0.08, 0.06))
    if admission > today:
        return  # still in screening
    episode.admission = admission
    roll = rng.random()
    level = "2.5" if roll < 0.08 else "1.0" if roll < 0.13 else "2.1"
    episode.level = level
    aftercare = (outcome == "completed" and rng.random() < 0.5) or (
        outcome == "dropped" and rng.random() < 0.1
    )
    if aftercare:
        # Step down at the end of the Matrix intensive weeks (about 12).
        step_down = admission + _lognormal(rng, 84, 0.2, 49, 140)
        if step_down > today:
            episode.phase = Phase.INTENSIVE
            return
        episode.step_down = step_down
        end = step_down + (365 if outcome == "completed" else rng.randint(20, 330))
        episode.phase = Phase.AFTERCARE
    else:
        _, _, median, sigma = next(row for row in OUTCOMES if row[0] == outcome)
        end = admission + _lognormal(rng, median, sigma, 1, 240)
        episode.phase = Phase.INTENSIVE
    if end <= today:
        episode.phase = Phase.DISCHARGED
        episode.discharge = end
        episode.reason = (
            REASONS.get(outcome)
            or rng.choices([Reason.OTHER, Reason.INCARCERATED, Reason.DEATH], [70, 25, 5])[0]
        )


def _client_row(rng, client: context.Client, mrn: str, first: str, last: str, ctx: Ctx) -> tuple:
    clock = ctx.clock
    created = clock.ts(client.referral_stamp)
    contact_first = rng.choice(text.FIRST_FEMALE + text.FIRST_MALE)
    return (
        client.id,
        client.public_id,
        mrn,
        first,
        last,
        clock.date(client.birth),
        client.sex,
        {"female": "woman", "male": "man"}.get(client.sex, "declined"),
        client.phone,
        client.email,
        f"{rng.randint(100, 9899)} {rng.choice(text.STREETS)}",
        "Austin",
        "TX",
        f"787{rng.randint(1, 59):02d}",
        client.language,
        client.sms,
        created if client.sms else None,
        SMS_CONSENT_WORDING if client.sms else "",
        client.email_ok,
        created if client.email_ok else None,
        EMAIL_CONSENT_WORDING if client.email_ok else "",
        f"{contact_first} {rng.choice(text.LAST)}",
        rng.choice(text.RELATIONSHIPS),
        f"+1737555{rng.randint(100, 199):04d}",
        created,
        created,
    )


CLIENT_FIELDS = (
    "id",
    "public_id",
    "mrn",
    "legal_first_name",
    "legal_last_name",
    "date_of_birth",
    "sex",
    "gender_identity",
    "phone",
    "email",
    "address_line1",
    "city",
    "state",
    "postal_code",
    "preferred_language",
    "sms_consent",
    "sms_consent_at",
    "sms_consent_wording",
    "email_consent",
    "email_consent_at",
    "email_consent_wording",
    "emergency_contact_name",
    "emergency_contact_relationship",
    "emergency_contact_phone",
    "created_at",
    "updated_at",
)
SUBSTANCES = (
    ("alcohol", 34),
    ("methamphetamine", 16),
    ("opioids", 14),
    ("heroin", 6),
    ("cocaine", 10),
    ("marijuana", 14),
    ("benzodiazepines", 3),
    ("other", 3),
)


def seed_clients(ctx: Ctx) -> None:
    """Clients with one or two episodes (readmissions), oldest referral first."""
    rng = ctx.rng("clients")
    clock, n = ctx.clock, ctx.scale.clients
    referrals = sorted(_referral_day(rng, clock) for _ in range(n))
    client_id = ctx.loader.reserve(Client, n)
    with connections[ctx.loader.using].cursor() as cursor:
        cursor.execute("SELECT nextval('clients_mrn_seq') FROM generate_series(1, %s)", [n])
        numbers = [row[0] for row in cursor.fetchall()]
    substances, weights = zip(*SUBSTANCES, strict=True)
    rows, episodes = [], []
    for index, referral in enumerate(referrals):
        female = rng.random() < 0.4
        spanish = rng.random() < 0.18
        first = rng.choice(text.FIRST_FEMALE if female else text.FIRST_MALE)
        last = rng.choice(text.LAST)
        client = context.Client(
            id=client_id + index,
            public_id=new_uuid(rng),
            sex="female" if female else "male",
            language="es" if spanish else "en",
            phone=f"+1512555{rng.randint(100, 199):04d}",
            email=f"{_ascii(first)}.{_ascii(last)}{index}@example.org",
            sms=rng.random() < 0.72,
            email_ok=rng.random() < 0.4,
            substance=rng.choices(substances, weights)[0],
            birth=referral - rng.randint(19 * 365, 66 * 365),
        )
        client.referral_stamp = referral * DAY + rng.randint(8 * 60, 17 * 60)
        number = numbers[index]
        rows.append(
            _client_row(rng, client, f"{number}{_luhn_check_digit(number)}", first, last, ctx)
        )
        ctx.clients.append(client)
        episode = context.Episode(id=0, public_id=new_uuid(rng), client=client, referral=referral)
        plan_episode(rng, episode, clock.today)
        episodes.append(episode)
        # A readmission: a new referral some weeks or months after discharge.
        if episode.discharge is not None and rng.random() < READMISSION.get(episode.outcome, 0.1):
            again = episode.discharge + rng.randint(30, 200)
            if again <= clock.today:
                second = context.Episode(
                    id=0, public_id=new_uuid(rng), client=client, referral=again
                )
                plan_episode(rng, second, clock.today)
                episodes.append(second)
    ctx.loader.copy(Client, CLIENT_FIELDS, rows)
    episodes.sort(key=lambda episode: (episode.referral, episode.client.id))
    first_id = ctx.loader.reserve(Episode, len(episodes))
    for offset, episode in enumerate(episodes):
        episode.id = first_id + offset
    ctx.episodes = episodes
    _assign_counselors(ctx, rng)
    _copy_episodes(ctx, rng)


def _assign_counselors(ctx: Ctx, rng) -> None:
    counselors = ctx.staff.counselors
    weights = [0.5 if user in ctx.staff.in_training else 1.0 for user in counselors]
    for episode in ctx.episodes:
        if episode.admission is not None:
            episode.counselor = rng.choices(counselors, weights)[0]


def _copy_episodes(ctx: Ctx, rng) -> None:
    clock = ctx.clock
    supervisors = ctx.staff.supervisors
    rows, assignments = [], []
    for episode in ctx.episodes:
        created = clock.ts(episode.referral * DAY + rng.randint(8 * 60, 17 * 60))
        last_change = (
            episode.discharge or episode.step_down or episode.admission or episode.referral
        )
        rows.append(
            (
                episode.id,
                episode.public_id,
                episode.client.id,
                episode.phase,
                clock.date(episode.referral),
                clock.date(episode.admission) if episode.admission else None,
                episode.level,
                episode.counselor,
                clock.date(episode.discharge) if episode.discharge else None,
                episode.reason,
                created,
                clock.ts(last_change * DAY + 17 * 60),
            )
        )
        if episode.admission is None:
            continue
        start = episode.admission * DAY + 10 * 60
        end = episode.discharge * DAY + 16 * 60 if episode.discharge else None
        supervisor = rng.choice(supervisors)
        if rng.random() < 0.1 and (end or clock.now) - start > 20 * DAY:
            # Reassigned part-way (caseload balancing, leave): two rows.
            handover = start + ((end or clock.now) - start) // 2
            previous = rng.choice([c for c in ctx.staff.counselors if c != episode.counselor])
            assignments.append(
                (episode.id, previous, clock.ts(start), clock.ts(handover), supervisor, "Admission")
            )
            start, reason = handover, "Caseload balancing"
        else:
            reason = "Admission"
        assignments.append(
            (
                episode.id,
                episode.counselor,
                clock.ts(start),
                clock.ts(end) if end else None,
                supervisor,
                reason,
            )
        )
    ctx.loader.copy(
        Episode,
        (
            "id",
            "public_id",
            "client_id",
            "phase",
            "referral_date",
            "admission_date",
            "level_of_care",
            "primary_counselor_id",
            "discharge_date",
            "discharge_reason",
            "created_at",
            "updated_at",
        ),
        rows,
    )
    ctx.loader.copy(
        CaseloadAssignment,
        ("episode_id", "counselor_id", "started_at", "ended_at", "assigned_by_id", "reason"),
        assignments,
    )
