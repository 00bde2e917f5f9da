"""Shortcuts of the outcomes page tests: raw answer sets, due measures, URLs
(tests/outcomes/helpers.py records administrations with chosen scores)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from outcomes.models import DueMeasure, MeasurePlanEntry

BAM_KEYS = ("1", "2", "3", "4", "5", "6", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17")


def bam(value=1, **overrides):
    """BAM answers: every scored item `value` (item 14 is 0 or 4)."""
    answers = {key: value for key in BAM_KEYS}
    answers["14"] = 4 if value else 0
    answers.update(overrides)
    return answers


def phq9(item9=0, rest=0):
    return {**{str(key): rest for key in range(1, 9)}, "9": item9}


def due_measure(client, *, instrument="BAM", due_on=None, method="kiosk", occasion=None, **kw):
    """An open measure of `client`'s current episode, due today unless told."""
    due_on = due_on or timezone.localdate()
    episode = client.episodes.order_by("-pk").first()
    return DueMeasure.objects.create(
        client=client,
        episode=episode,
        instrument=instrument,
        occasion=occasion or f"test-{instrument}-{due_on:%Y%m%d}-{DueMeasure.objects.count()}",
        method=method,
        due_on=due_on,
        closes_on=kw.pop("closes_on", due_on + datetime.timedelta(days=7)),
        **kw,
    )


def plan_entry(**values):
    defaults = {"instrument": "BAM", "moment": "admission", "method": "link"}
    return MeasurePlanEntry.objects.create(**{**defaults, **values})


def chart_section_url(client, section="measures"):
    return reverse("clients:client-section", args=[client.public_id, section])


def chart_url(client, section="measures"):
    return reverse("clients:client-detail", args=[client.public_id]) + f"?section={section}"
