"""Demo diagnoses, run by `manage.py seed_demo` (its EXTRA_SEEDERS).

Every admitted demo episode gets a primary substance use disorder from the
DSM-5-TR checklist, for the class of the referral's primary substance; about
a third also get a co-occurring mental health diagnosis (the first a
recurrent major depressive disorder, F33.1). One client on buprenorphine has
an opioid use disorder in early remission on maintenance therapy. counselor1
and the supervisor are licensed to diagnose, counselor2 (in training) is
not: counselor2's diagnoses are proposed, and the supervisor confirmed them
all but those of counselor2's latest admission, which wait on the
Proposed diagnoses list. Discharged episodes record their primary diagnosis
at discharge. Everything goes through the services. Idempotent: an episode
with a diagnosis is left alone.
"""

import random
from datetime import date, timedelta

from django.db import transaction

from devdata.demo.clients_data import DEMO_USERS
from iop.clients.diagnoses import Criterion, SubstanceClass, criteria_for
from iop.clients.models import Client, Diagnosis, Episode, Medication
from iop.clients.services.diagnoses import (
    diagnosis_add_code,
    diagnosis_add_sud,
    diagnosis_confirm,
    episode_discharge_diagnosis_set,
)
from screening.models import ReferralSubstance

# The referral's primary substance (TEDS SUB1, iop.clients.teds.Substance
# values) -> the DSM-5-TR class of its use disorder.
CLASS_OF_SUBSTANCE = {
    "alcohol": SubstanceClass.ALCOHOL,
    "cocaine": SubstanceClass.COCAINE,
    "marijuana": SubstanceClass.CANNABIS,
    "heroin": SubstanceClass.OPIOID,
    "methadone": SubstanceClass.OPIOID,
    "opioids": SubstanceClass.OPIOID,
    "pcp": SubstanceClass.HALLUCINOGEN,
    "hallucinogens": SubstanceClass.HALLUCINOGEN,
    "methamphetamine": SubstanceClass.STIMULANT,
    "amphetamines": SubstanceClass.STIMULANT,
    "stimulants": SubstanceClass.STIMULANT,
    "benzodiazepines": SubstanceClass.SEDATIVE,
    "sedatives": SubstanceClass.SEDATIVE,
    "inhalants": SubstanceClass.INHALANT,
    "otc": SubstanceClass.OTHER,
    "other": SubstanceClass.OTHER,
}
# Co-occurring diagnoses, in turn: the first a depression.
CO_OCCURRING = ("F33.1", "F41.1", "F43.10", "F32.1", "F40.10")


def _criteria(rng: random.Random, klass, count: int) -> list[str]:
    # Craving and loss of control are the commonest; the rest drawn.
    asked = [c.value for c in criteria_for(klass)]
    first = [Criterion.CRAVING.value, Criterion.CUT_DOWN.value]
    rest = [c for c in asked if c not in first]
    return first + rng.sample(rest, count - len(first))


def _made_on(episode: Episode, rng: random.Random, today: date) -> date:
    """At the intake assessment, in the days before admission: the services
    from the first day on have a diagnosis to be billed under."""
    return episode.admission_date - timedelta(days=rng.randint(0, 4))


def _seed_episode(episode, *, users, rng, today, co_occurring: str, maintenance: bool) -> int:
    counselor = episode.primary_counselor or users["supervisor"]
    primary = (
        ReferralSubstance.objects.filter(referral__episode=episode, rank=1)
        .values_list("substance", flat=True)
        .first()
    )
    klass = SubstanceClass.OPIOID if maintenance else CLASS_OF_SUBSTANCE.get(primary, "alcohol")
    made_on = _made_on(episode, rng, today)
    if maintenance:
        # On buprenorphine: 3+ months without a criterion but craving.
        diagnosis_add_sud(
            actor=counselor,
            episode=episode,
            substance_class=klass,
            criteria_met=_criteria(rng, klass, 7),
            remission="early",
            on_maintenance_therapy=True,
            date_made=made_on,
        )
    else:
        diagnosis_add_sud(
            actor=counselor,
            episode=episode,
            substance_class=klass,
            criteria_met=_criteria(rng, klass, rng.choice((3, 4, 5, 6, 7, 8))),
            date_made=made_on,
        )
    made = 1
    if co_occurring:
        diagnosis_add_code(
            actor=counselor, episode=episode, icd10_code=co_occurring, date_made=made_on
        )
        made += 1
    return made


def seed_diagnoses(*, users: dict, rng: random.Random, today: date) -> str:
    for spec in DEMO_USERS:
        # Also for a database seeded before staff had the mark.
        user = users[spec.username]
        if user.licensed_to_diagnose != spec.licensed_to_diagnose:
            user.licensed_to_diagnose = spec.licensed_to_diagnose
            user.save(update_fields=["licensed_to_diagnose"])
    episodes = list(
        Episode.objects.filter(
            admission_date__isnull=False,
            client__in=Client.objects.filter(email__endswith="@example.org"),
            diagnoses__isnull=True,
        )
        .select_related("client", "primary_counselor")
        .order_by("client__legal_last_name", "admission_date", "pk")
    )
    on_buprenorphine = set(
        Medication.objects.filter(
            drug=Medication.Drug.BUPRENORPHINE, stop_date__isnull=True
        ).values_list("client_id", flat=True)
    )
    # The one in early remission on maintenance therapy: the first open
    # episode of a client on buprenorphine (when seeded for the first time).
    maintenance = next(
        (e.pk for e in episodes if e.client_id in on_buprenorphine and e.is_open), None
    )
    # The client whose diagnoses stay proposed: counselor2's latest
    # admission, so billing holds the days of a week or two, not of months.
    left_proposed = max(
        (e for e in episodes if e.primary_counselor == users["counselor2"] and e.is_open),
        key=lambda e: (e.admission_date, e.pk),
        default=None,
    )
    left_proposed = left_proposed.pk if left_proposed else None
    made = 0
    turn = 0
    supervisor = users["supervisor"]
    for number, episode in enumerate(episodes):
        co_occurring = ""
        if number % 3 == 0:
            co_occurring = CO_OCCURRING[turn % len(CO_OCCURRING)]
            turn += 1
        with transaction.atomic():
            made += _seed_episode(
                episode,
                users=users,
                rng=rng,
                today=today,
                co_occurring=co_occurring,
                maintenance=episode.pk == maintenance,
            )
            if episode.pk != left_proposed:
                for diagnosis in episode.diagnoses.filter(status=Diagnosis.Status.PROPOSED):
                    diagnosis_confirm(actor=supervisor, diagnosis=diagnosis)
            if episode.discharge_date is not None:
                episode_discharge_diagnosis_set(
                    actor=supervisor,
                    episode=episode,
                    diagnosis=episode.diagnoses.primary().first(),
                )
    proposed = Diagnosis.objects.filter(status=Diagnosis.Status.PROPOSED).count()
    return (
        f"Diagnoses: {made} recorded for {len(episodes)} episodes; {proposed} awaiting confirmation"
    )
