"""The chart with the clinical record: a fixed number of queries whatever the
history, the timeline across kinds, printing, the audit trail of every new
page, and the counselor's worklists (DOMAIN.md section 5, STYLE.md Tests)."""

import datetime
import types
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from iop.accounts import roles
from iop.audit.models import AuditEvent
from iop.clients.chart import chart_timeline
from iop.clients.models import (
    Appointment,
    DrugTest,
    DrugTestResult,
    Goal,
    Medication,
    MutualHelpMeeting,
    Objective,
    Problem,
    SessionNote,
    Substance,
    TreatmentPlan,
)
from iop.clients.selectors import clinical
from iop.clients.services import appointment_schedule
from iop.clients.services.sessions import session_document, session_note_sign
from iop.clients.services.treatment import drug_test_record, meeting_record, random_test_weekday
from tests.factories import ClientFactory, EpisodeFactory, UserFactory

# Measured, then pinned (other apps register sections too, so a change there
# moves these numbers). Every request: the signed-in layout 7 (session,
# user, roles, the notification badge, the session save as
# savepoint/update/release); the client through the policy and the view
# audit insert 2 (SECTION_OVERHEAD, the 9 a section loaded on its own adds
# to its sections' queries).
#
# The chart page (the header, the alerts and the Overview): episodes and
# their assignments 2; current medications 1; current diagnoses (the header
# and the Plan tab's diagnoses share them) 1; screening's safety flags 1;
# the Overview's last notes, next appointments, current objectives and
# this week's sessions 4; groups' attendance this week 1.
CHART_QUERIES = 19
SECTION_OVERHEAD = 9
# The timeline's sources alone: appointments, drug tests and their
# unexpected positives, medications, meetings, plans, instruments, group
# attendance, family consents.
TIMELINE_QUERIES = 9
# Each tab of the section navigation, loaded when opened: its sections.
SECTION_QUERIES = {
    "sessions": SECTION_OVERHEAD + 1,
    # Enrollments, per-track counts, topics, sessions required; weekly hours 2.
    "groups": SECTION_OVERHEAD + 6,
    # Current diagnoses; the active plan, problems, goals, objectives.
    "plan": SECTION_OVERHEAD + 1 + 4,
    # Screenings, whether in screening, scores by instrument.
    "screening": SECTION_OVERHEAD + 3,
    # Drug tests with their results.
    "drug-tests": SECTION_OVERHEAD + 2,
    "medications": SECTION_OVERHEAD + 1,
    # The admission (no week before it counts), weeks, recent meetings.
    "mutual-help": SECTION_OVERHEAD + 3,
    # Members, consents naming them, Family Education progress and its
    # sessions required; consents, the accounting of disclosures.
    "family": SECTION_OVERHEAD + 6,
    "aftercare": SECTION_OVERHEAD + 3,
    # Outcomes' measures: open and recent due measures (each with its newest
    # link), self-reported answers, the BAM's composites, "in care?".
    "measures": SECTION_OVERHEAD + 5,
    "timeline": SECTION_OVERHEAD + TIMELINE_QUERIES,
}
# On paper, everything on one page: the chart page's queries, every
# section's, the timeline's and the print audit insert.
# The header and the Plan tab's diagnoses share one query of the diagnoses.
PRINT_QUERIES = (
    CHART_QUERIES + sum(count - SECTION_OVERHEAD for count in SECTION_QUERIES.values()) + 1 - 1
)


def _url(name, client, **kwargs):
    return reverse(f"clients:{name}", kwargs={"client_id": client.public_id, **kwargs})


def _history(client, counselor, count):
    """`count` documented items of every kind, written in bulk: appointments
    with notes (signed and drafts), drug tests with results, meetings,
    medications (some stopped) and plan versions (the last one active, its
    tree growing with `count`)."""
    now = timezone.now()
    today = timezone.localdate()
    episode = client.episodes.get()
    appointments = Appointment.objects.bulk_create(
        Appointment(
            client=client,
            episode=episode,
            kind=Appointment.Kind.INDIVIDUAL,
            starts_at=now - datetime.timedelta(days=n + 1),
            counselor=counselor,
            status=Appointment.Status.ATTENDED,
        )
        for n in range(count)
    )
    SessionNote.objects.bulk_create(
        SessionNote(
            appointment=appointment,
            author=counselor,
            data="d",
            assessment="a",
            plan="p",
            minutes=50,
            units=3,
            signed_by=counselor if n % 2 else None,
            signed_at=appointment.starts_at + datetime.timedelta(hours=1) if n % 2 else None,
        )
        for n, appointment in enumerate(appointments)
    )
    Appointment.objects.bulk_create(
        Appointment(
            client=client,
            episode=episode,
            kind=Appointment.Kind.INDIVIDUAL,
            starts_at=now + datetime.timedelta(days=n + 1),
            counselor=counselor,
        )
        for n in range(count)
    )
    tests = DrugTest.objects.bulk_create(
        DrugTest(
            client=client,
            collected_on=today - datetime.timedelta(days=n),
            specimen=DrugTest.Specimen.URINE,
            recorded_by=counselor,
        )
        for n in range(count)
    )
    DrugTestResult.objects.bulk_create(
        DrugTestResult(
            test=test,
            substance=substance,
            result=DrugTestResult.Result.POSITIVE if n % 7 == 0 else DrugTestResult.Result.NEGATIVE,
        )
        for n, test in enumerate(tests)
        for substance in (Substance.COCAINE, Substance.FENTANYL, Substance.CANNABIS)
    )
    MutualHelpMeeting.objects.bulk_create(
        MutualHelpMeeting(
            client=client,
            attended_on=today - datetime.timedelta(days=n % 60),
            kind=MutualHelpMeeting.Kind.AA,
            verified=bool(n % 3),
            recorded_by=counselor,
        )
        for n in range(count)
    )
    Medication.objects.bulk_create(
        Medication(
            client=client,
            drug=Medication.Drug.NALTREXONE_XR,
            dose="380 mg",
            schedule="every 4 weeks",
            prescriber_name="Dr. Okafor",
            start_date=today - datetime.timedelta(days=28 * (n + 1)),
            stop_date=today - datetime.timedelta(days=28 * n + 1) if n else None,
            next_injection_due=None if n else today + datetime.timedelta(days=3),
            recorded_by=counselor,
        )
        for n in range(count)
    )
    plans = TreatmentPlan.objects.bulk_create(
        TreatmentPlan(
            client=client,
            episode=episode,
            version=n + 1,
            status=TreatmentPlan.Status.ACTIVE
            if n == count - 1
            else TreatmentPlan.Status.SUPERSEDED,
            author=counselor,
            signed_by=counselor,
            signed_at=now - datetime.timedelta(days=count - n),
            effective_date=today - datetime.timedelta(days=count - n),
            next_review_due=today + datetime.timedelta(days=30),
            client_agreed_on=today - datetime.timedelta(days=count - n),
        )
        for n in range(count)
    )
    problems = Problem.objects.bulk_create(
        Problem(plan=plans[-1], number=n + 1, statement=f"Problem {n}") for n in range(count)
    )
    goals = Goal.objects.bulk_create(
        Goal(problem=problem, number=1, statement="Goal") for problem in problems
    )
    Objective.objects.bulk_create(
        Objective(
            goal=goal, number=1, statement="Objective", target_date=today + datetime.timedelta(30)
        )
        for goal in goals
    )


# --- query count ------------------------------------------------------------------------


def test_chart_query_count_does_not_grow_with_the_clinical_history(
    login, counselor1, django_assert_num_queries
):
    small = EpisodeFactory(primary_counselor=counselor1).client
    large = EpisodeFactory(primary_counselor=counselor1).client
    _history(small, counselor1, 10)
    _history(large, counselor1, 100)
    browser = login(counselor1)

    with django_assert_num_queries(CHART_QUERIES):
        response = browser.get(_url("client-detail", small))
    assert len(response.context["tabs"]) == len(SECTION_QUERIES)
    with django_assert_num_queries(CHART_QUERIES):
        response = browser.get(_url("client-detail", large))
    # The Overview only: the sections load when opened.
    content = response.content.decode()
    assert content.count('data-testid="overview-note"') == 3
    assert 'data-kind="' not in content


@pytest.mark.parametrize("section", sorted(SECTION_QUERIES))
def test_each_chart_section_query_count_does_not_grow_with_the_clinical_history(
    login, counselor1, django_assert_num_queries, section
):
    small = EpisodeFactory(primary_counselor=counselor1).client
    large = EpisodeFactory(primary_counselor=counselor1).client
    _history(small, counselor1, 10)
    _history(large, counselor1, 100)
    browser = login(counselor1)

    with django_assert_num_queries(SECTION_QUERIES[section]):
        assert browser.get(_url("client-section", small, section=section)).status_code == 200
    with django_assert_num_queries(SECTION_QUERIES[section]):
        response = browser.get(_url("client-section", large, section=section))
    assert response.status_code == 200
    if section == "timeline":
        # Its 50 newest entries and a link to the whole timeline.
        content = response.content.decode()
        assert content.count('data-kind="') == 50
        assert 'data-testid="whole-timeline"' in content


def test_a_deep_link_renders_its_section_with_the_page_in_a_fixed_number_of_queries(
    login, counselor1, django_assert_num_queries
):
    small = EpisodeFactory(primary_counselor=counselor1).client
    large = EpisodeFactory(primary_counselor=counselor1).client
    _history(small, counselor1, 10)
    _history(large, counselor1, 100)
    browser = login(counselor1)
    # The page's own queries and the section's, less the section request's
    # own layout, client and audit.
    expected = CHART_QUERIES + SECTION_QUERIES["drug-tests"] - SECTION_OVERHEAD

    with django_assert_num_queries(expected):
        browser.get(_url("client-detail", small) + "?section=drug-tests")
    with django_assert_num_queries(expected):
        response = browser.get(_url("client-detail", large) + "?section=drug-tests")
    assert response.context["opened"].key == "drug-tests"
    assert 'id="section-drug-tests"' in response.content.decode()


def test_print_query_count_does_not_grow_with_the_clinical_history(
    login, counselor1, django_assert_num_queries
):
    small = EpisodeFactory(primary_counselor=counselor1).client
    large = EpisodeFactory(primary_counselor=counselor1).client
    _history(small, counselor1, 10)
    _history(large, counselor1, 200)
    browser = login(counselor1)

    with django_assert_num_queries(PRINT_QUERIES):
        browser.get(_url("client-print", small))
    with django_assert_num_queries(PRINT_QUERIES):
        response = browser.get(_url("client-print", large))
    # On paper the timeline runs to its 200 newest entries, with no link.
    content = response.content.decode()
    assert content.count('data-kind="') == 200
    assert 'data-testid="whole-timeline"' not in content


# --- timeline ---------------------------------------------------------------------------


def _varied_history(counselor, client):
    """One item of each kind on a different day: session 1 day ago, meeting
    2 days ago, drug test 3 days ago, medication started 5 days ago, plan
    signed 8 days ago."""
    today = timezone.localdate()
    appointment = appointment_schedule(
        actor=counselor,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        counselor=counselor,
    )
    note = session_document(
        actor=counselor,
        appointment=appointment,
        status=Appointment.Status.ATTENDED,
        minutes=50,
        data="d",
        assessment="a",
        plan="p",
    )
    session_note_sign(actor=counselor, note=note)
    meeting_record(
        actor=counselor,
        client=client,
        data={"attended_on": today - datetime.timedelta(days=2), "kind": "na"},
    )
    drug_test_record(
        actor=counselor,
        client=client,
        collected_on=today - datetime.timedelta(days=3),
        specimen="urine",
        observed=False,
        results={"cocaine": "negative"},
    )
    Medication.objects.create(
        client=client,
        drug=Medication.Drug.ACAMPROSATE,
        dose="666 mg",
        schedule="three times daily",
        prescriber_name="Dr. Okafor",
        start_date=today - datetime.timedelta(days=5),
        recorded_by=counselor,
    )
    TreatmentPlan.objects.create(
        client=client,
        episode=client.episodes.get(),
        author=counselor,
        status=TreatmentPlan.Status.ACTIVE,
        signed_by=counselor,
        signed_at=timezone.now() - datetime.timedelta(days=8),
    )


def test_timeline_lists_items_newest_first_across_kinds(counselor1, client_of_counselor1):
    _varied_history(counselor1, client_of_counselor1)

    entries = chart_timeline(client_of_counselor1, viewer=counselor1)

    assert [entry.kind for entry in entries] == [
        "session",
        "meeting",
        "drug_test",
        "medication",
        "plan",
    ]
    assert entries[0].detail == "Attended · note signed"


def test_chart_timeline_shows_items_newest_first(login, counselor1, client_of_counselor1):
    _varied_history(counselor1, client_of_counselor1)

    response = login(counselor1).get(
        _url("client-section", client_of_counselor1, section="timeline")
    )

    timeline = response.content.decode()
    positions = [
        timeline.index(f'data-kind="{kind}"')
        for kind in ("session", "meeting", "drug_test", "medication", "plan")
    ]
    assert positions == sorted(positions)


def test_timeline_shows_a_medication_stop_as_its_own_entry(counselor1, client_of_counselor1):
    today = timezone.localdate()
    Medication.objects.create(
        client=client_of_counselor1,
        drug=Medication.Drug.DISULFIRAM,
        dose="250 mg",
        schedule="daily",
        prescriber_name="Dr. Okafor",
        start_date=today - datetime.timedelta(days=20),
        stop_date=today - datetime.timedelta(days=2),
        recorded_by=counselor1,
    )

    titles = [entry.title for entry in chart_timeline(client_of_counselor1, viewer=counselor1)]

    assert titles == ["Medication stopped: Disulfiram", "Medication started: Disulfiram"]


# --- printing and the audit trail -------------------------------------------------------


def test_printing_writes_one_print_event_and_one_view_event(
    login, counselor1, client_of_counselor1
):
    response = login(counselor1).get(_url("client-print", client_of_counselor1))

    assert response.status_code == 200
    events = AuditEvent.objects.filter(actor=counselor1, client=client_of_counselor1)
    assert events.filter(action=AuditEvent.Action.PRINT).count() == 1
    assert events.filter(action=AuditEvent.Action.VIEW).count() == 1
    assert events.get(action=AuditEvent.Action.PRINT).details == {"document": "chart"}


def test_printable_chart_offers_the_print_button(login, counselor1, client_of_counselor1):
    response = login(counselor1).get(_url("client-print", client_of_counselor1))

    assert response.context["printing"] is True
    assert 'data-action="print"' in response.content.decode()


def test_printing_is_open_to_intake_for_a_client_in_screening(login, intake, screening_client):
    response = login(intake).get(_url("client-print", screening_client))

    assert response.status_code == 200


def test_printing_refuses_post(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(_url("client-print", client_of_counselor1))

    assert response.status_code == 405
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PRINT).exists()


def test_printing_is_404_for_other_caseload(login, counselor2, client_of_counselor1):
    response = login(counselor2).get(_url("client-print", client_of_counselor1))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(client=client_of_counselor1).exists()


def test_session_page_is_404_for_other_caseload(
    login, counselor1, counselor2, client_of_counselor1
):
    appointment = appointment_schedule(
        actor=counselor1,
        episode=client_of_counselor1.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now(),
        counselor=counselor1,
    )

    response = login(counselor2).get(
        _url("session-document", client_of_counselor1, appointment_id=appointment.public_id)
    )

    assert response.status_code == 404


NEW_PAGES = [
    "appointment-new",
    "session-document",
    "plan-detail",
    "drug-test-new",
    "medication-new",
    "meeting-new",
    "client-print",
]


@pytest.mark.parametrize("name", NEW_PAGES)
def test_every_new_client_page_writes_a_view_event(login, counselor1, client_of_counselor1, name):
    kwargs = {}
    if name == "session-document":
        appointment = appointment_schedule(
            actor=counselor1,
            episode=client_of_counselor1.episodes.get(),
            kind=Appointment.Kind.INDIVIDUAL,
            starts_at=timezone.now() - datetime.timedelta(hours=1),
            counselor=counselor1,
        )
        kwargs["appointment_id"] = appointment.public_id
    url = _url(name, client_of_counselor1, **kwargs)

    response = login(counselor1).get(url)

    assert response.status_code == 200
    view = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, client=client_of_counselor1)
    assert (view.actor, view.path) == (counselor1, url)


def test_refused_form_writes_a_view_event(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("meeting-new", client_of_counselor1), {"attended_on": "", "kind": "aa"}
    )

    assert response.status_code == 400
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, client=client_of_counselor1
    ).exists()


# --- worklists --------------------------------------------------------------------------

WORKLISTS_URL = reverse("dashboard:worklists")


def _last_weekday():
    day = timezone.localdate()
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


@pytest.fixture
def weekday_clock(monkeypatch):
    """The clinical selectors' clock on the last weekday (today, unless this
    runs at a weekend), so that somebody can be due for a random test."""
    day = _last_weekday()
    clock = types.SimpleNamespace(localdate=lambda: day, now=timezone.now)
    monkeypatch.setattr(clinical, "timezone", clock)
    return day


def _client_due_on(day, counselor):
    monday = day - datetime.timedelta(days=day.weekday())
    while True:
        public_id = uuid.uuid4()
        probe = ClientFactory.build(public_id=public_id)
        if random_test_weekday(probe, monday) == day.weekday():
            client = ClientFactory(public_id=public_id, legal_last_name="Duetoday")
            return EpisodeFactory(client=client, primary_counselor=counselor).client


def _client_not_due_on(day, counselor):
    monday = day - datetime.timedelta(days=day.weekday())
    while True:
        public_id = uuid.uuid4()
        probe = ClientFactory.build(public_id=public_id)
        if random_test_weekday(probe, monday) != day.weekday():
            client = ClientFactory(public_id=public_id, legal_last_name="Notduetoday")
            return EpisodeFactory(client=client, primary_counselor=counselor).client


def test_worklists_show_the_counselors_unsigned_notes(login, counselor1, client_of_counselor1):
    appointment = appointment_schedule(
        actor=counselor1,
        episode=client_of_counselor1.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        counselor=counselor1,
    )
    note = session_document(
        actor=counselor1, appointment=appointment, status=Appointment.Status.NO_SHOW
    )

    response = login(counselor1).get(WORKLISTS_URL)

    assert response.status_code == 200
    assert response.context["unsigned_notes"] == [note]
    assert (
        _url("session-document", client_of_counselor1, appointment_id=appointment.public_id)
        in response.content.decode()
    )


def test_worklists_show_due_reviews_of_the_counselors_caseload(
    login, counselor1, client_of_counselor1, counselor2, client_of_counselor2
):
    def overdue_plan(counselor, client):
        return TreatmentPlan.objects.create(
            client=client,
            episode=client.episodes.get(),
            author=counselor,
            status=TreatmentPlan.Status.ACTIVE,
            signed_by=counselor,
            signed_at=timezone.now() - datetime.timedelta(days=40),
            next_review_due=timezone.localdate() - datetime.timedelta(days=10),
        )

    mine = overdue_plan(counselor1, client_of_counselor1)
    overdue_plan(counselor2, client_of_counselor2)

    response = login(counselor1).get(WORKLISTS_URL)

    assert response.context["reviews_due"] == [mine]
    assert _url("plan-detail", client_of_counselor1) in response.content.decode()


def test_worklists_show_random_drug_tests_due_today(login, counselor1, weekday_clock):
    due = _client_due_on(weekday_clock, counselor1)
    _client_not_due_on(weekday_clock, counselor1)

    response = login(counselor1).get(WORKLISTS_URL)

    assert response.context["tests_due"] == [due]
    content = response.content.decode()
    assert _url("drug-test-new", due) in content
    assert "Notduetoday" not in content


def test_worklists_drop_a_client_once_tested_this_week(login, counselor1, weekday_clock):
    due = _client_due_on(weekday_clock, counselor1)
    drug_test_record(
        actor=counselor1,
        client=due,
        collected_on=weekday_clock,
        specimen="urine",
        observed=True,
        results={"fentanyl": "negative"},
    )

    response = login(counselor1).get(WORKLISTS_URL)

    assert response.context["tests_due"] == []


def test_worklists_show_a_supervisor_the_cosignature_queue(
    login, supervisor, counselor1, client_of_counselor1
):
    trainee = UserFactory(username="trainee", roles=[roles.COUNSELOR], in_training=True)
    client = EpisodeFactory(primary_counselor=trainee).client
    appointment = appointment_schedule(
        actor=trainee,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        counselor=trainee,
    )
    note = session_document(
        actor=trainee,
        appointment=appointment,
        status=Appointment.Status.ATTENDED,
        minutes=45,
        data="d",
        assessment="a",
        plan="p",
    )
    session_note_sign(actor=trainee, note=note)

    response = login(supervisor).get(WORKLISTS_URL)

    assert response.status_code == 200
    assert response.context["cosign_notes"] == [note]
    assert "Awaiting my co-signature" in response.content.decode()


def test_worklists_show_no_cosignature_queue_to_a_counselor(login, counselor1):
    response = login(counselor1).get(WORKLISTS_URL)

    assert response.context["cosign_notes"] == []
    assert "Awaiting my co-signature" not in response.content.decode()


# The signed-in layout 7, then one query per list: unsigned session notes,
# unsigned group sessions, reviews due (two: their count, then the page),
# drug tests due (the weekday itself is computed in Python), the authorization
# alerts of one's own clients, the clients not on track (four: the active
# episodes, the rules, their administrations, their due measures), and one
# insert of the view events of the clients named. A counselor has no
# co-signature queue.
WORKLISTS_QUERIES = 14 + 4


def test_worklists_query_count_does_not_grow_with_the_caseload(
    login, counselor1, weekday_clock, django_assert_num_queries
):
    def add_clients(count):
        for _ in range(count):
            client = _client_due_on(weekday_clock, counselor1)
            appointment = appointment_schedule(
                actor=counselor1,
                episode=client.episodes.get(),
                kind=Appointment.Kind.INDIVIDUAL,
                starts_at=timezone.now() - datetime.timedelta(hours=2),
                counselor=counselor1,
            )
            session_document(
                actor=counselor1, appointment=appointment, status=Appointment.Status.NO_SHOW
            )
            TreatmentPlan.objects.create(
                client=client,
                episode=client.episodes.get(),
                author=counselor1,
                status=TreatmentPlan.Status.ACTIVE,
                signed_by=counselor1,
                signed_at=timezone.now() - datetime.timedelta(days=40),
                next_review_due=weekday_clock - datetime.timedelta(days=1),
            )

    browser = login(counselor1)
    add_clients(1)
    with django_assert_num_queries(WORKLISTS_QUERIES):
        response = browser.get(WORKLISTS_URL)
    assert len(response.context["tests_due"]) == 1
    add_clients(9)
    with django_assert_num_queries(WORKLISTS_QUERIES):
        response = browser.get(WORKLISTS_URL)
    assert len(response.context["unsigned_notes"]) == 10
    assert len(response.context["reviews_due"]) == 10
    assert len(response.context["tests_due"]) == 10


def test_worklists_are_403_for_intake(login, intake):
    assert login(intake).get(WORKLISTS_URL).status_code == 403


def test_worklists_are_403_for_administrator(login, administrator):
    assert login(administrator).get(WORKLISTS_URL).status_code == 403


def test_worklists_refuse_post(login, counselor1):
    assert login(counselor1).post(WORKLISTS_URL).status_code == 405
