"""The program dashboard: who may open it, its filters, invalid filters, its
query count, the CSV exports and the access policy behind its figures."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aftercare.models import AftercarePlan, CheckIn
from groups.models import Attendance
from iop.accounts import roles
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from iop.clients.models import (
    Appointment,
    DrugTest,
    DrugTestResult,
    Episode,
    SessionNote,
    Substance,
)
from iop.dashboard import program
from iop.dashboard.views import CSV_TABLES
from tests.exports import header_of, only_file, read_export
from tests.factories import EpisodeFactory, UserFactory
from tests.groups.factories import (
    AttendanceFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
    track,
)

URL = reverse("dashboard:program")
IGNORED = "Some filters were not valid and were ignored."

# Measured with 3 and with 30 clients (test_page_query_count_does_not_grow_with_clients):
# 7 for every signed-in page (session, user, roles, the layout's unread badge,
# and the session save: savepoint, update, release); 19 for the figures (open
# episodes by phase, caseload, 2 for the months, 2 for attendance by track and
# by facilitator, 3 for retention at 30/60/90, discharge outcomes, length of
# stay, drug tests, check-ins, aftercare retention, referral wait, 2 for
# unsigned notes, open safety flags, the outbox's oldest due reminder); 5 for
# the measures of iop.dashboard.quality (the admissions, their group and
# appointment service days and medications for initiation and engagement;
# the admissions with their TEDS items; diagnoses by class 1); 2 for
# the filter form's counselor and track choices; 1 for the state of the
# summary (iop.dashboard.summary), which then answers attendance and drug
# tests in place of the live queries, whether it has been built or not.
PROGRAM_QUERIES = 7 + 19 + 6 + 2 + 1
# A chosen counselor and track are each looked up when the form is cleaned;
# with a counselor (an episode filter) everything is live: no summary state.
FILTERED_QUERIES = PROGRAM_QUERIES - 1 + 2


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - timedelta(days=days)


def _admit(counselor=None, *, days: int = 20, level: str = "2.1", **fields) -> Episode:
    """An episode of `counselor` admitted `days` ago after a week's wait."""
    return EpisodeFactory(
        primary_counselor=counselor,
        referral_date=days_ago(days + 7),
        admission_date=days_ago(days),
        level_of_care=level,
        **fields,
    )


def _admissions(response) -> int:
    return sum(row["admissions"] for row in response.context["f"]["by_month"])


def _add_clients(count: int, counselors) -> None:
    """`count` clients with something for every figure: an admission, a
    discharge, group attendance, a drug test, an aftercare check-in and an
    unsigned note more than 72 hours old."""
    now = timezone.now()
    for number in range(count):
        counselor = counselors[number % len(counselors)]
        episode = _admit(counselor, days=20 + number % 40)
        _admit(
            counselor,
            days=100,
            phase=Episode.Phase.DISCHARGED,
            discharge_date=days_ago(100 - number % 60),
            discharge_reason=Episode.DischargeReason.values[number % 7],
        )
        AttendanceFactory(
            episode=episode,
            status=Attendance.Status.values[number % 4],
            session=GroupSessionFactory(
                group=RecurringGroupFactory(facilitator=counselor),
                starts_at=now - timedelta(hours=80),
            ),
        )
        test = DrugTest.objects.create(
            client=episode.client,
            collected_on=days_ago(3),
            specimen=DrugTest.Specimen.URINE,
            recorded_by=counselor,
        )
        DrugTestResult.objects.create(test=test, substance=Substance.COCAINE, result="negative")
        aftercare = _admit(counselor, days=200, phase=Episode.Phase.AFTERCARE)
        plan = AftercarePlan.objects.create(
            episode=aftercare,
            client=aftercare.client,
            started_on=days_ago(100),
            ends_on=days_ago(100) + timedelta(days=365),
            recovery_goals="g",
            triggers="t",
            warning_signs="w",
            coping_steps="c",
            people_to_call="p",
            created_by=counselor,
        )
        CheckIn.objects.create(
            plan=plan,
            client=plan.client,
            number=1,
            due_on=days_ago(2),
            scheduled_at=now - timedelta(days=2),
            status="recorded",
            outcome="completed",
        )
        appointment = Appointment.objects.create(
            client=episode.client,
            episode=episode,
            kind=Appointment.Kind.INDIVIDUAL,
            starts_at=now - timedelta(hours=100),
            counselor=counselor,
        )
        SessionNote.objects.create(appointment=appointment, author=counselor)


# --- who may open it -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["administrator", "supervisor"])
def test_program_wide_roles_open_the_program_dashboard(request, login, role):
    response = login(request.getfixturevalue(role)).get(URL)

    assert response.status_code == 200
    assert "dashboard/program.html" in [template.name for template in response.templates]
    # Measurement-based care's outcome dashboard is one click away.
    assert reverse("dashboard:outcomes") in response.content.decode()


@pytest.mark.parametrize("role", ["counselor1", "intake"])
def test_other_roles_are_forbidden_the_program_dashboard(request, login, role):
    response = login(request.getfixturevalue(role)).get(URL)

    assert response.status_code == 403


def test_program_dashboard_redirects_anonymous_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_program_dashboard_refuses_post(login, administrator):
    response = login(administrator).post(URL)

    assert response.status_code == 405


# --- filters -------------------------------------------------------------------------------


def test_unfiltered_page_shows_the_default_period(login, administrator):
    response = login(administrator).get(URL)

    today = timezone.localdate()
    assert (response.context["start"], response.context["end"]) == program.default_period(today)
    assert IGNORED not in response.content.decode()


def test_period_filter_changes_the_figures(login, administrator, counselor1):
    _admit(counselor1, days=200)
    _admit(counselor1, days=10)
    browser = login(administrator)

    everything = browser.get(URL)
    recent = browser.get(URL, {"start": days_ago(30).isoformat()})

    assert _admissions(everything) == 2
    assert _admissions(recent) == 1
    assert recent.context["start"] == days_ago(30)
    assert recent.context["f"]["referral_wait"]["n"] == 1


def test_counselor_filter_changes_the_figures(login, administrator, counselor1, counselor2):
    _admit(counselor1)
    _admit(counselor1)
    _admit(
        counselor2,
        phase=Episode.Phase.DISCHARGED,
        discharge_date=days_ago(5),
        discharge_reason=Episode.DischargeReason.COMPLETED,
    )
    browser = login(administrator)

    everything = browser.get(URL)
    filtered = browser.get(URL, {"counselor": counselor2.pk})

    assert _admissions(everything) == 3
    assert _admissions(filtered) == 1
    assert filtered.context["f"]["outcomes"].completion_rate == 100.0


def test_track_filter_changes_the_figures(login, administrator, counselor1):
    now = timezone.now()
    for code, status in (("rp", "present"), ("ers", "absent")):
        AttendanceFactory(
            episode=_admit(counselor1),
            status=status,
            session=GroupSessionFactory(
                group=RecurringGroupFactory(facilitator=counselor1, track=track(code)),
                starts_at=now - timedelta(days=2),
            ),
        )
    browser = login(administrator)

    everything = browser.get(URL)
    filtered = browser.get(URL, {"track": track("ers").pk})

    assert [row["key"] for row in everything.context["f"]["attendance_by_track"]] == [
        "Early Recovery Skills",
        "Relapse Prevention",
    ]
    assert filtered.context["f"]["attendance_by_track"] == [
        {"key": "Early Recovery Skills", "attended": 0, "absent": 1, "rate": 0.0}
    ]


def test_level_of_care_filter_changes_the_figures(login, administrator, counselor1):
    _admit(counselor1, level="2.1")
    _admit(counselor1, level="2.5")
    _admit(counselor1, level="2.5")
    browser = login(administrator)

    everything = browser.get(URL)
    filtered = browser.get(URL, {"level": "2.5"})

    assert _admissions(everything) == 3
    assert _admissions(filtered) == 2


def test_attendance_by_facilitator_keeps_facilitators_with_one_surname_apart(login, administrator):
    now = timezone.now()
    for first, status in (("Ann", "present"), ("Bob", "absent")):
        facilitator = UserFactory(
            username=first.lower(), first_name=first, last_name="Smith", roles=[roles.COUNSELOR]
        )
        AttendanceFactory(
            status=status,
            episode=_admit(facilitator),
            session=GroupSessionFactory(
                group=RecurringGroupFactory(facilitator=facilitator),
                starts_at=now - timedelta(days=2),
            ),
        )

    response = login(administrator).get(URL)

    rates = sorted(row["rate"] for row in response.context["f"]["attendance_by_counselor"])
    assert rates == [0.0, 100.0]


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-02-30"},
        {"start": "last tuesday"},
        {"counselor": "999999"},
        {"counselor": "not-a-number"},
        {"counselor": "99999999999999999999"},
        {"track": "999999"},
        {"level": "9.9"},
        {"start": "2025-03-01", "end": "2025-02-01"},
    ],
    ids=[
        "impossible-date",
        "not-a-date",
        "unknown-counselor",
        "non-numeric-counselor",
        "huge-counselor-id",
        "unknown-track",
        "unknown-level",
        "end-before-start",
    ],
)
def test_invalid_filter_shows_a_message_and_the_unfiltered_page(
    login, administrator, counselor1, params
):
    _admit(counselor1, days=200)
    _admit(counselor1, days=10)

    response = login(administrator).get(URL, params)

    assert response.status_code == 200
    assert IGNORED in response.content.decode()
    assert (response.context["start"], response.context["end"]) == program.default_period(
        timezone.localdate()
    )
    assert _admissions(response) == 2


def test_end_before_start_names_the_problem(login, administrator):
    response = login(administrator).get(URL, {"start": "2025-03-01", "end": "2025-02-01"})

    assert "The end of the period is before its start." in response.content.decode()


def test_one_invalid_filter_ignores_the_valid_ones_too(login, administrator, counselor1):
    _admit(counselor1, days=200)
    _admit(counselor1, days=10)

    response = login(administrator).get(
        URL, {"start": days_ago(30).isoformat(), "counselor": "999999"}
    )

    assert IGNORED in response.content.decode()
    assert _admissions(response) == 2


def test_far_future_end_date_is_not_a_server_error(login, administrator):
    response = login(administrator).get(URL, {"end": "9999-12-31"})

    assert response.status_code == 200


def test_end_before_the_default_start_shows_a_message(login, administrator):
    response = login(administrator).get(URL, {"end": "2000-01-31"})

    assert IGNORED in response.content.decode()
    assert (response.context["start"], response.context["end"]) == program.default_period(
        timezone.localdate()
    )


# --- query count ---------------------------------------------------------------------------


def test_page_query_count_does_not_grow_with_clients(
    login, administrator, counselor1, counselor2, django_assert_num_queries
):
    browser = login(administrator)
    _add_clients(3, [counselor1, counselor2])
    with django_assert_num_queries(PROGRAM_QUERIES):
        small = browser.get(URL)

    _add_clients(27, [counselor1, counselor2])
    with django_assert_num_queries(PROGRAM_QUERIES):
        large = browser.get(URL)

    assert sum(row["total"] for row in small.context["f"]["caseloads"]) == 3 * 2
    assert sum(row["total"] for row in large.context["f"]["caseloads"]) == 30 * 2
    # Each client: an unsigned session note and an unsigned group note.
    assert sum(row["count"] for row in large.context["f"]["unsigned"]) == 30 * 2
    assert large.context["f"]["drug_tests"]["total"] == 30


def test_filtered_page_query_count_does_not_grow_with_clients(
    login, administrator, counselor1, counselor2, django_assert_num_queries
):
    browser = login(administrator)
    filters = {
        "start": days_ago(90).isoformat(),
        "end": days_ago(1).isoformat(),
        "counselor": counselor1.pk,
        "track": track("rp").pk,
        "level": "2.1",
    }
    _add_clients(2, [counselor1, counselor2])
    with django_assert_num_queries(FILTERED_QUERIES):
        small = browser.get(URL, filters)

    _add_clients(18, [counselor1, counselor2])
    with django_assert_num_queries(FILTERED_QUERIES):
        large = browser.get(URL, filters)

    assert small.context["f"]["drug_tests"]["total"] == 1
    assert large.context["f"]["drug_tests"]["total"] == 10


# --- CSV exports ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CSV_TABLES))
def test_csv_export_carries_the_part2_notice_and_its_header_first(
    login, administrator, counselor1, name
):
    _add_clients(2, [counselor1])

    response = login(administrator).get(URL, {"export": name})

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="openiop-{name}.zip"'
    assert list(read_export(response)) == [f"openiop-{name}.csv"]
    assert header_of(response, f"openiop-{name}.csv") == CSV_TABLES[name][0]


@pytest.mark.parametrize("name", list(CSV_TABLES))
def test_csv_export_writes_one_export_audit_event(login, supervisor, name):
    login(supervisor).get(URL, {"export": name})

    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert [(event.actor, event.details, event.path) for event in events] == [
        (supervisor, {"export": name}, URL)
    ]


def test_csv_export_rows_hold_the_figures(login, administrator, counselor1, counselor2):
    _admit(counselor1)
    _admit(counselor1)
    _admit(counselor2, phase=Episode.Phase.AFTERCARE)

    response = login(administrator).get(URL, {"export": "caseload"})

    rows = sorted(tuple(row.values()) for row in only_file(response))
    assert rows == sorted(
        [
            (f"{counselor1.first_name} {counselor1.last_name}", "2", "0", "2"),
            (f"{counselor2.first_name} {counselor2.last_name}", "0", "1", "1"),
        ]
    )


def test_csv_export_follows_the_filters(login, administrator, counselor1, counselor2):
    _admit(counselor1, days=3)
    _admit(counselor2, days=3)

    response = login(administrator).get(URL, {"export": "months", "counselor": counselor2.pk})

    rows = only_file(response)
    assert sum(int(row["admissions"]) for row in rows) == 1


def test_unknown_export_key_renders_the_page(login, administrator):
    response = login(administrator).get(URL, {"export": "everything"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_viewing_the_page_writes_no_export_audit_event(login, administrator):
    login(administrator).get(URL)

    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


# --- access policy -------------------------------------------------------------------------


def test_supervisor_caseload_table_covers_both_counselors(
    login, supervisor, counselor1, counselor2, client_of_counselor1, client_of_counselor2
):
    response = login(supervisor).get(URL)

    caseloads = response.context["f"]["caseloads"]
    assert {row["counselor_id"] for row in caseloads} == {counselor1.pk, counselor2.pk}
    assert {row["total"] for row in caseloads} == {1}
    content = response.content.decode()
    assert counselor1.last_name in content
    assert counselor2.last_name in content


def test_administrator_figures_count_every_client(
    login, administrator, client_of_counselor1, client_of_counselor2, screening_client
):
    response = login(administrator).get(URL)

    assert response.context["f"]["phase_counts"] == {
        "screening": 1,
        "intensive": 2,
        "aftercare": 0,
    }
    assert _admissions(response) == 2


def test_figures_count_only_the_clients_given_by_the_access_policy(
    counselor1, client_of_counselor1, client_of_counselor2
):
    start, end = program.default_period(timezone.localdate())

    figures = program.program_measures(clients=clients_visible_to(counselor1), start=start, end=end)

    assert [row["counselor_id"] for row in figures["caseloads"]] == [counselor1.pk]
    assert sum(row["admissions"] for row in figures["by_month"]) == 1
