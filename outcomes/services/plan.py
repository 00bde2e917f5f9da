"""Making measures due from the plan, and settling them.

The daily planner and the episode hooks write DueMeasure rows with
`bulk_create(ignore_conflicts=True)`: the (episode, instrument, occasion)
constraint makes planning twice harmless, whichever runs first. A measure
is completed by any administration of its instrument for the client from
a few days before it is due until its window closes, whoever gave it (a
link, the tablet, staff), so a counselor who gives the BAM in session never
leaves a "BAM due" behind.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Episode
from outcomes.models import DueMeasure, MeasurePlanEntry
from outcomes.schedule import Milestones, occasions
from screening.models import InstrumentAdministration

# An administration this many days before the due date still counts for it.
EARLY_DAYS = 3
# Ad-hoc requests by a counselor stay open this long.
REQUEST_WINDOW_DAYS = 7


def _rows(episode: Episode, entries, milestones: Milestones, *, through: date, since: date):
    for entry in entries:
        for occasion in occasions(
            entry.moment,
            milestones,
            through=through,
            every_days=entry.every_days,
            aftercare_month=entry.aftercare_month,
        ):
            closes_on = occasion.due_on + timedelta(days=entry.window_days)
            if closes_on < since:
                continue  # closed before it was planned: never asked, not "missed"
            yield DueMeasure(
                client_id=episode.client_id,
                episode=episode,
                plan_entry=entry,
                instrument=entry.instrument,
                occasion=occasion.key,
                method=entry.method,
                due_on=occasion.due_on,
                closes_on=closes_on,
            )


def _active_entries(*moments: str) -> list[MeasurePlanEntry]:
    return list(MeasurePlanEntry.objects.filter(active=True, moment__in=moments))


def due_measures_plan(*, today: date | None = None) -> int:
    """The daily planner: admission and every-N-days measures of episodes in
    the intensive phase, due by today. Returns the rows created. Four queries
    (two of them counts) and one insert whatever the number of episodes."""
    today = today or timezone.localdate()
    entries = _active_entries(MeasurePlanEntry.Moment.ADMISSION, MeasurePlanEntry.Moment.EVERY)
    if not entries:
        return 0
    episodes = Episode.objects.filter(
        phase=Episode.Phase.INTENSIVE, admission_date__isnull=False
    ).only("pk", "client_id", "admission_date")
    rows = [
        row
        for episode in episodes.iterator(chunk_size=2000)
        for row in _rows(
            episode, entries, Milestones(episode.admission_date), through=today, since=today
        )
    ]
    # PostgreSQL returns no ids for rows an ON CONFLICT DO NOTHING skipped
    # (nor, through Django, for those it inserted): count the table instead.
    with transaction.atomic():
        before = DueMeasure.objects.count()
        DueMeasure.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        return DueMeasure.objects.count() - before


def due_measures_on_admission(*, actor, episode: Episode, request=None) -> None:
    """Admission hook: the admission measures are due at once."""
    entries = _active_entries(MeasurePlanEntry.Moment.ADMISSION)
    today = timezone.localdate()
    milestones = Milestones(episode.admission_date or today)
    DueMeasure.objects.bulk_create(
        _rows(episode, entries, milestones, through=milestones.admitted_on, since=today),
        ignore_conflicts=True,
    )


def due_measures_on_step_down(*, actor, episode: Episode, started_on: date, request=None) -> None:
    """Step-down hook: intensive-phase measures not yet due are cancelled; the
    step-down and aftercare-month measures are planned, dates known now."""
    DueMeasure.objects.filter(
        episode=episode,
        status=DueMeasure.Status.OPEN,
        plan_entry__moment=MeasurePlanEntry.Moment.EVERY,
        due_on__gte=started_on,
    ).update(status=DueMeasure.Status.CANCELLED)
    entries = _active_entries(MeasurePlanEntry.Moment.STEP_DOWN, MeasurePlanEntry.Moment.AFTERCARE)
    milestones = Milestones(episode.admission_date, stepped_down_on=started_on)
    DueMeasure.objects.bulk_create(
        _rows(episode, entries, milestones, through=date.max, since=started_on),
        ignore_conflicts=True,
    )


def due_measures_on_discharge(*, actor, episode: Episode, discharge_date: date, request=None):
    """Discharge hook: what is still open is cancelled; the discharge measures
    are due on the discharge date."""
    DueMeasure.objects.filter(episode=episode, status=DueMeasure.Status.OPEN).update(
        status=DueMeasure.Status.CANCELLED
    )
    entries = _active_entries(MeasurePlanEntry.Moment.DISCHARGE)
    milestones = Milestones(episode.admission_date, discharged_on=discharge_date)
    DueMeasure.objects.bulk_create(
        _rows(episode, entries, milestones, through=discharge_date, since=discharge_date),
        ignore_conflicts=True,
    )


def due_measure_request(
    *, actor, episode: Episode, instrument: str, method: str, request=None
) -> DueMeasure:
    """A counselor asks for a measure now, outside the plan (one per
    instrument and day). Audited when it makes a measure due."""
    today = timezone.localdate()
    with transaction.atomic():
        due, created = DueMeasure.objects.get_or_create(
            episode=episode,
            instrument=instrument,
            occasion=f"request-{today:%Y-%m-%d}",
            defaults={
                "client_id": episode.client_id,
                "method": method,
                "due_on": today,
                "closes_on": today + timedelta(days=REQUEST_WINDOW_DAYS),
            },
        )
        if created:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                client=episode.client,
                obj=due,
                request=request,
                details={"instrument": instrument, "method": method},
            )
    return due


def matching_administrations(due_outer_ref: str = "pk"):
    """Administrations that complete the due measure of OuterRef: its client
    and instrument, from EARLY_DAYS before the due date to the window's end."""
    return InstrumentAdministration.objects.filter(
        client_id=OuterRef("client_id"),
        code=OuterRef("instrument"),
        administered_at__date__gte=OuterRef("due_on") - timedelta(days=EARLY_DAYS),
        administered_at__date__lte=OuterRef("closes_on"),
    )


def due_measures_settle(*, today: date | None = None) -> dict[str, int]:
    """Complete open measures an administration answered (whoever gave it),
    and mark those whose window closed unanswered as not completed. Set-based:
    two UPDATEs whatever the number."""
    today = today or timezone.localdate()
    with transaction.atomic():
        first_match = matching_administrations().order_by("administered_at")
        completed = (
            DueMeasure.objects.filter(status=DueMeasure.Status.OPEN)
            .filter(Exists(matching_administrations()))
            .update(
                status=DueMeasure.Status.COMPLETED,
                administration_id=first_match.values("pk")[:1],
                completed_at=first_match.values("administered_at")[:1],
            )
        )
        missed = DueMeasure.objects.filter(
            status=DueMeasure.Status.OPEN, closes_on__lt=today
        ).update(status=DueMeasure.Status.MISSED)
    return {"completed": completed, "missed": missed}


def open_due_measures(*, on: date):
    """Measures due by `on` and still open, not yet answered by any
    administration (the planner settles them later; pages must not wait)."""
    return DueMeasure.objects.filter(
        Q(status=DueMeasure.Status.OPEN), due_on__lte=on, closes_on__gte=on
    ).exclude(Exists(matching_administrations()))
