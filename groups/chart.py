"""The groups section of the client chart: Matrix progress per track and
attended hours per week against the IOP minimum and H0015; and on the
Overview, the group attendance of this week."""

from datetime import timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.urls import reverse
from django.utils import timezone

from groups import selectors
from groups.models import Attendance
from iop.clients.chart import day_start, newest
from iop.clients.models import Episode
from iop.clients.services.treatment import week_start
from iop.extensions import TimelineEntry


def progress_section(request, client, *, printing=False):
    episode = client.episodes.filter(phase__in=Episode.ACTIVE_PHASES).first()
    if episode is None:
        episode = client.episodes.filter(admission_date__isnull=False).first()
    if episode is None:
        return {"client": client, "episode": None}
    return {
        "client": client,
        "episode": episode,
        "progress": selectors.episode_track_progress(episode),
        "weeks": selectors.episode_weekly_hours(episode)[:8],
        "can_change_groups": request.user.is_supervisor,
        "iop_weekly_hours": selectors.IOP_WEEKLY_MINUTES // 60,
    }


def week_section(request, client, *, printing=False):
    """The Overview's group attendance this week (one query): what was
    recorded for the client's group sessions since Monday."""
    monday = day_start(week_start(timezone.localdate()))
    rows = list(
        Attendance.objects.filter(
            client=client,
            session__starts_at__gte=monday,
            session__starts_at__lt=monday + timedelta(days=7),
        )
        .select_related("session__group")
        .order_by("session__starts_at", "pk")
    )
    return {
        "client": client,
        "rows": rows,
        "attended": sum(row.status in Attendance.ATTENDED for row in rows),
    }


def timeline_entries(client, *, viewer, limit=None):
    rows = (
        Attendance.objects.filter(client=client)
        .select_related("session__group", "session__topic")
        .order_by("-session__starts_at", "-pk")
        .annotate(linked=_runs_session(viewer))
    )
    return [
        TimelineEntry(
            when=row.session.starts_at,
            kind="group",
            title=row.session.group.name,
            detail=f"{row.get_status_display()}"
            + (f" · {row.session.topic.title}" if row.session.topic else ""),
            url=reverse("groups:session-detail", args=[row.session.public_id])
            if row.linked
            else "",
        )
        for row in newest(rows, limit)
    ]


def _runs_session(viewer):
    """Whether the viewer may open the row's group session (a counselor: only
    the groups they run; the session page answers others 404), read in the
    source's own query (an uncorrelated IN, as the access policy's)."""
    if viewer.sees_whole_program:
        return Value(True)
    if not viewer.is_counselor:
        return Value(False)
    return ExpressionWrapper(
        Q(session__in=selectors.sessions_visible_to(viewer).values("pk")),
        output_field=BooleanField(),
    )
