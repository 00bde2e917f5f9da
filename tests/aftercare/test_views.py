"""Every aftercare page: happy path for the primary counselor and a
supervisor, the outsider (404), wrong roles (403), wrong method (405),
invalid input (400 with nothing saved), the audit of views, the Aftercare
page's lists and query count, and the chart's aftercare section."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from aftercare.models import AftercarePlan, CheckIn, DischargeSummary, OutreachAttempt, OutreachTask
from aftercare.services import episode_discharge_with_summary, outreach_attempt_add
from iop.audit.models import AuditEvent
from iop.clients.models import Appointment, Demographics, Episode
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

pytestmark = pytest.mark.django_db

WORKLIST_URL = reverse("aftercare:worklist")
# Every signed-in page: session, user, roles, the unread-notification badge
# of the layout, and the session save (savepoint, update, release); see
# tests/dashboard/test_views.py.
LAYOUT_QUERIES = 7
# The Aftercare page: scheduled check-ins due within a week (with client and
# plan), flagged plans (with client), open outreach tasks (with client and
# check-in) and their attempts (with who made them), whatever the caseload,
# and one insert of the view events of the clients listed.
WORKLIST_QUERIES = LAYOUT_QUERIES + 5
STAFF_403 = ["intake", "administrator"]
DISCHARGE_DATA = {
    "reason": "1",
    "substances_at_discharge": "",
    "employment": "full_time",
    "living_arrangement": "independent",
    "mutual_help": "4_7",
    "summary": "Completed the program and a year of aftercare.",
}


def _url(name, client, *objects):
    return reverse(
        f"aftercare:{name}", args=[client.public_id, *(obj.public_id for obj in objects)]
    )


def _chart_url(client):
    return reverse("clients:client-detail", kwargs={"client_id": client.public_id})


def _chart_section_url(client):
    """The chart's "Aftercare and discharge" section, as its tab loads it."""
    return reverse("clients:client-section", args=[client.public_id, "aftercare"])


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _check_in_post(**changes):
    data = {
        "contacted_on": f"{timezone.localdate():%Y-%m-%d}",
        "mode": "phone",
        "outcome": "completed",
        "days_of_use": "0",
        "substances_used": "",
        "mutual_help_meetings": "2",
        "employment": "employed",
        "housing": "stable",
        "risk_level": "low",
        "note": "Doing well.",
        "re_engagement": "",
        "re_engagement_detail": "",
        "session_at": "",
        "confirm": "yes",
    }
    data.update(changes)
    return data


def _step_down_post(**changes):
    return {"started_on": f"{timezone.localdate():%Y-%m-%d}", **PLAN_TEXT, **changes}


def _discharge_post(**changes):
    return {
        "discharge_date": f"{timezone.localdate():%Y-%m-%d}",
        **DISCHARGE_DATA,
        "confirm": "yes",
        **changes,
    }


def _view_events(user, client):
    return AuditEvent.objects.filter(actor=user, client=client, action=AuditEvent.Action.VIEW)


@pytest.fixture
def intensive_client(counselor1):
    return intensive_episode(counselor1).client


@pytest.fixture
def task(counselor1, plan):
    check_in = numbered(plan, 1)
    record(counselor1, check_in, missed(check_in))
    return OutreachTask.objects.get(check_in=check_in)


@pytest.fixture
def discharged_client(supervisor, plan):
    episode_discharge_with_summary(
        actor=supervisor,
        episode=plan.episode,
        discharge_date=days_ago(1),
        reason=Episode.DischargeReason.COMPLETED,
        summary={
            "employment": "full_time",
            "living_arrangement": "independent",
            "mutual_help": "8_30",
            "summary": "Finished the year in aftercare; sober 14 months.",
        },
    )
    return plan.client


# --- step-down ---------------------------------------------------------------------------


def test_step_down_page_shows_the_plan_form_to_the_primary_counselor(
    login, counselor1, intensive_client
):
    response = login(counselor1).get(_url("step-down", intensive_client))

    assert response.status_code == 200
    assert set(PLAN_TEXT) <= set(response.context["form"].fields)
    assert "Complete the intensive phase and start aftercare" in response.content.decode()


def test_step_down_starts_aftercare_and_returns_to_the_chart(login, counselor1, intensive_client):
    response = login(counselor1).post(
        _url("step-down", intensive_client), _step_down_post(started_on=f"{days_ago(2):%Y-%m-%d}")
    )

    assert response.status_code == 302
    assert response.url == _chart_url(intensive_client) + "?section=aftercare"
    plan = AftercarePlan.objects.get(client=intensive_client)
    assert plan.started_on == days_ago(2)
    assert plan.check_ins.count() == 17
    assert plan.episode.phase == Episode.Phase.AFTERCARE


def test_supervisor_can_step_a_client_down(login, supervisor, intensive_client):
    response = login(supervisor).post(_url("step-down", intensive_client), _step_down_post())

    assert response.status_code == 302
    assert AftercarePlan.objects.get(client=intensive_client).created_by == supervisor


def test_step_down_is_404_for_another_counselors_client(login, counselor2, intensive_client):
    browser = login(counselor2)

    assert browser.get(_url("step-down", intensive_client)).status_code == 404
    assert browser.post(_url("step-down", intensive_client), _step_down_post()).status_code == 404
    assert not AftercarePlan.objects.exists()


@pytest.mark.parametrize("role", STAFF_403)
def test_step_down_is_403_for_staff_who_are_not_clinicians(request, login, intensive_client, role):
    # Intake staff see only clients in screening: a 403 needs a client they can see.
    if role == "intake":
        Episode.objects.filter(client=intensive_client).update(phase=Episode.Phase.SCREENING)

    response = login(request.getfixturevalue(role)).get(_url("step-down", intensive_client))

    assert response.status_code == 403


def test_step_down_refuses_other_methods(login, counselor1, intensive_client):
    response = login(counselor1).delete(_url("step-down", intensive_client))

    assert response.status_code == 405


@pytest.mark.parametrize("field", list(PLAN_TEXT))
def test_step_down_without_a_plan_field_is_400_and_saves_nothing(
    login, counselor1, intensive_client, field
):
    response = login(counselor1).post(
        _url("step-down", intensive_client), _step_down_post(**{field: ""})
    )

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not AftercarePlan.objects.exists()
    assert intensive_client.episodes.get().phase == Episode.Phase.INTENSIVE


def test_step_down_in_the_future_is_400_and_saves_nothing(login, counselor1, intensive_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = login(counselor1).post(
        _url("step-down", intensive_client), _step_down_post(started_on=f"{tomorrow:%Y-%m-%d}")
    )

    assert response.status_code == 400
    assert "started_on" in response.context["form"].errors
    assert not AftercarePlan.objects.exists()


def test_step_down_of_a_client_already_in_aftercare_returns_to_the_chart_with_a_message(
    login, counselor1, aftercare_client
):
    response = login(counselor1).get(_url("step-down", aftercare_client))

    assert response.status_code == 302
    assert response.url == _chart_url(aftercare_client) + "?section=aftercare"
    assert _messages(response) == ["Only a client in the intensive phase can step down."]


def test_step_down_page_view_is_audited(login, counselor1, intensive_client):
    login(counselor1).get(_url("step-down", intensive_client))

    assert _view_events(counselor1, intensive_client).count() == 1


# --- check-in ----------------------------------------------------------------------------


def test_check_in_page_shows_the_form_for_a_scheduled_check_in(login, counselor1, plan):
    check_in = numbered(plan, 4)

    response = login(counselor1).get(_url("check-in", plan.client, check_in))

    assert response.status_code == 200
    assert response.context["check_in"] == check_in
    assert "Record and sign" in response.content.decode()


def test_check_in_is_recorded_and_signed_and_returns_to_the_chart(login, counselor1, plan):
    check_in = numbered(plan, 4)

    response = login(counselor1).post(_url("check-in", plan.client, check_in), _check_in_post())

    assert response.status_code == 302
    assert response.url == _chart_url(plan.client) + "?section=aftercare"
    check_in.refresh_from_db()
    assert (check_in.status, check_in.outcome) == ("recorded", "completed")
    assert check_in.signed_by == counselor1


def test_supervisor_can_record_a_check_in(login, supervisor, plan):
    check_in = numbered(plan, 4)

    response = login(supervisor).post(_url("check-in", plan.client, check_in), _check_in_post())

    assert response.status_code == 302
    check_in.refresh_from_db()
    assert check_in.recorded_by == supervisor


def test_a_high_risk_check_in_with_an_extra_session_books_it(login, counselor1, plan):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = _check_in_post(
        risk_level="high", re_engagement="extra_session", session_at=f"{tomorrow:%Y-%m-%d}T14:30"
    )

    response = login(counselor1).post(_url("check-in", plan.client, numbered(plan, 4)), data)

    assert response.status_code == 302
    appointment = Appointment.objects.get(client=plan.client)
    local = timezone.localtime(appointment.starts_at)
    assert (local.date(), local.time()) == (tomorrow, datetime.time(14, 30))
    assert appointment.kind == Appointment.Kind.INDIVIDUAL


def test_a_missed_check_in_posted_from_the_page_opens_an_outreach_task(login, counselor1, plan):
    check_in = numbered(plan, 2)
    data = _check_in_post(contacted_on=f"{check_in.due_on:%Y-%m-%d}", outcome="missed")

    login(counselor1).post(_url("check-in", plan.client, check_in), data)

    assert OutreachTask.objects.get().check_in == check_in


def test_recorded_check_in_page_shows_its_signature_instead_of_the_form(login, counselor1, plan):
    check_in = record(counselor1, numbered(plan, 4), completed(note="Sponsor every week."))

    response = login(counselor1).get(_url("check-in", plan.client, check_in))

    content = response.content.decode()
    assert response.status_code == 200
    assert "signed by" in content
    assert "Sponsor every week." in content
    assert "Record and sign" not in content


def test_check_in_is_404_for_another_counselors_client(login, counselor2, plan):
    check_in = numbered(plan, 4)
    browser = login(counselor2)

    assert browser.get(_url("check-in", plan.client, check_in)).status_code == 404
    response = browser.post(_url("check-in", plan.client, check_in), _check_in_post())
    assert response.status_code == 404
    check_in.refresh_from_db()
    assert check_in.status == CheckIn.Status.SCHEDULED


def test_check_in_of_another_client_is_404_under_this_clients_address(login, counselor1, plan):
    other = stepped_down(counselor1)

    response = login(counselor1).get(_url("check-in", plan.client, numbered(other, 4)))

    assert response.status_code == 404


def test_check_in_is_403_for_an_administrator(login, administrator, plan):
    response = login(administrator).get(_url("check-in", plan.client, numbered(plan, 4)))

    assert response.status_code == 403


def test_check_in_is_404_for_intake_who_cannot_see_aftercare_clients(login, intake, plan):
    # The policy comes before the role: intake staff see only clients in screening.
    response = login(intake).get(_url("check-in", plan.client, numbered(plan, 4)))

    assert response.status_code == 404


def test_check_in_refuses_other_methods(login, counselor1, plan):
    response = login(counselor1).put(_url("check-in", plan.client, numbered(plan, 4)))

    assert response.status_code == 405


def test_check_in_dated_before_the_plan_starts_is_400_and_saves_nothing(login, counselor1, plan):
    check_in = numbered(plan, 1)
    early = days_ago(STARTED_DAYS_AGO + 1)

    response = login(counselor1).post(
        _url("check-in", plan.client, check_in), _check_in_post(contacted_on=f"{early:%Y-%m-%d}")
    )

    assert response.status_code == 400
    assert "contacted_on" in response.context["form"].errors
    check_in.refresh_from_db()
    assert (check_in.status, check_in.signed_at) == (CheckIn.Status.SCHEDULED, None)


def test_check_in_dated_in_the_future_is_400_and_saves_nothing(login, counselor1, plan):
    check_in = numbered(plan, 4)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = login(counselor1).post(
        _url("check-in", plan.client, check_in),
        _check_in_post(contacted_on=f"{tomorrow:%Y-%m-%d}"),
    )

    assert response.status_code == 400
    assert "contacted_on" in response.context["form"].errors
    assert not CheckIn.objects.filter(status=CheckIn.Status.RECORDED).exists()


def test_high_risk_check_in_without_re_engagement_is_400_and_saves_nothing(login, counselor1, plan):
    response = login(counselor1).post(
        _url("check-in", plan.client, numbered(plan, 4)), _check_in_post(risk_level="high")
    )

    assert response.status_code == 400
    assert "re_engagement" in response.context["form"].errors
    assert not CheckIn.objects.filter(status=CheckIn.Status.RECORDED).exists()


def test_an_extra_session_in_the_past_is_400_and_books_nothing(login, counselor1, plan):
    data = _check_in_post(
        risk_level="high",
        re_engagement="extra_session",
        session_at=f"{days_ago(1):%Y-%m-%d}T10:00",
    )

    response = login(counselor1).post(_url("check-in", plan.client, numbered(plan, 4)), data)

    assert response.status_code == 400
    assert "session_at" in response.context["form"].errors
    assert not Appointment.objects.exists()


def test_recording_a_check_in_twice_is_400(login, counselor1, plan):
    check_in = record(counselor1, numbered(plan, 4), completed())

    response = login(counselor1).post(
        _url("check-in", plan.client, check_in), _check_in_post(outcome="missed")
    )

    assert response.status_code == 400
    check_in.refresh_from_db()
    assert check_in.outcome == CheckIn.Outcome.COMPLETED


def test_check_in_page_view_is_audited(login, counselor1, plan):
    login(counselor1).get(_url("check-in", plan.client, numbered(plan, 4)))

    assert _view_events(counselor1, plan.client).count() == 1


def test_a_refused_check_in_is_audited_as_a_view(login, counselor1, plan):
    # The form is shown again with the record's data: that is a view.
    login(counselor1).post(
        _url("check-in", plan.client, numbered(plan, 4)), _check_in_post(risk_level="high")
    )

    assert _view_events(counselor1, plan.client).count() == 1


# --- outreach attempt --------------------------------------------------------------------


def test_outreach_attempt_is_logged_and_returns_to_the_chart(login, counselor1, task):
    response = login(counselor1).post(
        _url("outreach-attempt", task.client, task),
        {"method": "phone", "outcome": "left_message", "note": "Left a voicemail"},
    )

    assert response.status_code == 302
    assert response.url == _chart_url(task.client) + "?section=aftercare"
    attempt = OutreachAttempt.objects.get()
    assert (attempt.task, attempt.by, attempt.outcome) == (task, counselor1, "left_message")


def test_outreach_attempt_from_the_queue_returns_to_the_queue(login, counselor1, task):
    response = login(counselor1).post(
        _url("outreach-attempt", task.client, task),
        {"method": "phone", "outcome": "reached", "next": "queue"},
    )

    assert response.url == WORKLIST_URL
    task.refresh_from_db()
    assert task.status == OutreachTask.Status.CLOSED


def test_supervisor_can_log_an_outreach_attempt(login, supervisor, task):
    response = login(supervisor).post(
        _url("outreach-attempt", task.client, task), {"method": "letter", "outcome": "no_answer"}
    )

    assert response.status_code == 302
    assert OutreachAttempt.objects.get().by == supervisor


def test_outreach_attempt_is_404_for_another_counselors_client(login, counselor2, task):
    response = login(counselor2).post(
        _url("outreach-attempt", task.client, task), {"method": "phone", "outcome": "reached"}
    )

    assert response.status_code == 404
    assert not OutreachAttempt.objects.exists()


def test_outreach_attempt_is_403_for_an_administrator(login, administrator, task):
    response = login(administrator).post(
        _url("outreach-attempt", task.client, task), {"method": "phone", "outcome": "reached"}
    )

    assert response.status_code == 403
    assert not OutreachAttempt.objects.exists()


def test_outreach_attempt_is_404_for_intake_who_cannot_see_aftercare_clients(login, intake, task):
    response = login(intake).post(
        _url("outreach-attempt", task.client, task), {"method": "phone", "outcome": "reached"}
    )

    assert response.status_code == 404


def test_outreach_attempt_refuses_get(login, counselor1, task):
    response = login(counselor1).get(_url("outreach-attempt", task.client, task))

    assert response.status_code == 405
    assert not _view_events(counselor1, task.client).exists()


def test_outreach_attempt_with_an_unknown_method_saves_nothing(login, counselor1, task):
    response = login(counselor1).post(
        _url("outreach-attempt", task.client, task), {"method": "pigeon", "outcome": "reached"}
    )

    assert response.status_code == 302
    assert _messages(response) == ["Choose how you tried and what happened."]
    assert not OutreachAttempt.objects.exists()
    task.refresh_from_db()
    assert task.status == OutreachTask.Status.OPEN


def test_outreach_attempt_on_a_closed_task_saves_nothing(login, counselor1, task):
    outreach_attempt_add(actor=counselor1, task=task, method="phone", outcome="reached")

    response = login(counselor1).post(
        _url("outreach-attempt", task.client, task), {"method": "phone", "outcome": "no_answer"}
    )

    assert _messages(response) == ["This outreach task is closed."]
    assert OutreachAttempt.objects.count() == 1


def test_outreach_task_of_another_client_is_404_under_this_clients_address(login, counselor1, task):
    other = stepped_down(counselor1)

    response = login(counselor1).post(
        _url("outreach-attempt", other.client, task), {"method": "phone", "outcome": "reached"}
    )

    assert response.status_code == 404


# --- discharge ---------------------------------------------------------------------------


def test_discharge_page_shows_the_teds_form(login, counselor1, plan):
    response = login(counselor1).get(_url("discharge", plan.client))

    assert response.status_code == 200
    assert response.context["episode"] == plan.episode
    assert "TEDS discharge reason" in response.content.decode()


def test_discharge_closes_the_episode_and_goes_to_the_client_list(login, counselor1, plan):
    response = login(counselor1).post(_url("discharge", plan.client), _discharge_post())

    assert response.status_code == 302
    assert response.url == reverse("clients:client-list")
    plan.episode.refresh_from_db()
    assert plan.episode.phase == Episode.Phase.DISCHARGED
    summary = DischargeSummary.objects.get()
    assert (summary.episode, summary.signed_by) == (plan.episode, counselor1)


def test_check_in_without_the_dialogs_confirmation_records_nothing(login, counselor1, plan):
    check_in = numbered(plan, 1)

    response = login(counselor1).post(
        _url("check-in", plan.client, check_in), _check_in_post(confirm="")
    )

    assert response.status_code == 400
    assert "Confirm signing" in response.content.decode()
    check_in.refresh_from_db()
    assert check_in.status == CheckIn.Status.SCHEDULED


def test_discharge_without_the_dialogs_confirmation_changes_nothing(login, counselor1, plan):
    response = login(counselor1).post(_url("discharge", plan.client), _discharge_post(confirm=""))

    assert response.status_code == 400
    assert "Confirm the discharge" in response.content.decode()
    plan.episode.refresh_from_db()
    assert plan.episode.phase != Episode.Phase.DISCHARGED
    assert not DischargeSummary.objects.exists()


def test_discharge_page_asks_for_confirmation_in_a_dialog(login, counselor1, plan):
    content = login(counselor1).get(_url("discharge", plan.client)).content.decode()

    assert 'data-confirm="Discharge ' in content
    assert 'id="confirm-dialog"' in content


def test_discharge_records_the_teds_use_and_arrests_at_discharge(login, counselor1, plan):
    response = login(counselor1).post(
        _url("discharge", plan.client),
        _discharge_post(primary_frequency="none", arrests="once"),
    )

    assert response.status_code == 302
    assert DischargeSummary.objects.get().primary_frequency == "none"
    assert Demographics.objects.get(episode=plan.episode).arrests_discharge == "once"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE,
        client=plan.client,
        details={"fields": ["arrests_discharge"]},
    ).exists()


def test_supervisor_can_discharge_a_client_from_the_intensive_phase(
    login, supervisor, intensive_client
):
    response = login(supervisor).post(
        _url("discharge", intensive_client), _discharge_post(reason="2")
    )

    assert response.status_code == 302
    episode = intensive_client.episodes.get()
    assert (episode.phase, episode.discharge_reason) == (Episode.Phase.DISCHARGED, 2)


def test_discharge_is_404_for_another_counselors_client(login, counselor2, plan):
    response = login(counselor2).post(_url("discharge", plan.client), _discharge_post())

    assert response.status_code == 404
    assert not DischargeSummary.objects.exists()


def test_discharge_is_403_for_an_administrator(login, administrator, plan):
    response = login(administrator).get(_url("discharge", plan.client))

    assert response.status_code == 403


def test_discharge_is_403_for_intake_on_a_client_they_can_see(login, intake, intensive_client):
    Episode.objects.filter(client=intensive_client).update(phase=Episode.Phase.SCREENING)

    response = login(intake).get(_url("discharge", intensive_client))

    assert response.status_code == 403


def test_discharge_refuses_other_methods(login, counselor1, plan):
    response = login(counselor1).patch(_url("discharge", plan.client))

    assert response.status_code == 405


def test_discharge_dated_before_admission_is_400_and_saves_nothing(login, counselor1, plan):
    before = plan.episode.admission_date - datetime.timedelta(days=1)

    response = login(counselor1).post(
        _url("discharge", plan.client), _discharge_post(discharge_date=f"{before:%Y-%m-%d}")
    )

    assert response.status_code == 400
    assert "discharge_date" in response.context["form"].errors
    plan.episode.refresh_from_db()
    assert plan.episode.phase == Episode.Phase.AFTERCARE
    assert not DischargeSummary.objects.exists()


def test_discharge_dated_in_the_future_is_400_and_saves_nothing(login, counselor1, plan):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = login(counselor1).post(
        _url("discharge", plan.client), _discharge_post(discharge_date=f"{tomorrow:%Y-%m-%d}")
    )

    assert response.status_code == 400
    assert "discharge_date" in response.context["form"].errors
    assert not DischargeSummary.objects.exists()


def test_discharge_without_a_summary_is_400_and_saves_nothing(login, counselor1, plan):
    response = login(counselor1).post(_url("discharge", plan.client), _discharge_post(summary=""))

    assert response.status_code == 400
    assert "summary" in response.context["form"].errors
    plan.episode.refresh_from_db()
    assert plan.episode.phase == Episode.Phase.AFTERCARE


def test_discharge_page_of_a_discharged_client_returns_to_the_chart(
    login, supervisor, discharged_client
):
    response = login(supervisor).get(_url("discharge", discharged_client))

    assert response.status_code == 302
    assert _messages(response) == ["The client has no episode to discharge."]


def test_discharge_page_view_is_audited(login, counselor1, plan):
    login(counselor1).get(_url("discharge", plan.client))

    assert _view_events(counselor1, plan.client).count() == 1


# --- readmit -----------------------------------------------------------------------------


def test_supervisor_re_refers_a_discharged_client(login, supervisor, discharged_client):
    response = login(supervisor).post(_url("readmit", discharged_client))

    assert response.status_code == 302
    assert response.url == _chart_url(discharged_client)
    assert _messages(response) == ["Re-referred: the client is on the screening worklist."]
    phases = list(discharged_client.episodes.order_by("id").values_list("phase", flat=True))
    assert phases == [Episode.Phase.DISCHARGED, Episode.Phase.SCREENING]


def test_readmit_is_403_for_the_former_counselor_of_a_recently_discharged_client(
    login, counselor1, discharged_client
):
    # The counselor who discharged the client still reads the record for the
    # recent-discharge period; re-referring is a supervisor's decision.
    response = login(counselor1).post(_url("readmit", discharged_client))

    assert response.status_code == 403
    assert discharged_client.episodes.count() == 1


def test_readmit_is_403_for_a_counselor_on_their_own_open_client(login, counselor1, plan):
    response = login(counselor1).post(_url("readmit", plan.client))

    assert response.status_code == 403


def test_readmit_is_403_for_an_administrator(login, administrator, discharged_client):
    response = login(administrator).post(_url("readmit", discharged_client))

    assert response.status_code == 403
    assert discharged_client.episodes.count() == 1


def test_readmit_is_404_for_intake_who_cannot_see_discharged_clients(
    login, intake, discharged_client
):
    response = login(intake).post(_url("readmit", discharged_client))

    assert response.status_code == 404


def test_readmit_refuses_get(login, supervisor, discharged_client):
    response = login(supervisor).get(_url("readmit", discharged_client))

    assert response.status_code == 405
    assert discharged_client.episodes.count() == 1


def test_readmit_of_a_client_with_an_open_episode_adds_nothing_and_says_why(
    login, supervisor, plan
):
    response = login(supervisor).post(_url("readmit", plan.client))

    assert response.status_code == 302
    assert _messages(response) == ["This client already has an open episode of care."]
    assert plan.client.episodes.count() == 1


# --- the Aftercare page ------------------------------------------------------------------


def test_aftercare_page_lists_the_counselors_overdue_and_due_check_ins(login, counselor1, plan):
    response = login(counselor1).get(WORKLIST_URL)

    assert response.status_code == 200
    overdue = response.context["overdue"]
    assert [check_in.number for check_in in overdue] == [1, 2, 3]
    assert [check_in.number for check_in in response.context["due"]] == [4]
    assert plan.client.display_name in response.content.decode()


def test_aftercare_page_lists_overdue_check_ins_oldest_first(login, counselor1):
    recent = stepped_down(counselor1, started_days_ago=10)
    older = stepped_down(counselor1, started_days_ago=20)

    response = login(counselor1).get(WORKLIST_URL)

    overdue = [(c.client_id, c.due_on) for c in response.context["overdue"]]
    assert overdue == sorted(overdue, key=lambda item: item[1])
    assert overdue == [
        (older.client_id, days_ago(13)),
        (older.client_id, days_ago(6)),
        (recent.client_id, days_ago(3)),
    ]


def test_aftercare_page_leaves_out_recorded_check_ins(login, counselor1, plan):
    record(counselor1, numbered(plan, 1), completed(contacted_on=numbered(plan, 1).due_on))

    response = login(counselor1).get(WORKLIST_URL)

    assert [check_in.number for check_in in response.context["overdue"]] == [2, 3]


def test_aftercare_page_lists_flagged_clients_oldest_flag_first(login, counselor1):
    first, second = stepped_down(counselor1), stepped_down(counselor1)
    now = timezone.now()
    AftercarePlan.objects.filter(pk=second.pk).update(flagged_at=now - datetime.timedelta(days=9))
    AftercarePlan.objects.filter(pk=first.pk).update(flagged_at=now - datetime.timedelta(days=2))

    response = login(counselor1).get(WORKLIST_URL)

    assert response.context["flagged"] == [second, first]
    assert "Flagged: three missed check-ins in a row" in response.content.decode()


def test_aftercare_page_lists_the_outreach_queue_oldest_first(login, counselor1, plan):
    for number in (2, 1):
        check_in = numbered(plan, number)
        record(counselor1, check_in, missed(check_in))
    outreach_attempt_add(
        actor=counselor1, task=OutreachTask.objects.first(), method="phone", outcome="no_answer"
    )

    response = login(counselor1).get(WORKLIST_URL)

    tasks = response.context["tasks"]
    assert [task.check_in.number for task in tasks] == [2, 1]
    assert response.content.decode().count('data-testid="outreach-task"') == 2
    assert "Phone call: No answer" in response.content.decode()


def test_aftercare_page_leaves_out_closed_outreach_tasks(login, counselor1, task):
    outreach_attempt_add(actor=counselor1, task=task, method="phone", outcome="reached")

    response = login(counselor1).get(WORKLIST_URL)

    assert response.context["tasks"] == []


def test_aftercare_page_shows_a_counselor_only_their_own_clients(login, counselor1, counselor2):
    mine = stepped_down(counselor1)
    theirs = stepped_down(counselor2)
    for plan in (mine, theirs):
        record(plan.episode.primary_counselor, numbered(plan, 1), missed(numbered(plan, 1)))

    response = login(counselor1).get(WORKLIST_URL)

    context = response.context
    assert {c.client_id for c in context["overdue"] + context["due"]} == {mine.client_id}
    assert {task.client_id for task in context["tasks"]} == {mine.client_id}
    assert theirs.client.display_name not in response.content.decode()


def test_aftercare_page_shows_a_supervisor_the_whole_program(
    login, supervisor, counselor1, counselor2
):
    mine = stepped_down(counselor1)
    theirs = stepped_down(counselor2)

    response = login(supervisor).get(WORKLIST_URL)

    assert {c.client_id for c in response.context["overdue"]} == {mine.client_id, theirs.client_id}


def test_aftercare_page_leaves_out_clients_back_in_the_intensive_phase(login, counselor1, plan):
    Episode.objects.filter(pk=plan.episode_id).update(phase=Episode.Phase.INTENSIVE)

    response = login(counselor1).get(WORKLIST_URL)

    assert response.context["overdue"] == []
    assert response.context["due"] == []


@pytest.mark.parametrize("role", STAFF_403)
def test_aftercare_page_is_403_for_staff_who_are_not_clinicians(request, login, role):
    response = login(request.getfixturevalue(role)).get(WORKLIST_URL)

    assert response.status_code == 403


def test_aftercare_page_refuses_post(login, counselor1):
    response = login(counselor1).post(WORKLIST_URL)

    assert response.status_code == 405


def test_aftercare_page_is_in_the_navigation_of_a_counselor(login, counselor1):
    response = login(counselor1).get(reverse("dashboard:home"))

    assert ("Aftercare", WORKLIST_URL) in response.context["nav_items"]


def _caseload(count: int, counselors, *, first: int = 0) -> None:
    """`count` aftercare clients spread over `counselors`: each has overdue
    and due check-ins; half of them (of both counselors) a missed check-in
    with an outreach task and an attempt; every fifth one is flagged."""
    for number in range(first, first + count):
        counselor = counselors[number % len(counselors)]
        plan = stepped_down(counselor, started_days_ago=STARTED_DAYS_AGO + number % 5)
        if number % 4 < 2:
            check_in = numbered(plan, 1)
            record(counselor, check_in, missed(check_in))
            task = OutreachTask.objects.get(check_in=check_in)
            outreach_attempt_add(actor=counselor, task=task, method="phone", outcome="no_answer")
        if number % 5 == 0:
            AftercarePlan.objects.filter(pk=plan.pk).update(flagged_at=timezone.now())


def test_aftercare_page_query_count_does_not_grow_with_the_caseload(
    login, counselor1, counselor2, django_assert_num_queries
):
    browser = login(counselor1)
    _caseload(10, [counselor1, counselor2])
    with django_assert_num_queries(WORKLIST_QUERIES):
        browser.get(WORKLIST_URL)

    _caseload(90, [counselor1, counselor2], first=10)
    with django_assert_num_queries(WORKLIST_QUERIES):
        response = browser.get(WORKLIST_URL)
    assert len(response.context["tasks"]) == 25
    assert len(response.context["flagged"]) == 10


def test_aftercare_page_query_count_for_a_supervisor_does_not_grow_with_the_program(
    login, supervisor, counselor1, counselor2, django_assert_num_queries
):
    browser = login(supervisor)
    _caseload(10, [counselor1, counselor2])
    with django_assert_num_queries(WORKLIST_QUERIES):
        browser.get(WORKLIST_URL)

    _caseload(90, [counselor1, counselor2], first=10)
    with django_assert_num_queries(WORKLIST_QUERIES):
        response = browser.get(WORKLIST_URL)
    assert len(response.context["tasks"]) == 50
    assert len(response.context["flagged"]) == 20


# --- the chart ---------------------------------------------------------------------------


def test_chart_shows_the_aftercare_plan_and_its_check_ins(login, counselor1, plan):
    response = login(counselor1).get(_chart_section_url(plan.client))

    content = response.content.decode()
    assert "Aftercare and discharge" in content
    assert f"Aftercare plan {plan.started_on:%Y-%m-%d} – {plan.ends_on:%Y-%m-%d}" in content
    assert PLAN_TEXT["triggers"] in content
    for check_in in plan.check_ins.all():
        assert _url("check-in", plan.client, check_in) in content
    assert content.count(">overdue</span>") == 3


def test_chart_shows_the_missed_check_ins_flag(login, counselor1, plan):
    for number in (1, 2, 3):
        check_in = numbered(plan, number)
        record(counselor1, check_in, missed(check_in))

    response = login(counselor1).get(_chart_section_url(plan.client))

    content = response.content.decode()
    assert 'data-testid="missed-flag"' in content
    assert "three missed check-ins in a row" in content
    assert "3 open outreach tasks" in content


def test_chart_shows_no_flag_while_check_ins_are_completed(login, counselor1, plan):
    record(counselor1, numbered(plan, 4), completed())

    response = login(counselor1).get(_chart_section_url(plan.client))

    assert 'data-testid="missed-flag"' not in response.content.decode()


def test_chart_offers_step_down_for_a_client_in_the_intensive_phase(
    login, counselor1, intensive_client
):
    response = login(counselor1).get(_chart_section_url(intensive_client))

    content = response.content.decode()
    assert _url("step-down", intensive_client) in content
    assert "No aftercare plan yet." in content


def test_chart_shows_the_discharge_summary(login, supervisor, discharged_client):
    response = login(supervisor).get(_chart_section_url(discharged_client))

    content = response.content.decode()
    assert "Treatment completed" in content
    assert "Finished the year in aftercare; sober 14 months." in content
    assert "Full-time · Independent living" in content
    assert f"Signed by {supervisor}" in content
    # A supervisor may re-refer a discharged client.
    assert _url("readmit", discharged_client) in content
