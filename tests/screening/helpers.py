"""Answer sets, ratings and shortcuts shared by the screening service and view
tests. Plain functions: fixtures live in conftest.py beside this file."""

import datetime

from django.urls import reverse
from django.utils import timezone

from screening import services
from screening.instruments import DEFAULT_PLACEMENT_TABLE, DIMENSIONS, LEVEL_LABELS
from screening.models import LevelOfCareRule
from tests.factories import answered_demographics

ORIENTATION_IN = datetime.timedelta(days=3)


def phq9(item9=0, rest=0):
    """PHQ-9 answers: items 1-8 all `rest`, item 9 as given."""
    return {**{str(key): rest for key in range(1, 9)}, "9": item9}


def ciwa(total):
    """CIWA-Ar answers adding up to `total`, sevens first (item 10 tops out at 4)."""
    answers = {}
    for key in map(str, range(1, 11)):
        answers[key] = min(total, 4 if key == "10" else 7)
        total -= answers[key]
    return answers


CSSRS = {
    "none": {"1": "no", "2": "no", "6": "no"},
    "low": {"1": "yes", "2": "no", "6": "no"},
    "moderate": {"1": "yes", "2": "yes", "3": "yes", "4": "no", "5": "no", "6": "no"},
    "high": {"1": "no", "2": "no", "6": "yes", "6b": "yes"},
}


def ratings(*values, justification="Seen at the screening visit"):
    """The six dimension ratings (D1..D6 from `values`, 0 when not given)."""
    padded = list(values) + [0] * (len(DIMENSIONS) - len(values))
    return {
        dimension: (value, justification)
        for dimension, value in zip(DIMENSIONS, padded, strict=True)
    }


# Ratings whose first fitting level in the default table is 2.1 (D2 over the
# 1.0 cap of 1, everything within the 2.1 caps).
RATINGS_2_1 = (1, 2, 2, 2, 2, 2)


def install_default_rules():
    """The default placement table as LevelOfCareRule rows.

    Data migration 0002 loads them, but a transactional test elsewhere in the
    run may have flushed the table, so tests that edit a rule install it."""
    for order, (code, caps) in enumerate(DEFAULT_PLACEMENT_TABLE, start=1):
        LevelOfCareRule.objects.update_or_create(
            code=code,
            defaults={
                "label": LEVEL_LABELS[code],
                "order": order,
                "active": True,
                **{f"{dimension.lower()}_max": cap for dimension, cap in caps.items()},
            },
        )


def orientation_time():
    return timezone.now() + ORIENTATION_IN


def ready_to_complete(screening, actor, *, values=RATINGS_2_1):
    """Give one instrument (PHQ-9, no flag), rate the six dimensions and
    record the TEDS items an admission needs."""
    answered_demographics(screening.episode)
    services.administration_record(
        actor=actor, client=screening.client, code="PHQ-9", answers=phq9(), screening=screening
    )
    return services.screening_rate_dimensions(
        actor=actor, screening=screening, ratings=ratings(*values)
    )


def admit(screening, actor, counselor, **changes):
    decision = {
        "decision": "admit",
        "decided_level": "2.1",
        "reason": "",
        "counselor": counselor,
        "orientation_at": orientation_time(),
    }
    decision.update(changes)
    return services.screening_complete(actor=actor, screening=screening, decision=decision)


def refer(screening, actor, **changes):
    decision = {
        "decision": "refer",
        "decided_level": "3.5",
        "reason": "Needs a residential setting",
        "referred_to": "Riverside Residential",
        "share_results_in_letter": False,
    }
    decision.update(changes)
    return services.screening_complete(actor=actor, screening=screening, decision=decision)


def screening_url(name, screening, **kwargs):
    return reverse(
        f"screening:{name}",
        kwargs={
            "client_id": screening.episode.client.public_id,
            "screening_id": screening.public_id,
            **kwargs,
        },
    )


def client_url(name, client, **kwargs):
    return reverse(f"screening:{name}", kwargs={"client_id": client.public_id, **kwargs})
