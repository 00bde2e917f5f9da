"""Reads for measurement-based care: the episodes' measures, fetched in a
fixed number of queries whatever the number of episodes (one query for the
administrations, one for the due measures, one for the rules), then judged
by the pure functions of outcomes.rules; and the due measures other pages
show (My day's list, the group roster's markers), one query each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from iop.audit.policy import clients_visible_to
from iop.clients.models import Client, Episode
from outcomes import rules
from outcomes.models import DueMeasure, OnTrackRule
from outcomes.services.plan import open_due_measures
from screening.models import InstrumentAdministration


def active_rules() -> list[rules.Rule]:
    """The rules in use (one query)."""
    return [
        rules.Rule(
            key=row.key,
            kind=row.kind,
            label=row.label,
            instrument=row.instrument,
            weeks=row.weeks,
            points=row.points,
            percent=row.percent,
            count=row.count,
        )
        for row in OnTrackRule.objects.filter(active=True).order_by("kind", "instrument", "key")
    ]


def _window(episode: Episode, today: date) -> tuple[date, date]:
    start = episode.admission_date - timedelta(days=rules.EARLY_DAYS)
    return start, episode.discharge_date or today


def episode_histories(
    episodes: Sequence[Episode], *, today: date | None = None, due: bool = True
) -> dict[int, rules.History]:
    """Each admitted episode's measures (outcomes.rules states the window):
    one query for the administrations, one for the due measures (skipped
    with `due=False`); nothing for no admitted episode."""
    today = today or timezone.localdate()
    admitted = [episode for episode in episodes if episode.admission_date]
    histories = {episode.pk: rules.History() for episode in admitted}
    if not admitted:
        return histories
    # Each client's episodes with their windows, worked out once, not per score.
    by_client: dict[int, list[tuple[int, date, date]]] = defaultdict(list)
    for episode in admitted:
        by_client[episode.client_id].append((episode.pk, *_window(episode, today)))
    earliest = min(start for windows in by_client.values() for _pk, start, _end in windows)
    rows = (
        InstrumentAdministration.objects.filter(
            client_id__in=list(by_client),
            code__in=rules.INSTRUMENTS,
            administered_at__gte=timezone.make_aware(datetime.combine(earliest, time.min)),
        )
        .annotate(on=TruncDate("administered_at", tzinfo=timezone.get_current_timezone()))
        .order_by("administered_at", "pk")
        .values_list("client_id", "code", "on", "total", "subscales")
    )
    for client_id, code, on, total, subscales in rows:
        score = rules.Score(on=on, total=total, subscales=subscales or {})
        for episode_pk, start, end in by_client[client_id]:
            if start <= on <= end:
                histories[episode_pk].scores.setdefault(code, []).append(score)
    if due:
        measures = (
            DueMeasure.objects.filter(episode_id__in=list(histories))
            .order_by("due_on", "pk")
            .values_list("episode_id", "instrument", "due_on", "closes_on", "status")
        )
        for episode_id, instrument, due_on, closes_on, status in measures:
            outcome = rules.due_outcome(status, closes_on, today)
            histories[episode_id].due.append(rules.Due(instrument, due_on, outcome))
    return histories


@dataclass
class EpisodeStanding:
    """An episode's flags, and response and remission per symptom instrument."""

    flags: list[rules.Flag] = field(default_factory=list)
    response: dict[str, bool | None] = field(default_factory=dict)
    remission: dict[str, bool | None] = field(default_factory=dict)


def standing(history: rules.History, active: Iterable[rules.Rule]) -> EpisodeStanding:
    return EpisodeStanding(
        flags=rules.evaluate(history, active),
        response={code: rules.response(history.of(code)) for code in rules.SYMPTOM_INSTRUMENTS},
        remission={code: rules.remission(history.of(code)) for code in rules.SYMPTOM_INSTRUMENTS},
    )


def episodes_standing(
    episodes: Sequence[Episode], *, today: date | None = None
) -> dict[int, EpisodeStanding]:
    """Flags, response and remission of each episode given: three queries
    (rules, administrations, due measures) whatever their number, none when
    no episode was admitted."""
    if not any(episode.admission_date for episode in episodes):
        return {}
    active = active_rules()
    histories = episode_histories(episodes, today=today)
    return {pk: standing(history, active) for pk, history in histories.items()}


@dataclass
class NotOnTrack:
    client: Client
    episode: Episode
    flags: list[rules.Flag]


def not_on_track(
    clients: QuerySet[Client], *, counselor=None, today: date | None = None
) -> list[NotOnTrack]:
    """The active episodes among `clients` (of one primary counselor, if
    given) with at least one flag, by client name: four queries."""
    episodes = Episode.objects.filter(client__in=clients, phase__in=Episode.ACTIVE_PHASES)
    if counselor is not None:
        episodes = episodes.filter(primary_counselor=counselor)
    episodes = list(
        episodes.select_related("client").order_by(
            "client__legal_last_name", "client__legal_first_name", "pk"
        )
    )
    standings = episodes_standing(episodes, today=today)
    return [
        NotOnTrack(episode.client, episode, standings[episode.pk].flags)
        for episode in episodes
        if episode.pk in standings and standings[episode.pk].flags
    ]


# My day lists this many due measures at most (a supervisor sees the program).
MY_DAY_SHOWN = 50


def measures_due_today(user, on: date) -> list:
    """Open measures due by `on` of the clients `user` may see, oldest due
    first, with their client. One query."""
    return list(
        open_due_measures(on=on)
        .filter(client__in=clients_visible_to(user))
        .select_related("client")
        .order_by("due_on", "client__legal_last_name", "client_id", "instrument")[:MY_DAY_SHOWN]
    )


def roster_due_markers(client_ids, on_date: date) -> dict[int, list[str]]:
    """ROSTER_MARKERS entry: "BAM due" beside each client with that measure
    open on the session's day. One query for the whole roster."""
    rows = (
        open_due_measures(on=on_date)
        .filter(client_id__in=list(client_ids))
        .values_list("client_id", "instrument")
        .distinct()
        .order_by("client_id", "instrument")
    )
    markers: dict[int, list[str]] = {}
    for client_id, instrument in rows:
        markers.setdefault(client_id, []).append(_("%(code)s due") % {"code": instrument})
    return markers
