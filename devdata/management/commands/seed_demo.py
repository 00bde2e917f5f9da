"""`manage.py seed_demo`: demo staff accounts and forty fictitious clients.

Run by `make run` on every start, so it is idempotent: users are looked up by
username and clients by legal name + date of birth, and anything already
there is left alone. Clients are written through the services in
iop.clients.services, so audit rows and caseload history look exactly as if
staff had entered them. Feature apps seed their own data after the clients
exist, through the seeders of devdata.demo listed in EXTRA_SEEDERS.
"""

import random
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from devdata.demo.aftercare import seed_aftercare
from devdata.demo.audit import seed_chain_verification, seed_emergency_access
from devdata.demo.billing import seed_access_coverage, seed_access_payers
from devdata.demo.billing_charges import seed_authorizations, seed_engine_charges
from devdata.demo.billing_claims import seed_claim_cycle
from devdata.demo.billing_episodes import seed_episode_authorizations
from devdata.demo.clients import seed_clinical
from devdata.demo.clients_data import (
    DEMO_CLIENTS,
    DEMO_USERS,
    EMERGENCY_CONTACTS,
    PHASE_PLAN,
    READMISSIONS,
    STREETS,
)
from devdata.demo.cosign import seed_cosignatures
from devdata.demo.dashboard import seed_program_summary
from devdata.demo.demographics import seed_demographics
from devdata.demo.diagnoses import seed_diagnoses
from devdata.demo.family import seed_family
from devdata.demo.groups import seed_groups
from devdata.demo.interop import seed_interop
from devdata.demo.iop_days import seed_iop_days
from devdata.demo.outcomes import seed_outcomes
from devdata.demo.screening import seed_screenings
from iop.accounts.models import User
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import CaseloadAssignment, Client, Episode, LevelOfCare
from iop.clients.services import (
    client_create,
    episode_admit,
    episode_discharge,
    episode_start_aftercare,
)

# The one password of every demo account, printed at the end of each run.
DEMO_PASSWORD = "openiop-demo-2026"  # noqa: S105 -- documented demo credential
SEED = 2026

Phase = Episode.Phase
Reason = Episode.DischargeReason

# The per-app demo seeders, in order. Each is called as
# seeder(users=..., rng=..., today=...) once the clients exist, is idempotent
# like the rest, and returns a line for the summary. A feature appends its own.
EXTRA_SEEDERS = (
    seed_screenings,
    seed_groups,
    seed_clinical,
    # Full program days for some clients, then the supervisor's
    # co-signatures of everything documented so far.
    seed_iop_days,
    seed_cosignatures,
    seed_aftercare,
    # After aftercare: the discharges' arrests are recorded once discharged.
    seed_demographics,
    seed_family,
    seed_diagnoses,
    seed_emergency_access,
    # Billing: payers and fee schedules, then coverage; then the charges of
    # the documented history, re-evaluated against them; then
    # authorizations, sized from and drawn on by those charges: the stories
    # first, then every other episode's.
    seed_access_payers,
    seed_access_coverage,
    seed_engine_charges,
    seed_authorizations,
    seed_episode_authorizations,
    # The claim cycle: batches, acknowledgements, remittances, denials.
    seed_claim_cycle,
    # Measurement-based care: after the clinical history it measures.
    seed_outcomes,
    # The FHIR API's demo clients, Lakeside's consents and their use.
    seed_interop,
    # Last: they read what the seeders above wrote.
    seed_program_summary,
    seed_chain_verification,
)

# Each seeder draws from its own generator, seeded from its name, so adding a
# seeder does not change the data of the others. These names are the dotted
# paths the seeders had in their apps before devdata held them: kept, so that
# moving them changed none of the demo data.
SEEDER_NAMES = {
    seed_screenings: "screening.demo.seed_screenings",
    seed_groups: "groups.demo.seed_groups",
    seed_clinical: "iop.clients.management.demo_clinical.seed_clinical",
    seed_aftercare: "aftercare.demo.seed_aftercare",
    seed_family: "family.demo.seed_family",
    seed_emergency_access: "iop.audit.demo.seed_emergency_access",
    seed_program_summary: "iop.dashboard.demo.seed_program_summary",
    seed_chain_verification: "iop.audit.demo.seed_chain_verification",
}

# The Matrix intensive phase lasts 16 weeks (DOMAIN.md section 2).
INTENSIVE_DAYS = 16 * 7


@dataclass(frozen=True)
class EpisodePlan:
    referral: date
    admission: date | None = None
    aftercare: bool = False
    discharge: date | None = None
    reason: int | None = None


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def plan_episodes(
    rng: random.Random, *, today: date, phase: str, reason: int | None, earlier: int | None
) -> list[EpisodePlan]:
    """The dates of one client's episodes, oldest first. Referral comes 3-14
    days before admission; no date lies in the future."""
    if phase == Phase.SCREENING:
        return [EpisodePlan(referral=today - _days(rng, 0, 13))]
    if phase == Phase.INTENSIVE:
        admitted = today - _days(rng, 1, INTENSIVE_DAYS - 7)
    elif phase == Phase.AFTERCARE:
        admitted = today - _days(rng, INTENSIVE_DAYS + 3, 180)
    else:
        admitted = today - _days(rng, 60, 180)
    current = EpisodePlan(referral=admitted - _days(rng, 3, 14), admission=admitted)
    if phase == Phase.AFTERCARE:
        current = EpisodePlan(current.referral, admitted, aftercare=True)
    elif phase == Phase.DISCHARGED:
        # Lengths of stay after TEDS 2004: completers ~50 days, drop-outs ~26.
        completed = reason == Reason.COMPLETED
        stay = _days(rng, 50, 110) if completed else _days(rng, 10, 45)
        left = min(admitted + stay, today - timedelta(days=1))
        current = EpisodePlan(current.referral, admitted, completed, left, reason)
    if earlier is None:
        return [current]
    # A readmission: an earlier episode that ended some weeks before this referral.
    left = current.referral - _days(rng, 21, 45)
    first_admitted = left - _days(rng, 14, 35)
    first = EpisodePlan(
        referral=first_admitted - _days(rng, 3, 14),
        admission=first_admitted,
        discharge=left,
        reason=earlier,
    )
    return [first, current]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def client_data(rng: random.Random, demo, *, number: int) -> dict:
    """Demographics and contact details for Client; phones in 555-01xx."""
    contact_first, relationship, contact_last = rng.choice(EMERGENCY_CONTACTS)
    return {
        "legal_first_name": demo.first_name,
        "legal_last_name": demo.last_name,
        "preferred_name": demo.preferred_name,
        "date_of_birth": demo.date_of_birth,
        "sex": demo.sex,
        "gender_identity": demo.gender_identity
        or {"female": "woman", "male": "man"}.get(demo.sex, ""),
        "preferred_language": demo.language,
        "phone": f"+1512555{100 + number:04d}",
        "email": f"{_ascii(demo.first_name)}.{_ascii(demo.last_name)}@example.org",
        "address_line1": f"{rng.randint(100, 9899)} {rng.choice(STREETS)}",
        "city": "Austin",
        "state": "TX",
        "postal_code": f"787{rng.randint(1, 59):02d}",
        "sms_consent": rng.random() < 0.7,
        "email_consent": rng.random() < 0.4,
        "emergency_contact_name": f"{contact_first} {contact_last or demo.last_name}",
        "emergency_contact_relationship": relationship,
        "emergency_contact_phone": f"+1737555{140 + number:04d}",
    }


def seed_users() -> dict[str, User]:
    """The demo accounts, by username. Existing users keep their
    password unless they have none usable; each gets its role group."""
    groups = Group.objects.in_bulk([spec.role for spec in DEMO_USERS], field_name="name")
    missing = {spec.role for spec in DEMO_USERS} - set(groups)
    if missing:
        raise CommandError(f"Role groups missing ({', '.join(sorted(missing))}): run migrate.")
    users = {}
    # Hashed once for all the accounts: the password is public anyway, and
    # each PBKDF2 hash at production cost takes over half a second.
    hashed = None
    with transaction.atomic():
        for spec in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=spec.username,
                defaults={
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "email": f"{spec.username}@openiop.example",
                    "credentials": spec.credentials,
                    "degree_level": spec.degree_level,
                    "npi": spec.npi,
                    "in_training": spec.in_training,
                    "licensed_to_diagnose": spec.licensed_to_diagnose,
                    "is_staff": spec.is_staff,
                    "is_superuser": False,
                },
            )
            if created or not user.password or not user.has_usable_password():
                hashed = hashed or make_password(DEMO_PASSWORD)
                user.password = hashed
                user.save(update_fields=["password"])
            user.groups.add(groups[spec.role])
            users[spec.username] = user
    return users


def seed_client(*, data: dict, plans: list[EpisodePlan], counselor, intake, supervisor):
    """One client through the services: intake registers and admits, the
    supervisor steps down and discharges. Atomic, so a failed run leaves no
    half-made client for the next run to skip."""
    with transaction.atomic():
        for number, plan in enumerate(plans):
            if number == 0:
                client = client_create(actor=intake, data=data, referral_date=plan.referral)
                episode = client.episodes.get()
            else:
                # Readmission opens a new episode; no service does that yet,
                # so record it as client_create records the first one.
                episode = Episode.objects.create(
                    client=client, phase=Phase.SCREENING, referral_date=plan.referral
                )
                audit_record(
                    actor=intake,
                    action=AuditEvent.Action.CREATE,
                    client=client,
                    obj=episode,
                    details={"episode": str(episode.public_id), "readmission": True},
                )
            if plan.admission is None:
                continue
            episode = episode_admit(
                actor=intake,
                episode=episode,
                admission_date=plan.admission,
                level_of_care=LevelOfCare.INTENSIVE_OUTPATIENT,
                counselor=counselor,
            )
            # The caseload history starts with the admission, not today.
            assignments = CaseloadAssignment.objects.filter(episode=episode)
            assignments.update(started_at=_morning(plan.admission))
            if plan.aftercare:
                episode = episode_start_aftercare(actor=supervisor, episode=episode)
            if plan.discharge is not None:
                episode_discharge(
                    actor=supervisor,
                    episode=episode,
                    discharge_date=plan.discharge,
                    reason=plan.reason,
                )
                assignments.update(ended_at=_morning(plan.discharge) + timedelta(hours=8))
    return client


def _morning(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=9)))


def seed_clients(*, users: dict[str, User], rng: random.Random, today: date) -> int:
    """The forty demo clients; returns how many were new. Every client's
    random draws are made whether or not it exists, so the data a client
    gets does not depend on which others are already there."""
    existing = set(
        Client.objects.filter(
            legal_last_name__in=[demo.last_name for demo in DEMO_CLIENTS]
        ).values_list("legal_first_name", "legal_last_name", "date_of_birth")
    )
    # Admitted clients alternate between the two counselors, so the
    # caseloads are disjoint and about even.
    counselors = (users["counselor1"], users["counselor2"])
    admitted = 0
    created = 0
    for number, (demo, (phase, reason)) in enumerate(zip(DEMO_CLIENTS, PHASE_PLAN, strict=True)):
        data = client_data(rng, demo, number=number)
        plans = plan_episodes(
            rng, today=today, phase=phase, reason=reason, earlier=READMISSIONS.get(number)
        )
        counselor = counselors[admitted % 2]
        if phase != Phase.SCREENING:
            admitted += 1
        if (demo.first_name, demo.last_name, demo.date_of_birth) in existing:
            continue
        seed_client(
            data=data,
            plans=plans,
            counselor=counselor,
            intake=users["intake"],
            supervisor=users["supervisor"],
        )
        created += 1
    return created


def seeder_rng(seeder) -> random.Random:
    """The seeder's own generator (see SEEDER_NAMES)."""
    name = SEEDER_NAMES.get(seeder) or f"{seeder.__module__}.{seeder.__name__}"
    return random.Random(f"{SEED}:{name}")  # noqa: S311 -- demo data, not a secret


def seed_extras(*, users: dict[str, User], today: date) -> list[str]:
    """Run EXTRA_SEEDERS in order, each with its own generator."""
    return [seeder(users=users, rng=seeder_rng(seeder), today=today) for seeder in EXTRA_SEEDERS]


class Command(BaseCommand):
    help = "Create demo staff accounts and fictitious clients (safe to run again)."

    def handle(self, *args, **options):
        started = time.monotonic()
        users = seed_users()
        # A fixed seed: the same demo data on every machine, not a secret.
        rng = random.Random(SEED)  # noqa: S311
        today = timezone.localdate()
        created = seed_clients(users=users, rng=rng, today=today)
        extras = seed_extras(users=users, today=today)
        if options["verbosity"] > 0:
            seconds = time.monotonic() - started
            self.print_summary(users, created=created, extras=extras, seconds=seconds)

    def print_summary(
        self, users: dict[str, User], *, created: int, extras: list[str], seconds: float
    ) -> None:
        write = self.stdout.write
        total = len(DEMO_CLIENTS)
        write(self.style.SUCCESS(f"Demo data ready: {created} new of {total} demo clients."))
        write("")
        write(self.style.MIGRATE_HEADING(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        rows = [("username", "role", "name", "email")]
        for spec in DEMO_USERS:
            user = users[spec.username]
            rows.append((user.username, spec.role, user.get_full_name(), user.email))
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        rows.insert(1, tuple("-" * width for width in widths))
        for row in rows:
            write("  " + "  ".join(map(str.ljust, row, widths)).rstrip())
        write("")
        by_phase = dict(Episode.objects.values_list("phase").annotate(n=Count("id")).order_by())
        phases = ", ".join(f"{value} {by_phase.get(value, 0)}" for value in Phase.values)
        write(f"Episodes: {phases}")
        caseloads = (
            User.objects.filter(username__in=["counselor1", "counselor2"])
            .annotate(
                n=Count(
                    "primary_episodes", filter=Q(primary_episodes__phase__in=Episode.OPEN_PHASES)
                )
            )
            .order_by("username")
        )
        write("Open caseloads: " + ", ".join(f"{user.username} {user.n}" for user in caseloads))
        for line in extras:
            write(line)
        write(f"Done in {seconds:.1f} s.")
        write(self.style.WARNING("Demo data only: never seed a database that holds real records."))
