"""Builders for the drafting tests: a payer with its rates, a client's
coverage and diagnosis, and documented services (group attendance and
individual sessions) signed or not, in a week safely in the past."""

import datetime
from decimal import Decimal

from django.utils import timezone

from billing.models import Coverage, FeeRate, Payer
from groups.models import Attendance
from iop.accounts import roles
from iop.clients.models import Appointment, Diagnosis, SessionNote
from tests.factories import EpisodeFactory, UserFactory
from tests.groups.factories import GroupSessionFactory, RecurringGroupFactory

RATES = {
    "H0015": Decimal("250.00"),
    "H0005": Decimal("45.00"),
    "H0004": Decimal("30.00"),
    "H0001": Decimal("150.00"),
    "H0048": Decimal("12.00"),
    "90853": Decimal("60.00"),
    "90832": Decimal("80.00"),
    "90834": Decimal("110.00"),
    "90837": Decimal("150.00"),
    "90847": Decimal("120.00"),
}
PROGRAM_RATES = {code: amount / 2 for code, amount in RATES.items()}


def a_monday(weeks_ago: int = 4) -> datetime.date:
    today = timezone.localdate() - datetime.timedelta(weeks=weeks_ago)
    return today - datetime.timedelta(days=today.weekday())


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def staff():
    return UserFactory(roles=[roles.COUNSELOR])


def rates(payer: Payer | None, table: dict, *, by=None, modifiers=None, since=None):
    by = by or staff()
    since = since or datetime.date(2020, 1, 1)
    for code, amount in table.items():
        FeeRate.objects.create(
            payer=payer,
            code=code,
            modifiers=(modifiers or {}).get(code, ["HF"] if code == "H0004" else []),
            amount=amount,
            effective_from=since,
            created_by=by,
        )


def payer(name="Medicaid MCO", **fields) -> Payer:
    payer = Payer.objects.create(
        name=name, kind=fields.pop("kind", Payer.Kind.MANAGED_CARE), **fields
    )
    rates(payer, RATES)
    return payer


def covered(episode, payer: Payer, *, order=Coverage.Order.PRIMARY, since=None) -> Coverage:
    return Coverage.objects.create(
        client=episode.client,
        payer=payer,
        member_id="M123",
        subscriber_relationship=Coverage.Relationship.SELF,
        order=order,
        effective_from=since or datetime.date(2020, 1, 1),
        created_by=staff(),
    )


def diagnosed(episode, *, code="F10.20", rank=1, made=None) -> Diagnosis:
    return Diagnosis.objects.create(
        client=episode.client,
        episode=episode,
        kind=Diagnosis.Kind.SUD,
        icd10_code=code,
        description="Alcohol dependence, uncomplicated",
        substance_class="alcohol",
        criteria_met=["craving", "larger_amounts", "cut_down", "time_spent"],
        severity="moderate",
        date_made=made or datetime.date(2020, 1, 1),
        made_by=staff(),
        status=Diagnosis.Status.CONFIRMED,
        rank=rank,
    )


def billable_episode(payer_=None, **episode_fields):
    """An admitted episode with a primary coverage and a confirmed diagnosis."""
    episode = EpisodeFactory(
        referral_date=datetime.date(2019, 12, 1),
        admission_date=datetime.date(2020, 1, 1),
        **episode_fields,
    )
    if payer_ is not None:
        covered(episode, payer_)
    diagnosed(episode)
    return episode


def signature(by, when, *, late=False, cosign=False):
    return {
        "signed_by": by,
        "signed_at": when,
        "signed_late": late,
        "cosign_required": cosign,
    }


def group_service(
    episode,
    day,
    minutes,
    *,
    hour=9,
    status=Attendance.Status.PRESENT,
    signed=True,
    session=None,
    **sig,
):
    """One client's attendance at a group session on `day` (signed by its
    facilitator unless told otherwise)."""
    session = session or GroupSessionFactory(
        group=RecurringGroupFactory(),
        starts_at=at(day, hour),
        duration_minutes=max(minutes, 60),
        summary="Relapse triggers",
    )
    facilitator = session.group.facilitator
    fields = signature(facilitator, at(day, 23), **sig) if signed else {}
    return Attendance.objects.create(
        session=session,
        client=episode.client,
        episode=episode,
        status=status,
        minutes=minutes,
        participation=Attendance.Participation.ACTIVE,
        remark=f"Named a trigger {episode.pk}",
        **fields,
    )


def individual_service(
    episode,
    day,
    minutes,
    *,
    hour=14,
    kind=Appointment.Kind.INDIVIDUAL,
    code="H0004",
    signed=True,
    mode=Appointment.Mode.IN_PERSON,
    counselor=None,
    **sig,
):
    counselor = counselor or staff()
    appointment = Appointment.objects.create(
        client=episode.client,
        episode=episode,
        kind=kind,
        starts_at=at(day, hour),
        duration_minutes=max(minutes, 15),
        counselor=counselor,
        mode=mode,
        status=Appointment.Status.ATTENDED,
    )
    fields = signature(counselor, at(day, 23), **sig) if signed else {}
    return SessionNote.objects.create(
        appointment=appointment,
        author=counselor,
        data="d",
        assessment="a",
        plan="p",
        service_code=code,
        minutes=minutes,
        **fields,
    )
