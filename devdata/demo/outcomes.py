"""Demo measurement-based care, run by `manage.py seed_demo` (EXTRA_SEEDERS).

The default measurement plan arrives by migration; this seeder gives the
clients in the intensive phase the BAM (admission and every four weeks),
answered the ways a clinic sees them: most through a self-report link, some
on the clinic tablet, a few with staff. Most clients are on track (no use,
risk falling); two are not (use two measures running, risk rising), and one
PHQ-9 does not improve. Links sent today show every state: answered,
expired unanswered, and locked after three wrong dates of birth. One
self-reported PHQ-9 with item 9 positive raised a safety flag that the
counselor handled. Idempotent: once a client answered anything themselves,
nothing is added.
"""

import hashlib
import random
import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Client, Episode
from iop.extensions import REDACTED
from iop.reminders.models import Reminder
from iop.reminders.services.outbox import client_channels
from outcomes.messages import link_message
from outcomes.models import DueMeasure, KioskSession, SelfReportLink
from outcomes.services.links import KEY_PREFIX, KIND
from outcomes.services.plan import due_measures_plan, due_measures_settle
from screening.instruments.translations import languages_of
from screening.models import InstrumentAdministration, SafetyFlag
from screening.services import administration_record, safety_flag_address

Source = InstrumentAdministration.Source
BAM_EVERY = timedelta(days=28)
# How many of the clients in the intensive phase are off track, and how.
OFF_TRACK_USE, OFF_TRACK_RISK = 0, 1


def seed_outcomes(*, users, rng: random.Random, today: date) -> str:
    if InstrumentAdministration.objects.filter(source__in=(Source.LINK, Source.KIOSK)).exists():
        return "Measurement-based care: already seeded"
    episodes = list(
        Episode.objects.filter(
            phase=Episode.Phase.INTENSIVE,
            admission_date__isnull=False,
            client__in=Client.objects.filter(email__endswith="@example.org"),
        )
        .select_related("client", "primary_counselor")
        .order_by("admission_date", "pk")
    )
    answered = 0
    with transaction.atomic():
        for index, episode in enumerate(episodes):
            answered += _bam_history(rng, episode, today=today, trajectory=_trajectory(index))
        quiet = _not_followed_up(episodes[2:-1], today=today, days=70)
        stalled = next((e for e in quiet if _screening_phq9(e) >= 8), None)
        _stalled_phq9(rng, stalled, today=today)
        handled = _self_reported_safety_flag(episodes[-1] if episodes else None, users, today)
        _missed_twice(next((e for e in quiet if e != stalled), None), today=today)
        _discharge_measures(rng)
        due_measures_plan(today=today)
        settled = due_measures_settle(today=today)
        links = _links_sent_today(rng, today)
    return (
        f"Measurement-based care: {answered} BAMs answered by {len(episodes)} clients "
        f"(links, clinic tablet, staff); {settled['completed']} due measures completed, "
        f"{settled['missed']} missed; links today: {links}; "
        f"{'a self-reported safety flag handled' if handled else 'no safety flag'}."
    )


def _trajectory(index: int) -> str:
    return {OFF_TRACK_USE: "use", OFF_TRACK_RISK: "risk"}.get(index, "improving")


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 15)))


def _bam_answers(rng: random.Random, *, use: int, risk: int, protective: int) -> dict:
    """BAM answers whose composites are exactly `use`, `risk`, `protective`."""
    answers = {key: 0 for key in ("1", "2", "3", "4", "5", "6", "8", "11", "15")}
    answers |= _spread(rng, ("4", "5", "6"), use)
    answers |= _spread(rng, ("1", "2", "3", "8", "11", "15"), risk)
    answers |= _spread(rng, ("9", "10", "12", "13", "14", "16"), protective, fixed={"14": 4})
    answers["17"] = rng.choice((2, 3))
    if answers["6"]:
        answers["7A"] = answers["6"]
    return answers


def _spread(rng, keys, total: int, *, fixed=None, top: int = 4) -> dict:
    values = dict.fromkeys(keys, 0) | (fixed or {})
    left = total - sum(values.values())
    free = [key for key in keys if key not in (fixed or {})]
    while left > 0:
        key = rng.choice([key for key in free if values[key] < top])
        values[key] += 1
        left -= 1
    return values


def _bam_history(rng, episode: Episode, *, today: date, trajectory: str) -> int:
    """The BAM at admission and every four weeks since, by link mostly."""
    counselor = episode.primary_counselor
    count = 0
    day = episode.admission_date
    while day <= today:
        step = count
        if trajectory == "use":
            scores = {"use": 0 if step == 0 else 2, "risk": 11, "protective": 12}
        elif trajectory == "risk":
            scores = {"use": 0, "risk": 6 + 4 * step, "protective": 13}
        else:
            scores = {
                "use": max(0, 2 - step),
                "risk": max(3, 12 - 3 * step),
                "protective": 14 + step,
            }
        scores = {key: min(value, 24) for key, value in scores.items()}
        source = (
            (Source.STAFF, Source.KIOSK, Source.LINK)[min(step, 2)] if step < 3 else Source.LINK
        )
        administration = administration_record(
            actor=None if source == Source.LINK else counselor,
            client=episode.client,
            code="BAM",
            answers=_bam_answers(rng, **scores),
            administered_at=_at(day, 10 if source == Source.KIOSK else 19),
            source=source,
        )
        # The admission hook may already have made the admission BAM due.
        due, _created = DueMeasure.objects.update_or_create(
            episode=episode,
            instrument="BAM",
            occasion="admission" if step == 0 else f"every-28-{step}",
            defaults={
                "client": episode.client,
                "method": "link",
                "due_on": day,
                "closes_on": day + timedelta(days=7),
                "status": DueMeasure.Status.COMPLETED,
                "administration": administration,
                "completed_at": administration.administered_at,
            },
        )
        if source == Source.KIOSK:
            KioskSession.objects.create(
                due=due,
                client=episode.client,
                instrument="BAM",
                started_by=counselor,
                ended_at=administration.administered_at,
                end_reason="submitted",
            )
        elif source == Source.LINK:
            issued = administration.administered_at - timedelta(hours=9)
            SelfReportLink.objects.create(
                due=due,
                channel=SelfReportLink.Channel.SMS,
                language=episode.client.preferred_language or "en",
                token_hash=hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest(),
                issued_at=issued,
                expires_at=issued + timedelta(hours=72),
                verified_at=administration.administered_at - timedelta(minutes=4),
                used_at=administration.administered_at,
            )
        count += 1
        day += BAM_EVERY
    return count


def _not_followed_up(episodes: list[Episode], *, today: date, days: int) -> list[Episode]:
    """Episodes at least `days` into treatment whose PHQ-9 and GAD-7 were
    given only at screening (the screening seeder repeats some monthly)."""
    repeated = set(
        InstrumentAdministration.objects.filter(
            screening__isnull=True, code__in=("PHQ-9", "GAD-7")
        ).values_list("client", flat=True)
    )
    return [
        episode
        for episode in episodes
        if episode.client_id not in repeated and (today - episode.admission_date).days >= days
    ]


def _screening_phq9(episode: Episode) -> int:
    first = (
        InstrumentAdministration.objects.filter(client=episode.client_id, code="PHQ-9")
        .order_by("administered_at")
        .values_list("total", flat=True)
        .first()
    )
    return first or 0


def _stalled_phq9(rng, episode: Episode | None, *, today: date) -> None:
    """A PHQ-9 answered by link at four and eight weeks that has barely moved
    from the screening's: not improved by 5 points or 50 %."""
    if episode is None:
        return
    baseline = _screening_phq9(episode)
    for weeks, total in ((4, baseline - 1), (8, baseline - 2)):
        day = episode.admission_date + timedelta(weeks=weeks, days=1)
        answers = _spread(rng, tuple("12345678"), total, top=3) | {"9": 0}
        administration_record(
            actor=None,
            client=episode.client,
            code="PHQ-9",
            answers=answers,
            administered_at=_at(day, 20),
            source=Source.LINK,
            language="es" if episode.client.preferred_language == "es" else "en",
        )


def _missed_twice(episode: Episode | None, *, today: date) -> None:
    """Two monthly GAD-7 links that went unanswered (windows closed)."""
    if episode is None or (today - episode.admission_date).days < 70:
        return
    for number in (1, 2):
        due_on = episode.admission_date + timedelta(days=30 * number)
        DueMeasure.objects.get_or_create(
            episode=episode,
            instrument="GAD-7",
            occasion=f"every-30-{number}",
            defaults={
                "client": episode.client,
                "method": "link",
                "due_on": due_on,
                "closes_on": due_on + timedelta(days=7),
                "status": DueMeasure.Status.MISSED,
            },
        )


def _discharge_measures(rng) -> None:
    """Completers answered the discharge measures with their counselor at the
    last session; those who left early did not (their measures stay missed)."""
    discharged = (
        Episode.objects.filter(
            phase=Episode.Phase.DISCHARGED,
            discharge_reason=Episode.DischargeReason.COMPLETED,
            due_measures__occasion="discharge",
        )
        .select_related("client", "primary_counselor")
        .distinct()
    )
    for episode in discharged:
        day = episode.discharge_date
        actor = episode.primary_counselor
        scores = {"use": 0, "risk": rng.randint(2, 6), "protective": rng.randint(15, 20)}
        administration_record(
            actor=actor,
            client=episode.client,
            code="BAM",
            source=Source.STAFF,
            answers=_bam_answers(rng, **scores),
            administered_at=_at(day, 11),
        )
        for code, keys in (("PHQ-9", "12345678"), ("GAD-7", "1234567")):
            answers = _spread(rng, tuple(keys), rng.randint(1, 4), top=3)
            administration_record(
                actor=actor,
                client=episode.client,
                code=code,
                source=Source.STAFF,
                answers=answers | ({"9": 0} if code == "PHQ-9" else {}),
                administered_at=_at(day, 11),
            )


def _self_reported_safety_flag(episode: Episode | None, users, today: date) -> bool:
    """Item 9 answered 1 through a link three days ago; the counselor called
    the client the same day and completed a safety plan with them."""
    if episode is None:
        return False
    answers = {str(key): 1 for key in range(1, 10)} | {"difficulty": "somewhat"}
    administration = administration_record(
        actor=None,
        client=episode.client,
        code="PHQ-9",
        answers=answers,
        administered_at=_at(today - timedelta(days=3), 18),
        source=Source.LINK,
    )
    flag = SafetyFlag.objects.get(administration=administration)
    safety_flag_address(
        actor=episode.primary_counselor or users["supervisor"],
        flag=flag,
        action=SafetyFlag.Action.SAFETY_PLAN,
        note="Called the client within the hour; safety plan reviewed and updated; "
        "no current intent. Seen in person the next morning.",
    )
    return True


def _sent_message(link: SelfReportLink, client) -> None:
    """The link's message as the outbox keeps it once sent: token redacted."""
    url = f"{settings.SITE_URL}/r/{REDACTED}/"
    _subject, body = link_message(channel=link.channel, language=link.language, url=url)
    Reminder.objects.create(
        appointment_key=f"{KEY_PREFIX}{link.public_id}",
        kind=KIND,
        channel=link.channel,
        client=client,
        recipient_key=f"client:{client.pk}",
        address=client.phone if link.channel == "sms" else client.email,
        language=link.language,
        body=body,
        send_at=link.issued_at,
        status=Reminder.Status.SENT,
        sent_at=link.issued_at,
        provider_message_id=f"demo-{link.public_id}",
    )


def _links_sent_today(rng, today: date) -> str:
    """Links for the measures open today: one expired unanswered, one locked,
    the rest waiting to be answered. Tokens are thrown away: only hashes are kept."""
    now = timezone.now()
    open_dues = list(
        DueMeasure.objects.filter(
            status=DueMeasure.Status.OPEN, method="link", due_on__lte=today
        ).select_related("client")[:12]
    )
    # Only to clients who agreed to texts or email, as the sender does.
    open_dues = [due for due in open_dues if client_channels(due.client)]
    states = ["expired", "locked", "waiting", "waiting", "waiting", "waiting"]
    made: dict[str, int] = {}
    for due, state in zip(open_dues, states, strict=False):
        issued = now - timedelta(days=4 if state == "expired" else 1)
        preferred = due.client.preferred_language or "en"
        link = SelfReportLink.objects.create(
            due=due,
            channel=client_channels(due.client)[0][0],
            language=preferred if preferred in languages_of(due.instrument) else "en",
            token_hash=hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest(),
            issued_at=issued,
            expires_at=issued + timedelta(hours=72),
            failed_attempts=3 if state == "locked" else 0,
            locked_at=issued + timedelta(hours=2) if state == "locked" else None,
        )
        if state == "locked":
            for _attempt in range(3):
                audit_record(
                    actor=None,
                    action=AuditEvent.Action.LOGIN_FAILED,
                    client=due.client,
                    obj=link,
                    details={"stage": "self_report_birth_date"},
                )
        _sent_message(link, due.client)
        made[state] = made.get(state, 0) + 1
    return ", ".join(f"{count} {state}" for state, count in sorted(made.items())) or "none"
