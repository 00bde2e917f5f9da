"""A screening signs through the one signing mechanism of every note
(iop.clients.signing): completing it fills the shared signature fields, a
screening completed more than 72 hours after its visit began is marked late,
a screener in training's screening awaits a supervisor's co-signature, and
once signed it is locked as every signed note is."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.clients.signing import note_ensure_unsigned
from screening import services
from screening.models import Screening
from tests.screening.helpers import admit, ready_to_complete, refer

pytestmark = pytest.mark.django_db


def _reloaded(screening):
    return Screening.objects.select_related("signed_by", "cosigned_by").get(pk=screening.pk)


def test_completing_fills_the_shared_signature_fields(intake, counselor1, draft):
    ready_to_complete(draft, intake)
    before = timezone.now()

    admit(draft, intake, counselor1)

    screening = _reloaded(draft)
    assert screening.is_signed and screening.signed_by == intake
    assert before <= screening.signed_at <= timezone.now()
    assert (screening.signed_late, screening.cosign_required) == (False, False)
    assert not screening.awaits_cosignature


def test_a_screening_completed_over_72_hours_after_its_visit_began_is_signed_late(intake, draft):
    Screening.objects.filter(pk=draft.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=73)
    )
    ready_to_complete(draft, intake)

    refer(draft, intake)

    assert _reloaded(draft).signed_late


def test_a_screening_completed_within_72_hours_of_its_visit_is_not_late(intake, draft):
    Screening.objects.filter(pk=draft.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=71)
    )
    ready_to_complete(draft, intake)

    refer(draft, intake)

    assert not _reloaded(draft).signed_late


def test_a_completed_screening_is_locked_as_every_signed_note_is(intake, counselor1, draft):
    ready_to_complete(draft, intake)
    completed = admit(draft, intake, counselor1)

    with pytest.raises(ValidationError):
        note_ensure_unsigned(completed)


def test_a_screener_in_training_leaves_the_screening_awaiting_a_cosignature(
    trainee, trainee_screening
):
    screening = _reloaded(trainee_screening)

    assert (screening.signed_by, screening.cosign_required) == (trainee, True)
    assert screening.awaits_cosignature


def test_a_supervisor_cosigns_a_trainee_s_screening_and_it_is_audited(
    supervisor, trainee_screening
):
    services.screening_cosign(actor=supervisor, screening=trainee_screening)

    screening = _reloaded(trainee_screening)
    assert screening.cosigned_by == supervisor and screening.cosigned_at is not None
    assert not screening.awaits_cosignature
    event = AuditEvent.objects.get(object_type="screening.screening", details={"cosigned": True})
    assert (event.action, event.actor, event.client) == (
        AuditEvent.Action.UPDATE,
        supervisor,
        screening.client,
    )


def test_cosigning_is_refused_where_none_is_due(supervisor, intake, counselor1, draft):
    ready_to_complete(draft, intake)
    completed = admit(draft, intake, counselor1)
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError):
        services.screening_cosign(actor=supervisor, screening=completed)

    assert _reloaded(completed).cosigned_at is None
    assert AuditEvent.objects.count() == before


def test_cosigning_is_refused_to_anyone_but_a_supervisor(intake, trainee_screening):
    with pytest.raises(ValidationError):
        services.screening_cosign(actor=intake, screening=trainee_screening)

    assert _reloaded(trainee_screening).awaits_cosignature


def test_cosigning_is_refused_a_second_time(supervisor, trainee_screening):
    services.screening_cosign(actor=supervisor, screening=trainee_screening)
    first = _reloaded(trainee_screening).cosigned_at

    with pytest.raises(ValidationError):
        services.screening_cosign(actor=supervisor, screening=trainee_screening)

    assert _reloaded(trainee_screening).cosigned_at == first


def test_the_database_holds_a_completed_screening_to_the_shared_signature(draft):
    completed = {"status": Screening.Status.COMPLETED, "decision": Screening.Decision.REFER}

    with pytest.raises(IntegrityError), transaction.atomic():
        Screening.objects.filter(pk=draft.pk).update(**completed)
    Screening.objects.filter(pk=draft.pk).update(**completed, signed_at=timezone.now())

    assert _reloaded(draft).is_completed
