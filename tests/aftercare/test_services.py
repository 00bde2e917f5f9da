"""Aftercare services against PostgreSQL: step-down, check-ins with
re-engagement and the missed-in-a-row flag, outreach, discharge with its
summary, and readmission (DOMAIN.md sections 5 and 7)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aftercare.models import AftercarePlan, CheckIn, DischargeSummary, OutreachAttempt, OutreachTask
from aftercare.services import (
    aftercare_start,
    episode_discharge_with_summary,
    outreach_attempt_add,
)
from groups.models import Enrollment
from groups.services.enrollment import episode_enroll
from iop.audit.models import AuditEvent
from iop.clients import teds
from iop.clients.models import Appointment, CaseloadAssignment, Episode
from iop.clients.services import appointment_schedule, episode_open_for_readmission
from iop.reminders.models import Reminder
from iop.reminders.services.outbox import reminders_schedule
from tests.aftercare.factories import (
    PLAN_TEXT,
    STARTED_DAYS_AGO,
    completed,
    days_ago,
    intensive_episode,
    missed,
    numbered,
    record,
    stepped_down,
)
from tests.groups.factories import ensure_curriculum

pytestmark = pytest.mark.django_db

Reason = Episode.DischargeReason
SUMMARY = {
    "substances_at_discharge": "",
    "employment": teds.Employment.FULL_TIME,
    "living_arrangement": teds.Living.INDEPENDENT,
    "mutual_help": teds.MutualHelp.SOME,
    "summary": "Completed 16 weeks of IOP and a year of aftercare; abstinent since March.",
}


def _soon_at(hour: int) -> datetime.datetime:
    """A time three days ahead: both of its reminders (24 h and 2 h before)
    are still to send, whatever the time the test runs."""
    day = timezone.localdate() + datetime.timedelta(days=3)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _discharge(actor, episode, *, when=None, reason=Reason.COMPLETED, **summary):
    return episode_discharge_with_summary(
        actor=actor,
        episode=episode,
        discharge_date=when or timezone.localdate(),
        reason=reason,
        summary={**SUMMARY, **summary},
    )


def _events(client, obj_model, action):
    return AuditEvent.objects.filter(
        client=client, object_type=obj_model._meta.label_lower, action=action
    )


# --- aftercare_start -----------------------------------------------------------------


def test_aftercare_start_moves_an_intensive_episode_to_aftercare(counselor1):
    episode = intensive_episode(counselor1)

    aftercare_start(actor=counselor1, episode=episode, plan=PLAN_TEXT)

    episode.refresh_from_db()
    assert episode.phase == Episode.Phase.AFTERCARE


def test_aftercare_start_creates_a_twelve_month_plan_with_the_relapse_prevention_text(counselor1):
    episode = intensive_episode(counselor1)
    start = days_ago(3)

    plan = aftercare_start(actor=counselor1, episode=episode, plan=PLAN_TEXT, started_on=start)

    plan.refresh_from_db()
    assert (plan.episode, plan.client, plan.created_by) == (episode, episode.client, counselor1)
    assert plan.started_on == start
    assert plan.ends_on == datetime.date(start.year + 1, start.month, start.day)
    assert {name: getattr(plan, name) for name in PLAN_TEXT} == PLAN_TEXT
    assert plan.flagged_at is None


def test_aftercare_start_strips_the_plan_text(counselor1):
    episode = intensive_episode(counselor1)
    text = {name: f"  {value}\n" for name, value in PLAN_TEXT.items()}

    plan = aftercare_start(actor=counselor1, episode=episode, plan=text)

    assert plan.recovery_goals == PLAN_TEXT["recovery_goals"]


def test_aftercare_start_defaults_to_starting_today(counselor1):
    plan = aftercare_start(actor=counselor1, episode=intensive_episode(counselor1), plan=PLAN_TEXT)

    assert plan.started_on == timezone.localdate()


def test_aftercare_start_schedules_seventeen_numbered_check_ins(counselor1):
    plan = stepped_down(counselor1)

    check_ins = list(plan.check_ins.order_by("number"))

    assert len(check_ins) == 17
    assert [c.number for c in check_ins] == list(range(1, 18))
    assert [c.due_on for c in check_ins] == sorted(c.due_on for c in check_ins)
    assert {c.status for c in check_ins} == {CheckIn.Status.SCHEDULED}
    assert {c.client_id for c in check_ins} == {plan.client_id}
    assert check_ins[0].due_on == plan.started_on + datetime.timedelta(weeks=1)
    assert check_ins[-1].due_on == plan.ends_on


def test_aftercare_start_schedules_each_check_in_at_ten_in_the_morning_local_time(counselor1):
    plan = stepped_down(counselor1)

    for check_in in plan.check_ins.all():
        local = timezone.localtime(check_in.scheduled_at)
        assert (local.date(), local.time()) == (check_in.due_on, datetime.time(10, 0))


@pytest.mark.parametrize(
    "phase", [Episode.Phase.SCREENING, Episode.Phase.AFTERCARE, Episode.Phase.DISCHARGED]
)
def test_aftercare_start_refuses_an_episode_not_in_the_intensive_phase(counselor1, phase):
    episode = intensive_episode(counselor1)
    Episode.objects.filter(pk=episode.pk).update(phase=phase)

    with pytest.raises(ValidationError, match="intensive phase"):
        aftercare_start(actor=counselor1, episode=episode, plan=PLAN_TEXT)

    assert not AftercarePlan.objects.exists()
    assert not CheckIn.objects.exists()
    episode.refresh_from_db()
    assert episode.phase == phase


@pytest.mark.parametrize("field", list(PLAN_TEXT))
def test_aftercare_start_requires_every_plan_text_field_and_writes_nothing_without_one(
    counselor1, field
):
    episode = intensive_episode(counselor1)

    with pytest.raises(ValidationError) as error:
        aftercare_start(actor=counselor1, episode=episode, plan={**PLAN_TEXT, field: "   "})

    assert set(error.value.message_dict) == {field}
    episode.refresh_from_db()
    assert episode.phase == Episode.Phase.INTENSIVE
    assert not AftercarePlan.objects.exists()
    assert not CheckIn.objects.exists()


def test_aftercare_start_names_every_missing_plan_field(counselor1):
    episode = intensive_episode(counselor1)

    with pytest.raises(ValidationError) as error:
        aftercare_start(actor=counselor1, episode=episode, plan={})

    assert set(error.value.message_dict) == set(PLAN_TEXT)


def test_aftercare_start_moves_a_future_social_support_enrollment_to_the_step_down_date(
    counselor1,
):
    ensure_curriculum()
    # Admitted four weeks ago: Social Support would start in week 13.
    episode = intensive_episode(counselor1, admitted_days_ago=28)
    episode_enroll(actor=counselor1, episode=episode)
    social = Enrollment.objects.get(episode=episode, program_track__track__code="social")
    assert social.start_date > timezone.localdate()

    aftercare_start(actor=counselor1, episode=episode, plan=PLAN_TEXT)

    social.refresh_from_db()
    assert social.start_date == timezone.localdate()


def test_aftercare_start_leaves_the_other_tracks_enrollments_alone(counselor1):
    ensure_curriculum()
    episode = intensive_episode(counselor1, admitted_days_ago=28)
    episode_enroll(actor=counselor1, episode=episode)
    before = dict(
        Enrollment.objects.filter(episode=episode)
        .exclude(program_track__track__code="social")
        .values_list("pk", "start_date")
    )

    aftercare_start(actor=counselor1, episode=episode, plan=PLAN_TEXT)

    after = dict(Enrollment.objects.filter(pk__in=before).values_list("pk", "start_date"))
    assert after == before


def test_aftercare_start_keeps_a_social_support_enrollment_that_already_started(counselor1):
    ensure_curriculum()
    # Admitted 20 weeks ago: Social Support started in week 13.
    episode = intensive_episode(counselor1, admitted_days_ago=140)
    episode_enroll(actor=counselor1, episode=episode)
    social = Enrollment.objects.get(episode=episode, program_track__track__code="social")
    started = social.start_date

    aftercare_start(actor=counselor1, episode=episode, plan=PLAN_TEXT)

    social.refresh_from_db()
    assert social.start_date == started


def test_aftercare_start_writes_a_create_event_for_the_plan_and_one_for_the_phase(counselor1):
    plan = stepped_down(counselor1)

    created = _events(plan.client, AftercarePlan, AuditEvent.Action.CREATE).get()
    phase = _events(plan.client, Episode, AuditEvent.Action.UPDATE).get()

    assert created.actor == counselor1
    assert created.object_id == str(plan.public_id)
    assert phase.details == {"phase": Episode.Phase.AFTERCARE}


def test_aftercare_start_refuses_a_start_before_admission(counselor1):
    episode = intensive_episode(counselor1, admitted_days_ago=10)

    with pytest.raises(ValidationError):
        aftercare_start(actor=counselor1, episode=episode, plan=PLAN_TEXT, started_on=days_ago(30))


# --- check_in_record: validation -------------------------------------------------------


def test_check_in_record_refuses_a_date_before_the_plan_starts(counselor1, plan):
    check_in = numbered(plan, 1)

    with pytest.raises(ValidationError) as error:
        record(counselor1, check_in, completed(contacted_on=days_ago(STARTED_DAYS_AGO + 1)))

    assert "before the aftercare plan starts" in error.value.message_dict["contacted_on"][0]
    check_in.refresh_from_db()
    assert check_in.status == CheckIn.Status.SCHEDULED


def test_check_in_record_accepts_the_day_the_plan_starts(counselor1, plan):
    check_in = record(counselor1, numbered(plan, 1), completed(contacted_on=plan.started_on))

    assert check_in.contacted_on == plan.started_on


def test_check_in_record_refuses_a_date_in_the_future(counselor1, plan):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        record(counselor1, numbered(plan, 4), completed(contacted_on=tomorrow))

    assert "future" in error.value.message_dict["contacted_on"][0]
    assert not CheckIn.objects.filter(status=CheckIn.Status.RECORDED).exists()


def test_check_in_record_refuses_a_missing_date(counselor1, plan):
    with pytest.raises(ValidationError) as error:
        record(counselor1, numbered(plan, 4), completed(contacted_on=None))

    assert set(error.value.message_dict) == {"contacted_on"}


def test_check_in_record_refuses_an_unknown_outcome(counselor1, plan):
    with pytest.raises(ValidationError) as error:
        record(counselor1, numbered(plan, 4), completed(outcome="rescheduled"))

    assert set(error.value.message_dict) == {"outcome"}
    assert not OutreachTask.objects.exists()


def test_check_in_record_refuses_a_completed_check_in_without_a_risk_level(counselor1, plan):
    with pytest.raises(ValidationError) as error:
        record(counselor1, numbered(plan, 4), completed(risk_level=""))

    assert set(error.value.message_dict) == {"risk_level"}


def test_check_in_record_refuses_high_risk_without_a_re_engagement_action(counselor1, plan):
    with pytest.raises(ValidationError) as error:
        record(counselor1, numbered(plan, 4), completed(risk_level=CheckIn.Risk.HIGH))

    assert set(error.value.message_dict) == {"re_engagement"}


def test_check_in_record_refuses_any_use_without_a_re_engagement_action(counselor1, plan):
    with pytest.raises(ValidationError) as error:
        record(counselor1, numbered(plan, 4), completed(days_of_use=1, substances_used="alcohol"))

    assert set(error.value.message_dict) == {"re_engagement"}


def test_check_in_record_refuses_an_extra_session_without_its_time(counselor1, plan):
    data = completed(risk_level=CheckIn.Risk.HIGH, re_engagement="extra_session")

    with pytest.raises(ValidationError) as error:
        record(counselor1, numbered(plan, 4), data)

    assert set(error.value.message_dict) == {"session_at"}
    assert not Appointment.objects.exists()


def test_check_in_record_refuses_a_referral_without_its_detail(counselor1, plan):
    data = completed(risk_level=CheckIn.Risk.HIGH, re_engagement="referral")

    with pytest.raises(ValidationError) as error:
        record(counselor1, numbered(plan, 4), {**data, "re_engagement_detail": "  "})

    assert set(error.value.message_dict) == {"re_engagement_detail"}


def test_check_in_record_accepts_moderate_risk_without_use_and_no_re_engagement(counselor1, plan):
    check_in = record(counselor1, numbered(plan, 4), completed(risk_level=CheckIn.Risk.MODERATE))

    assert (check_in.status, check_in.re_engagement) == (CheckIn.Status.RECORDED, "")


# --- check_in_record: recording and signing -------------------------------------------


def test_check_in_record_stores_what_the_client_reported(counselor1, plan):
    data = completed(
        mode=CheckIn.Mode.VIDEO,
        mutual_help_meetings=6,
        employment=CheckIn.Employment.UNEMPLOYED,
        housing=CheckIn.Housing.UNSTABLE,
        risk_level=CheckIn.Risk.MODERATE,
        note="Lost the job; staying with his sister.",
    )

    record(counselor1, numbered(plan, 4), data)

    check_in = numbered(plan, 4)
    assert check_in.status == CheckIn.Status.RECORDED
    assert check_in.recorded_by == counselor1
    assert (check_in.contacted_on, check_in.mode, check_in.outcome) == (
        timezone.localdate(),
        CheckIn.Mode.VIDEO,
        CheckIn.Outcome.COMPLETED,
    )
    assert (check_in.mutual_help_meetings, check_in.employment, check_in.housing) == (
        6,
        CheckIn.Employment.UNEMPLOYED,
        CheckIn.Housing.UNSTABLE,
    )
    assert check_in.risk_level == CheckIn.Risk.MODERATE
    assert check_in.note == "Lost the job; staying with his sister."


def test_check_in_record_keeps_no_clinical_answers_on_a_missed_check_in(counselor1, plan):
    check_in = numbered(plan, 1)
    data = {**completed(days_of_use=4, risk_level="high", housing="homeless"), **missed(check_in)}

    record(counselor1, check_in, data)

    check_in.refresh_from_db()
    assert check_in.outcome == CheckIn.Outcome.MISSED
    assert (check_in.days_of_use, check_in.risk_level, check_in.housing) == (0, "", "")


def test_a_recorded_check_in_is_signed_by_who_recorded_it(counselor1, plan):
    before = timezone.now()

    record(counselor1, numbered(plan, 4), completed())

    check_in = numbered(plan, 4)
    assert check_in.signed_by == counselor1
    assert before <= check_in.signed_at <= timezone.now()
    assert check_in.is_signed


def test_a_check_in_recorded_within_72_hours_of_its_time_is_not_late(counselor1, plan):
    # Number 4 is scheduled for 10:00 today.
    check_in = record(counselor1, numbered(plan, 4), completed())

    assert check_in.signed_late is False


def test_a_check_in_recorded_more_than_72_hours_after_its_time_is_late(counselor1, plan):
    # Number 1 was scheduled three weeks ago.
    check_in = numbered(plan, 1)

    record(counselor1, check_in, completed(contacted_on=check_in.due_on))

    check_in.refresh_from_db()
    assert check_in.signed_late is True


def test_a_recorded_check_in_cannot_be_recorded_again(counselor1, plan):
    check_in = numbered(plan, 1)
    record(counselor1, check_in, missed(check_in))

    with pytest.raises(ValidationError, match="signed and locked"):
        record(counselor1, check_in, completed())

    check_in.refresh_from_db()
    assert check_in.outcome == CheckIn.Outcome.MISSED
    assert OutreachTask.objects.count() == 1


def test_a_cancelled_check_in_cannot_be_recorded(counselor1, plan):
    check_in = numbered(plan, 4)
    CheckIn.objects.filter(pk=check_in.pk).update(status=CheckIn.Status.CANCELLED)

    with pytest.raises(ValidationError, match="cancelled"):
        record(counselor1, check_in, completed())

    check_in.refresh_from_db()
    assert (check_in.status, check_in.signed_at) == (CheckIn.Status.CANCELLED, None)


def test_check_in_record_writes_an_update_event_with_outcome_and_risk(counselor1, plan):
    check_in = record(counselor1, numbered(plan, 4), completed(risk_level=CheckIn.Risk.MODERATE))

    event = _events(plan.client, CheckIn, AuditEvent.Action.UPDATE).get()

    assert event.actor == counselor1
    assert event.object_id == str(check_in.public_id)
    assert event.details == {"outcome": "completed", "risk": "moderate"}


# --- check_in_record: outreach and the missed-in-a-row flag --------------------------


@pytest.mark.parametrize("outcome", [CheckIn.Outcome.MISSED, CheckIn.Outcome.UNABLE_TO_REACH])
def test_a_check_in_not_reached_opens_one_outreach_task_for_the_primary_counselor(
    counselor1, supervisor, plan, outcome
):
    check_in = numbered(plan, 1)

    record(supervisor, check_in, missed(check_in, outcome=outcome))

    task = OutreachTask.objects.get()
    assert (task.check_in, task.client, task.counselor) == (check_in, plan.client, counselor1)
    assert task.status == OutreachTask.Status.OPEN
    assert task.closed_at is None


def test_a_completed_check_in_opens_no_outreach_task(counselor1, plan):
    record(counselor1, numbered(plan, 4), completed())

    assert not OutreachTask.objects.exists()


def test_three_missed_check_ins_in_a_row_flag_the_plan(counselor1, plan):
    for number in (1, 2, 3):
        check_in = numbered(plan, number)
        record(counselor1, check_in, missed(check_in))

    plan.refresh_from_db()
    assert plan.flagged_at is not None
    assert OutreachTask.objects.filter(client=plan.client).count() == 3


def test_unable_to_reach_counts_as_missed_for_the_flag(counselor1, plan):
    for number, outcome in ((1, "missed"), (2, "unable_to_reach"), (3, "missed")):
        check_in = numbered(plan, number)
        record(counselor1, check_in, missed(check_in, outcome=outcome))

    plan.refresh_from_db()
    assert plan.flagged_at is not None


def test_two_missed_check_ins_do_not_flag_the_plan(counselor1, plan):
    for number in (1, 2):
        check_in = numbered(plan, number)
        record(counselor1, check_in, missed(check_in))

    plan.refresh_from_db()
    assert plan.flagged_at is None


def test_two_missed_then_a_completed_check_in_do_not_flag_the_plan(counselor1, plan):
    for number in (1, 2):
        check_in = numbered(plan, number)
        record(counselor1, check_in, missed(check_in))
    record(counselor1, numbered(plan, 3), completed(contacted_on=numbered(plan, 3).due_on))

    plan.refresh_from_db()
    assert plan.flagged_at is None


def test_missed_check_ins_separated_by_a_completed_one_do_not_flag_the_plan(counselor1, plan):
    first, second, third, fourth = (numbered(plan, number) for number in (1, 2, 3, 4))
    record(counselor1, first, missed(first))
    record(counselor1, second, completed(contacted_on=second.due_on))
    record(counselor1, third, missed(third))
    record(counselor1, fourth, missed(fourth))

    plan.refresh_from_db()
    assert plan.flagged_at is None


def test_a_completed_check_in_clears_the_flag(counselor1, plan):
    for number in (1, 2, 3):
        check_in = numbered(plan, number)
        record(counselor1, check_in, missed(check_in))

    record(counselor1, numbered(plan, 4), completed())

    plan.refresh_from_db()
    assert plan.flagged_at is None


def test_a_fourth_missed_check_in_keeps_the_time_the_plan_was_first_flagged(counselor1, plan):
    for number in (1, 2, 3):
        check_in = numbered(plan, number)
        record(counselor1, check_in, missed(check_in))
    plan.refresh_from_db()
    flagged_at = plan.flagged_at

    record(counselor1, numbered(plan, 4), missed(numbered(plan, 4)))

    plan.refresh_from_db()
    assert plan.flagged_at == flagged_at


# --- check_in_record: re-engagement ----------------------------------------------------


def test_an_extra_session_books_an_individual_appointment_with_the_primary_counselor(
    supervisor, counselor1, plan
):
    session_at = _soon_at(15)
    data = completed(risk_level="high", re_engagement="extra_session", session_at=session_at)

    record(supervisor, numbered(plan, 4), data)

    appointment = Appointment.objects.get()
    assert appointment.kind == Appointment.Kind.INDIVIDUAL
    assert appointment.starts_at == session_at
    assert (appointment.client, appointment.episode) == (plan.client, plan.episode)
    assert appointment.counselor == counselor1
    assert appointment.created_by == supervisor
    assert appointment.status == Appointment.Status.SCHEDULED


def test_an_extra_session_schedules_its_reminders_when_the_client_consented_to_texts(counselor1):
    plan = stepped_down(counselor1, sms_consent=True, phone="+15555550123")
    data = completed(days_of_use=2, substances_used="cocaine", risk_level="moderate")
    data.update(re_engagement="extra_session", session_at=_soon_at(15))

    record(counselor1, numbered(plan, 4), data)

    appointment = Appointment.objects.get()
    reminders = Reminder.objects.filter(appointment_key=f"appointment:{appointment.public_id}")
    assert sorted(reminders.values_list("channel", "kind")) == [
        ("sms", "before_24h"),
        ("sms", "before_2h"),
    ]
    assert set(reminders.values_list("address", "client")) == {("+15555550123", plan.client_id)}


def test_an_extra_session_schedules_no_reminders_without_consent(counselor1, plan):
    data = completed(risk_level="high", re_engagement="extra_session", session_at=_soon_at(15))

    record(counselor1, numbered(plan, 4), data)

    assert Appointment.objects.count() == 1
    assert not Reminder.objects.exists()


def test_return_to_intensive_puts_the_episode_back_in_the_intensive_phase(counselor1, plan):
    data = completed(days_of_use=5, substances_used="alcohol", risk_level="high")

    record(counselor1, numbered(plan, 4), {**data, "re_engagement": "return_to_intensive"})

    plan.episode.refresh_from_db()
    assert plan.episode.phase == Episode.Phase.INTENSIVE
    assert numbered(plan, 4).re_engagement == CheckIn.ReEngagement.RETURN_TO_INTENSIVE


def test_return_to_intensive_is_audited_as_a_re_engagement(counselor1, plan):
    data = completed(risk_level="high", re_engagement="return_to_intensive")

    record(counselor1, numbered(plan, 4), data)

    event = _events(plan.client, Episode, AuditEvent.Action.UPDATE).latest("id")
    assert event.details == {"phase": Episode.Phase.INTENSIVE, "re_engagement": True}


def test_a_client_returned_to_intensive_can_step_down_to_aftercare_again(counselor1, plan):
    record(
        counselor1,
        numbered(plan, 4),
        completed(risk_level="high", re_engagement="return_to_intensive"),
    )
    plan.episode.refresh_from_db()

    aftercare_start(actor=counselor1, episode=plan.episode, plan=PLAN_TEXT)

    plan.episode.refresh_from_db()
    assert plan.episode.phase == Episode.Phase.AFTERCARE


def test_a_referral_records_where_the_client_was_referred(counselor1, plan):
    data = completed(risk_level="high", re_engagement="referral")
    data["re_engagement_detail"] = "  Psychiatric evaluation at Integral Care  "

    record(counselor1, numbered(plan, 4), data)

    check_in = numbered(plan, 4)
    assert check_in.re_engagement == CheckIn.ReEngagement.REFERRAL
    assert check_in.re_engagement_detail.strip() == "Psychiatric evaluation at Integral Care"
    plan.episode.refresh_from_db()
    assert plan.episode.phase == Episode.Phase.AFTERCARE
    assert not Appointment.objects.exists()


# --- outreach_attempt_add ----------------------------------------------------------------


@pytest.fixture
def task(counselor1, plan):
    check_in = numbered(plan, 1)
    record(counselor1, check_in, missed(check_in))
    return OutreachTask.objects.get(check_in=check_in)


def test_outreach_attempt_add_logs_the_attempt(counselor1, task):
    attempt = outreach_attempt_add(
        actor=counselor1, task=task, method="phone", outcome="no_answer", note=" Voicemail full "
    )

    attempt.refresh_from_db()
    assert (attempt.task, attempt.by) == (task, counselor1)
    assert (attempt.method, attempt.outcome, attempt.note) == (
        "phone",
        "no_answer",
        "Voicemail full",
    )


def test_an_unanswered_attempt_leaves_the_task_open(counselor1, task):
    outreach_attempt_add(actor=counselor1, task=task, method="text", outcome="left_message")

    task.refresh_from_db()
    assert task.status == OutreachTask.Status.OPEN


def test_reaching_the_client_closes_the_task(counselor1, task):
    outreach_attempt_add(actor=counselor1, task=task, method="phone", outcome="no_answer")

    outreach_attempt_add(actor=counselor1, task=task, method="phone", outcome="reached")

    task.refresh_from_db()
    assert task.status == OutreachTask.Status.CLOSED
    assert task.closed_at is not None
    assert task.attempts.count() == 2


def test_a_closed_task_refuses_more_attempts(counselor1, task):
    outreach_attempt_add(actor=counselor1, task=task, method="phone", outcome="reached")
    task.refresh_from_db()

    with pytest.raises(ValidationError, match="closed"):
        outreach_attempt_add(actor=counselor1, task=task, method="phone", outcome="no_answer")

    assert task.attempts.count() == 1


def test_a_task_closed_since_it_was_loaded_refuses_the_attempt(counselor1, task):
    loaded_earlier = OutreachTask.objects.get(pk=task.pk)  # the queue open in another tab
    outreach_attempt_add(actor=counselor1, task=task, method="phone", outcome="reached")

    with pytest.raises(ValidationError, match="closed"):
        outreach_attempt_add(
            actor=counselor1, task=loaded_earlier, method="phone", outcome="no_answer"
        )

    assert task.attempts.count() == 1


@pytest.mark.parametrize(
    ("method", "outcome"), [("pigeon", "no_answer"), ("phone", "busy"), ("", "")]
)
def test_outreach_attempt_add_refuses_an_unknown_method_or_outcome(
    counselor1, task, method, outcome
):
    with pytest.raises(ValidationError):
        outreach_attempt_add(actor=counselor1, task=task, method=method, outcome=outcome)

    assert not OutreachAttempt.objects.exists()


def test_outreach_attempt_add_writes_an_update_event_with_the_result(counselor1, task):
    outreach_attempt_add(actor=counselor1, task=task, method="phone", outcome="wrong_number")

    event = _events(task.client, OutreachTask, AuditEvent.Action.UPDATE).get()
    assert event.actor == counselor1
    assert event.object_id == str(task.public_id)
    assert event.details == {"attempt": "wrong_number"}


# --- episode_discharge_with_summary ------------------------------------------------------


def test_discharge_refuses_a_date_before_admission(supervisor, plan):
    admitted = plan.episode.admission_date

    with pytest.raises(ValidationError) as error:
        _discharge(supervisor, plan.episode, when=admitted - datetime.timedelta(days=1))

    assert set(error.value.message_dict) == {"discharge_date"}
    plan.episode.refresh_from_db()
    assert plan.episode.phase == Episode.Phase.AFTERCARE
    assert not DischargeSummary.objects.exists()


def test_discharge_refuses_a_date_in_the_future(supervisor, plan):
    with pytest.raises(ValidationError) as error:
        _discharge(supervisor, plan.episode, when=timezone.localdate() + datetime.timedelta(1))

    assert set(error.value.message_dict) == {"discharge_date"}
    assert not DischargeSummary.objects.exists()


def test_discharge_refuses_a_missing_summary(supervisor, plan):
    with pytest.raises(ValidationError) as error:
        _discharge(supervisor, plan.episode, summary="   ")

    assert set(error.value.message_dict) == {"summary"}
    plan.episode.refresh_from_db()
    assert plan.episode.phase == Episode.Phase.AFTERCARE


def test_discharge_refuses_an_unknown_teds_reason(supervisor, plan):
    with pytest.raises(ValidationError):
        _discharge(supervisor, plan.episode, reason=9)

    assert not DischargeSummary.objects.exists()


def test_discharge_refuses_an_episode_already_discharged(supervisor, plan):
    _discharge(supervisor, plan.episode)

    with pytest.raises(ValidationError, match="already discharged"):
        _discharge(supervisor, plan.episode)

    assert DischargeSummary.objects.count() == 1


def test_discharge_records_the_teds_reason_and_date_on_the_episode(supervisor, plan):
    when = days_ago(1)

    _discharge(supervisor, plan.episode, when=when, reason=Reason.COMPLETED)

    plan.episode.refresh_from_db()
    assert plan.episode.phase == Episode.Phase.DISCHARGED
    assert (plan.episode.discharge_date, plan.episode.discharge_reason) == (when, 1)


def test_discharge_records_the_teds_discharge_fields(supervisor, plan):
    note = _discharge(
        supervisor,
        plan.episode,
        substances_at_discharge="alcohol",
        employment=teds.Employment.PART_TIME,
        living_arrangement=teds.Living.DEPENDENT,
        mutual_help=teds.MutualHelp.FEW,
    )

    note.refresh_from_db()
    assert note.episode == plan.episode
    assert note.author == supervisor
    assert (note.substances_at_discharge, note.employment) == ("alcohol", "part_time")
    assert (note.living_arrangement, note.mutual_help) == ("dependent", "1_3")
    assert note.summary == SUMMARY["summary"]


def test_discharge_signs_the_summary(supervisor, plan):
    note = _discharge(supervisor, plan.episode)

    note.refresh_from_db()
    assert note.signed_by == supervisor
    assert note.signed_at is not None
    assert note.signed_late is False


def test_discharge_ends_the_caseload_assignment(supervisor, counselor1, plan):
    CaseloadAssignment.objects.create(
        episode=plan.episode, counselor=counselor1, started_at=timezone.now()
    )

    _discharge(supervisor, plan.episode)

    assert not CaseloadAssignment.objects.filter(ended_at__isnull=True).exists()


def test_discharge_cancels_future_scheduled_appointments(supervisor, counselor1, plan):
    future = appointment_schedule(
        actor=counselor1,
        episode=plan.episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=_soon_at(15),
        counselor=counselor1,
    )

    _discharge(supervisor, plan.episode)

    future.refresh_from_db()
    assert future.status == Appointment.Status.CANCELLED_PROGRAM


def test_discharge_leaves_past_and_attended_appointments_alone(supervisor, counselor1, plan):
    past = appointment_schedule(
        actor=counselor1,
        episode=plan.episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        counselor=counselor1,
    )
    attended = appointment_schedule(
        actor=counselor1,
        episode=plan.episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=_soon_at(9),
        counselor=counselor1,
    )
    Appointment.objects.filter(pk=attended.pk).update(status=Appointment.Status.ATTENDED)

    _discharge(supervisor, plan.episode)

    assert Appointment.objects.get(pk=past.pk).status == Appointment.Status.SCHEDULED
    assert Appointment.objects.get(pk=attended.pk).status == Appointment.Status.ATTENDED


def test_discharge_cancels_the_scheduled_check_ins_and_keeps_recorded_ones(
    supervisor, counselor1, plan
):
    record(counselor1, numbered(plan, 4), completed())

    _discharge(supervisor, plan.episode)

    statuses = dict(plan.check_ins.values_list("number", "status"))
    assert statuses.pop(4) == CheckIn.Status.RECORDED
    assert set(statuses.values()) == {CheckIn.Status.CANCELLED}


def test_discharge_ends_the_active_enrollments(supervisor, counselor1):
    ensure_curriculum()
    episode = intensive_episode(counselor1, admitted_days_ago=28)
    enrollments = episode_enroll(actor=counselor1, episode=episode)
    assert enrollments

    _discharge(supervisor, episode, reason=Reason.LEFT_AGAINST_ADVICE)

    assert set(episode.enrollments.values_list("status", flat=True)) == {Enrollment.Status.ENDED}


def test_a_back_dated_discharge_ends_the_enrollments_on_the_discharge_date(supervisor, counselor1):
    ensure_curriculum()
    episode = intensive_episode(counselor1, admitted_days_ago=28)
    episode_enroll(actor=counselor1, episode=episode)

    _discharge(supervisor, episode, when=days_ago(3), reason=Reason.LEFT_AGAINST_ADVICE)

    assert set(episode.enrollments.values_list("end_date", flat=True)) == {days_ago(3)}


def test_discharge_cancels_the_clients_pending_reminders(supervisor, counselor1):
    plan = stepped_down(counselor1, sms_consent=True, phone="+15555550123")
    appointment_schedule(
        actor=counselor1,
        episode=plan.episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=_soon_at(15),
        counselor=counselor1,
    )
    check_in = numbered(plan, 5)
    reminders_schedule(
        appointment_key=f"checkin:{check_in.public_id}",
        starts_at=check_in.scheduled_at,
        client=plan.client,
    )
    assert Reminder.objects.filter(status=Reminder.Status.PENDING).count() == 4

    _discharge(supervisor, plan.episode)

    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.CANCELLED}
    assert not Reminder.objects.filter(cancelled_at__isnull=True).exists()


def test_discharge_leaves_other_clients_reminders_pending(supervisor, counselor1, plan):
    other = stepped_down(counselor1, sms_consent=True, phone="+15555550124")
    appointment_schedule(
        actor=counselor1,
        episode=other.episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=_soon_at(15),
        counselor=counselor1,
    )

    _discharge(supervisor, plan.episode)

    assert Reminder.objects.filter(status=Reminder.Status.PENDING).count() == 2


def test_a_client_who_drops_out_is_discharged_straight_from_the_intensive_phase(
    supervisor, counselor1
):
    episode = intensive_episode(counselor1, admitted_days_ago=20)

    note = _discharge(
        supervisor,
        episode,
        when=days_ago(2),
        reason=Reason.LEFT_AGAINST_ADVICE,
        substances_at_discharge="methamphetamine",
        employment=teds.Employment.UNEMPLOYED,
        summary="Stopped attending after week 3; three outreach calls unanswered.",
    )

    episode.refresh_from_db()
    assert episode.phase == Episode.Phase.DISCHARGED
    assert episode.discharge_reason == 2
    assert note.episode == episode
    assert not AftercarePlan.objects.exists()


def test_discharge_writes_a_create_event_for_the_summary_with_the_reason(supervisor, plan):
    note = _discharge(supervisor, plan.episode, reason=Reason.TRANSFERRED)

    event = _events(plan.client, DischargeSummary, AuditEvent.Action.CREATE).get()
    assert event.actor == supervisor
    assert event.object_id == str(note.public_id)
    assert event.details == {"reason": 4}
    phase = _events(plan.client, Episode, AuditEvent.Action.UPDATE).latest("id")
    assert phase.details == {"phase": "discharged", "discharge_reason": 4}


def test_discharge_closes_the_clients_open_outreach_tasks(supervisor, task):
    _discharge(supervisor, task.check_in.plan.episode)

    task.refresh_from_db()
    assert task.status == OutreachTask.Status.CLOSED


# --- readmission -------------------------------------------------------------------------


@pytest.fixture
def discharged(supervisor, plan):
    _discharge(supervisor, plan.episode, when=days_ago(1))
    plan.episode.refresh_from_db()
    return plan.episode


def test_readmission_opens_a_new_episode_in_screening(supervisor, discharged):
    episode = episode_open_for_readmission(actor=supervisor, client=discharged.client)

    assert episode != discharged
    assert episode.phase == Episode.Phase.SCREENING
    assert episode.referral_date == timezone.localdate()
    assert (episode.admission_date, episode.primary_counselor) == (None, None)


def test_readmission_leaves_the_old_episode_and_its_discharge_intact(supervisor, discharged):
    episode_open_for_readmission(actor=supervisor, client=discharged.client)

    old = Episode.objects.get(pk=discharged.pk)
    assert old.phase == Episode.Phase.DISCHARGED
    assert (old.discharge_date, old.discharge_reason) == (days_ago(1), 1)
    assert DischargeSummary.objects.get().episode == old
    assert AftercarePlan.objects.get().episode == old


def test_readmission_refuses_a_client_with_an_open_episode(supervisor, discharged):
    episode_open_for_readmission(actor=supervisor, client=discharged.client)

    with pytest.raises(ValidationError, match="already has an open episode of care"):
        episode_open_for_readmission(actor=supervisor, client=discharged.client)

    assert discharged.client.episodes.count() == 2


def test_readmission_refuses_a_client_in_aftercare(supervisor, plan):
    with pytest.raises(ValidationError, match="already has an open episode of care"):
        episode_open_for_readmission(actor=supervisor, client=plan.client)


def test_readmission_writes_a_create_event_marked_as_a_readmission(supervisor, discharged):
    episode = episode_open_for_readmission(actor=supervisor, client=discharged.client)

    event = _events(discharged.client, Episode, AuditEvent.Action.CREATE).get()
    assert event.object_id == str(episode.public_id)
    assert event.details == {"readmission": True}
