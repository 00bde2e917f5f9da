"""Aftercare's part in reminders (DOMAIN.md section 8): the planner's source
of upcoming check-ins, cancelling a check-in's reminders once it is
recorded, and the staff digest's lines on due check-ins and open outreach."""

import datetime

import pytest
from django.utils import timezone

from aftercare.models import OutreachTask
from aftercare.services import episode_discharge_with_summary, outreach_attempt_add
from iop.clients.models import Episode
from iop.reminders.models import Reminder
from iop.reminders.services.planning import reminders_plan_upcoming, staff_digests_queue
from iop.reminders.sources import digest_lines, upcoming
from tests.aftercare.factories import completed, missed, numbered, record, stepped_down

pytestmark = pytest.mark.django_db

# The planner's window is the longest offset (24 h) plus a two-hour margin:
# 25 hours before a check-in, both its reminders can still go out in time.
BEFORE = datetime.timedelta(hours=25)


@pytest.fixture
def plan(counselor1):
    """counselor1's client in aftercare for four weeks, consenting to texts."""
    return stepped_down(counselor1, sms_consent=True, phone="+15555550123")


def _check_in_reminders(check_in):
    return Reminder.objects.filter(appointment_key=f"checkin:{check_in.public_id}")


def _end_of_plan(plan) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(plan.ends_on, datetime.time(23, 59)))


# --- the planner's source ---------------------------------------------------------------


def test_upcoming_yields_a_scheduled_check_in_in_the_window(plan):
    check_in = numbered(plan, 5)
    start = check_in.scheduled_at - datetime.timedelta(hours=1)

    items = [
        item
        for item in upcoming(start, start + datetime.timedelta(hours=2))
        if item["appointment_key"].startswith("checkin:")
    ]

    assert items == [
        {
            "appointment_key": f"checkin:{check_in.public_id}",
            "starts_at": check_in.scheduled_at,
            "location": "",
            "client": plan.client,
        }
    ]


def test_upcoming_leaves_out_check_ins_outside_the_window(plan):
    check_in = numbered(plan, 5)

    keys = {item["appointment_key"] for item in upcoming(check_in.scheduled_at, _end_of_plan(plan))}

    assert f"checkin:{check_in.public_id}" in keys
    assert f"checkin:{numbered(plan, 4).public_id}" not in keys


def test_planner_schedules_both_reminders_of_an_upcoming_check_in(plan):
    check_in = numbered(plan, 5)

    reminders_plan_upcoming(now=check_in.scheduled_at - BEFORE)

    reminders = _check_in_reminders(check_in)
    assert sorted(reminders.values_list("kind", "channel", "status")) == [
        ("before_24h", "sms", "pending"),
        ("before_2h", "sms", "pending"),
    ]
    assert set(reminders.values_list("client", "address", "appointment_starts_at")) == {
        (plan.client_id, "+15555550123", check_in.scheduled_at)
    }


def test_planner_schedules_nothing_for_check_ins_beyond_its_window(plan):
    check_in = numbered(plan, 5)

    reminders_plan_upcoming(now=check_in.scheduled_at - datetime.timedelta(days=3))

    assert not Reminder.objects.filter(appointment_key__startswith="checkin:").exists()


def test_planning_twice_schedules_each_check_in_reminder_once(plan):
    check_in = numbered(plan, 5)
    now = check_in.scheduled_at - BEFORE

    reminders_plan_upcoming(now=now)
    reminders_plan_upcoming(now=now + datetime.timedelta(minutes=15))

    assert _check_in_reminders(check_in).count() == 2


def test_planner_schedules_nothing_for_a_client_without_consent(counselor1):
    plan = stepped_down(counselor1, sms_consent=False, email_consent=False)
    check_in = numbered(plan, 5)

    reminders_plan_upcoming(now=check_in.scheduled_at - BEFORE)

    assert not _check_in_reminders(check_in).exists()


def test_planner_skips_a_check_in_already_recorded(counselor1, plan):
    check_in = numbered(plan, 5)
    record(counselor1, check_in, completed())

    reminders_plan_upcoming(now=check_in.scheduled_at - BEFORE)

    assert not _check_in_reminders(check_in).exists()


@pytest.mark.parametrize("phase", [Episode.Phase.INTENSIVE, Episode.Phase.DISCHARGED])
def test_planner_skips_check_ins_of_an_episode_no_longer_in_aftercare(plan, phase):
    Episode.objects.filter(pk=plan.episode_id).update(phase=phase)
    check_in = numbered(plan, 5)

    reminders_plan_upcoming(now=check_in.scheduled_at - BEFORE)

    assert not _check_in_reminders(check_in).exists()


def test_recording_a_check_in_cancels_its_pending_reminders(counselor1, plan):
    check_in = numbered(plan, 5)
    reminders_plan_upcoming(now=check_in.scheduled_at - BEFORE)

    record(counselor1, check_in, completed())

    reminders = _check_in_reminders(check_in)
    assert set(reminders.values_list("status", flat=True)) == {Reminder.Status.CANCELLED}
    assert not reminders.filter(cancelled_at__isnull=True).exists()


def test_recording_a_check_in_leaves_the_other_check_ins_reminders_pending(counselor1, plan):
    fifth, sixth = numbered(plan, 5), numbered(plan, 6)
    reminders_plan_upcoming(now=fifth.scheduled_at - BEFORE)
    reminders_plan_upcoming(now=sixth.scheduled_at - BEFORE)

    record(counselor1, fifth, completed())

    assert set(_check_in_reminders(sixth).values_list("status", flat=True)) == {"pending"}


def test_recording_a_check_in_keeps_a_reminder_already_sent(counselor1, plan):
    check_in = numbered(plan, 5)
    reminders_plan_upcoming(now=check_in.scheduled_at - BEFORE)
    _check_in_reminders(check_in).filter(kind="before_24h").update(status=Reminder.Status.SENT)

    record(counselor1, check_in, completed())

    assert dict(_check_in_reminders(check_in).values_list("kind", "status")) == {
        "before_24h": Reminder.Status.SENT,
        "before_2h": Reminder.Status.CANCELLED,
    }


# --- the staff digest --------------------------------------------------------------------


def test_digest_counts_the_counselors_check_ins_due_today_or_overdue(counselor1, plan):
    # Check-ins 1-3 are overdue and number 4 is due today.
    assert "4 aftercare check-ins due" in digest_lines(counselor1)


def test_digest_counts_the_counselors_open_outreach_tasks(counselor1, plan):
    for number in (1, 2):
        check_in = numbered(plan, number)
        record(counselor1, check_in, missed(check_in))

    lines = digest_lines(counselor1)

    assert "2 open outreach tasks" in lines
    assert "2 aftercare check-ins due" in lines


def test_digest_leaves_out_closed_outreach_tasks(counselor1, plan):
    check_in = numbered(plan, 1)
    record(counselor1, check_in, missed(check_in))
    task = OutreachTask.objects.get()
    outreach_attempt_add(actor=counselor1, task=task, method="phone", outcome="reached")

    assert not any("outreach" in line for line in digest_lines(counselor1))


def test_digest_has_no_aftercare_lines_for_another_counselor(counselor2, plan):
    check_in = numbered(plan, 1)
    record(plan.episode.primary_counselor, check_in, missed(check_in))

    assert not any("aftercare" in line or "outreach" in line for line in digest_lines(counselor2))


def test_digest_lines_name_no_client(counselor1, plan):
    check_in = numbered(plan, 1)
    record(counselor1, check_in, missed(check_in))

    text = " ".join(digest_lines(counselor1))

    assert plan.client.legal_last_name not in text
    assert plan.client.mrn not in text


def test_daily_digest_of_the_counselor_carries_the_aftercare_lines(counselor1, plan):
    check_in = numbered(plan, 1)
    record(counselor1, check_in, missed(check_in))

    staff_digests_queue()

    digest = Reminder.objects.get(kind="digest", staff=counselor1)
    assert "- 3 aftercare check-ins due" in digest.body
    assert "- 1 open outreach task" in digest.body


def test_digest_stops_counting_check_ins_once_the_client_is_discharged(
    counselor1, supervisor, plan
):
    episode_discharge_with_summary(
        actor=supervisor,
        episode=plan.episode,
        discharge_date=timezone.localdate(),
        reason=Episode.DischargeReason.COMPLETED,
        summary={
            "employment": "full_time",
            "living_arrangement": "independent",
            "mutual_help": "none",
            "summary": "Moved out of state; transferred care.",
        },
    )

    assert not any("check-in" in line for line in digest_lines(counselor1))


def test_digest_stops_counting_outreach_once_the_client_is_discharged(counselor1, supervisor, plan):
    check_in = numbered(plan, 1)
    record(counselor1, check_in, missed(check_in))
    episode_discharge_with_summary(
        actor=supervisor,
        episode=plan.episode,
        discharge_date=timezone.localdate(),
        reason=Episode.DischargeReason.LEFT_AGAINST_ADVICE,
        summary={
            "employment": "unemployed",
            "living_arrangement": "dependent",
            "mutual_help": "none",
            "summary": "No contact for six weeks despite outreach.",
        },
    )

    assert not any("outreach" in line for line in digest_lines(counselor1))
