"""Demographics and social items (the TEDS items) of every demo episode, with
some answers "client declined" or "unknown" as a clinic records them, and a
client in screening whose items are still partly missing (the screening
page lists them). Each change through the service, audited as intake's."""

import random
from datetime import date

from django.db import transaction

from aftercare.models import DischargeSummary
from devdata.demo.screening import _demo_clients
from iop.clients import teds
from iop.clients.models import Client, Demographics, Episode
from iop.clients.services import demographics_update

# Rough shares of an outpatient program's admissions (fictitious clinic).
RACES = (
    (["white"], 55),
    (["black"], 20),
    (["asian"], 4),
    (["american_indian"], 3),
    (["pacific_islander"], 1),
    (["other"], 5),
    (["white", "black"], 4),
    (["white", "american_indian"], 2),
    (["declined"], 4),
    (["unknown"], 2),
)
ETHNICITIES = (
    ("not_hispanic", 70),
    ("mexican", 12),
    ("puerto_rican", 4),
    ("cuban_other", 3),
    ("hispanic", 4),
    ("declined", 5),
    ("unknown", 2),
)
MARITAL = ("never_married", "never_married", "married", "separated", "divorced", "widowed")
INSURANCE = ("medicaid", "medicaid", "private", "private", "medicare", "none", "other")
PAYMENT = {
    "medicaid": "medicaid",
    "private": "private",
    "medicare": "medicare",
    "none": "self_pay",
    "other": "other_government",
}
INCOME = ("wages", "wages", "public_assistance", "retirement_disability", "none", "other")
ARRESTS = ("none", "none", "none", "none", "once", "two_or_more")
SELF_HELP = ("none", "none", "1_3", "4_7", "8_30", "some")
# Share of items answered "declined" or "unknown" instead.
NOT_ANSWERED_SHARE = 0.06
# In screening: this client's items are only partly recorded.
PARTLY_RECORDED = ("marital_status", "health_insurance", "payment_source", "veteran")


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _maybe_not_answered(rng: random.Random, value: str) -> str:
    if rng.random() < NOT_ANSWERED_SHARE:
        return rng.choice((teds.DECLINED, teds.UNKNOWN))
    return value


def _answers(rng: random.Random, client: Client, episode: Episode) -> dict:
    insurance = rng.choice(INSURANCE)
    answers = {
        "race": _pick(rng, RACES),
        "ethnicity": _pick(rng, ETHNICITIES),
        "marital_status": _maybe_not_answered(rng, rng.choice(MARITAL)),
        "health_insurance": insurance,
        "payment_source": _maybe_not_answered(rng, PAYMENT[insurance]),
        "income_source": _maybe_not_answered(rng, rng.choice(INCOME)),
        "arrests_admission": _maybe_not_answered(rng, rng.choice(ARRESTS)),
        "self_help_admission": rng.choice(SELF_HELP),
        "veteran": _maybe_not_answered(rng, "yes" if rng.random() < 0.08 else "no"),
    }
    if client.sex == Client.Sex.FEMALE:
        answers["pregnant"] = _maybe_not_answered(rng, "no")
    referral = getattr(episode, "referral", None)
    if referral is not None and referral.employment == teds.Employment.NOT_IN_LABOR_FORCE:
        answers["not_in_labor_force"] = rng.choice(
            ("student", "retired_disabled", "homemaker", "other")
        )
    if episode.discharge_date is not None:
        answers["arrests_discharge"] = rng.choice(ARRESTS[:5])
    return answers


def seed_demographics(*, users, rng: random.Random, today: date) -> str:
    """Demographics of each demo episode that has none; returns a summary line."""
    intake = users["intake"]
    created = partial = 0
    for client in _demo_clients():
        episodes = Episode.objects.filter(client=client).select_related("referral")
        recorded = set(
            Demographics.objects.filter(episode__client=client).values_list("episode", flat=True)
        )
        for episode in episodes.order_by("referral_date", "pk"):
            if episode.pk in recorded:
                continue
            answers = _answers(rng, client, episode)
            if episode.phase == Episode.Phase.SCREENING and not partial:
                # One client in screening shows intake what an admission still needs.
                answers = {key: answers[key] for key in PARTLY_RECORDED}
                partial += 1
            employment = episode.referral.employment if hasattr(episode, "referral") else ""
            with transaction.atomic():
                demographics_update(
                    actor=intake, episode=episode, data=answers, employment=employment
                )
            created += 1
    _seed_use_at_discharge(rng)
    declined = Demographics.objects.filter(ethnicity=teds.DECLINED).count()
    return (
        f"Demographics: {created} episodes recorded ({partial} in screening partly), "
        f"{declined} with ethnicity declined."
    )


# Use of the primary substance in the 30 days before discharge (TEDS FREQ1_D)
# by discharge reason: completers mostly abstinent.
USE_AT_DISCHARGE = {1: ("none", "none", "none", "1_3_month"), 2: ("1_2_week", "daily", "none")}


def _seed_use_at_discharge(rng: random.Random) -> None:
    """The discharge summaries written before the item was asked."""
    summaries = DischargeSummary.objects.filter(
        episode__client__in=_demo_clients(), primary_frequency=""
    ).select_related("episode")
    for summary in summaries.order_by("pk"):
        choices = USE_AT_DISCHARGE.get(summary.episode.discharge_reason, ("none", "1_3_month"))
        DischargeSummary.objects.filter(pk=summary.pk).update(primary_frequency=rng.choice(choices))
