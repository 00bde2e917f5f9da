"""Aftercare in the browser (DOMAIN.md section 7): a counselor steps a client
down from the intensive phase with a relapse-prevention plan, records a
missed check-in, finds the outreach task on the Aftercare page, then records
a high-risk check-in that books an extra individual session, which the chart
shows."""

import datetime

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import expect

from aftercare.models import AftercarePlan, CheckIn, OutreachTask
from groups.models import Enrollment
from groups.services.enrollment import episode_enroll
from iop.clients.models import Appointment, Episode
from tests.aftercare.factories import PLAN_TEXT, days_ago, intensive_episode
from tests.groups.factories import ensure_curriculum

pytestmark = pytest.mark.e2e

LABELS = {
    "recovery_goals": "Recovery goals",
    "triggers": "Triggers",
    "warning_signs": "Warning signs",
    "coping_steps": "Coping steps",
    "people_to_call": "People to call",
}


def test_counselor_steps_a_client_down_follows_up_a_missed_check_in_and_re_engages(
    sign_in, counselor1, transactional_db
):
    ensure_curriculum()
    episode = intensive_episode(
        counselor1, admitted_days_ago=40, legal_first_name="Dana", legal_last_name="Whitfield"
    )
    episode_enroll(actor=counselor1, episode=episode)
    client = episode.client
    started_on = days_ago(14)
    first_due = started_on + datetime.timedelta(weeks=1)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    page = sign_in("counselor1")
    page.get_by_role("button", name="Clients").click()
    page.get_by_role("link", name="My caseload").click()
    page.get_by_role("link", name="Whitfield, Dana").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(client.display_name)

    # Step-down, from the chart's aftercare section: the plan's five fields,
    # starting two weeks ago.
    sections = page.get_by_role("navigation", name="Chart sections")
    sections.get_by_role("link", name="Aftercare and discharge").click()
    page.get_by_role("link", name="Step down to aftercare").click()
    page.get_by_label("Aftercare starts on").fill(f"{started_on:%Y-%m-%d}")
    for name, label in LABELS.items():
        page.get_by_label(label).fill(PLAN_TEXT[name])
    page.get_by_role("button", name="Complete the intensive phase and start aftercare").click()
    expect(
        page.get_by_text("Aftercare started: 12 months of check-ins are scheduled.")
    ).to_be_visible()
    expect(page.get_by_text(PLAN_TEXT["triggers"])).to_be_attached()

    # The first check-in, a week ago: the client did not pick up.
    page.get_by_role("link", name=f"{first_due:%Y-%m-%d}", exact=True).click()
    page.get_by_label("Date").fill(f"{first_due:%Y-%m-%d}")
    page.get_by_label("Mode").select_option(label="Phone")
    page.get_by_label("Missed").check()
    page.get_by_role("button", name="Record and sign").click()
    page.get_by_role("dialog").get_by_role("button", name="Sign the check-in").click()
    expect(page.get_by_text("Check-in recorded and signed.")).to_be_visible()
    expect(page.get_by_text("1 open outreach task")).to_be_visible()

    # The Aftercare page: the outreach task, and today's check-in to do.
    page.get_by_role("button", name="My work").click()
    page.get_by_role("link", name="Aftercare", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aftercare")
    task = page.get_by_test_id("outreach-task")
    expect(task).to_have_count(1)
    expect(task).to_contain_text(client.display_name)
    expect(task).to_contain_text(f"Missed check-in of {first_due:%Y-%m-%d}")

    # Today's check-in: reached, but high risk: an extra individual session tomorrow.
    due = page.get_by_role("region", name="Due this week")
    due.get_by_role("link", name=client.display_name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check-in 2")
    page.get_by_label("Mode").select_option(label="Phone")
    page.get_by_label("Completed").check()
    page.get_by_label("Days of use since the last contact").fill("2")
    page.get_by_label("Substances used").fill("alcohol")
    page.get_by_label("Risk level").select_option(label="High")
    page.get_by_label("Re-engagement").select_option(label="Extra individual session")
    page.get_by_label("Extra session (when)").fill(f"{tomorrow:%Y-%m-%d}T14:00")
    page.get_by_role("button", name="Record and sign").click()
    page.get_by_role("dialog").get_by_role("button", name="Sign the check-in").click()

    # Back on the chart's aftercare section, the check-in's row names the
    # re-engagement.
    expect(page.get_by_role("heading", level=1)).to_have_text(client.display_name)
    expect(page.get_by_text("Check-in recorded and signed.")).to_be_visible()
    expect(
        page.get_by_role("row").filter(has_text="High · Extra individual session")
    ).to_be_visible()
    # The new individual session is among the appointments.
    sections.get_by_role("link", name="Sessions and notes").click()
    session_row = page.get_by_role("row").filter(has_text="Individual session · In person")
    expect(session_row).to_contain_text(f"{dateformat.format(tomorrow, 'D Y-m-d')} 14:00")
    expect(session_row).to_contain_text(counselor1.get_full_name())

    plan = AftercarePlan.objects.get(client=client)
    assert plan.started_on == started_on
    assert Episode.objects.get(pk=episode.pk).phase == Episode.Phase.AFTERCARE
    social = Enrollment.objects.get(episode=episode, program_track__track__code="social")
    assert social.start_date == started_on
    outcomes = dict(plan.check_ins.filter(number__lte=2).values_list("number", "outcome"))
    assert outcomes == {1: CheckIn.Outcome.MISSED, 2: CheckIn.Outcome.COMPLETED}
    second = plan.check_ins.get(number=2)
    assert (second.risk_level, second.re_engagement) == ("high", "extra_session")
    assert OutreachTask.objects.get(client=client).status == OutreachTask.Status.OPEN
    appointment = Appointment.objects.get(client=client, kind=Appointment.Kind.INDIVIDUAL)
    local = timezone.localtime(appointment.starts_at)
    assert (local.date(), local.time()) == (tomorrow, datetime.time(14, 0))
    assert appointment.counselor == counselor1
