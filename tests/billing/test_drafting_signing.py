"""Charges drafted in the transaction that signs: a group session (all its
clients at once, in a constant number of queries), a session note and its
co-signature; idempotence (signing again, a task run twice); a correction
for a charge already sent and a void when its day has nothing left; one
audit event per client per re-evaluation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.drafting.service import charges_redraft
from billing.models import Charge
from billing.selectors.authorizations import live_charges
from billing.tasks import redraft_charges
from iop.accounts import roles
from iop.audit.models import AuditEvent
from iop.clients.models import Appointment
from iop.clients.services.sessions import session_note_cosign, session_note_sign
from iop.clients.services.treatment import drug_test_record
from iop.extensions import services_changed
from tests.billing.drafting_helpers import (
    a_monday,
    billable_episode,
    covered,
    diagnosed,
    group_service,
    individual_service,
    payer,
    staff,
)
from tests.factories import UserFactory
from tests.groups.session_helpers import document_all, sign_session, started_session

pytestmark = pytest.mark.django_db

MONDAY = a_monday()
DAYS = [MONDAY + datetime.timedelta(days=i) for i in range(7)]


def _billable(clients, the_payer):
    for client in clients:
        episode = client.episodes.get()
        covered(episode, the_payer)
        diagnosed(episode)


def test_signing_a_group_session_drafts_each_client_s_charge_in_its_transaction():
    session, clients = started_session(3)
    _billable(clients, payer())
    document_all(session, clients, **{str(clients[2].pk): "excused"})

    sign_session(session)

    charges = list(live_charges().filter(client__in=clients))
    assert sorted(c.client_id for c in charges) == sorted(c.pk for c in clients[:2])
    assert {c.code for c in charges} == {"H0005"}
    assert {c.rendering_clinician_id for c in charges} == {session.group.facilitator_id}
    day = timezone.localtime(session.starts_at).date()
    assert {c.service_date for c in charges} == {day}


def _signing_queries(count):
    session, clients = started_session(count)
    _billable(clients, payer(name=f"Payer of {count}"))
    document_all(session, clients)
    with CaptureQueriesContext(connection) as queries:
        sign_session(session)
    assert live_charges().filter(client__in=clients).count() == count
    return len(queries)


def test_signing_a_12_client_group_costs_the_queries_of_a_3_client_one():
    assert _signing_queries(12) == _signing_queries(3)


def test_signing_and_co_signing_a_session_note():
    episode = billable_episode(payer())
    trainee = staff()
    trainee.in_training = True
    trainee.save()
    note = individual_service(
        episode, timezone.localdate(), 50, hour=0, counselor=trainee, signed=False
    )
    Appointment.objects.filter(pk=note.appointment_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    note.refresh_from_db()

    session_note_sign(actor=trainee, note=note)
    (held,) = live_charges().filter(client=episode.client)
    assert (held.code, held.units, held.hold_reason) == ("H0004", 3, Charge.HoldReason.COSIGN)

    supervisor = UserFactory(roles=[roles.SUPERVISOR])
    session_note_cosign(actor=supervisor, note=note)

    (drafted,) = live_charges().filter(client=episode.client)
    assert drafted.status == Charge.Status.DRAFTED
    assert drafted.supervising_clinician == supervisor
    assert drafted.rendering_clinician == trainee
    assert drafted.replaces == held


def test_re_evaluating_an_unchanged_week_writes_nothing():
    episode = billable_episode(payer())
    for day in DAYS[:3]:
        group_service(episode, day, 180)
    charges_redraft(client_ids=[episode.client_id], dates=[DAYS[0]])
    rows = list(Charge.objects.values_list("pk", flat=True))
    events = AuditEvent.objects.count()

    services_changed(client_ids=[episode.client_id], dates=[DAYS[2]])
    assert redraft_charges(client_ids=[episode.client_id], dates=[DAYS[1].isoformat()]) == {
        "written": 0,
        "superseded": 0,
    }
    redraft_charges.apply(args=([episode.client_id], [DAYS[1].isoformat()]))

    assert list(Charge.objects.values_list("pk", flat=True)) == rows
    assert AuditEvent.objects.count() == events


def test_a_ready_charge_or_one_held_by_billing_staff_is_left_alone():
    episode = billable_episode(payer())
    group_service(episode, DAYS[0], 60)
    group_service(episode, DAYS[1], 60)
    charges_redraft(client_ids=[episode.client_id], dates=[DAYS[0]])
    first, second = live_charges().filter(client=episode.client).order_by("service_date")
    Charge.objects.filter(pk=first.pk).update(status=Charge.Status.READY)
    Charge.objects.filter(pk=second.pk).update(
        status=Charge.Status.HELD, hold_reason=Charge.HoldReason.MANUAL, hold_detail="Check"
    )

    charges_redraft(client_ids=[episode.client_id], dates=[DAYS[0]])

    assert Charge.objects.count() == 2
    assert not Charge.objects.filter(superseded=True).exists()


@pytest.mark.parametrize(
    ("status", "hold_reason"),
    [
        (Charge.Status.HELD, Charge.HoldReason.REJECTED),
        (Charge.Status.HELD, Charge.HoldReason.NO_NPI),
        (Charge.Status.BATCHED, ""),
    ],
)
def test_a_charge_held_at_claiming_or_in_a_batch_is_left_alone(status, hold_reason):
    episode = billable_episode(payer())
    group_service(episode, DAYS[0], 60)
    charges_redraft(client_ids=[episode.client_id], dates=[DAYS[0]])
    (charge,) = live_charges().filter(client=episode.client)
    Charge.objects.filter(pk=charge.pk).update(
        status=status, hold_reason=hold_reason, hold_detail="From the claim" if hold_reason else ""
    )
    events = AuditEvent.objects.count()

    charges_redraft(client_ids=[episode.client_id], dates=[DAYS[0]])

    assert Charge.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_batched_charge_gets_a_correction_when_its_day_changes():
    episode = billable_episode(payer())
    group_service(episode, DAYS[0], 60)
    charges_redraft(client_ids=[episode.client_id], dates=[DAYS[0]])
    (batched,) = live_charges().filter(client=episode.client)
    Charge.objects.filter(pk=batched.pk).update(status=Charge.Status.BATCHED)

    individual_service(episode, DAYS[0], 30)
    charges_redraft(client_ids=[episode.client_id], dates=[DAYS[0]])

    batched.refresh_from_db()
    assert batched.superseded and batched.status == Charge.Status.BATCHED
    assert Charge.objects.filter(kind=Charge.Kind.CORRECTION, replaces=batched).exists()


def test_a_sent_charge_gets_a_correction_with_the_reason():
    episode = billable_episode(payer())
    group_service(episode, DAYS[0], 60)
    charges_redraft(client_ids=[episode.client_id], dates=[DAYS[0]])
    (sent,) = live_charges().filter(client=episode.client)
    Charge.objects.filter(pk=sent.pk).update(status=Charge.Status.EXPORTED)

    individual_service(episode, DAYS[0], 30)
    charges_redraft(client_ids=[episode.client_id], dates=[DAYS[0]])

    sent.refresh_from_db()
    assert sent.superseded and sent.status == Charge.Status.EXPORTED
    assert sent.amount is not None  # the money of the sent row is untouched
    correction = Charge.objects.get(kind=Charge.Kind.CORRECTION)
    assert correction.replaces == sent
    assert correction.code == "H0005"
    assert correction.reason == "day re-evaluated: H0005x1 became H0004x2, H0005x1"
    assert sorted(c.code for c in live_charges().filter(client=episode.client)) == [
        "H0004",
        "H0005",
    ]


def test_a_sent_charge_whose_day_has_nothing_left_is_voided():
    episode = billable_episode(payer())
    note = individual_service(episode, DAYS[0], 30)
    charges_redraft(client_ids=[episode.client_id], dates=[DAYS[0]])
    (sent,) = live_charges().filter(client=episode.client)
    Charge.objects.filter(pk=sent.pk).update(status=Charge.Status.PAID)

    Appointment.objects.filter(pk=note.appointment_id).update(
        status=Appointment.Status.CANCELLED_PROGRAM
    )
    charges_redraft(client_ids=[episode.client_id], dates=[DAYS[0]])

    void = Charge.objects.get(kind=Charge.Kind.VOID)
    assert void.replaces_id == sent.pk
    assert (void.code, void.units, void.amount) == (sent.code, sent.units, sent.amount)
    assert void.reason == "day re-evaluated: H0004x2 became nothing"
    assert not live_charges().filter(client=episode.client).exists()


def test_one_audit_event_per_client_per_re_evaluation():
    the_payer = payer()
    first, second = billable_episode(the_payer), billable_episode(the_payer)
    for episode in (first, second):
        for day in DAYS[:4]:
            group_service(episode, day, 60)
    events = AuditEvent.objects.count()

    charges_redraft(client_ids=[first.client_id, second.client_id], dates=[DAYS[0]])

    new = AuditEvent.objects.order_by("pk")[events:]
    assert sorted(event.client_id for event in new) == sorted([first.client_id, second.client_id])
    assert all(event.details["charges_redrafted"] for event in new)


def test_unsigned_attendance_holds_the_client_s_day_until_the_session_is_signed():
    session, clients = started_session(1)
    _billable(clients, payer())
    episode = clients[0].episodes.get()
    individual_service(episode, timezone.localtime(session.starts_at).date(), 30, hour=0)
    charges_redraft(client_ids=[clients[0].pk], dates=[timezone.localdate(session.starts_at)])
    (drafted,) = live_charges().filter(client=clients[0])
    assert drafted.status == Charge.Status.DRAFTED

    document_all(session, clients)
    # Any re-evaluation of the day (here by hand) finds the unsigned line.
    charges_redraft(client_ids=[clients[0].pk], dates=[timezone.localdate(session.starts_at)])

    held = list(live_charges().filter(client=clients[0]))
    assert {c.hold_reason for c in held} == {Charge.HoldReason.UNSIGNED}
    assert sorted(c.code for c in held) == ["H0004", "H0005"]

    sign_session(session)

    assert {c.status for c in live_charges().filter(client=clients[0])} == {Charge.Status.DRAFTED}


def test_recording_a_drug_test_drafts_its_specimen_collection():
    episode = billable_episode(payer())
    recorder = staff()

    drug_test_record(
        actor=recorder,
        client=episode.client,
        collected_on=DAYS[1],
        specimen="urine",
        observed=True,
        results={"cocaine": "negative"},
    )

    (charge,) = live_charges().filter(client=episode.client)
    assert (charge.code, charge.units, charge.service_date) == ("H0048", 1, DAYS[1])
    assert charge.rendering_clinician == recorder
    evidence = charge.evidence.get()
    assert (evidence.code, evidence.minutes, evidence.signed) == ("H0048", 0, True)
