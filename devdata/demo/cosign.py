"""The supervisor's co-signatures, run by `manage.py seed_demo` (its
EXTRA_SEEDERS) once the groups, the clinical record and the IOP days are
documented.

counselor2 is in training, so every note they sign awaits a supervisor's
co-signature (DOMAIN.md section 5), and billing holds the day until it
comes. A supervisor co-signs within a day or two: the notes of the last
PENDING_DAYS stay in the co-signature queue, the older ones are co-signed
through the services and dated the morning after the signature.
Idempotent: once the supervisor has co-signed a demo note nothing is added.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from groups.models import Attendance, GroupSession
from groups.services.sessions import session_cosign
from iop.clients.models import SessionNote
from iop.clients.services import sessions as session_services

PENDING_DAYS = 4


def seed_cosignatures(*, users, rng: random.Random, today: date) -> str:
    supervisor = users["supervisor"]
    if (
        GroupSession.objects.filter(cosigned_by=supervisor).exists()
        or SessionNote.objects.filter(cosigned_by=supervisor).exists()
    ):
        return "Co-signatures: already there."
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=PENDING_DAYS), time.min))
    awaiting = {"cosign_required": True, "cosigned_at__isnull": True, "signed_at__isnull": False}
    sessions = GroupSession.objects.filter(starts_at__lt=cutoff, **awaiting).order_by("starts_at")
    made = 0
    for session in sessions:
        session_cosign(actor=supervisor, session=session)
        when = _morning_after(session.signed_at, rng)
        GroupSession.objects.filter(pk=session.pk).update(cosigned_at=when)
        Attendance.objects.filter(session=session, cosigned_by=supervisor).update(cosigned_at=when)
        made += 1
    notes = SessionNote.objects.filter(appointment__starts_at__lt=cutoff, **awaiting)
    for note in notes.select_related("appointment").order_by("appointment__starts_at"):
        session_services.session_note_cosign(actor=supervisor, note=note)
        SessionNote.objects.filter(pk=note.pk).update(
            cosigned_at=_morning_after(note.signed_at, rng)
        )
        made += 1
    pending = GroupSession.objects.filter(**awaiting).count()
    pending += SessionNote.objects.filter(**awaiting).count()
    return f"Co-signatures: {made} notes co-signed, {pending} awaiting the supervisor."


def _morning_after(signed_at: datetime, rng: random.Random) -> datetime:
    day = timezone.localdate(signed_at) + timedelta(days=1)
    morning = timezone.make_aware(datetime.combine(day, time(8)))
    return min(morning + timedelta(minutes=rng.randint(0, 150)), timezone.now())
