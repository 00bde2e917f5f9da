"""Writes to clients and episodes, called directly against PostgreSQL: each
validates, changes and audits in one transaction (STYLE.md)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.clients import services
from iop.clients.models import CaseloadAssignment, Client, Episode
from iop.clients.services import records
from tests.factories import EpisodeFactory

TODAY = timezone.localdate


def _data(**changes):
    data = {
        "legal_first_name": "Ada",
        "legal_last_name": "Quill",
        "date_of_birth": datetime.date(1980, 5, 1),
        "sex": Client.Sex.FEMALE,
    }
    data.update(changes)
    return data


def _luhn_valid(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _admit(episode, actor, counselor, **overrides):
    arguments = {
        "actor": actor,
        "episode": episode,
        "admission_date": TODAY(),
        "level_of_care": "2.1",
        "counselor": counselor,
    }
    arguments.update(overrides)
    return services.episode_admit(**arguments)


# --- client_create and record numbers ------------------------------------------------


def test_client_create_numbers_record_numbers_uniquely(intake):
    mrns = [services.client_create(actor=intake, data=_data()).mrn for _ in range(12)]

    assert len(set(mrns)) == 12


def test_client_create_record_numbers_have_valid_check_digits(intake):
    mrns = [services.client_create(actor=intake, data=_data()).mrn for _ in range(12)]

    assert all(len(mrn) == 7 and mrn.isdigit() for mrn in mrns)
    assert all(_luhn_valid(mrn) for mrn in mrns)


# 7992739871 -> 3 is the worked example of ISO/IEC 7812-1 (Luhn) in common references.
@pytest.mark.parametrize(("number", "check"), [(7992739871, 3), (12345, 5), (100001, 7)])
def test_luhn_check_digit_matches_reference_values(number, check):
    assert records._luhn_check_digit(number) == check


def test_mrn_next_counts_up_from_the_sequence(db):
    first, second = services.mrn_next(), services.mrn_next()

    assert int(second[:-1]) == int(first[:-1]) + 1


def test_client_create_opens_a_screening_episode(intake):
    client = services.client_create(
        actor=intake, data=_data(), referral_date=TODAY() - datetime.timedelta(days=2)
    )

    episode = client.episodes.get()
    assert episode.phase == Episode.Phase.SCREENING
    assert episode.referral_date == TODAY() - datetime.timedelta(days=2)
    assert episode.admission_date is None


def test_client_create_with_invalid_data_saves_nothing(intake):
    with pytest.raises(ValidationError):
        services.client_create(actor=intake, data=_data(sex="robot"))

    assert not Client.objects.exists()
    assert not Episode.objects.exists()
    assert not AuditEvent.objects.exists()


def test_client_create_records_sms_consent_with_wording(intake):
    client = services.client_create(
        actor=intake, data=_data(phone="+15555550123", sms_consent=True)
    )

    assert client.sms_consent_at is not None
    assert client.sms_consent_wording == services.SMS_CONSENT_WORDING
    assert client.email_consent_at is None


# --- client_update -----------------------------------------------------------------------


def test_client_update_changes_the_row(supervisor, client_of_counselor1):
    services.client_update(
        actor=supervisor, client=client_of_counselor1, data={"city": "Springfield"}
    )

    client_of_counselor1.refresh_from_db()
    assert client_of_counselor1.city == "Springfield"


def test_client_update_with_invalid_data_saves_nothing(supervisor, client_of_counselor1):
    with pytest.raises(ValidationError):
        services.client_update(
            actor=supervisor, client=client_of_counselor1, data={"legal_last_name": ""}
        )

    client_of_counselor1.refresh_from_db()
    assert client_of_counselor1.legal_last_name
    assert not AuditEvent.objects.exists()


def test_client_update_withdrawn_consent_clears_time_and_wording(supervisor, intake):
    client = services.client_create(
        actor=intake, data=_data(phone="+15555550123", sms_consent=True)
    )

    services.client_update(actor=supervisor, client=client, data={"sms_consent": False})

    client.refresh_from_db()
    assert client.sms_consent_at is None
    assert client.sms_consent_wording == ""


# --- episodes: one open at a time ----------------------------------------------------------


def test_second_open_episode_violates_database_constraint(client_of_counselor1):
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(
            client=client_of_counselor1, phase=Episode.Phase.SCREENING, referral_date=TODAY()
        )

    assert client_of_counselor1.episodes.count() == 1


def test_second_open_episode_fails_model_validation_with_message(client_of_counselor1):
    episode = Episode(
        client=client_of_counselor1, phase=Episode.Phase.SCREENING, referral_date=TODAY()
    )

    with pytest.raises(ValidationError, match="already has an open episode"):
        episode.full_clean()


def test_new_episode_after_discharge_is_allowed(supervisor, client_of_counselor1):
    services.episode_discharge(
        actor=supervisor,
        episode=client_of_counselor1.episodes.get(),
        discharge_date=TODAY(),
        reason=Episode.DischargeReason.COMPLETED,
    )

    Episode.objects.create(
        client=client_of_counselor1, phase=Episode.Phase.SCREENING, referral_date=TODAY()
    )

    assert client_of_counselor1.episodes.count() == 2


def test_discharge_before_admission_violates_database_constraint(client_of_counselor1):
    episode = client_of_counselor1.episodes.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.filter(pk=episode.pk).update(
            phase=Episode.Phase.DISCHARGED,
            discharge_date=episode.admission_date - datetime.timedelta(days=1),
        )


# --- episode_admit ------------------------------------------------------------------------


def test_episode_admit_moves_screening_episode_to_intensive(intake, counselor1, screening_client):
    episode = _admit(screening_client.episodes.get(), intake, counselor1, level_of_care="2.5")

    assert episode.phase == Episode.Phase.INTENSIVE
    assert episode.admission_date == TODAY()
    assert episode.level_of_care == "2.5"
    assert episode.primary_counselor == counselor1
    assert episode.assignments.get().ended_at is None


def test_episode_admit_puts_client_on_counselor_caseload(intake, counselor1, screening_client):
    from iop.audit.policy import clients_visible_to

    _admit(screening_client.episodes.get(), intake, counselor1)

    assert screening_client in clients_visible_to(counselor1)
    assert screening_client not in clients_visible_to(intake)


@pytest.mark.parametrize("phase", ["intensive", "aftercare", "discharged"])
def test_episode_admit_refuses_episode_not_in_screening(intake, counselor1, phase):
    episode = EpisodeFactory(
        phase=phase,
        discharge_date=TODAY() if phase == "discharged" else None,
        discharge_reason=1 if phase == "discharged" else None,
    )

    with pytest.raises(ValidationError, match="Only an episode in screening"):
        _admit(episode, intake, counselor1)

    episode.refresh_from_db()
    assert episode.phase == phase


def test_episode_admit_refuses_future_date(intake, counselor1, screening_client):
    episode = screening_client.episodes.get()

    with pytest.raises(ValidationError) as error:
        _admit(episode, intake, counselor1, admission_date=TODAY() + datetime.timedelta(days=1))

    assert "admission_date" in error.value.message_dict
    episode.refresh_from_db()
    assert episode.phase == Episode.Phase.SCREENING


def test_episode_admit_refuses_date_before_referral(intake, counselor1, screening_client):
    episode = screening_client.episodes.get()
    before = episode.referral_date - datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        _admit(episode, intake, counselor1, admission_date=before)

    assert "admission_date" in error.value.message_dict
    episode.refresh_from_db()
    assert episode.admission_date is None


def test_episode_admit_accepts_admission_on_referral_day(intake, counselor1, screening_client):
    episode = screening_client.episodes.get()

    admitted = _admit(episode, intake, counselor1, admission_date=episode.referral_date)

    assert admitted.admission_date == episode.referral_date


def test_episode_admit_refuses_unknown_level_of_care(intake, counselor1, screening_client):
    episode = screening_client.episodes.get()

    with pytest.raises(ValidationError):
        _admit(episode, intake, counselor1, level_of_care="9.9")

    episode.refresh_from_db()
    assert episode.phase == Episode.Phase.SCREENING
    assert not AuditEvent.objects.exists()


def test_episode_admit_with_non_counselor_rolls_back_the_admission(
    intake, supervisor, screening_client
):
    episode = screening_client.episodes.get()

    with pytest.raises(ValidationError):
        _admit(episode, intake, supervisor)

    episode.refresh_from_db()
    assert episode.phase == Episode.Phase.SCREENING
    assert not CaseloadAssignment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_episode_admit_rechecks_phase_on_the_locked_row(
    intake, counselor1, counselor2, screening_client
):
    episode = screening_client.episodes.get()
    stale = Episode.objects.get(pk=episode.pk)
    _admit(episode, intake, counselor1, level_of_care="2.1")

    with pytest.raises(ValidationError):
        _admit(stale, intake, counselor2, level_of_care="2.5")

    episode.refresh_from_db()
    assert episode.level_of_care == "2.1"
    assert episode.primary_counselor == counselor1


# --- episode_discharge ----------------------------------------------------------------------


def test_episode_discharge_records_date_and_reason(supervisor, client_of_counselor1):
    episode = services.episode_discharge(
        actor=supervisor,
        episode=client_of_counselor1.episodes.get(),
        discharge_date=TODAY(),
        reason=Episode.DischargeReason.LEFT_AGAINST_ADVICE,
    )

    episode.refresh_from_db()
    assert episode.phase == Episode.Phase.DISCHARGED
    assert episode.discharge_date == TODAY()
    assert episode.discharge_reason == Episode.DischargeReason.LEFT_AGAINST_ADVICE


def test_episode_discharge_writes_update_event_with_reason(supervisor, client_of_counselor1):
    services.episode_discharge(
        actor=supervisor,
        episode=client_of_counselor1.episodes.get(),
        discharge_date=TODAY(),
        reason=Episode.DischargeReason.TRANSFERRED,
    )

    event = AuditEvent.objects.get()
    assert event.client == client_of_counselor1
    assert event.details == {"phase": "discharged", "discharge_reason": 4}


def test_episode_discharge_ends_the_current_assignment(
    supervisor, counselor1, client_of_counselor1
):
    episode = client_of_counselor1.episodes.get()
    CaseloadAssignment.objects.create(
        episode=episode, counselor=counselor1, started_at=timezone.now()
    )

    services.episode_discharge(actor=supervisor, episode=episode, discharge_date=TODAY(), reason=1)

    assert episode.assignments.get().ended_at is not None


def test_episode_discharge_refuses_date_before_admission(supervisor, client_of_counselor1):
    episode = client_of_counselor1.episodes.get()

    with pytest.raises(ValidationError) as error:
        services.episode_discharge(
            actor=supervisor,
            episode=episode,
            discharge_date=episode.admission_date - datetime.timedelta(days=1),
            reason=Episode.DischargeReason.COMPLETED,
        )

    assert "discharge_date" in error.value.message_dict
    episode.refresh_from_db()
    assert episode.phase == Episode.Phase.INTENSIVE
    assert episode.discharge_date is None


def test_episode_discharge_of_screening_episode_refuses_date_before_referral(
    supervisor, screening_client
):
    episode = screening_client.episodes.get()

    with pytest.raises(ValidationError):
        services.episode_discharge(
            actor=supervisor,
            episode=episode,
            discharge_date=episode.referral_date - datetime.timedelta(days=1),
            reason=Episode.DischargeReason.OTHER,
        )


@pytest.mark.parametrize("reason", [0, 8, 99])
def test_episode_discharge_refuses_unknown_reason(supervisor, client_of_counselor1, reason):
    episode = client_of_counselor1.episodes.get()

    with pytest.raises(ValidationError):
        services.episode_discharge(
            actor=supervisor, episode=episode, discharge_date=TODAY(), reason=reason
        )

    episode.refresh_from_db()
    assert episode.is_open


def test_episode_discharge_refuses_discharged_episode(supervisor, client_of_counselor1):
    episode = services.episode_discharge(
        actor=supervisor,
        episode=client_of_counselor1.episodes.get(),
        discharge_date=TODAY(),
        reason=Episode.DischargeReason.COMPLETED,
    )

    with pytest.raises(ValidationError, match="already discharged"):
        services.episode_discharge(
            actor=supervisor, episode=episode, discharge_date=TODAY(), reason=7
        )


def test_episode_discharge_rechecks_open_on_the_locked_row(supervisor, client_of_counselor1):
    episode = client_of_counselor1.episodes.get()
    stale = Episode.objects.get(pk=episode.pk)
    services.episode_discharge(actor=supervisor, episode=episode, discharge_date=TODAY(), reason=1)

    with pytest.raises(ValidationError):
        services.episode_discharge(
            actor=supervisor, episode=stale, discharge_date=TODAY(), reason=7
        )

    episode.refresh_from_db()
    assert episode.discharge_reason == 1


# --- episode_start_aftercare ------------------------------------------------------------------


def test_episode_start_aftercare_steps_down_intensive_episode(supervisor, client_of_counselor1):
    episode = services.episode_start_aftercare(
        actor=supervisor, episode=client_of_counselor1.episodes.get()
    )

    assert episode.phase == Episode.Phase.AFTERCARE
    assert AuditEvent.objects.get().details == {"phase": "aftercare"}


def test_episode_start_aftercare_refuses_screening_episode(supervisor, screening_client):
    with pytest.raises(ValidationError):
        services.episode_start_aftercare(actor=supervisor, episode=screening_client.episodes.get())


def test_episode_start_aftercare_does_not_reopen_discharged_episode(
    supervisor, client_of_counselor1
):
    episode = client_of_counselor1.episodes.get()
    stale = Episode.objects.get(pk=episode.pk)
    services.episode_discharge(actor=supervisor, episode=episode, discharge_date=TODAY(), reason=1)

    with pytest.raises(ValidationError):
        services.episode_start_aftercare(actor=supervisor, episode=stale)

    episode.refresh_from_db()
    assert episode.phase == Episode.Phase.DISCHARGED


# --- episode_assign_counselor ---------------------------------------------------------------


def test_episode_assign_counselor_keeps_complete_history(
    supervisor, counselor1, counselor2, screening_client
):
    episode = screening_client.episodes.get()

    for counselor in (counselor1, counselor2, counselor1):
        services.episode_assign_counselor(
            actor=supervisor, episode=episode, counselor=counselor, reason=counselor.username
        )

    history = list(episode.assignments.order_by("started_at", "id"))
    assert [a.counselor for a in history] == [counselor1, counselor2, counselor1]
    assert [a.reason for a in history] == ["counselor1", "counselor2", "counselor1"]
    assert all(a.assigned_by == supervisor for a in history)
    assert [a.ended_at is None for a in history] == [False, False, True]
    assert history[0].ended_at == history[1].started_at
    assert history[1].ended_at == history[2].started_at
    episode.refresh_from_db()
    assert episode.primary_counselor == counselor1


def test_episode_assign_counselor_writes_one_event_per_change(
    supervisor, counselor1, counselor2, screening_client
):
    episode = screening_client.episodes.get()

    services.episode_assign_counselor(actor=supervisor, episode=episode, counselor=counselor1)
    services.episode_assign_counselor(actor=supervisor, episode=episode, counselor=counselor2)

    assert AuditEvent.objects.filter(client=screening_client).count() == 2


def test_episode_assign_same_counselor_is_a_no_op(supervisor, counselor1, screening_client):
    episode = screening_client.episodes.get()
    services.episode_assign_counselor(actor=supervisor, episode=episode, counselor=counselor1)

    services.episode_assign_counselor(actor=supervisor, episode=episode, counselor=counselor1)

    assert episode.assignments.count() == 1
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("role", ["intake", "supervisor", "administrator"])
def test_episode_assign_counselor_refuses_non_counselor(
    request, supervisor, screening_client, role
):
    episode = screening_client.episodes.get()

    with pytest.raises(ValidationError):
        services.episode_assign_counselor(
            actor=supervisor, episode=episode, counselor=request.getfixturevalue(role)
        )

    assert not CaseloadAssignment.objects.exists()


def test_episode_assign_counselor_refuses_inactive_counselor(
    supervisor, counselor1, screening_client
):
    counselor1.is_active = False

    with pytest.raises(ValidationError):
        services.episode_assign_counselor(
            actor=supervisor, episode=screening_client.episodes.get(), counselor=counselor1
        )


def test_episode_assign_counselor_refuses_discharged_episode(
    supervisor, counselor1, counselor2, client_of_counselor1
):
    episode = services.episode_discharge(
        actor=supervisor,
        episode=client_of_counselor1.episodes.get(),
        discharge_date=TODAY(),
        reason=1,
    )

    with pytest.raises(ValidationError, match="discharged"):
        services.episode_assign_counselor(actor=supervisor, episode=episode, counselor=counselor2)

    episode.refresh_from_db()
    assert episode.primary_counselor == counselor1


def test_two_current_assignments_violate_database_constraint(
    supervisor, counselor1, counselor2, screening_client
):
    episode = screening_client.episodes.get()
    services.episode_assign_counselor(actor=supervisor, episode=episode, counselor=counselor1)

    with pytest.raises(IntegrityError), transaction.atomic():
        CaseloadAssignment.objects.create(
            episode=episode, counselor=counselor2, started_at=timezone.now()
        )
