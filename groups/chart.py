"""The groups section of the client chart: Matrix progress per track and
attended hours per week against the IOP minimum and H0015."""

from groups import selectors
from iop.clients.chart import ChartSection, register_chart_section


def _progress_section(request, client):
    episode = client.episodes.filter(phase__in=selectors.OPEN_PHASES).first()
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


def register() -> None:
    register_chart_section(
        ChartSection(
            key="groups",
            title="Matrix groups and IOP hours",
            template="groups/includes/_chart_progress.html",
            context=_progress_section,
            order=20,
        )
    )
