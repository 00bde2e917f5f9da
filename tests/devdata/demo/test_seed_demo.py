"""manage.py seed_demo: demo accounts and fictitious clients, safe to run again."""

from collections import Counter
from datetime import datetime, time, timedelta

from django.contrib.auth import authenticate
from django.utils import timezone

from devdata.management.commands.seed_demo import DEMO_PASSWORD
from groups.models import Attendance, Enrollment, GroupSession, RecurringGroup
from groups.selectors import counselor_day
from groups.services.sessions import session_cloned_remarks
from iop.accounts import roles
from iop.accounts.models import User
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from iop.clients.models import CaseloadAssignment, Client, Episode
from iop.reminders.models import StaffNotification
from screening.models import InstrumentAdministration, Referral, SafetyFlag, Screening
from tests.devdata.demo.seeding import seed

DEMO_ROLES = {
    "admin": roles.ADMINISTRATOR,
    "supervisor": roles.SUPERVISOR,
    "intake": roles.INTAKE,
    "counselor1": roles.COUNSELOR,
    "counselor2": roles.COUNSELOR,
    "billing": roles.BILLING,
}


def counts() -> dict[str, int]:
    models = (
        *(User, Client, Episode, CaseloadAssignment, AuditEvent),
        *(Screening, InstrumentAdministration, SafetyFlag, StaffNotification, Referral),
        *(RecurringGroup, GroupSession, Attendance, Enrollment),
    )
    return {model.__name__: model.objects.count() for model in models}


def test_running_seed_demo_twice_creates_nothing_the_second_time(seeded):
    first = counts()

    output = seed()

    assert counts() == first
    assert "0 new of 40" in output


def test_demo_users_have_their_roles_and_sign_in_with_the_demo_password(seeded, rf):
    for username, role in DEMO_ROLES.items():
        user = User.objects.get(username=username)
        assert user.role_names == {role}
        # django-axes throttles by address, so authenticate() needs the request.
        request = rf.post("/accounts/login/")
        assert authenticate(request, username=username, password=DEMO_PASSWORD) == user


def test_admin_is_staff_but_not_superuser_and_counselor2_is_in_training(seeded):
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    assert User.objects.get(username="counselor2").in_training


def test_the_password_is_printed_with_the_accounts(seeded):
    assert DEMO_PASSWORD in seeded
    for username, role in DEMO_ROLES.items():
        assert username in seeded
        assert role in seeded


def test_every_phase_has_clients(seeded):
    phases = set(Episode.objects.values_list("phase", flat=True))

    assert phases == set(Episode.Phase.values)


def test_discharges_use_several_teds_reasons_and_no_date_is_in_the_future(seeded):
    discharged = Episode.objects.filter(phase=Episode.Phase.DISCHARGED)

    assert discharged.values("discharge_reason").distinct().count() >= 4
    for episode in discharged:
        # The client referred out at screening was never admitted.
        start = episode.admission_date or episode.referral_date
        assert start <= episode.discharge_date <= timezone.localdate()


def test_counselor_caseloads_are_non_empty_and_disjoint(seeded):
    def caseload(username):
        return set(
            Client.objects.filter(
                episodes__primary_counselor__username=username,
            ).values_list("pk", flat=True)
        )

    first, second = caseload("counselor1"), caseload("counselor2")

    assert first and second
    assert not first & second
    assert 0.8 <= len(first) / len(second) <= 1.25


def test_screening_clients_have_no_counselor_and_admitted_ones_have_one(seeded):
    screening = Episode.objects.filter(phase=Episode.Phase.SCREENING)
    admitted = Episode.objects.filter(admission_date__isnull=False)

    assert not screening.filter(primary_counselor__isnull=False).exists()
    assert not admitted.filter(primary_counselor__isnull=True).exists()
    assert CaseloadAssignment.objects.count() == admitted.count()


def test_two_clients_are_readmitted_with_one_discharged_and_one_open_episode(seeded):
    readmitted = Client.objects.filter(episodes__phase=Episode.Phase.DISCHARGED).filter(
        episodes__phase=Episode.Phase.INTENSIVE
    )

    assert readmitted.distinct().count() == 2


def test_about_forty_clients_are_seeded(seeded):
    assert 35 <= Client.objects.count() <= 45


def test_every_admitted_episode_has_the_completed_screening_that_admitted_it(seeded):
    admitted = Episode.objects.filter(admission_date__isnull=False)

    for episode in admitted:
        screening = episode.screenings.get()
        assert screening.status == Screening.Status.COMPLETED
        assert screening.decision == Screening.Decision.ADMIT
        assert screening.decided_level == episode.level_of_care
        assert timezone.localdate(screening.signed_at) == episode.admission_date
        assert screening.recommended_level in ("2.1", "2.5")
        assert screening.recommended_level == "2.1" or screening.decision_reason
        assert screening.ratings.count() == 6
        codes = set(screening.administrations.values_list("code", flat=True))
        assert {"PHQ-9", "GAD-7"} < codes and len(codes & {"AUDIT", "DAST-10"}) == 1
    assert admitted.count() >= 30


def test_every_episode_has_a_referral_with_one_to_three_substances(seeded):
    for episode in Episode.objects.all():
        assert 1 <= episode.referral.substances.count() <= 3


def test_clients_in_screening_wait_or_are_part_way_through(seeded):
    waiting = Episode.objects.filter(phase=Episode.Phase.SCREENING, screenings__isnull=True)
    drafts = Screening.objects.filter(status=Screening.Status.DRAFT)

    assert waiting.count() == 3
    assert drafts.count() == 4
    assert all(draft.episode.phase == Episode.Phase.SCREENING for draft in drafts)
    assert drafts.filter(ratings__isnull=True).distinct().count() == 3


def test_one_suicide_risk_flag_is_addressed_and_one_is_open(seeded):
    # The flags raised at screening (a self-reported one is tested below).
    screening_flags = SafetyFlag.objects.filter(administration__screening__isnull=False)
    addressed = screening_flags.get(addressed_at__isnull=False)
    open_flag = screening_flags.get(addressed_at__isnull=True)
    self_reported = SafetyFlag.objects.get(administration__source="link")

    assert addressed.administration.code == "PHQ-9"
    assert addressed.administration.answers["9"] == 1
    assert addressed.action == SafetyFlag.Action.SAFETY_PLAN
    assert "safety plan" in addressed.action_note
    assert addressed.administration.screening.ratings.count() == 6
    assert addressed.administration.screening.status == Screening.Status.DRAFT
    assert open_flag.administration.code == "C-SSRS"
    assert open_flag.administration.band == "moderate"
    supervisor = User.objects.get(username="supervisor")
    notified = StaffNotification.objects.filter(recipient=supervisor, kind="safety_flag")
    assert set(notified.values_list("client", flat=True)) == {
        addressed.client_id,
        open_flag.client_id,
        self_reported.client_id,
    }


def test_one_client_is_referred_out_to_residential_care(seeded):
    referred = Screening.objects.get(decision=Screening.Decision.REFER)

    assert referred.status == Screening.Status.COMPLETED
    assert referred.recommended_level == referred.decided_level == "3.5"
    assert referred.referred_to == "Riverside Residential Treatment Center"
    assert referred.share_results_in_letter
    assert referred.episode.phase == Episode.Phase.DISCHARGED
    assert referred.episode.discharge_reason == Episode.DischargeReason.TRANSFERRED
    assert referred.episode.admission_date is None


def test_some_clients_in_treatment_repeat_phq9_and_gad7_monthly_and_improve(seeded):
    # Repeated by the counselor during treatment (the BAM, self-reports and
    # discharge measures are measurement-based care's, tested below).
    repeated = InstrumentAdministration.objects.filter(
        screening__isnull=True,
        source="staff",
        code__in=("PHQ-9", "GAD-7"),
        episode__phase__in=Episode.ACTIVE_PHASES,
    )
    followed = set(repeated.values_list("client", flat=True))

    assert 8 <= len(followed) <= 10
    for client in followed:
        # From the screening that admitted the current episode to the latest.
        totals = list(
            InstrumentAdministration.objects.filter(
                client=client,
                code="PHQ-9",
                source="staff",
                episode__admission_date__isnull=False,
            )
            .exclude(episode__phase=Episode.Phase.DISCHARGED)
            .order_by("administered_at")
            .values_list("total", flat=True)
        )
        assert len(totals) >= 3
        assert totals[-1] < totals[0]


def _midnight(day=None):
    return timezone.make_aware(datetime.combine(day or timezone.localdate(), time.min))


def test_groups_meet_for_all_four_tracks_back_to_week_one_and_eight_weeks_ahead(seeded):
    groups = RecurringGroup.objects.select_related("track")

    assert {group.track.code for group in groups} == {"ers", "rp", "family", "social"}
    assert groups.filter(video_link__gt="").exists()
    today = timezone.localdate()
    for group in groups:
        weeks = 8 if group.track.code == "social" else 16
        assert group.starts_on == today - timedelta(weeks=weeks)
        days = {timezone.localdate(at) for at in group.sessions.values_list("starts_at", flat=True)}
        assert min(days) < today - timedelta(weeks=weeks - 1)
        assert max(days) > today + timedelta(weeks=7)


def test_past_sessions_are_signed_with_attendance_and_a_group_note(seeded):
    past = GroupSession.objects.filter(
        starts_at__lt=_midnight(), status=GroupSession.Status.SCHEDULED
    )
    signed = past.filter(signed_at__isnull=False)

    assert signed.count() >= 0.9 * past.count() > 50
    for session in signed:
        assert session.summary
        lines = session.attendance.all()
        assert lines
        # Signing the group signs every participant's line with it.
        assert {(line.signed_by_id, line.signed_at) for line in lines} == {
            (session.signed_by_id, session.signed_at)
        }
        assert all(line.remark and line.participation for line in lines if line.attended)
        assert not session_cloned_remarks(session)
    present = Attendance.objects.filter(status="present").count() / Attendance.objects.count()
    assert 0.7 <= present <= 0.9


def test_notes_are_signed_as_a_clinic_would_with_one_signed_late(seeded):
    signed = GroupSession.objects.filter(signed_at__isnull=False)

    late = signed.get(signed_late=True)
    assert late.signed_at - late.starts_at > timedelta(hours=72)
    for session in signed.filter(signed_late=False):
        assert session.starts_at < session.signed_at < session.starts_at + timedelta(hours=72)
    # The counselor in training's notes await the supervisor's co-signature.
    assert signed.filter(signed_by__username="counselor2", cosign_required=True).exists()


def test_counselor1_has_groups_today_ready_to_document_and_unsigned_notes(seeded):
    counselor1 = User.objects.get(username="counselor1")

    day = counselor_day(counselor1)

    assert day["sessions"]
    assert all(s.marked == 0 and not s.is_signed for s in day["sessions"])
    unsigned = day["unsigned_sessions"]
    assert len(unsigned) >= 2
    assert any(session.attendance.exists() for session in unsigned)
    assert any(not session.attendance.exists() for session in unsigned)


def test_one_past_session_is_cancelled_with_a_reason(seeded):
    cancelled = GroupSession.objects.get(status=GroupSession.Status.CANCELLED)

    assert cancelled.starts_at < timezone.now()
    assert cancelled.cancel_reason.startswith("Facility closed")
    assert not cancelled.attendance.exists()


def test_clients_in_treatment_are_placed_in_a_group_of_each_current_track(seeded):
    today = timezone.localdate()
    current = Enrollment.objects.filter(
        episode__phase__in=[Episode.Phase.INTENSIVE, Episode.Phase.AFTERCARE],
        start_date__lte=today,
        end_date__gte=today,
    ).select_related("group", "program_track")

    assert current.count() >= 30
    for enrollment in current:
        assert enrollment.group.track_id == enrollment.program_track.track_id
    # Spread over the group pairs, not piled into one.
    sizes = Counter(current.filter(program_track__track__code="rp").values_list("group", flat=True))
    assert len(sizes) >= 4
    assert max(sizes.values()) - min(sizes.values()) <= 3


def _open_caseload(username, *phases):
    return set(
        Client.objects.filter(
            episodes__primary_counselor__username=username,
            episodes__phase__in=phases or [Episode.Phase.INTENSIVE, Episode.Phase.AFTERCARE],
        ).values_list("pk", flat=True)
    )


def _visible(username):
    return set(clients_visible_to(User.objects.get(username=username)).values_list("pk", flat=True))


def test_counselor2_sees_none_of_counselor1s_intensive_phase_clients_and_back(seeded):
    intensive = Episode.Phase.INTENSIVE
    first, second = _open_caseload("counselor1", intensive), _open_caseload("counselor2", intensive)

    assert first and second
    assert not _visible("counselor2") & first
    assert not _visible("counselor1") & second


def test_the_demo_counselors_see_their_own_caseload_and_none_of_the_others(seeded):
    first, second = _open_caseload("counselor1"), _open_caseload("counselor2")

    assert first <= _visible("counselor1")
    assert second <= _visible("counselor2")
    assert not _visible("counselor1") & second
    assert not _visible("counselor2") & first


def test_a_caseload_counselor_runs_only_groups_of_their_own_clients(seeded):
    counselors = set(
        User.objects.filter(username__in=["counselor1", "counselor2"]).values_list("pk", flat=True)
    )
    placed = Enrollment.objects.filter(group__isnull=False).select_related("group", "episode")

    for enrollment in placed:
        runners = {enrollment.group.facilitator_id, enrollment.group.co_facilitator_id}
        assert runners & counselors <= {enrollment.episode.primary_counselor_id}


# --- measurement-based care ----------------------------------------------------------------


def test_clients_in_the_intensive_phase_answered_the_bam_every_way_a_clinic_sees(seeded):
    bams = InstrumentAdministration.objects.filter(code="BAM")
    intensive = Episode.objects.filter(phase=Episode.Phase.INTENSIVE)

    assert set(bams.values_list("source", flat=True)) == {"staff", "kiosk", "link"}
    assert set(bams.values_list("client", flat=True)) >= set(
        intensive.values_list("client", flat=True)
    )
    assert all(b.subscales.keys() == {"use", "risk", "protective"} for b in bams)
    assert not bams.filter(source="link", administered_by__isnull=False).exists()


def test_the_demo_has_bam_use_two_measures_running_and_risk_rising(seeded):
    histories: dict[int, list[dict]] = {}
    for row in InstrumentAdministration.objects.filter(code="BAM").order_by("administered_at"):
        histories.setdefault(row.client_id, []).append(row.subscales)
    running_use = [h for h in histories.values() if len(h) > 1 and h[-1]["use"] and h[-2]["use"]]
    rising = [h for h in histories.values() if len(h) > 1 and h[-1]["risk"] - h[0]["risk"] >= 4]

    assert running_use and rising
    assert len(running_use) + len(rising) < len(histories) / 2


def test_links_sent_today_are_waiting_expired_and_locked_and_store_no_token(seeded):
    from outcomes.models import SelfReportLink

    now = timezone.now()
    links = SelfReportLink.objects.all()

    assert links.filter(used_at__isnull=False).exists()
    assert links.filter(used_at__isnull=True, expires_at__lt=now).exists()
    assert links.filter(failed_attempts=3, locked_at__isnull=False).exists()
    assert links.filter(used_at__isnull=True, expires_at__gt=now, locked_at__isnull=True).exists()
    assert all(len(link.token_hash) == 64 for link in links)


def test_a_self_reported_safety_flag_was_handled(seeded):
    flag = SafetyFlag.objects.get(administration__source="link")

    assert flag.administration.code == "PHQ-9"
    assert not flag.is_open and flag.action_note


def test_due_measures_were_planned_and_settled(seeded):
    from outcomes.models import DueMeasure

    statuses = set(DueMeasure.objects.values_list("status", flat=True))

    assert {"open", "completed", "missed"} <= statuses
    assert not DueMeasure.objects.filter(status="open", closes_on__lt=timezone.localdate()).exists()


def test_the_not_on_track_rules_flag_the_demos_off_track_clients(seeded):
    from outcomes.selectors import not_on_track
    from tests.outcomes.helpers import install_default_rules

    install_default_rules()
    active = Episode.objects.filter(phase__in=Episode.ACTIVE_PHASES).count()

    flagged = not_on_track(Client.objects.all())

    keys = {flag.key for item in flagged for flag in item.flags}
    assert {"bam-use-running", "bam-risk-rising", "phq9-no-improvement"} <= keys
    assert "measures-missed" in keys
    assert len(flagged) < active / 2
