"""Enrollments, placed as admission places them (groups.services.enrollment):
in every track of the program from its start week, into the group (or
Monday/Friday pair) of the track with the fewest current members that still
has a place, or into no group when every one is full (a waiting list).
Social Support starts at step-down when aftercare begins before week 13.
"""

import heapq

from devdata.load.context import DAY, Ctx
from groups.models import Enrollment


def enroll(ctx: Ctx, places, plans) -> dict[int, list]:
    """Enrollment rows and, per group, its members' (episode, first, last day)."""
    clock, rows = ctx.clock, []
    members = {group.id: [] for track in places.values() for place in track for group in place}
    for plan in plans:
        weeks = -(-plan.sessions_required // max(plan.sessions_per_week, 1))
        pending = []
        for episode in ctx.admitted():
            start = episode.admission + (plan.start_week - 1) * 7
            if plan.track.code == "social" and episode.step_down and episode.step_down < start:
                start = episode.step_down  # Social Support continues into aftercare
            planned_end = start + weeks * 7 - 1
            last = min(planned_end, episode.discharge or planned_end)
            pending.append((start, episode.id, episode, planned_end, last))
        pending.sort(key=lambda item: item[:2])
        loads = [[] for _ in places[plan.pk]]  # per place: heap of members' last days
        capacity = plan.track.capacity
        for start, _, episode, planned_end, last in pending:
            best = None
            for index, place in enumerate(places[plan.pk]):
                if place[0].sessions_from > start + 6:
                    continue
                heap = loads[index]
                while heap and heap[0] < start:
                    heapq.heappop(heap)
                if len(heap) < capacity and (best is None or len(heap) < len(loads[best])):
                    best = index
            ended = episode.discharge is not None or planned_end < clock.today
            end_date = (
                episode.discharge
                if episode.discharge and episode.discharge < planned_end
                else planned_end
            )
            created = clock.ts(episode.admission * DAY + 11 * 60)
            status = "ended" if ended else "active"
            if best is None:
                rows.append(
                    (
                        episode.id,
                        plan.pk,
                        None,
                        clock.date(start),
                        clock.date(end_date),
                        status,
                        created,
                    )
                )
                continue
            heapq.heappush(loads[best], last)
            for group in places[plan.pk][best]:
                members[group.id].append((episode, start, last))
                rows.append(
                    (
                        episode.id,
                        plan.pk,
                        group.id,
                        clock.date(start),
                        clock.date(end_date),
                        status,
                        created,
                    )
                )
    ctx.loader.copy(
        Enrollment,
        (
            "episode_id",
            "program_track_id",
            "group_id",
            "start_date",
            "end_date",
            "status",
            "created_at",
        ),
        rows,
    )
    return members
