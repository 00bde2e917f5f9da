"""Demo family involvement, run by `manage.py seed_demo` (its EXTRA_SEEDERS).

About half of the admitted demo clients get one or two family members, and
their consents: one in effect for each client's first family member
(attendance and progress), for some an older one that has expired, and for
some a consent to an outside party that the client revoked. Family members
whose consent is in effect attend the Family Education sessions already held
in the client's family group; some clients' counselors have exported a
release of information. Everything goes through the services, so the audit
trail and the disclosure ledger look as staff would have left them. Revoked
consents are revoked on the seeding day (revocation is always "now").
Idempotent: a client that has a family member is left alone.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from devdata.demo.clients_data import DEMO_CLIENTS
from family.models import Consent, Disclosure, FamilyAttendance, FamilyLink
from family.services import (
    consent_record,
    consent_revoke,
    family_attendance_record,
    family_member_add,
    release_of_information_export,
)
from groups.models import Enrollment, GroupSession
from iop.clients.models import Client, Episode

FIRST_NAMES = {
    "female": ("Maria", "Linda", "Patricia", "Elena", "Carmen", "Grace", "Rosa", "Janet"),
    "male": ("James", "Robert", "Michael", "David", "Thomas", "Luis", "Daniel", "Samuel"),
}
# (relationship, sex of the family member, shares the client's last name)
RELATIVES = (
    ("parent", "female", True),
    ("parent", "male", True),
    ("partner", "female", False),
    ("partner", "male", False),
    ("sibling", "female", True),
    ("sibling", "male", True),
    ("friend", "female", False),
)
OTHER_LAST_NAMES = ("Morales", "Bennett", "Nguyen", "Okafor", "Sullivan", "Haddad", "Rossi")
OUTSIDE_PARTIES = (
    ("probation", "Officer Dana Reyes", "Travis County Adult Probation"),
    ("eap", "Jordan Blake, EAP counselor", "Lone Star Employee Assistance"),
    ("prescriber", "Dr. Priya Raman", "Eastside Family Clinic"),
)
PURPOSES = {
    "family": "To involve the family in the client's recovery and Family Education.",
    "probation": "To verify participation in treatment as a condition of probation.",
    "eap": "To confirm attendance for the employer's return-to-work agreement.",
    "prescriber": "To coordinate medication for opioid use disorder with the prescriber.",
}
REVOCATION = (
    "The client may revoke this consent at any time, orally or in writing, by telling "
    "any program staff member; it does not undo disclosures already made."
)
ATTENDED_SHARE = 0.8


def seed_family(*, users, rng: random.Random, today: date) -> str:
    """Seed family members, consents and Family Education attendance."""
    clients = _admitted_demo_clients()
    chosen = {c.pk for c in rng.sample(clients, min(len(DEMO_CLIENTS) // 2, len(clients)))}
    base = rng.getrandbits(64)
    created = 0
    for number, client in enumerate(clients):
        if client.pk not in chosen or FamilyLink.objects.filter(client=client).exists():
            continue
        draws = random.Random(f"{base}:{client.legal_first_name}:{client.legal_last_name}")  # noqa: S311
        with transaction.atomic():
            _seed_client(draws, client, users=users, today=today, number=number)
        created += 1
    return _summary(created)


def _admitted_demo_clients() -> list[Client]:
    order = {(d.first_name, d.last_name, d.date_of_birth): n for n, d in enumerate(DEMO_CLIENTS)}
    found = Client.objects.filter(
        legal_last_name__in=[d.last_name for d in DEMO_CLIENTS],
        episodes__admission_date__isnull=False,
    ).distinct()
    keyed = {(c.legal_first_name, c.legal_last_name, c.date_of_birth): c for c in found}
    return [keyed[key] for key in sorted(set(keyed) & set(order), key=order.__getitem__)]


def _counselor(client: Client, users):
    episode = (
        client.episodes.filter(admission_date__isnull=False).order_by("-referral_date").first()
    )
    return (episode and episode.primary_counselor) or users["supervisor"]


def _member_data(draws, client: Client, index: int, number: int) -> tuple[dict, str]:
    relationship, sex, same_name = draws.choice(RELATIVES)
    first = draws.choice(FIRST_NAMES[sex])
    last = client.legal_last_name if same_name else draws.choice(OTHER_LAST_NAMES)
    sms = draws.random() < 0.7
    email = draws.random() < 0.4
    data = {
        "first_name": first,
        "last_name": last,
        # 555-01xx numbers are reserved for fiction.
        "phone": f"+1830555{100 + (2 * number + index) % 100:04d}",
        "email": f"{first.lower()}.{last.lower()}@example.net" if email else "",
        "preferred_language": client.preferred_language,
        "sms_consent": sms,
        "email_consent": email,
    }
    return data, relationship


def _consent(actor, client, *, member=None, outside=None, categories, signed_on, **extra):
    kind = "family" if member else outside[0]
    data = {
        "recipient_kind": kind,
        "recipient_member": member,
        "recipient_name": outside[1] if outside else "",
        "recipient_organization": outside[2] if outside else "",
        "discloser": "OpenIOP (the program's clinical staff)",
        "categories": categories,
        "description": "Dates attended and a short summary of progress for the current episode."
        if member
        else "Attendance dates and whether the client remains in treatment.",
        "purpose": PURPOSES[kind],
        "revocation_instructions": REVOCATION,
        "signed_on": signed_on,
        "signature_name": client.legal_name,
        "signature_method": Consent.SignatureMethod.CONFIRMED,
        "signature_confirmed": True,
        **extra,
    }
    return consent_record(actor=actor, client=client, data=data)


def _seed_client(draws, client: Client, *, users, today: date, number: int) -> None:
    actor = _counselor(client, users)
    episode = (
        client.episodes.filter(admission_date__isnull=False).order_by("-referral_date").first()
    )
    links = [
        family_member_add(actor=actor, client=client, data=data, relationship=relationship)
        for data, relationship in (
            _member_data(draws, client, index, number) for index in range(draws.choice((1, 1, 2)))
        )
    ]
    signed_on = min(episode.admission_date + timedelta(days=draws.randint(0, 6)), today)
    first = links[0].member
    if draws.random() < 0.4 and episode.admission_date + timedelta(days=30) < today:
        # An earlier, narrower consent that ran its course.
        _consent(
            actor,
            client,
            member=first,
            categories=["attendance"],
            signed_on=episode.admission_date,
            expires_on=episode.admission_date + timedelta(days=30),
        )
    active = None
    if episode.is_open:
        active = _consent(
            actor,
            client,
            member=first,
            categories=["attendance", "progress"],
            signed_on=signed_on,
            expires_on=None,
            expiry_event="Discharge from the program",
        )
    if draws.random() < 0.3:
        revoked = _consent(
            actor,
            client,
            outside=draws.choice(OUTSIDE_PARTIES),
            categories=["attendance", "drug_tests"],
            signed_on=signed_on,
            expires_on=signed_on + timedelta(days=365),
        )
        consent_revoke(actor=actor, consent=revoked, note="Asked in session to withdraw it.")
    if active is None:
        return
    _attend_family_education(draws, client, episode, first, since=signed_on)
    if draws.random() < 0.3:
        release_of_information_export(actor=actor, consent=active)


def _attend_family_education(draws, client, episode: Episode, member, *, since: date) -> None:
    enrollments = Enrollment.objects.filter(
        episode=episode,
        group__isnull=False,
        status=Enrollment.Status.ACTIVE,
        program_track__track__for_family=True,
    ).select_related("group__facilitator")
    now = timezone.now()
    for enrollment in enrollments:
        sessions = GroupSession.objects.filter(
            Q(starts_at__date__lte=enrollment.end_date) if enrollment.end_date else Q(),
            group=enrollment.group,
            status=GroupSession.Status.SCHEDULED,
            starts_at__date__gte=max(since, enrollment.start_date),
            starts_at__lt=now,
        ).select_related("group__track")
        for session in sessions:
            status = (
                "present"
                if draws.random() < ATTENDED_SHARE
                else draws.choice(("absent", "excused"))
            )
            family_attendance_record(
                actor=enrollment.group.facilitator,
                session=session,
                member=member,
                client=client,
                status=status,
            )


def _summary(created: int) -> str:
    states = {"active": 0, "expired": 0, "revoked": 0}
    now = timezone.now()
    for consent in Consent.objects.all():
        if consent.revoked_at:
            states["revoked"] += 1
        elif consent.event_occurred_at or (
            consent.expires_on and consent.expires_on < timezone.localdate(now)
        ):
            states["expired"] += 1
        else:
            states["active"] += 1
    return (
        f"Family: {FamilyLink.objects.count()} family members of "
        f"{FamilyLink.objects.values('client').distinct().count()} clients ({created} new); "
        f"consents {states['active']} in effect, {states['expired']} expired, "
        f"{states['revoked']} revoked; {FamilyAttendance.objects.count()} Family Education "
        f"attendances; {Disclosure.objects.count()} disclosures in the ledger."
    )
