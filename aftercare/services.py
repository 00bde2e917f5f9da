"""Step-down to aftercare, check-ins with re-engagement, the outreach queue,
and discharge. Each service validates, changes and audits in one transaction."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.models import (
    AftercarePlan,
    CheckIn,
    DischargeSummary,
    OutreachAttempt,
    OutreachTask,
)
from aftercare.schedule import check_in_dates, check_in_time, plan_end
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Appointment, Episode
from iop.clients.notes import NoteAddendum
from iop.clients.services import (
    appointment_schedule,
    demographics_update,
    episode_discharge,
    episode_return_to_intensive,
    episode_start_aftercare,
)
from iop.clients.signing import note_addendum_add, note_cosign, note_ensure_unsigned, note_sign
from iop.reminders.services.outbox import reminders_cancel

# Three missed check-ins in a row flag the client (DOMAIN.md section 7).
MISSED_IN_A_ROW_FLAG = 3
PLAN_TEXT_FIELDS = ("recovery_goals", "triggers", "warning_signs", "coping_steps", "people_to_call")


def _audit(actor, client, obj, request=None, action=AuditEvent.Action.UPDATE, **details):
    audit_record(
        actor=actor, action=action, client=client, obj=obj, request=request, details=details
    )


def aftercare_start(
    *, actor, episode: Episode, plan: dict, started_on: date | None = None, request=None
) -> AftercarePlan:
    """Complete the intensive phase: the episode enters aftercare with a
    12-month plan and its check-in schedule; Social Support continues (the
    groups app's step-down hook starts it now if its week had not come)."""
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("Aftercare cannot start in the future.")})
    if episode.admission_date and started_on < episode.admission_date:
        raise ValidationError({"started_on": _("Aftercare cannot start before the admission.")})
    missing = {
        name: _("This field is required.")
        for name in PLAN_TEXT_FIELDS
        if not plan.get(name, "").strip()
    }
    if missing:
        raise ValidationError(missing)
    with transaction.atomic():
        episode = episode_start_aftercare(
            actor=actor, episode=episode, started_on=started_on, request=request
        )
        texts = {name: plan[name].strip() for name in PLAN_TEXT_FIELDS}
        aftercare = AftercarePlan.objects.select_for_update().filter(episode=episode).first()
        if aftercare is None:
            aftercare = AftercarePlan.objects.create(
                episode=episode,
                client=episode.client,
                started_on=started_on,
                ends_on=plan_end(started_on),
                created_by=actor,
                **texts,
            )
            first_number = 1
        else:
            # Back from a return to the intensive phase: the plan starts over,
            # keeping its earlier check-ins on the record.
            _cancel_scheduled_check_ins(aftercare)
            for name, value in {
                **texts,
                "started_on": started_on,
                "ends_on": plan_end(started_on),
            }.items():
                setattr(aftercare, name, value)
            aftercare.flagged_at = None
            aftercare.save()
            first_number = (aftercare.check_ins.aggregate(last=Max("number"))["last"] or 0) + 1
        CheckIn.objects.bulk_create(
            CheckIn(
                plan=aftercare,
                client=episode.client,
                number=number,
                due_on=day,
                scheduled_at=check_in_time(day),
            )
            for number, day in enumerate(check_in_dates(started_on), start=first_number)
        )
        _audit(actor, episode.client, aftercare, request, action=AuditEvent.Action.CREATE)
    return aftercare


def _validate_check_in(check_in: CheckIn, data: dict) -> dict:
    errors = {}
    contacted_on = data.get("contacted_on")
    today = timezone.localdate()
    if contacted_on is None:
        errors["contacted_on"] = _("Give the date of the check-in.")
    elif contacted_on > today:
        errors["contacted_on"] = _("A check-in cannot be dated in the future.")
    elif contacted_on < check_in.plan.started_on:
        errors["contacted_on"] = _("A check-in cannot be dated before the aftercare plan starts.")
    outcome = data.get("outcome")
    if outcome not in CheckIn.Outcome.values:
        errors["outcome"] = _("Choose completed, missed or unable to reach.")
    if outcome == CheckIn.Outcome.COMPLETED:
        if data.get("risk_level") not in CheckIn.Risk.values:
            errors["risk_level"] = _("Rate the risk level.")
        risky = data.get("risk_level") == CheckIn.Risk.HIGH or (data.get("days_of_use") or 0) > 0
        action = data.get("re_engagement", "")
        if risky and not action:
            errors["re_engagement"] = _(
                "High risk or use since the last contact: choose a re-engagement action."
            )
        if action == CheckIn.ReEngagement.EXTRA_SESSION and not data.get("session_at"):
            errors["session_at"] = _("Book the extra session.")
        if (
            action == CheckIn.ReEngagement.REFERRAL
            and not data.get("re_engagement_detail", "").strip()
        ):
            errors["re_engagement_detail"] = _("Name the service the client is referred to.")
    return errors


def check_in_record(*, actor, check_in: CheckIn, data: dict, request=None) -> CheckIn:
    """Record and sign a check-in. A missed or unreachable one opens an
    outreach task for the primary counselor; three missed in a row flag the
    client; high risk or use leads to the re-engagement action recorded."""
    errors = _validate_check_in(check_in, data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        check_in = (
            CheckIn.objects.select_for_update().select_related("plan__episode").get(pk=check_in.pk)
        )
        note_ensure_unsigned(check_in)
        if check_in.status == CheckIn.Status.CANCELLED:
            raise ValidationError(_("This check-in was cancelled."))
        completed = data["outcome"] == CheckIn.Outcome.COMPLETED
        for name in ("contacted_on", "mode", "outcome", "note"):
            setattr(check_in, name, data.get(name) or getattr(check_in, name))
        for name in ("days_of_use", "mutual_help_meetings"):
            setattr(check_in, name, (data.get(name) or 0) if completed else 0)
        for name in (
            "substances_used",
            "employment",
            "housing",
            "risk_level",
            "re_engagement",
            "re_engagement_detail",
        ):
            setattr(check_in, name, (data.get(name) or "") if completed else "")
        check_in.status = CheckIn.Status.RECORDED
        check_in.recorded_by = actor
        check_in.save()
        note_sign(note=check_in, actor=actor, service_started_at=check_in.scheduled_at)
        reminders_cancel(appointment_key=f"checkin:{check_in.public_id}")
        episode = check_in.plan.episode
        if completed:
            _re_engage(actor, check_in, episode, data, request)
            AftercarePlan.objects.filter(pk=check_in.plan_id).update(flagged_at=None)
        else:
            OutreachTask.objects.create(
                check_in=check_in, client=check_in.client, counselor=episode.primary_counselor
            )
            _flag_if_missed_in_a_row(check_in)
        _audit(
            actor,
            check_in.client,
            check_in,
            request,
            outcome=check_in.outcome,
            risk=check_in.risk_level,
        )
    return check_in


def _re_engage(actor, check_in: CheckIn, episode: Episode, data: dict, request) -> None:
    action = check_in.re_engagement
    if action == CheckIn.ReEngagement.EXTRA_SESSION:
        appointment_schedule(
            actor=actor,
            episode=episode,
            kind=Appointment.Kind.INDIVIDUAL,
            starts_at=data["session_at"],
            counselor=episode.primary_counselor or actor,
            request=request,
        )
    elif action == CheckIn.ReEngagement.RETURN_TO_INTENSIVE:
        episode_return_to_intensive(actor=actor, episode=episode, request=request)
        _cancel_scheduled_check_ins(check_in.plan)


def _cancel_scheduled_check_ins(plan: AftercarePlan) -> None:
    scheduled = CheckIn.objects.filter(plan=plan, status=CheckIn.Status.SCHEDULED)
    reminders_cancel(
        appointment_key=[
            f"checkin:{public_id}" for public_id in scheduled.values_list("public_id", flat=True)
        ]
    )
    scheduled.update(status=CheckIn.Status.CANCELLED)


def _flag_if_missed_in_a_row(check_in: CheckIn) -> None:
    recent = list(
        CheckIn.objects.filter(plan=check_in.plan, status=CheckIn.Status.RECORDED)
        .order_by("-due_on", "-number")
        .values_list("outcome", flat=True)[:MISSED_IN_A_ROW_FLAG]
    )
    if len(recent) == MISSED_IN_A_ROW_FLAG and CheckIn.Outcome.COMPLETED not in recent:
        AftercarePlan.objects.filter(pk=check_in.plan_id, flagged_at__isnull=True).update(
            flagged_at=timezone.now()
        )


def outreach_attempt_add(
    *, actor, task: OutreachTask, method: str, outcome: str, note: str = "", request=None
) -> OutreachAttempt:
    """Log a call attempt; reaching the client closes the task."""
    if method not in OutreachAttempt.Method.values or outcome not in OutreachAttempt.Outcome.values:
        raise ValidationError(_("Choose how you tried and what happened."))
    with transaction.atomic():
        # Checked on the locked row: another attempt may have reached the
        # client and closed the task since `task` was loaded.
        task = OutreachTask.objects.select_for_update().get(pk=task.pk)
        if task.status != OutreachTask.Status.OPEN:
            raise ValidationError(_("This outreach task is closed."))
        attempt = OutreachAttempt.objects.create(
            task=task, method=method, outcome=outcome, note=note.strip()[:300], by=actor
        )
        if outcome == OutreachAttempt.Outcome.REACHED:
            OutreachTask.objects.filter(pk=task.pk).update(
                status=OutreachTask.Status.CLOSED, closed_at=timezone.now()
            )
        _audit(actor, task.client, task, request, attempt=outcome)
    return attempt


def episode_discharge_with_summary(
    *,
    actor,
    episode: Episode,
    discharge_date: date,
    reason: int,
    summary: dict,
    arrests: str = "",
    request=None,
) -> DischargeSummary:
    """Discharge with the TEDS reason and discharge fields and a signed
    summary; `arrests` (past 30 days, TEDS ARRESTS_D) is recorded with the
    episode's demographics. The core's discharge cancels the remaining appointments and
    the client's pending reminders, and groups' discharge hook ends the
    enrollments; what is aftercare's own ends here: scheduled check-ins
    and open outreach tasks."""
    if discharge_date > timezone.localdate():
        raise ValidationError({"discharge_date": _("Discharge cannot be in the future.")})
    if not summary.get("summary", "").strip():
        raise ValidationError({"summary": _("Write the discharge summary.")})
    with transaction.atomic():
        episode = episode_discharge(
            actor=actor,
            episode=episode,
            discharge_date=discharge_date,
            reason=reason,
            request=request,
        )
        note = DischargeSummary.objects.create(episode=episode, author=actor, **summary)
        if arrests:
            demographics_update(
                actor=actor,
                episode=episode,
                data={"arrests_discharge": arrests},
                request=request,
            )
        note_sign(
            note=note,
            actor=actor,
            service_started_at=timezone.make_aware(
                datetime.combine(discharge_date, datetime.min.time())
            ),
        )
        _close_aftercare(episode)
        _audit(actor, episode.client, note, request, action=AuditEvent.Action.CREATE, reason=reason)
    return note


def discharge_summary_addendum(
    *, actor, summary: DischargeSummary, text: str, request=None
) -> NoteAddendum:
    """A signed addendum to a signed discharge summary (its only change),
    written and audited together."""
    with transaction.atomic():
        summary = (
            DischargeSummary.objects.select_for_update(of=("self",))
            .select_related("episode__client")
            .get(pk=summary.pk)
        )
        client = summary.episode.client
        addendum = note_addendum_add(note=summary, actor=actor, text=text, client=client)
        _audit(actor, client, summary, request, action=AuditEvent.Action.CREATE, addendum=True)
    return addendum


def _close_aftercare(episode: Episode) -> None:
    """The discharged episode's scheduled check-ins and open outreach tasks
    end (their reminders went with the client's, in episode_discharge)."""
    OutreachTask.objects.filter(
        check_in__plan__episode=episode, status=OutreachTask.Status.OPEN
    ).update(status=OutreachTask.Status.CLOSED, closed_at=timezone.now())
    CheckIn.objects.filter(plan__episode=episode, status=CheckIn.Status.SCHEDULED).update(
        status=CheckIn.Status.CANCELLED
    )


def discharge_summary_cosign(*, actor, summary: DischargeSummary, request=None):
    """A supervisor co-signs a discharge summary signed by a counselor in training."""
    with transaction.atomic():
        summary = (
            DischargeSummary.objects.select_for_update()
            .select_related("episode__client")
            .get(pk=summary.pk)
        )
        note_cosign(note=summary, actor=actor)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=summary.episode.client,
            obj=summary,
            request=request,
            details={"cosigned": True},
        )
    return summary


def check_in_cosign(*, actor, check_in: CheckIn, request=None) -> CheckIn:
    """A supervisor co-signs a check-in recorded by a counselor in training."""
    with transaction.atomic():
        check_in = CheckIn.objects.select_for_update().get(pk=check_in.pk)
        note_cosign(note=check_in, actor=actor)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=check_in.client,
            obj=check_in,
            request=request,
            details={"cosigned": True},
        )
    return check_in
