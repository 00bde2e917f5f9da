"""The clinical record's billable services (iop.extensions.BILLABLE_SERVICES):
individual, conjoint, orientation and assessment sessions with their note's
minutes and service code, and drug-test specimen collections. Facts only:
billing never reads a note's text or a test's results."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from iop.clients.models import Appointment, DrugTest, Episode, ServiceCode, SessionNote
from iop.extensions import ServiceFact


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the program's time zone."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def _session_kind(appointment: Appointment, note: SessionNote) -> str:
    if appointment.kind == Appointment.Kind.CONJOINT:
        return "family"
    if note.service_code == ServiceCode.H0001 or appointment.kind == Appointment.Kind.ASSESSMENT:
        return "assessment"
    return "individual"


def session_services(client_ids, start: date, end: date) -> list[ServiceFact]:
    """Attended sessions with minutes of service, signed or not (one query).
    A session belongs to the local day it started on, even one running past
    midnight."""
    since, until = day_bounds(start, end)
    notes = SessionNote.objects.filter(
        appointment__client_id__in=list(client_ids),
        appointment__starts_at__gte=since,
        appointment__starts_at__lt=until,
        appointment__status=Appointment.Status.ATTENDED,
        minutes__gt=0,
    ).select_related("appointment")
    facts = []
    for note in notes:
        appointment = note.appointment
        facts.append(
            ServiceFact(
                client_id=appointment.client_id,
                episode_id=appointment.episode_id,
                source=f"clients.sessionnote:{note.pk}",
                date=timezone.localtime(appointment.starts_at).date(),
                starts_at=appointment.starts_at,
                minutes=note.minutes,
                kind=_session_kind(appointment, note),
                suggested_code=note.service_code,
                clinician_id=note.signed_by_id or note.author_id,
                cosigner_id=note.cosigned_by_id,
                signed=note.is_signed,
                awaiting_cosignature=note.is_signed and note.awaits_cosignature,
                signed_late=note.signed_late,
                mode="video" if appointment.mode == Appointment.Mode.VIDEO else "in_person",
            )
        )
    return facts


def drug_test_collections(client_ids, start: date, end: date) -> list[ServiceFact]:
    """Specimens collected (HCPCS H0048), with the episode in care on the
    collection date (two queries). A test recorded is a documented fact:
    there is no note to sign. A test dated outside every episode is not a
    billable service of the program."""
    client_ids = list(client_ids)
    tests = list(
        DrugTest.objects.filter(
            client_id__in=client_ids, collected_on__gte=start, collected_on__lte=end
        ).order_by("collected_on", "pk")
    )
    if not tests:
        return []
    episodes: dict[int, list[Episode]] = {}
    for episode in Episode.objects.filter(
        client_id__in={test.client_id for test in tests}, admission_date__isnull=False
    ).order_by("admission_date"):
        episodes.setdefault(episode.client_id, []).append(episode)
    facts = []
    for test in tests:
        day = test.collected_on
        episode = next(
            (
                e
                for e in episodes.get(test.client_id, [])
                if e.admission_date <= day and (e.discharge_date is None or e.discharge_date >= day)
            ),
            None,
        )
        if episode is None:
            continue
        facts.append(
            ServiceFact(
                client_id=test.client_id,
                episode_id=episode.pk,
                source=f"clients.drugtest:{test.pk}",
                date=day,
                starts_at=timezone.make_aware(datetime.combine(day, time.min)),
                minutes=0,
                kind="drug_test_collection",
                suggested_code="H0048",
                clinician_id=test.recorded_by_id,
                signed=True,
            )
        )
    return facts
