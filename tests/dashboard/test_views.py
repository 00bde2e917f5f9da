"""The landing pages: home per role, system status, and the health probe."""

import datetime
import json
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from aftercare.models import AftercarePlan
from iop.audit.models import AuditEvent
from iop.clients.models import Episode
from iop.dashboard import apps as dashboard_apps
from iop.reminders.services import heartbeat_record
from tests.aftercare.factories import stepped_down
from tests.factories import EpisodeFactory, UserFactory
from tests.groups.factories import EnrollmentFactory, RecurringGroupFactory

HOME_URL = reverse("dashboard:home")
STATUS_URL = reverse("dashboard:system-status")
HEALTH_URL = "/health"

# Every signed-in page: session, user, roles, the unread-notification badge
# of the layout, and the session save (SESSION_SAVE_EVERY_REQUEST: savepoint,
# update, release). Pins below are this plus the page's own queries.
LAYOUT_QUERIES = 7
# Home: open episodes by phase, then the caseload per counselor (supervisor,
# administrator); a counselor's home instead lists the clients the policy
# lets them see once, then counts open episodes by phase, all and their own,
# in one query.
HOME_QUERIES = LAYOUT_QUERIES + 2
# Counselors and supervisors also see clients flagged in aftercare.
CLINICIAN_HOME_QUERIES = HOME_QUERIES + 1
# A counselor's home adds the caseload table: the episodes with their last
# test and appointment, the tracks required, and the episodes' attendance in
# one pass (sessions attended per track, last attended, the two latest); the
# not-on-track flags (the rules in use, the episodes' administrations, their
# due measures); and one insert of the view events of the clients it names.
COUNSELOR_HOME_QUERIES = CLINICIAN_HOME_QUERIES + 4 + 3

ROLES = ["intake", "counselor1", "counselor2", "supervisor", "administrator"]


def _add_clients(count, counselors):
    for number in range(count):
        EpisodeFactory(primary_counselor=counselors[number % len(counselors)])


@pytest.mark.parametrize("role", ROLES)
def test_home_opens_for_every_role(request, login, role):
    response = login(request.getfixturevalue(role)).get(HOME_URL)

    assert response.status_code == 200


def test_home_redirects_anonymous_to_login(client, db):
    response = client.get(HOME_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_home_is_forbidden_to_user_without_role(login, db):
    response = login(UserFactory(username="nobody")).get(HOME_URL)

    assert response.status_code == 403


@pytest.mark.parametrize("role", ["supervisor", "administrator"])
def test_program_wide_roles_see_caseload_table(
    request, login, counselor1, client_of_counselor1, role
):
    response = login(request.getfixturevalue(role)).get(HOME_URL)

    content = response.content.decode()
    assert "Active caseload per counselor" in content
    assert counselor1.last_name in content
    assert response.context["caseloads"] == [
        {
            "counselor_id": counselor1.pk,
            "name": f"{counselor1.first_name} {counselor1.last_name}",
            "intensive": 1,
            "aftercare": 0,
            "total": 1,
        }
    ]


@pytest.mark.parametrize("role", ["intake", "counselor1"])
def test_other_roles_do_not_see_caseload_table(request, login, client_of_counselor1, role):
    response = login(request.getfixturevalue(role)).get(HOME_URL)

    assert "Active caseload per counselor" not in response.content.decode()
    assert "caseloads" not in response.context


def test_caseload_table_counts_phases_per_counselor(login, supervisor, counselor1, counselor2):
    EpisodeFactory(primary_counselor=counselor1)
    EpisodeFactory(primary_counselor=counselor1, phase=Episode.Phase.AFTERCARE)
    EpisodeFactory(primary_counselor=counselor2)
    EpisodeFactory(
        primary_counselor=counselor2,
        phase=Episode.Phase.DISCHARGED,
        discharge_date=timezone.localdate(),
        discharge_reason=Episode.DischargeReason.COMPLETED,
    )

    response = login(supervisor).get(HOME_URL)

    rows = {row["counselor_id"]: row for row in response.context["caseloads"]}
    assert (rows[counselor1.pk]["intensive"], rows[counselor1.pk]["aftercare"]) == (1, 1)
    assert rows[counselor1.pk]["total"] == 2
    assert rows[counselor2.pk]["total"] == 1


def test_caseload_table_lists_unassigned_clients(login, supervisor):
    EpisodeFactory(primary_counselor=None)

    response = login(supervisor).get(HOME_URL)

    assert response.context["caseloads"][0]["counselor_id"] is None
    assert "Unassigned" in response.content.decode()


def test_counselor_home_counts_own_caseload_only(
    login, counselor1, client_of_counselor1, client_of_counselor2, screening_client
):
    response = login(counselor1).get(HOME_URL)

    assert response.context["my_phase_counts"] == {"screening": 0, "intensive": 1, "aftercare": 0}
    assert response.context["phase_counts"] == {"screening": 0, "intensive": 1, "aftercare": 0}


def test_counselor_home_counts_group_members_as_visible_but_not_as_own(
    login, counselor1, client_of_counselor1, client_of_counselor2
):
    group = RecurringGroupFactory(facilitator=counselor1)
    EnrollmentFactory(episode=client_of_counselor2.episodes.get(), group=group)

    response = login(counselor1).get(HOME_URL)

    assert response.context["phase_counts"]["intensive"] == 2
    assert response.context["my_phase_counts"]["intensive"] == 1
    assert [row["client"] for row in response.context["caseload"]] == [client_of_counselor1]


def test_counselor_home_audits_each_client_of_the_caseload_table_and_flagged_list(
    login, counselor1, client_of_counselor1, client_of_counselor2
):
    flagged = stepped_down(counselor1)
    AftercarePlan.objects.filter(pk=flagged.pk).update(flagged_at=timezone.now())

    response = login(counselor1).get(HOME_URL)

    assert response.context["aftercare_flagged"] == [flagged.client]
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, actor=counselor1)
    # The flagged client is also on the caseload table: one event each.
    assert sorted(events.values_list("client", flat=True)) == sorted(
        [client_of_counselor1.pk, flagged.client_id]
    )
    assert {event.details["list"] for event in events} == {"home"}


def test_home_naming_nobody_writes_no_view_event(login, supervisor, client_of_counselor1):
    login(supervisor).get(HOME_URL)

    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_intake_home_counts_screening_only(login, intake, client_of_counselor1, screening_client):
    response = login(intake).get(HOME_URL)

    assert response.context["phase_counts"] == {"screening": 1, "intensive": 0, "aftercare": 0}
    assert "my_phase_counts" not in response.context


@pytest.mark.parametrize(
    ("role", "queries"),
    [("supervisor", CLINICIAN_HOME_QUERIES), ("administrator", HOME_QUERIES)],
)
def test_home_query_count_does_not_grow_with_clients(
    request, login, counselor1, counselor2, django_assert_num_queries, role, queries
):
    browser = login(request.getfixturevalue(role))
    _add_clients(3, [counselor1, counselor2])
    with django_assert_num_queries(queries):
        browser.get(HOME_URL)

    _add_clients(27, [counselor1, counselor2, None])
    with django_assert_num_queries(queries):
        response = browser.get(HOME_URL)
    assert sum(row["total"] for row in response.context["caseloads"]) == 30


def test_counselor_home_query_count_does_not_grow_with_clients(
    login, counselor1, django_assert_num_queries
):
    browser = login(counselor1)
    _add_clients(3, [counselor1])
    with django_assert_num_queries(COUNSELOR_HOME_QUERIES):
        browser.get(HOME_URL)

    _add_clients(27, [counselor1])
    with django_assert_num_queries(COUNSELOR_HOME_QUERIES):
        response = browser.get(HOME_URL)
    assert response.context["my_phase_counts"]["intensive"] == 30


# --- system status ---------------------------------------------------------------------


def test_system_status_shows_last_heartbeat(login, administrator):
    heartbeat_record(hostname="worker-7")

    response = login(administrator).get(STATUS_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert "worker-7" in content
    assert "Running" in content
    assert response.context["heartbeat"]["ok"] is True
    assert response.context["heartbeat"]["runs"] == 1


def test_system_status_flags_a_late_heartbeat(login, administrator):
    beat = heartbeat_record(hostname="worker-7")
    type(beat).objects.filter(pk=beat.pk).update(
        last_run_at=timezone.now() - datetime.timedelta(minutes=10)
    )

    response = login(administrator).get(STATUS_URL)

    assert "Late" in response.content.decode()
    assert response.context["heartbeat"]["ok"] is False


def test_system_status_without_heartbeat_says_never(login, administrator, monkeypatch):
    monkeypatch.setattr(dashboard_apps, "STARTED", time.monotonic() - 600)

    response = login(administrator).get(STATUS_URL)

    assert response.status_code == 200
    assert "No heartbeat yet" in response.content.decode()


def test_system_status_waits_for_the_first_heartbeat_just_after_start(
    login, administrator, monkeypatch
):
    monkeypatch.setattr(dashboard_apps, "STARTED", time.monotonic() - 20)

    page = login(administrator).get(STATUS_URL).content.decode()

    assert "Waiting for the first heartbeat" in page
    assert "Never" not in page


@pytest.mark.parametrize("role", ["intake", "counselor1", "supervisor"])
def test_system_status_is_forbidden_to_non_administrators(request, login, role):
    response = login(request.getfixturevalue(role)).get(STATUS_URL)

    assert response.status_code == 403


def test_system_status_redirects_anonymous_to_login(client, db):
    response = client.get(STATUS_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- health ------------------------------------------------------------------------------


def test_health_answers_ok_to_anonymous(client, db):
    response = client.get(HEALTH_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_health_reports_worker_heartbeat(client, db):
    heartbeat_record(hostname="worker-7")

    body = client.get(HEALTH_URL).json()

    assert body["worker_ok"] is True
    assert 0 <= body["worker_heartbeat_age_seconds"] <= 5


def test_health_contains_no_client_data(client, client_of_counselor1, screening_client):
    heartbeat_record(hostname="worker-7")

    response = client.get(HEALTH_URL)

    body = response.content.decode()
    assert set(json.loads(body)) == {
        "status",
        "database",
        "worker_heartbeat_age_seconds",
        "reminders_oldest_due_seconds",
        "worker_ok",
    }
    for person in (client_of_counselor1, screening_client):
        for value in (person.mrn, person.legal_last_name, str(person.public_id)):
            assert value not in body


def test_health_is_not_cached(client, db):
    response = client.get(HEALTH_URL)

    assert "no-store" in response["Cache-Control"]


def test_health_refuses_post(client, db):
    response = client.post(HEALTH_URL)

    assert response.status_code == 405
