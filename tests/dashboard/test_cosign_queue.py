"""The supervisor's co-signature queue: every kind of note a counselor in
training signed, a count, filters by counselor and date, reading each note
in the queue (audited), and co-signing several read notes at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftercare.services import episode_discharge_with_summary
from groups.models import GroupSession
from groups.services.sessions import session_sign
from iop.accounts import roles
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from iop.clients.models import Appointment, SessionNote, TreatmentPlan
from iop.clients.services import appointment_schedule
from iop.clients.services.plans import (
    plan_add_goal,
    plan_add_objective,
    plan_add_problem,
    plan_sign,
    plan_start_draft,
)
from iop.clients.services.sessions import (
    session_document,
    session_note_cosign,
    session_note_sign,
)
from iop.dashboard import cosign
from screening import services as screening_services
from tests.aftercare.factories import completed, intensive_episode, numbered, record, stepped_down
from tests.factories import UserFactory
from tests.groups.factories import group_meeting_now
from tests.groups.session_helpers import document_all
from tests.screening.helpers import admit, ready_to_complete

pytestmark = pytest.mark.django_db

QUEUE = reverse("dashboard:cosign-queue")
BULK = reverse("dashboard:cosign-bulk")
# Layout (tests/dashboard/test_views.py) + the filter's counselors + one
# query per kind of note + the readings + the list's view events.
LAYOUT_QUERIES = 7
QUEUE_QUERIES = LAYOUT_QUERIES + 1 + len(cosign.KINDS) + 1 + 1


@pytest.fixture
def trainee(db):
    return UserFactory(
        username="trainee",
        first_name="Terry",
        last_name="Trainee",
        roles=[roles.COUNSELOR],
        in_training=True,
    )


@pytest.fixture
def trainee2(db):
    return UserFactory(
        username="trainee2",
        first_name="Una",
        last_name="Learner",
        roles=[roles.COUNSELOR],
        in_training=True,
    )


def session_note(counselor, episode=None, *, days_ago=0):
    episode = episode or intensive_episode(counselor)
    appointment = appointment_schedule(
        actor=counselor,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(days=days_ago, hours=1),
        counselor=counselor,
    )
    note = session_document(
        actor=counselor,
        appointment=appointment,
        status=Appointment.Status.ATTENDED,
        data="Reports a calm week.",
        assessment="Stable.",
        plan="Next week.",
        service_code="H0004",
        minutes=50,
    )
    return session_note_sign(actor=counselor, note=note)


def treatment_plan(counselor):
    episode = intensive_episode(counselor)
    draft = plan_start_draft(actor=counselor, episode=episode)
    problem = plan_add_problem(actor=counselor, plan=draft, statement="Drinks daily")
    goal = plan_add_goal(actor=counselor, problem=problem, statement="Abstinence")
    plan_add_objective(
        actor=counselor,
        goal=goal,
        statement="Two meetings a week",
        target_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    return plan_sign(actor=counselor, plan=draft, client_agreed_on=timezone.localdate())


def group_note(counselor):
    _group, session, clients = group_meeting_now(counselor, [("Avery", "Abbott")])
    document_all(session, clients)
    return session_sign(actor=counselor, session=session)


def discharge_summary(counselor):
    episode = intensive_episode(counselor)
    episode_discharge_with_summary(
        actor=counselor,
        episode=episode,
        discharge_date=timezone.localdate(),
        reason=1,
        summary={
            "substances_at_discharge": "",
            "employment": "full_time",
            "living_arrangement": "independent",
            "mutual_help": "4_7",
            "summary": "Completed the program.",
        },
    )
    return episode.discharge_summary


def check_in(counselor):
    plan = stepped_down(counselor)
    return record(counselor, numbered(plan, 1), completed())


def screening(counselor, screening_client):
    draft = screening_services.screening_start(
        actor=counselor, episode=screening_client.episodes.get()
    )
    ready_to_complete(draft, counselor)
    return admit(draft, counselor, counselor)


def _read(browser, item_key):
    kind, ident = item_key.split(":")
    return browser.get(reverse("dashboard:cosign-read", args=[kind, ident]) + "?slot=1")


def _keys(items):
    return [item.key for item in items]


# --- the queue --------------------------------------------------------------------------


def test_every_kind_of_note_awaiting_a_co_signature_is_in_the_queue(
    trainee, supervisor, screening_client
):
    note = session_note(trainee)
    plan = treatment_plan(trainee)
    group = group_note(trainee)
    summary = discharge_summary(trainee)
    visit = check_in(trainee)
    screened = screening(trainee, screening_client)

    items = cosign.cosign_queue(supervisor, _visible(supervisor))

    assert {item.kind.key for item in items} == set(cosign.KINDS)
    assert set(_keys(items)) == {
        f"session:{note.pk}",
        f"plan:{plan.public_id}",
        f"group:{group.public_id}",
        f"discharge:{summary.public_id}",
        f"check-in:{visit.public_id}",
        f"screening:{screened.public_id}",
    }


def _visible(user):
    return clients_visible_to(user)


def test_the_queue_leaves_out_co_signed_notes_and_notes_of_staff_not_in_training(
    trainee, counselor1, supervisor
):
    session_note(counselor1)
    done = session_note(trainee)
    session_note_cosign(actor=supervisor, note=done)

    assert cosign.cosign_queue(supervisor, _visible(supervisor)) == []


def test_the_queue_filters_by_counselor_and_signing_date(trainee, trainee2, supervisor):
    mine = session_note(trainee)
    session_note(trainee2)
    old = SessionNote.objects.filter(pk=session_note(trainee).pk)
    old.update(signed_at=timezone.now() - datetime.timedelta(days=10))
    visible = _visible(supervisor)

    by_trainee = cosign.cosign_queue(supervisor, visible, counselor=trainee)
    recent = cosign.cosign_queue(
        supervisor, visible, signed_from=timezone.localdate() - datetime.timedelta(days=2)
    )
    both = cosign.cosign_queue(
        supervisor,
        visible,
        counselor=trainee,
        signed_to=timezone.localdate() - datetime.timedelta(days=5),
    )

    assert len(by_trainee) == 2
    assert {item.note.signed_by for item in recent} == {trainee, trainee2}
    assert len(recent) == 2
    assert _keys(both) == [f"session:{old.get().pk}"]
    assert mine.pk not in [item.note.pk for item in both]


def test_queue_page_shows_the_count_and_filters(login, trainee, trainee2, supervisor):
    session_note(trainee)
    session_note(trainee2)
    browser = login(supervisor)

    everything = browser.get(QUEUE)
    filtered = browser.get(QUEUE, {"counselor": trainee.pk})

    assert 'data-testid="cosign-count">2<' in everything.content.decode()
    assert 'data-testid="cosign-count">1<' in filtered.content.decode()


def test_queue_page_with_a_bad_filter_shows_the_error_and_the_whole_queue(
    login, trainee, supervisor
):
    session_note(trainee)

    response = login(supervisor).get(QUEUE, {"signed_from": "not-a-date"})

    assert response.status_code == 200
    assert 'data-testid="cosign-count">1<' in response.content.decode()
    assert "Enter a valid date." in response.content.decode()


def test_queue_page_query_count_does_not_grow_with_the_notes(
    login, trainee, supervisor, django_assert_num_queries
):
    session_note(trainee)
    treatment_plan(trainee)
    browser = login(supervisor)
    with django_assert_num_queries(QUEUE_QUERIES):
        browser.get(QUEUE)

    for _ in range(10):
        session_note(trainee)
        treatment_plan(trainee)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = browser.get(QUEUE)
    assert 'data-testid="cosign-count">22<' in response.content.decode()


def test_queue_page_audits_a_view_of_each_client_it_names(login, trainee, supervisor):
    note = session_note(trainee)

    login(supervisor).get(QUEUE)

    event = AuditEvent.objects.get(actor=supervisor, details={"list": "cosign_queue"})
    assert event.client == note.appointment.client


@pytest.mark.parametrize("role", ["counselor1", "intake", "administrator"])
def test_queue_is_forbidden_to_other_roles(request, login, role):
    browser = login(request.getfixturevalue(role))

    assert browser.get(QUEUE).status_code == 403
    assert browser.post(BULK, {"note": "session:1"}).status_code == 403


def test_queue_refuses_post_and_bulk_refuses_get(login, supervisor):
    browser = login(supervisor)

    assert browser.post(QUEUE).status_code == 405
    assert browser.get(BULK).status_code == 405


def test_to_do_links_supervisors_to_the_queue(login, supervisor):
    content = login(supervisor).get(reverse("dashboard:worklists")).content.decode()

    assert f'href="{QUEUE}"' in content


# --- reading ----------------------------------------------------------------------------


def test_reading_a_note_in_the_queue_shows_it_and_records_the_reading(login, trainee, supervisor):
    note = session_note(trainee)
    browser = login(supervisor)

    response = _read(browser, f"session:{note.pk}")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Reports a calm week." in content
    assert 'id="read-1"' in content
    event = AuditEvent.objects.get(details={cosign.READ_MARK: True})
    assert (event.actor, event.action, event.client) == (
        supervisor,
        AuditEvent.Action.VIEW,
        note.appointment.client,
    )
    assert (event.object_type, event.object_id) == ("clients.sessionnote", str(note.pk))
    assert cosign.cosign_queue(supervisor, _visible(supervisor))[0].read


def test_reading_a_group_note_records_a_reading_for_each_client_on_it(login, trainee, supervisor):
    session = group_note(trainee)

    response = _read(login(supervisor), f"group:{session.public_id}")

    assert response.status_code == 200
    assert AuditEvent.objects.filter(details={cosign.READ_MARK: True}).count() == 1
    assert cosign.cosign_queue(supervisor, _visible(supervisor))[0].read


def test_reading_a_plan_shows_its_objectives(login, trainee, supervisor):
    plan = treatment_plan(trainee)

    content = _read(login(supervisor), f"plan:{plan.public_id}").content.decode()

    assert "Two meetings a week" in content


@pytest.mark.parametrize("key", ["session:999999", "session:abc", "plan:not-a-uuid", "nope:1"])
def test_reading_something_not_in_the_queue_is_404(login, supervisor, key):
    assert _read(login(supervisor), key).status_code == 404
    assert not AuditEvent.objects.filter(details={cosign.READ_MARK: True}).exists()


def test_a_supervisor_cannot_read_their_own_note_for_co_signing(login, db):
    supervising_trainee = UserFactory(roles=[roles.SUPERVISOR], in_training=True)
    note = session_note(supervising_trainee)

    response = _read(login(supervising_trainee), f"session:{note.pk}")

    assert response.status_code == 404


# --- co-signing several at once ---------------------------------------------------------


def test_bulk_co_signs_the_notes_read_in_the_queue(login, trainee, supervisor):
    note = session_note(trainee)
    plan = treatment_plan(trainee)
    browser = login(supervisor)
    keys = [f"session:{note.pk}", f"plan:{plan.public_id}"]
    for key in keys:
        _read(browser, key)

    response = browser.post(BULK, {"note": keys, "query": f"counselor={trainee.pk}"})

    assert response.status_code == 302
    assert response.url == f"{QUEUE}?counselor={trainee.pk}"
    note.refresh_from_db()
    assert note.cosigned_by == supervisor
    assert TreatmentPlan.objects.get(pk=plan.pk).cosigned_by == supervisor
    assert AuditEvent.objects.filter(actor=supervisor, details={"cosigned": True}).count() == 2
    assert cosign.cosign_queue(supervisor, _visible(supervisor)) == []


def test_bulk_refuses_all_when_a_note_was_not_read(login, trainee, supervisor):
    read = session_note(trainee)
    unread = session_note(trainee)
    browser = login(supervisor)
    _read(browser, f"session:{read.pk}")

    response = browser.post(
        BULK, {"note": [f"session:{read.pk}", f"session:{unread.pk}"]}, follow=True
    )

    content = response.content.decode()
    assert "Read each note before co-signing it; nothing was co-signed." in content
    assert not SessionNote.objects.filter(cosigned_at__isnull=False).exists()


def test_a_reading_by_another_supervisor_does_not_count(login, trainee, supervisor):
    other = UserFactory(roles=[roles.SUPERVISOR])
    note = session_note(trainee)
    _read(login(other), f"session:{note.pk}")

    login(supervisor).post(BULK, {"note": [f"session:{note.pk}"]})

    note.refresh_from_db()
    assert note.cosigned_at is None


def test_bulk_without_a_choice_or_with_a_stale_note_changes_nothing(login, trainee, supervisor):
    note = session_note(trainee)
    browser = login(supervisor)
    _read(browser, f"session:{note.pk}")

    empty = browser.post(BULK, {}, follow=True).content.decode()
    stale = browser.post(BULK, {"note": ["session:0", f"session:{note.pk}"]}, follow=True)

    assert "Choose the notes to co-sign." in empty
    assert "no longer await your co-signature" in stale.content.decode()
    note.refresh_from_db()
    assert note.cosigned_at is None


def test_bulk_co_signs_a_group_note_and_its_lines(login, trainee, supervisor):
    session = group_note(trainee)
    browser = login(supervisor)
    _read(browser, f"group:{session.public_id}")

    browser.post(BULK, {"note": [f"group:{session.public_id}"]})

    session = GroupSession.objects.get(pk=session.pk)
    assert session.cosigned_by == supervisor
    assert not session.attendance.filter(cosigned_at__isnull=True).exists()
