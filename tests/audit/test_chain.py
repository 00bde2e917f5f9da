"""The tamper-evident audit trail (DOMAIN.md section 10): every event is sealed
into a hash chain when its transaction commits, and `verify_audit` recomputes
the chain and names the first broken link."""

import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.utils import Error as DatabaseError

from iop.audit.models import AuditEvent, ChainVerification
from iop.audit.services import audit_chain_verify, audit_record
from iop.celery import app as celery_app
from iop.reminders.models import StaffNotification


@pytest.fixture
def sealing(db):
    """Seal events as they are inserted: a test runs in one transaction that
    never commits, so the seal (deferred to commit) is made immediate."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _events(count, **fields):
    return [
        AuditEvent.objects.create(
            action=AuditEvent.Action.VIEW, actor_username=f"user{n}", path=f"/p/{n}/", **fields
        )
        for n in range(count)
    ]


def _privileged(sql, params=()):
    """What only the table's owner or a superuser can do: switch the
    triggers off, change the trail behind them, switch them back on."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def _fresh(event):
    return AuditEvent.objects.get(pk=event.pk)


# --- sealing ----------------------------------------------------------------------


def test_committed_events_get_consecutive_chain_positions(sealing):
    events = [_fresh(event) for event in _events(3)]

    seqs = [event.chain_seq for event in events]
    assert seqs == list(range(seqs[0], seqs[0] + 3))
    assert all(len(event.chain_hash) == 64 for event in events)
    assert len({event.chain_hash for event in events}) == 3


def test_event_is_not_sealed_before_its_transaction_commits(db):
    (event,) = _events(1)

    assert _fresh(event).chain_seq is None


def test_bulk_written_events_are_sealed(sealing, client_of_counselor1, counselor1):
    events = AuditEvent.objects.bulk_create(
        AuditEvent(action=AuditEvent.Action.VIEW, actor=counselor1, client=client_of_counselor1)
        for _ in range(5)
    )

    sealed = AuditEvent.objects.filter(pk__in=[e.pk for e in events], chain_seq__isnull=False)
    assert sealed.count() == 5


def test_sealed_event_cannot_be_resealed(sealing):
    (event,) = _events(1)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditevent SET chain_seq = chain_seq + 1000 WHERE id = %s", [event.pk]
        )


def test_sealing_cannot_change_the_event(db):
    (event,) = _events(1)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditevent SET chain_seq = 1, chain_hash = 'x', path = '/other/'"
            " WHERE id = %s",
            [event.pk],
        )


def test_event_cannot_be_inserted_with_its_own_chain_position(sealing):
    with pytest.raises(DatabaseError, match="set by the database"), transaction.atomic():
        AuditEvent.objects.create(action=AuditEvent.Action.VIEW, chain_seq=99)


# --- verification -------------------------------------------------------------------


def test_untouched_chain_verifies(sealing, client_of_counselor1):
    _events(4, client=client_of_counselor1, details={"fields": ["phase"], "n": 1.5})

    verification = audit_chain_verify()

    assert verification.ok
    assert verification.rows_checked >= 4
    assert verification.head_seq == AuditEvent.objects.order_by("-chain_seq")[0].chain_seq


def test_empty_trail_verifies(db):
    assert AuditEvent.objects.count() == 0

    assert audit_chain_verify().ok


def test_changed_row_breaks_the_chain_at_that_row(sealing):
    first, tampered, last = _events(3)
    tampered = _fresh(tampered)
    _privileged(
        'UPDATE audit_auditevent SET details = \'{"fields": ["nothing"]}\' WHERE id = %s',
        [tampered.pk],
    )

    verification = audit_chain_verify()

    assert not verification.ok
    assert verification.broken_seq == tampered.chain_seq
    assert verification.broken_event_id == tampered.pk
    assert verification.broken_event_at == tampered.created_at
    assert "does not match its hash" in verification.problem


def test_changed_hash_breaks_the_chain_at_that_row(sealing):
    _, tampered, _ = _events(3)
    _privileged(
        "UPDATE audit_auditevent SET chain_hash = repeat('a', 64) WHERE id = %s", [tampered.pk]
    )

    verification = audit_chain_verify()

    assert verification.broken_event_id == tampered.pk


def test_deleted_row_is_reported_as_a_gap(sealing):
    _, deleted, after = _events(3)
    deleted, after = _fresh(deleted), _fresh(after)
    _privileged("DELETE FROM audit_auditevent WHERE id = %s", [deleted.pk])

    verification = audit_chain_verify()

    assert not verification.ok
    assert verification.broken_seq == after.chain_seq
    assert verification.broken_event_id == after.pk
    assert f"event #{deleted.chain_seq} is missing" in verification.problem


def test_events_removed_at_the_end_are_caught_against_the_last_verification(sealing):
    events = _events(3)
    assert audit_chain_verify().ok
    _privileged("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])

    verification = audit_chain_verify()

    assert not verification.ok
    assert "no longer holds the head" in verification.problem


def test_event_stored_without_the_seal_is_reported(sealing):
    _events(2)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_seal")
        (unsealed,) = _events(1)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_seal")

    verification = audit_chain_verify()

    assert not verification.ok
    assert verification.broken_event_id == unsealed.pk
    assert "without being sealed" in verification.problem


def test_existing_events_are_sealed_in_id_order_by_the_migrations_function(db):
    events = _events(3)  # unsealed: this transaction has not committed

    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_chain_seal_unsealed()")
        (sealed,) = cursor.fetchone()

    assert sealed == 3
    seqs = [_fresh(event).chain_seq for event in events]
    assert seqs == sorted(seqs)
    assert audit_chain_verify().ok


def test_broken_chain_notifies_administrators(sealing, administrator, counselor1):
    (event,) = _events(1)
    _privileged("UPDATE audit_auditevent SET path = '/elsewhere/' WHERE id = %s", [event.pk])

    audit_chain_verify()

    notes = StaffNotification.objects.filter(kind="audit_chain")
    assert [note.recipient for note in notes] == [administrator]
    assert "/audit/" in notes[0].link


def test_intact_chain_notifies_nobody(sealing, administrator):
    _events(2)

    audit_chain_verify()

    assert not StaffNotification.objects.filter(kind="audit_chain").exists()


def test_verification_is_recorded(sealing):
    _events(2)

    audit_chain_verify()

    verification = ChainVerification.objects.get()
    assert verification.ok
    assert verification.rows_checked == 2
    assert len(verification.head_hash) == 64


# --- the audit page -------------------------------------------------------------------


def test_audit_page_warns_when_the_chain_was_never_verified(login, administrator):
    response = login(administrator).get("/audit/")

    assert "has never been verified" in response.content.decode()


def test_audit_page_shows_an_intact_chain(sealing, login, administrator):
    _events(2)
    audit_chain_verify()

    page = login(administrator).get("/audit/").content.decode()

    assert "Chain last verified" in page
    assert "intact (2 events)" in page
    assert 'data-testid="chain-stale"' not in page


def test_audit_page_shows_where_the_chain_broke(sealing, login, administrator):
    _, tampered = _events(2)
    tampered = _fresh(tampered)
    _privileged("UPDATE audit_auditevent SET path = '/x/' WHERE id = %s", [tampered.pk])
    audit_chain_verify()

    page = login(administrator).get("/audit/").content.decode()

    assert f"broken at #{tampered.chain_seq} (event id {tampered.pk}," in page


def test_audit_page_warns_when_the_last_verification_is_old(sealing, login, administrator):
    verification = audit_chain_verify()
    ChainVerification.objects.filter(pk=verification.pk).update(
        checked_at=verification.checked_at - timedelta(days=3)
    )

    page = login(administrator).get("/audit/").content.decode()

    assert "not been verified for more than two days" in page


# --- the command and the nightly task -----------------------------------------------


def test_verify_audit_command_reports_an_intact_chain(sealing, capsys):
    _events(2)

    call_command("verify_audit")

    assert "Audit chain intact: 2 events checked" in capsys.readouterr().out


def test_verify_audit_command_fails_naming_the_corrupted_row(sealing):
    _, tampered = _events(2)
    tampered = _fresh(tampered)
    _privileged("UPDATE audit_auditevent SET actor_username = 'x' WHERE id = %s", [tampered.pk])

    with pytest.raises(CommandError, match=rf"broken at #{tampered.chain_seq} \(event id"):
        call_command("verify_audit", "--no-notify")

    assert not StaffNotification.objects.exists()


def test_nightly_task_verifies_the_chain(sealing):
    from iop.audit.tasks import verify_audit_chain

    _events(1)

    verification_id = verify_audit_chain()

    assert ChainVerification.objects.get(pk=verification_id).ok


def test_chain_verification_is_scheduled_nightly():
    tasks = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}

    assert "iop.audit.tasks.verify_audit_chain" in tasks


# --- concurrency ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_produce_a_gap_free_valid_chain():
    writers, per_writer = 4, 15
    errors = []
    start = threading.Barrier(writers)

    def write(n):
        try:
            start.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    audit_record(actor=None, action=AuditEvent.Action.VIEW, details={"w": n})
                    if i % 3 == 0:  # some transactions write several events
                        audit_record(actor=None, action=AuditEvent.Action.UPDATE)
        except Exception as exc:  # noqa: BLE001 -- reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    expected = writers * (per_writer + 5)
    seqs = sorted(AuditEvent.objects.values_list("chain_seq", flat=True))
    assert seqs == list(range(1, expected + 1))
    assert audit_chain_verify().ok


def test_stale_verification_is_detected(sealing):
    from django.utils import timezone

    from iop.audit.chain import chain_verification_is_stale

    verification = audit_chain_verify()
    assert not chain_verification_is_stale(verification)
    verification.checked_at = timezone.now() - timedelta(days=3)

    assert chain_verification_is_stale(verification)
    assert chain_verification_is_stale(None)


_RAW_INSERT = (
    "INSERT INTO audit_auditevent (created_at, actor_username, action, client_id, object_type,"
    " object_id, path, user_agent, details) VALUES (now(), '', 'view', %s, '', '', '', '', '{}')"
)


@pytest.mark.django_db(transaction=True)
def test_commit_waiting_for_a_locked_client_does_not_deadlock_on_the_chain(
    client_of_counselor1, client_of_counselor2
):
    """One transaction edits a client (FOR UPDATE) and commits an event; the
    other wrote events for two clients, one of them that one, and commits
    first: its commit waits for the client's row lock, and must not be
    holding the chain lock the first one needs to commit."""
    locked, other = client_of_counselor1, client_of_counselor2
    params = connection.get_connection_params()
    editor = connection.get_new_connection(params)
    roster = connection.get_new_connection(params)
    errors = []
    try:
        with editor.cursor() as cursor:
            cursor.execute("SELECT id FROM clients_client WHERE id = %s FOR UPDATE", [locked.pk])
            cursor.execute(_RAW_INSERT, [None])
        with roster.cursor() as cursor:
            cursor.execute(_RAW_INSERT, [other.pk])
            cursor.execute(_RAW_INSERT, [locked.pk])

        def commit_roster():
            try:
                roster.commit()
            except Exception as exc:  # noqa: BLE001 -- reported by the assertion below
                errors.append(exc)

        waiting = threading.Thread(target=commit_roster)
        waiting.start()
        waiting.join(timeout=0.5)  # the roster's commit now waits for the client's lock
        editor.commit()
        waiting.join(timeout=30)
    finally:
        editor.close()
        roster.close()

    assert errors == []
    assert sorted(AuditEvent.objects.values_list("chain_seq", flat=True)) == [1, 2, 3]
    assert audit_chain_verify().ok


def test_the_audit_table_is_vacuumed_sooner_than_the_default(db):
    # Each event is inserted then sealed: dead versions pile up twice as fast.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'audit_auditevent'")
        (options,) = cursor.fetchone()

    assert "autovacuum_vacuum_scale_factor=0.02" in options
