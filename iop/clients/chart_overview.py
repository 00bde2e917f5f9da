"""The clinical record's part of the chart's Overview: what a counselor
reads before a session (the last notes, the next appointments, the plan's
current objectives and this week's sessions). Rendered with the chart page,
so it reads a few rows, in a fixed number of queries."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from iop.audit.decorators import may_open
from iop.clients.chart import day_start
from iop.clients.models import Appointment, Objective, SessionNote
from iop.clients.selectors.clinical import plan_objectives
from iop.clients.services.treatment import week_start

LAST_NOTES = 3
NEXT_APPOINTMENTS = 3


def overview_section(request, client, *, printing=False):
    now = timezone.now()
    monday = day_start(week_start(timezone.localdate()))
    notes = list(
        SessionNote.objects.filter(appointment__client=client)
        .select_related("appointment", "author")
        .order_by("-appointment__starts_at", "-pk")[:LAST_NOTES]
    )
    # Every note is on one page (the session's): those it refuses (billing:
    # no note text) see neither the text nor the link.
    note_page = notes and reverse(
        "clients:session-document", args=[client.public_id, notes[0].appointment.public_id]
    )
    can_read_notes = bool(notes) and may_open(request.user, note_page, client=client)
    return {
        "client": client,
        "notes": notes if can_read_notes else [],
        "notes_hidden": bool(notes) and not can_read_notes,
        "upcoming": list(
            Appointment.objects.filter(
                client=client, starts_at__gte=now, status=Appointment.Status.SCHEDULED
            )
            .select_related("counselor")
            .order_by("starts_at", "pk")[:NEXT_APPOINTMENTS]
        ),
        "objectives": list(plan_objectives(client).filter(status=Objective.Status.ACTIVE)),
        "this_week": list(
            Appointment.objects.filter(
                client=client, starts_at__gte=monday, starts_at__lt=monday + timedelta(days=7)
            ).order_by("starts_at", "pk")
        ),
    }
