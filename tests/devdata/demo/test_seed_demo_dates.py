"""The demo's dates read true: plans take effect before their next review,
the caseload history starts at the admission, appointments and groups keep
clinic hours, mutual help is logged and expected from the admission on, and
the clients of the intensive phase have the Early Recovery Skills groups of
their first four weeks behind them."""

from datetime import timedelta

from django.db.models import Min
from django.utils import timezone

from devdata.demo.clients import in_clinic_hours
from groups.models import Attendance, GroupSession
from iop.clients.models import (
    Appointment,
    CaseloadAssignment,
    Episode,
    MutualHelpMeeting,
    TreatmentPlan,
)
from iop.clients.selectors.clinical import meetings_per_week


def test_every_plan_takes_effect_before_its_next_review(seeded):
    plans = TreatmentPlan.objects.filter(status=TreatmentPlan.Status.ACTIVE).select_related(
        "episode"
    )

    assert plans.count() > 10
    for plan in plans:
        assert plan.episode.admission_date <= plan.effective_date <= timezone.localdate()
        assert plan.next_review_due > plan.effective_date
        assert timezone.localdate(plan.signed_at) == plan.effective_date
    # Some are overdue, as on a real caseload.
    assert plans.filter(next_review_due__lt=timezone.localdate()).exists()


def test_the_caseload_history_starts_at_the_admission(seeded):
    episodes = Episode.objects.filter(admission_date__isnull=False).annotate(
        first=Min("assignments__started_at")
    )

    assert episodes.count() > 20
    for episode in episodes:
        assert timezone.localdate(episode.first) == episode.admission_date
    for assignment in CaseloadAssignment.objects.filter(
        episode__phase=Episode.Phase.DISCHARGED
    ).select_related("episode"):
        assert timezone.localdate(assignment.ended_at) == assignment.episode.discharge_date


def test_appointments_and_group_sessions_keep_clinic_hours(seeded):
    appointments = list(Appointment.objects.all())
    sessions = list(GroupSession.objects.select_related("group"))

    assert appointments and sessions
    outside = [
        (kind, timezone.localtime(row.starts_at))
        for kind, rows in (("appointment", appointments), ("group", sessions))
        for row in rows
        if not in_clinic_hours(row.starts_at, row.duration_minutes)
    ]
    assert outside == []


def test_mutual_help_is_logged_and_expected_from_the_admission_on(seeded):
    admitted = Episode.objects.filter(phase__in=Episode.ACTIVE_PHASES).select_related("client")

    for episode in admitted:
        meetings = MutualHelpMeeting.objects.filter(client=episode.client)
        assert not meetings.filter(attended_on__lt=episode.admission_date).exists()
        before = episode.admission_date - timedelta(days=episode.admission_date.weekday())
        for week in meetings_per_week(episode.client):
            if week["week_of"] < before:
                assert week["meets"] is None


def test_intensive_clients_past_week_four_attended_their_early_recovery_skills(seeded):
    today = timezone.localdate()
    past_ers = Episode.objects.filter(
        phase=Episode.Phase.INTENSIVE, admission_date__lte=today - timedelta(weeks=5)
    )

    assert past_ers.count() >= 8
    for episode in past_ers:
        attended = Attendance.objects.filter(
            episode=episode,
            session__group__track__code="ers",
            status__in=Attendance.ATTENDED,
        ).count()
        assert attended >= 4, episode.client
