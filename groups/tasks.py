from celery import shared_task

from groups.services.schedule import group_sessions_generate_all


@shared_task(soft_time_limit=120, time_limit=180)
def generate_group_sessions() -> int:
    """Keep every active recurring group's occurrences 8 weeks ahead."""
    return group_sessions_generate_all()
