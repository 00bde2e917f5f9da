"""Recurring groups generate their occurrences ahead; a facilitator can move,
cancel or add a single occurrence. Topics follow the track's rolling cycle."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Attendance, GroupSession, RecurringGroup, Topic
from groups.reminders import session_reminders_cancel, session_reminders_replan
from iop import horizon
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.signing import note_ensure_unsigned
from iop.extensions import services_changed

# How far ahead occurrences exist (reminders and My day need them ahead).
HORIZON_WEEKS = 8


def occurrence_start(group: RecurringGroup, day: date) -> datetime:
    """The aware start of the group on `day` in the program's time zone; the
    wall-clock time stays the same across a daylight-saving change."""
    return timezone.make_aware(datetime.combine(day, group.start_time))


def _meeting_days(group: RecurringGroup, start: date, end: date) -> list[date]:
    first = start + timedelta(days=(group.weekday - start.weekday()) % 7)
    days = []
    day = first
    while day <= end:
        days.append(day)
        day += timedelta(days=7)
    return days


def _topic_cycle(group: RecurringGroup) -> list[Topic]:
    return list(Topic.objects.filter(track_id=group.track_id).order_by("number"))


def group_sessions_generate(
    *, group: RecurringGroup, until: date | None = None, today: date | None = None
) -> list[GroupSession]:
    """Create the missing occurrences from today (or the group's first day)
    until `until`, each taking the next topic of the cycle. Idempotent."""
    today = today or timezone.localdate()
    until = until or today + timedelta(weeks=HORIZON_WEEKS)
    with transaction.atomic():
        # The lock serialises generators so the topic pointer never skips.
        group = RecurringGroup.objects.select_for_update().get(pk=group.pk)
        if not group.active:
            return []
        start = max(group.starts_on, today)
        if start > until:
            return []
        first = occurrence_start(group, start)
        # Bounded above as well: a row stored beyond the horizon (year 10000
        # in UTC, see iop/horizon.py) cannot be read back and would stop the
        # generation of every group; `manage.py check_data` reports it.
        last = occurrence_start(group, until) + timedelta(days=1)
        existing = set()
        for starts_at, slot in GroupSession.objects.filter(
            Q(starts_at__gte=first, starts_at__lt=last) | Q(slot__gte=first, slot__lt=last),
            group=group,
        ).values_list("starts_at", "slot"):
            existing.update({starts_at, slot})
        topics = _topic_cycle(group)
        pointer = group.next_topic_number
        created = []
        for day in _meeting_days(group, start, until):
            starts_at = occurrence_start(group, day)
            if starts_at in existing:
                continue
            topic = None
            if topics:
                topic = topics[(pointer - 1) % len(topics)]
                pointer = pointer % len(topics) + 1
            created.append(
                GroupSession(
                    group=group,
                    starts_at=starts_at,
                    slot=starts_at,
                    duration_minutes=group.track.session_minutes,
                    topic=topic,
                    room=group.room,
                )
            )
        GroupSession.objects.bulk_create(created)
        if pointer != group.next_topic_number:
            group.next_topic_number = pointer
            group.save(update_fields=["next_topic_number"])
    return created


def group_sessions_generate_all(*, weeks: int = HORIZON_WEEKS) -> int:
    """The periodic task's work: keep every active group `weeks` ahead."""
    until = timezone.localdate() + timedelta(weeks=weeks)
    total = 0
    for group in RecurringGroup.objects.filter(active=True).select_related("track"):
        total += len(group_sessions_generate(group=group, until=until))
    return total


def _ensure_changeable(session: GroupSession) -> None:
    note_ensure_unsigned(session)
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled."))


def group_session_move(
    *, actor, session: GroupSession, starts_at: datetime, request=None
) -> GroupSession:
    """Move one occurrence. Two occurrences of a group at one time are refused."""
    horizon.SCHEDULED.check(starts_at, field="starts_at")
    _ensure_changeable(session)
    if session.attendance.exists():
        raise ValidationError(_("Attendance is recorded: this session can no longer move."))
    try:
        # The move, its reminders and the audit row commit together.
        with transaction.atomic():
            GroupSession.objects.filter(pk=session.pk).update(starts_at=starts_at)
            session.starts_at = starts_at
            session_reminders_replan(session)
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                obj=session,
                request=request,
                details={"moved": True},
            )
    except IntegrityError as error:
        raise ValidationError({"starts_at": _("The group already meets at that time.")}) from error
    return session


def group_session_cancel(
    *, actor, session: GroupSession, reason: str, request=None
) -> GroupSession:
    """Cancel one occurrence: it is not an absence for anyone, and the later
    undocumented occurrences step back one topic so none is skipped."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the session is cancelled.")})
    with transaction.atomic():
        group = RecurringGroup.objects.select_for_update().get(pk=session.group_id)
        session = GroupSession.objects.select_for_update().get(pk=session.pk)
        # Checked on the locked row: it may have been signed since it was loaded.
        _ensure_changeable(session)
        later = list(
            GroupSession.objects.filter(
                group=group,
                starts_at__gt=session.starts_at,
                # A row beyond the horizon cannot be read back (check_data names it).
                starts_at__lt=horizon.outer_datetimes()[1],
                status=GroupSession.Status.SCHEDULED,
                signed_at__isnull=True,
            )
            .exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
            .order_by("starts_at")
        )
        topic = session.topic_id
        for occurrence in later:
            occurrence.topic_id, topic = topic, occurrence.topic_id
        GroupSession.objects.bulk_update(later, ["topic"])
        if topic is not None:
            group.next_topic_number = Topic.objects.get(pk=topic).number
            group.save(update_fields=["next_topic_number"])
        session.status = GroupSession.Status.CANCELLED
        session.cancel_reason = reason.strip()
        session.save(update_fields=["status", "cancel_reason", "updated_at"])
        # Attendance marked before the cancellation is not an absence.
        dropped = list(session.attendance.values_list("client_id", flat=True))
        session.attendance.filter(signed_at__isnull=True).delete()
        session_reminders_cancel(session)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=session,
            request=request,
            details={"cancelled": True},
        )
        # Days an unsigned line held are re-evaluated without it.
        services_changed(
            client_ids=dropped, dates=[timezone.localtime(session.starts_at).date()], actor=actor
        )
    return session


def group_session_add(
    *,
    actor,
    group: RecurringGroup,
    starts_at: datetime,
    topic: Topic | None = None,
    request=None,
) -> GroupSession:
    """An extra occurrence outside the weekly pattern."""
    horizon.SCHEDULED.check(starts_at, field="starts_at")
    if topic is not None and topic.track_id != group.track_id:
        raise ValidationError({"topic": _("Choose a topic of this group's track.")})
    try:
        # The occurrence and its audit row commit together.
        with transaction.atomic():
            session = GroupSession.objects.create(
                group=group,
                starts_at=starts_at,
                duration_minutes=group.track.session_minutes,
                topic=topic,
                room=group.room,
            )
            audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=session, request=request)
    except IntegrityError as error:
        raise ValidationError({"starts_at": _("The group already meets at that time.")}) from error
    return session
