"""Administrations with chosen scores, and the default rules, for the
outcomes tests. Administrations go through screening's own service."""

import datetime

from django.utils import timezone

from outcomes import rules
from outcomes.models import OnTrackRule
from screening.models import InstrumentAdministration
from screening.services.administrations import administration_record


def _spread(total: int, keys, top: int = 4) -> dict[str, int]:
    answers = {}
    for key in keys:
        answers[key] = min(total, top)
        total -= answers[key]
    assert total == 0, "score out of range"
    return answers


def phq9(total: int = 0) -> dict[str, int]:
    """PHQ-9 answers adding up to `total` (item 9 left at 0: no safety flag)."""
    return {**_spread(total, [str(key) for key in range(1, 9)], top=3), "9": 0}


def gad7(total: int = 0) -> dict[str, int]:
    return _spread(total, [str(key) for key in range(1, 8)], top=3)


def bam(use: int = 0, risk: int = 0, protective: int = 20) -> dict[str, int]:
    """BAM answers with the given composites (item 14 left at 0, item 17 at 2)."""
    answers = {
        **_spread(use, ["4", "5", "6"]),
        **_spread(risk, ["1", "2", "3", "8", "11", "15"]),
        **_spread(protective, ["9", "10", "12", "13", "16"]),
        "14": 0,
        "17": 2,
    }
    if answers["6"]:
        answers.update({key: 0 for key in ("7A", "7B", "7C", "7D", "7E", "7F", "7G")})
        answers["7A"] = answers["6"]
    return answers


def give(client, code: str, days_ago: int, **score) -> InstrumentAdministration:
    """Record `code` for `client` `days_ago` days ago (at noon), answered
    through a link: total= for PHQ-9 and GAD-7, use/risk/protective for BAM."""
    answers = {"PHQ-9": phq9, "GAD-7": gad7, "BAM": bam}[code](**score)
    on = timezone.localdate() - datetime.timedelta(days=days_ago)
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    return administration_record(
        actor=None,
        client=client,
        code=code,
        answers=answers,
        administered_at=at,
        source=InstrumentAdministration.Source.LINK,
    )


def install_default_rules() -> None:
    """The default rules as rows: migration 0003 adds them, but a
    transactional test elsewhere in the run may have flushed the table."""
    OnTrackRule.objects.all().delete()
    for key, kind, label, instrument, weeks, points, percent, count in rules.DEFAULT_RULES:
        OnTrackRule.objects.create(
            key=key,
            kind=kind,
            label=label,
            instrument=instrument,
            weeks=weeks,
            points=points,
            percent=percent,
            count=count,
        )
