"""Demo screenings, run by `manage.py seed_demo` (its EXTRA_SEEDERS).

Every episode of a demo client gets its TEDS referral. An admitted episode
gets the completed screening that admitted it, written straight to the
tables dated on the admission day (screening_complete would admit the client
a second time, today); some clients in treatment then repeat the PHQ-9 and
GAD-7 monthly. The clients still in screening are at the steps
screening_data.SCENARIOS gives and get there through the services, so their audit rows, safety flags
and supervisor notifications are what staff would have made. Idempotent: a
client that has a screening, or an episode that has a referral, is left alone.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from devdata.demo import screening_data as data
from devdata.demo.clients_data import DEMO_CLIENTS
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Client, Episode
from iop.clients.signing import signature_fields
from screening.instruments import recommend_level, score
from screening.models import (
    DimensionRating,
    InstrumentAdministration,
    Referral,
    ReferralSubstance,
    SafetyFlag,
    Screening,
)
from screening.selectors import placement_table
from screening.services import (
    administration_record,
    safety_flag_address,
    screening_complete,
    screening_rate_dimensions,
    screening_start,
)

# Clients in treatment whose PHQ-9 and GAD-7 are repeated monthly.
FOLLOWED_UP = 10
MONTH = timedelta(days=30)


def seed_screenings(*, users, rng: random.Random, today: date) -> str:
    """Seed referrals and screenings of the demo clients; returns a summary line.
    Each client draws from its own generator, seeded from `rng` and its name, so
    what it gets does not depend on which others were seeded before."""
    intake = users["intake"]
    base = rng.getrandbits(64)
    clients = _demo_clients()
    followed = _followed_up(rng, clients, today)
    table = placement_table()
    before = Screening.objects.count()
    for client in clients:
        key = f"{base}:{client.legal_first_name}:{client.legal_last_name}:{client.date_of_birth}"
        with transaction.atomic():
            episodes = list(client.episodes.order_by("referral_date", "id"))
            primary = _seed_referrals(_rng(key, "referral"), client, episodes, intake)
            if Screening.objects.filter(episode__client=client).exists():
                continue
            draws = _rng(key, "screening")
            admitted = [episode for episode in episodes if episode.admission_date]
            baseline = {}
            for episode in admitted:
                baseline = _seed_admission(
                    draws, episode, primary=primary, intake=intake, table=table
                )
            if admitted and client.pk in followed:
                _seed_follow_up(draws, admitted[-1], baseline=baseline, today=today, intake=intake)
            if not admitted and episodes and episodes[-1].phase == Episode.Phase.SCREENING:
                scenario = data.SCENARIOS.get((client.legal_first_name, client.legal_last_name))
                _seed_in_screening(draws, scenario, episodes[-1], primary=primary, intake=intake)
    flags = SafetyFlag.objects.filter(client__in=clients)
    return (
        f"Screenings: {Screening.objects.count() - before} new; safety flags "
        f"{flags.filter(addressed_at__isnull=True).count()} open, "
        f"{flags.filter(addressed_at__isnull=False).count()} addressed."
    )


def _rng(key: str, part: str) -> random.Random:
    return random.Random(f"{key}:{part}")  # noqa: S311 -- demo data, not a secret


def _demo_clients() -> list[Client]:
    """The demo clients that exist, in DEMO_CLIENTS order; others are not touched."""
    order = {(d.first_name, d.last_name, d.date_of_birth): n for n, d in enumerate(DEMO_CLIENTS)}
    found = Client.objects.filter(legal_last_name__in=[d.last_name for d in DEMO_CLIENTS])
    keyed = {(c.legal_first_name, c.legal_last_name, c.date_of_birth): c for c in found}
    return [keyed[name] for name in sorted(set(keyed) & set(order), key=order.__getitem__)]


def _followed_up(rng: random.Random, clients: list[Client], today: date) -> set[int]:
    """FOLLOWED_UP of the clients in treatment for over two months."""
    ids = set(
        Episode.objects.filter(
            client__in=clients,
            phase__in=Episode.ACTIVE_PHASES,
            admission_date__lt=today - 2 * MONTH,  # two follow-ups at least
        ).values_list("client_id", flat=True)
    )
    candidates = [client.pk for client in clients if client.pk in ids]
    return set(rng.sample(candidates, min(FOLLOWED_UP, len(candidates))))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _seed_referrals(rng: random.Random, client: Client, episodes: list[Episode], intake) -> str:
    """A referral for each episode that lacks one; returns the primary substance."""
    names = data.FIXED_SUBSTANCES.get((client.legal_first_name, client.legal_last_name))
    if names is None:
        primary = rng.choices(list(data.PRIMARY_SUBSTANCES), data.PRIMARY_SUBSTANCES.values())[0]
        others = [name for name in data.OTHER_SUBSTANCES if name != primary]
        names = (primary, *rng.sample(others, rng.choice((0, 1, 1, 2))))
    profile = {
        "employment": rng.choice(data.EMPLOYMENT),
        "living_arrangement": rng.choice(data.LIVING),
        "education": rng.choice(data.EDUCATION),
        "veteran": rng.random() < 0.08,
        "pregnant": False if client.sex == "female" else None,
        "planned_moud": names[0] in data.OPIOIDS and rng.random() < 0.6,
    }
    treated_elsewhere = rng.choice((0, 0, 0, 1, 1, 2))
    for number, episode in enumerate(episodes):
        source, detail = rng.choice(data.SOURCES)
        substances = [
            ReferralSubstance(
                rank=rank,
                substance=name,
                route=rng.choice(data.ROUTES[name]),
                frequency=rng.choice(
                    data.PRIMARY_FREQUENCIES if rank == 1 else data.OTHER_FREQUENCIES
                ),
                age_first_use=min(
                    rng.randint(*data.FIRST_USE[name]),
                    (episode.referral_date - client.date_of_birth).days // 365,
                ),
            )
            for rank, name in enumerate(names, start=1)
        ]
        if Referral.objects.filter(episode=episode).exists():
            continue
        referral = Referral(
            episode=episode,
            created_by=intake,
            source=source,
            source_detail=detail,
            prior_episodes=treated_elsewhere + number,
            **profile,
        )
        referral.full_clean()
        referral.save()
        Referral.objects.filter(pk=referral.pk).update(created_at=_at(episode.referral_date, 9))
        for row in substances:
            row.referral = referral
            row.full_clean()
        ReferralSubstance.objects.bulk_create(substances)
        _audit(intake, client, referral, substances=len(substances))
    primary = ReferralSubstance.objects.filter(referral__episode=episodes[-1], rank=1)
    return primary.values_list("substance", flat=True).first() or names[0]


def _audit(actor, client: Client, obj, **details) -> None:
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, client=client, obj=obj, details=details
    )


def _seed_admission(rng, episode: Episode, *, primary: str, intake, table) -> dict[str, int]:
    """The completed screening that admitted `episode`, on its admission day
    (visit 9:00-10:00). Returns its PHQ-9 and GAD-7 totals."""
    client, day = episode.client, episode.admission_date
    ratings = data.ratings_for_iop(rng)
    results = {
        code: score(code, answers, sex=_sex(client, code))
        for code, answers in (
            data.substance_instrument(rng, primary),
            ("PHQ-9", data.phq9(rng, rng.randint(5, 17))),
            ("GAD-7", data.spread(rng, "1234567", rng.randint(4, 15))),
        )
    }
    placement = recommend_level(ratings, results, table=table)
    level = episode.level_of_care or "2.1"
    screening = Screening.objects.create(
        episode=episode,
        status=Screening.Status.COMPLETED,
        started_by=intake,
        recommended_level=placement.level,
        recommendation_reasons=placement.reasons,
        decision=Screening.Decision.ADMIT,
        decided_level=level,
        decision_reason=""
        if placement.level == level
        else rng.choice(data.BELOW_RECOMMENDATION_REASONS),
        # Signed as screening_complete signs (iop.clients.signing), at 10:00.
        **signature_fields(actor=intake, service_started_at=_at(day, 9), now=_at(day, 10)),
    )
    Screening.objects.filter(pk=screening.pk).update(started_at=_at(day, 9))
    _audit(intake, client, screening, status="completed", decision="admit", level=level)
    DimensionRating.objects.bulk_create(
        DimensionRating(
            screening=screening,
            dimension=dimension,
            rating=rating,
            justification=rng.choice(data.JUSTIFICATIONS[dimension][rating]),
        )
        for dimension, rating in ratings.items()
    )
    for minute, result in enumerate(results.values(), start=1):
        administration = InstrumentAdministration.objects.create(
            client=client,
            episode=episode,
            screening=screening,
            code=result.code,
            version=result.version,
            answers=result.answers,
            sex_used=_sex(client, result.code) or "",
            total=result.total,
            band=result.band,
            band_label=result.band_label,
            flags=list(result.flags),
            administered_by=intake,
            administered_at=_at(day, 9, 10 * minute),
        )
        _audit(intake, client, administration, instrument=result.code)
    return {"PHQ-9": results["PHQ-9"].total, "GAD-7": results["GAD-7"].total}


def _seed_follow_up(rng, episode: Episode, *, baseline: dict[str, int], today: date, intake):
    """PHQ-9 and GAD-7 by the counselor each month since admission, improving."""
    client, counselor = episode.client, episode.primary_counselor or intake
    month = 1
    while (day := episode.admission_date + month * MONTH) < today:
        factor = max(0.2, 1 - 0.2 * month)
        for code in ("PHQ-9", "GAD-7"):
            total = max(0, round(baseline[code] * factor) + rng.randint(-1, 1))
            answers = (
                data.phq9(rng, total) if code == "PHQ-9" else data.spread(rng, "1234567", total)
            )
            administration_record(
                actor=counselor,
                client=client,
                code=code,
                answers=answers,
                administered_at=_at(day, 11, 5 if code == "GAD-7" else 0),
            )
        month += 1


def _seed_in_screening(rng, scenario: str | None, episode: Episode, *, primary: str, intake):
    """Take one client in screening to its scenario, through the services."""
    if scenario in (None, data.WAITING):
        return
    screening = screening_start(actor=intake, episode=episode)

    def give(code: str, answers: dict) -> InstrumentAdministration:
        return administration_record(
            actor=intake, client=episode.client, code=code, answers=answers, screening=screening
        )

    give(*data.substance_instrument(rng, primary, heavy=scenario == data.REFERRED))
    if scenario == data.DRAFT:
        give("PHQ-9", data.phq9(rng, rng.randint(4, 12)))
    elif scenario == data.FLAG_OPEN:
        give("C-SSRS", data.CSSRS_MODERATE)
    elif scenario == data.FLAG_ADDRESSED:
        phq9 = give("PHQ-9", data.phq9(rng, 14, item9=1))
        give("C-SSRS", data.CSSRS_LOW)
        for flag in phq9.safety_flags.all():
            safety_flag_address(
                actor=intake,
                flag=flag,
                action=SafetyFlag.Action.SAFETY_PLAN,
                note=data.SAFETY_PLAN_NOTE,
            )
        ratings = data.justified(rng, data.ratings_for_iop(rng)) | {"D3": (2, data.FLAGGED_D3)}
        screening_rate_dimensions(actor=intake, screening=screening, ratings=ratings)
    elif scenario == data.REFERRED:
        give("PHQ-9", data.phq9(rng, 16))
        give("GAD-7", data.spread(rng, "1234567", 12))
        screening = screening_rate_dimensions(
            actor=intake, screening=screening, ratings=data.justified(rng, data.REFERRED_RATINGS)
        )
        screening_complete(
            actor=intake,
            screening=screening,
            decision={
                "decision": Screening.Decision.REFER,
                "decided_level": "3.5",
                "reason": "" if screening.recommended_level == "3.5" else data.REFERRED_REASON,
                "referred_to": data.REFERRED_TO,
                "share_results_in_letter": True,
            },
        )


def _sex(client: Client, code: str) -> str | None:
    return client.sex if code == "AUDIT" and client.sex in ("female", "male") else None
