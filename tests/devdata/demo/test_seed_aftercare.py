"""devdata.demo.aftercare.seed_aftercare: aftercare plans, check-ins, outreach and
discharge summaries for the demo clients of seed_demo, safe to run again."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from aftercare.models import (
    AftercarePlan,
    CheckIn,
    DischargeSummary,
    OutreachAttempt,
    OutreachTask,
)
from aftercare.schedule import plan_end
from aftercare.selectors import aftercare_worklist, outreach_queue
from devdata.demo.aftercare import seed_aftercare
from devdata.management.commands import seed_demo
from iop.accounts.models import User
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from iop.clients import teds
from iop.clients.models import Episode


def _seed_aftercare() -> str:
    """The seeder as seed_demo calls it, with its own generator."""
    rng = seed_demo.seeder_rng(seed_aftercare)
    return seed_aftercare(users=seed_demo.seed_users(), rng=rng, today=timezone.localdate())


def seed() -> str:
    """seed_demo, then this seeder unless seed_demo already runs it."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
    output = out.getvalue()
    if seed_aftercare not in seed_demo.EXTRA_SEEDERS:
        output += _seed_aftercare() + "\n"
    return output


def counts() -> dict[str, int]:
    models = (AftercarePlan, CheckIn, OutreachTask, OutreachAttempt, DischargeSummary, AuditEvent)
    counted = {model.__name__: model.objects.count() for model in models}
    counted["recorded"] = CheckIn.objects.filter(status=CheckIn.Status.RECORDED).count()
    return counted


def _aftercare_episodes():
    return Episode.objects.filter(phase=Episode.Phase.AFTERCARE)


def _recorded():
    return CheckIn.objects.filter(status=CheckIn.Status.RECORDED)


def test_the_summary_line_counts_plans_check_ins_outreach_and_summaries(seeded):
    line = next(line for line in seeded.splitlines() if line.startswith("Aftercare:"))

    assert "8 plans" in line
    assert "1 flagged" in line
    assert "10 discharge summaries" in line


def test_every_aftercare_client_has_a_plan(seeded):
    episodes = _aftercare_episodes()

    assert episodes.count() == 8
    assert set(AftercarePlan.objects.values_list("episode", flat=True)) == set(
        episodes.values_list("pk", flat=True)
    )


def test_each_plan_has_the_relapse_prevention_text_and_seventeen_check_ins(seeded):
    for plan in AftercarePlan.objects.all():
        assert all(getattr(plan, name) for name in ("recovery_goals", "triggers", "warning_signs"))
        assert all(getattr(plan, name) for name in ("coping_steps", "people_to_call"))
        assert plan.check_ins.count() == 17
        assert plan.ends_on == plan_end(plan.started_on)


def test_plans_start_after_the_intensive_phase_and_at_different_times(seeded):
    today = timezone.localdate()
    plans = list(AftercarePlan.objects.select_related("episode"))

    for plan in plans:
        assert plan.episode.admission_date < plan.started_on <= today
    starts = sorted(plan.started_on for plan in plans)
    assert len(set(starts)) >= 6
    assert (starts[-1] - starts[0]).days >= 28


def test_check_ins_are_recorded_between_the_plan_start_and_today(seeded):
    today = timezone.localdate()
    recorded = _recorded().select_related("plan")

    assert recorded.count() >= 24
    for check_in in recorded:
        assert check_in.plan.started_on <= check_in.contacted_on <= today
        assert check_in.due_on < today


def test_recorded_check_ins_are_signed_on_time_by_the_primary_counselor(seeded):
    for check_in in _recorded().select_related("plan__episode"):
        assert check_in.signed_by_id == check_in.plan.episode.primary_counselor_id
        assert check_in.recorded_by_id == check_in.signed_by_id
        assert check_in.signed_at <= timezone.now()
        assert timezone.localdate(check_in.signed_at) == check_in.contacted_on
        assert not check_in.signed_late


def test_check_ins_of_the_counselor_in_training_are_co_signed(seeded):
    trainee = User.objects.get(username="counselor2")
    theirs = _recorded().filter(signed_by=trainee)

    assert theirs.exists()
    assert not theirs.filter(cosigned_at__isnull=True).exists()
    assert set(theirs.values_list("cosigned_by__username", flat=True)) == {"supervisor"}


def test_most_check_ins_are_completed_at_low_or_moderate_risk(seeded):
    recorded = _recorded()
    completed = recorded.filter(outcome=CheckIn.Outcome.COMPLETED)

    assert completed.count() >= 0.8 * recorded.count()
    risks = set(completed.values_list("risk_level", flat=True))
    assert {CheckIn.Risk.LOW, CheckIn.Risk.MODERATE} <= risks
    assert completed.filter(risk_level=CheckIn.Risk.HIGH).count() == 1


def test_every_future_check_in_is_still_scheduled(seeded):
    today = timezone.localdate()

    assert not CheckIn.objects.filter(due_on__gte=today).exclude(status="scheduled").exists()


def test_one_high_risk_check_in_is_referred_on_with_a_detail(seeded):
    check_in = CheckIn.objects.get(risk_level=CheckIn.Risk.HIGH)

    assert check_in.re_engagement == CheckIn.ReEngagement.REFERRAL
    assert check_in.re_engagement_detail
    assert check_in.days_of_use > 0
    assert check_in.substances_used
    assert check_in.plan.episode.phase == Episode.Phase.AFTERCARE


def test_counselor1_has_an_outreach_queue_with_attempts(seeded):
    counselor1 = User.objects.get(username="counselor1")

    tasks = outreach_queue(clients_visible_to(counselor1), counselor=counselor1)

    assert len(tasks) >= 2
    for task in tasks:
        assert task.check_in.outcome in (CheckIn.Outcome.MISSED, CheckIn.Outcome.UNABLE_TO_REACH)
        assert 1 <= len(task.attempts.all()) <= 2
        assert {attempt.by for attempt in task.attempts.all()} == {counselor1}


def test_outreach_tasks_and_attempts_are_dated_after_the_missed_check_in(seeded):
    for task in OutreachTask.objects.select_related("check_in"):
        assert timezone.localdate(task.created_at) == task.check_in.contacted_on
        for attempt in task.attempts.all():
            assert task.created_at <= attempt.attempted_at <= timezone.now()


def test_outreach_that_reached_the_client_is_closed(seeded):
    closed = OutreachTask.objects.filter(status=OutreachTask.Status.CLOSED)

    assert closed.count() == 1
    task = closed.get()
    assert task.attempts.last().outcome == OutreachAttempt.Outcome.REACHED
    assert task.closed_at == task.attempts.last().attempted_at


def test_one_plan_is_flagged_for_three_missed_check_ins_in_a_row(seeded):
    plan = AftercarePlan.objects.get(flagged_at__isnull=False)

    last_three = list(
        plan.check_ins.filter(status=CheckIn.Status.RECORDED)
        .order_by("-due_on")
        .values_list("outcome", flat=True)[:3]
    )
    assert len(last_three) == 3
    assert CheckIn.Outcome.COMPLETED not in last_three
    assert plan.episode.primary_counselor.username == "counselor1"
    # Flagged when the third of them was recorded.
    latest = plan.check_ins.filter(status=CheckIn.Status.RECORDED).latest("due_on")
    assert plan.flagged_at == latest.outreach.created_at


def test_the_aftercare_page_of_counselor2_has_an_overdue_check_in(seeded):
    counselor2 = User.objects.get(username="counselor2")

    worklist = aftercare_worklist(clients_visible_to(counselor2), counselor=counselor2)

    assert worklist["overdue"]


def test_every_admitted_discharged_episode_has_a_signed_discharge_summary(seeded):
    discharged = Episode.objects.filter(
        phase=Episode.Phase.DISCHARGED, admission_date__isnull=False
    )

    assert discharged.count() == 10
    summaries = DischargeSummary.objects.filter(episode__in=discharged)
    assert summaries.count() == 10
    for summary in summaries.select_related("episode"):
        assert summary.signed_at is not None
        assert summary.signed_by.username == "supervisor"
        assert not summary.signed_late
        assert summary.summary
        assert summary.employment in teds.Employment.values
        assert summary.living_arrangement in teds.Living.values
        assert summary.mutual_help in teds.MutualHelp.values


def test_an_episode_closed_at_screening_gets_no_discharge_summary(seeded):
    never_admitted = Episode.objects.filter(
        phase=Episode.Phase.DISCHARGED, admission_date__isnull=True
    )

    assert not DischargeSummary.objects.filter(episode__in=never_admitted).exists()


def test_discharge_summaries_follow_the_teds_reason(seeded):
    completed = DischargeSummary.objects.filter(
        episode__discharge_reason=Episode.DischargeReason.COMPLETED
    )
    dropped_out = DischargeSummary.objects.filter(
        episode__discharge_reason=Episode.DischargeReason.LEFT_AGAINST_ADVICE
    )

    assert {s.substances_at_discharge for s in completed} == {""}
    assert {s.living_arrangement for s in completed} == {"independent"}
    assert all(s.substances_at_discharge for s in dropped_out)
    assert all("against the counselor's advice" in s.summary for s in dropped_out)


def test_running_the_seeder_again_keeps_the_counts(seeded):
    first = counts()

    line = _seed_aftercare()

    assert counts() == first
    assert line.endswith("(already there).")


def test_running_seed_demo_and_the_seeder_again_keeps_the_counts(seeded):
    first = counts()

    seed()

    assert counts() == first


def _story() -> list[tuple]:
    return list(
        CheckIn.objects.order_by("client__mrn", "number").values_list(
            "client__mrn", "number", "plan__started_on", "status", "outcome", "risk_level", "note"
        )
    )


def test_seeding_is_deterministic(seeded):
    before = _story()
    # Remove the aftercare rows (the test's savepoint brings them back) and seed again.
    OutreachAttempt.objects.all().delete()
    OutreachTask.objects.all().delete()
    CheckIn.objects.all().delete()
    AftercarePlan.objects.all().delete()
    DischargeSummary.objects.all().delete()

    _seed_aftercare()

    assert _story() == before
