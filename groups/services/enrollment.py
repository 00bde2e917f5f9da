"""Rolling enrollment: on admission an episode is enrolled in its program's
tracks and placed into a recurring group of each, from the right week."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Enrollment, Program, ProgramTrack, RecurringGroup
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Episode


def default_program() -> Program | None:
    return Program.objects.filter(is_default=True).first()


def group_with_room(
    track, *, on: date | None = None, exclude_pk=None, exclude_weekdays=()
) -> RecurringGroup | None:
    """The active group of the track with the fewest current members that
    still has a place; None when every group is full. A member is current
    while their enrollment runs and their episode is open."""
    on = on or timezone.localdate()
    current = (
        Q(enrollments__status=Enrollment.Status.ACTIVE)
        & (Q(enrollments__end_date__isnull=True) | Q(enrollments__end_date__gte=on))
        & Q(enrollments__episode__phase__in=Episode.ACTIVE_PHASES)
    )
    groups = (
        RecurringGroup.objects.filter(track=track, active=True)
        .exclude(weekday__in=exclude_weekdays)
        .annotate(members=Count("enrollments", filter=current))
        .filter(members__lt=track.capacity)
        .order_by("members", "weekday", "start_time", "pk")
    )
    if exclude_pk is not None:
        groups = groups.exclude(pk=exclude_pk)
    return groups.first()


def groups_for_plan(plan: ProgramTrack, *, on: date) -> list[RecurringGroup | None]:
    """A group on a different weekday for each weekly session of the track
    (Matrix RP meets Monday and Friday: two recurring groups); [None] when
    no group has room, so the enrollment still records the track."""
    chosen: list[RecurringGroup] = []
    for _session in range(max(plan.sessions_per_week, 1)):
        group = group_with_room(
            plan.track, on=on, exclude_weekdays=[group.weekday for group in chosen]
        )
        if group is None:
            break
        chosen.append(group)
    return chosen or [None]


def episode_enroll(*, actor, episode: Episode, program: Program | None = None) -> list[Enrollment]:
    """Enroll an admitted episode in every track of its program. A track that
    starts later (Social Support from week 13) is enrolled now with its start
    date; the client joins each group's topic cycle wherever it stands."""
    program = program or default_program()
    if program is None or episode.admission_date is None:
        return []
    if episode.enrollments.exists():
        return []
    enrollments = []
    plans = ProgramTrack.objects.filter(program=program).select_related("track")
    for plan in plans:
        start = episode.admission_date + timedelta(weeks=plan.start_week - 1)
        enrollments.extend(
            Enrollment(
                episode=episode,
                program_track=plan,
                group=group,
                start_date=start,
                end_date=start + timedelta(weeks=plan.weeks, days=-1),
            )
            for group in groups_for_plan(plan, on=start)
        )
    Enrollment.objects.bulk_create(enrollments)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        client=episode.client,
        obj=episode,
        details={"enrolled_tracks": [plan.track.code for plan in plans]},
    )
    return enrollments


def on_admission(*, actor, episode: Episode, request=None) -> None:
    """The admission hook (groups/extensions.py): enroll in every track."""
    episode_enroll(actor=actor, episode=episode)


# Social Support continues weekly into aftercare (DOMAIN.md section 2).
CONTINUES_INTO_AFTERCARE = "social"


def on_step_down(*, actor, episode: Episode, started_on: date, request=None) -> None:
    """The step-down hook (groups/extensions.py): Social Support continues
    into aftercare, and starts on its first day if its planned week had not
    come yet."""
    Enrollment.objects.filter(
        episode=episode,
        program_track__track__code=CONTINUES_INTO_AFTERCARE,
        status=Enrollment.Status.ACTIVE,
        start_date__gt=started_on,
    ).update(start_date=started_on)


def on_discharge(*, actor, episode: Episode, discharge_date: date, request=None) -> None:
    """The discharge hook (groups/extensions.py): the episode's active
    enrollments end on the discharge date, freeing their places, in the
    discharge's transaction."""
    Enrollment.objects.filter(episode=episode, status=Enrollment.Status.ACTIVE).update(
        status=Enrollment.Status.ENDED, end_date=discharge_date
    )


def enrollment_change_group(
    *, actor, enrollment: Enrollment, group: RecurringGroup | None, request=None
) -> Enrollment:
    """A supervisor moves a client to another group of the same track."""
    if group is not None and group.track_id != enrollment.program_track.track_id:
        raise ValidationError({"group": _("Choose a group of the same track.")})
    if group is not None and not group.active:
        raise ValidationError({"group": _("That group no longer meets.")})
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        enrollment.group = group
        enrollment.save(update_fields=["group"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=enrollment.episode.client,
            obj=enrollment,
            request=request,
            details={"group": group.name if group else None},
        )
    return enrollment
