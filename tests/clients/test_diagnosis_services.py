"""Diagnoses of an episode: made from the checklist or by code, proposed and
confirmed, ranked, resolved, linked to plan problems and recorded at
discharge; bad input refused with nothing saved; every change audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.clients.models import Diagnosis, Episode
from iop.clients.services import episode_discharge
from iop.clients.services.diagnoses import (
    diagnosis_add_code,
    diagnosis_add_sud,
    diagnosis_confirm,
    diagnosis_make_primary,
    diagnosis_resolve,
    episode_discharge_diagnosis_set,
)
from iop.clients.services.plans import (
    plan_add_goal,
    plan_add_objective,
    plan_add_problem,
    plan_sign,
    plan_start_draft,
)
from tests.factories import EpisodeFactory

TODAY = timezone.localdate
SIX = ["larger_amounts", "cut_down", "time_spent", "craving", "role_failure", "tolerance"]


@pytest.fixture
def licensed(counselor1):
    counselor1.licensed_to_diagnose = True
    counselor1.save(update_fields=["licensed_to_diagnose"])
    return counselor1


@pytest.fixture
def episode(client_of_counselor1):
    return client_of_counselor1.episodes.get()


def _sud(actor, episode, **kwargs):
    values = {"substance_class": "opioid", "criteria_met": SIX, "date_made": TODAY()}
    return diagnosis_add_sud(actor=actor, episode=episode, **(values | kwargs))


def _audits(diagnosis):
    return AuditEvent.objects.filter(object_id=str(diagnosis.public_id)).order_by("pk")


def test_checklist_gives_severity_code_and_description(licensed, episode):
    diagnosis = _sud(licensed, episode, criteria_met=SIX[:4], remission="early")

    assert diagnosis.kind == Diagnosis.Kind.SUD
    assert (diagnosis.severity, diagnosis.icd10_code) == ("moderate", "F11.21")
    assert diagnosis.description == "Opioid dependence, in remission"
    assert diagnosis.label == "Opioid use disorder, moderate, in early remission"
    assert diagnosis.criteria_met == sorted(SIX[:4])


def test_licensed_counselor_makes_a_confirmed_primary_diagnosis(licensed, episode):
    diagnosis = _sud(licensed, episode)

    assert diagnosis.status == Diagnosis.Status.CONFIRMED
    assert diagnosis.confirmed_by == licensed
    assert diagnosis.confirmed_at is not None
    assert diagnosis.is_primary
    assert diagnosis.made_by == licensed


def test_unlicensed_counselor_only_proposes(counselor1, episode):
    diagnosis = _sud(counselor1, episode)

    assert diagnosis.status == Diagnosis.Status.PROPOSED
    assert diagnosis.confirmed_by is None


def test_licensed_supervisor_confirms_a_proposed_diagnosis(counselor1, supervisor, episode):
    supervisor.licensed_to_diagnose = True
    supervisor.save(update_fields=["licensed_to_diagnose"])
    diagnosis = _sud(counselor1, episode)

    diagnosis_confirm(actor=supervisor, diagnosis=diagnosis)

    diagnosis.refresh_from_db()
    assert diagnosis.status == Diagnosis.Status.CONFIRMED
    assert diagnosis.confirmed_by == supervisor
    assert diagnosis.made_by == counselor1
    assert _audits(diagnosis).last().details["status"] == "confirmed"


@pytest.mark.parametrize("who", ["counselor1", "intake", "administrator"])
def test_a_person_not_licensed_cannot_confirm(request, who, counselor1, episode):
    diagnosis = _sud(counselor1, episode)
    actor = request.getfixturevalue(who)

    with pytest.raises(ValidationError, match="licensed to diagnose"):
        diagnosis_confirm(actor=actor, diagnosis=diagnosis)

    diagnosis.refresh_from_db()
    assert diagnosis.status == Diagnosis.Status.PROPOSED


def test_licensed_intake_worker_still_only_proposes(intake, episode):
    intake.licensed_to_diagnose = True
    intake.save(update_fields=["licensed_to_diagnose"])

    assert _sud(intake, episode).status == Diagnosis.Status.PROPOSED


def test_administrator_records_no_diagnosis(administrator, episode):
    with pytest.raises(ValidationError):
        _sud(administrator, episode)

    assert not Diagnosis.objects.exists()


def test_severity_that_contradicts_the_checklist_is_refused(licensed, episode):
    with pytest.raises(ValidationError) as error:
        _sud(licensed, episode, criteria_met=SIX[:3], severity="severe")

    assert "The checklist gives mild, not severe: 3 criteria counted." in error.value.messages
    assert "severity" in error.value.message_dict
    assert not Diagnosis.objects.exists()
    assert not AuditEvent.objects.filter(object_type="clients.diagnosis").exists()


def test_severity_that_agrees_with_the_checklist_is_accepted(licensed, episode):
    assert _sud(licensed, episode, criteria_met=SIX[:3], severity="mild").icd10_code == "F11.10"


def test_fewer_than_two_criteria_is_refused(licensed, episode):
    with pytest.raises(ValidationError, match="no use disorder"):
        _sud(
            licensed,
            episode,
            criteria_met=["tolerance", "withdrawal", "craving"],
            supervised_medication=True,
        )

    assert not Diagnosis.objects.exists()


def test_maintenance_therapy_is_an_opioid_specifier(licensed, episode):
    with pytest.raises(ValidationError) as error:
        _sud(licensed, episode, substance_class="alcohol", on_maintenance_therapy=True)

    assert "on_maintenance_therapy" in error.value.message_dict


def test_controlled_environment_needs_remission(licensed, episode):
    with pytest.raises(ValidationError) as error:
        _sud(licensed, episode, in_controlled_environment=True)

    assert "in_controlled_environment" in error.value.message_dict


def test_opioid_disorder_in_early_remission_on_maintenance_therapy(licensed, episode):
    diagnosis = _sud(licensed, episode, remission="early", on_maintenance_therapy=True)

    assert diagnosis.icd10_code == "F11.21"
    assert diagnosis.label == (
        "Opioid use disorder, severe, in early remission, on maintenance therapy"
    )


def test_co_occurring_diagnosis_by_code_is_secondary(licensed, episode):
    _sud(licensed, episode)

    depression = diagnosis_add_code(
        actor=licensed, episode=episode, icd10_code="f33.1", date_made=TODAY()
    )

    assert depression.kind == Diagnosis.Kind.MENTAL_HEALTH
    assert depression.icd10_code == "F33.1"
    assert depression.description == "Major depressive disorder, recurrent, moderate"
    assert depression.rank == 2
    assert not depression.is_primary


@pytest.mark.parametrize("code", ["F99.9", "I10", "", "F33"])
def test_code_not_billable_in_the_shipped_list_is_refused(licensed, episode, code):
    with pytest.raises(ValidationError) as error:
        diagnosis_add_code(actor=licensed, episode=episode, icd10_code=code, date_made=TODAY())

    assert (
        "is not a billable code of the ICD-10-CM list" in error.value.message_dict["icd10_code"][0]
    )
    assert not Diagnosis.objects.exists()


def test_use_disorder_codes_must_come_from_the_checklist(licensed, episode):
    with pytest.raises(ValidationError, match="criteria checklist"):
        diagnosis_add_code(actor=licensed, episode=episode, icd10_code="F10.20", date_made=TODAY())


def test_tobacco_is_entered_by_code(licensed, episode):
    found = diagnosis_add_code(
        actor=licensed, episode=episode, icd10_code="F17.210", date_made=TODAY()
    )

    assert found.icd10_code == "F17.210"


def test_diagnosis_date_in_the_future_is_refused(licensed, episode):
    with pytest.raises(ValidationError) as error:
        _sud(licensed, episode, date_made=TODAY() + datetime.timedelta(days=3))

    assert "date_made" in error.value.message_dict


def test_resolved_date_before_the_diagnosis_date_is_refused(licensed, episode):
    diagnosis = _sud(licensed, episode, date_made=TODAY() - datetime.timedelta(days=5))

    with pytest.raises(ValidationError) as error:
        diagnosis_resolve(
            actor=licensed,
            diagnosis=diagnosis,
            date_resolved=TODAY() - datetime.timedelta(days=6),
        )

    assert error.value.message_dict["date_resolved"] == [
        "A diagnosis cannot be resolved before the date it was made."
    ]
    diagnosis.refresh_from_db()
    assert diagnosis.date_resolved is None


def test_resolving_the_primary_moves_the_next_one_up(licensed, episode):
    first = _sud(licensed, episode)
    second = diagnosis_add_code(
        actor=licensed, episode=episode, icd10_code="F33.1", date_made=TODAY()
    )
    third = diagnosis_add_code(
        actor=licensed, episode=episode, icd10_code="F41.1", date_made=TODAY()
    )

    diagnosis_resolve(actor=licensed, diagnosis=first, date_resolved=TODAY())

    ranks = {d.icd10_code: d.rank for d in Diagnosis.objects.current()}
    assert ranks == {second.icd10_code: 1, third.icd10_code: 2}
    assert list(Diagnosis.objects.primary()) == [second]


def test_make_primary_keeps_the_others_in_order(licensed, episode):
    a = _sud(licensed, episode)
    b = diagnosis_add_code(actor=licensed, episode=episode, icd10_code="F33.1", date_made=TODAY())
    c = diagnosis_add_code(actor=licensed, episode=episode, icd10_code="F41.1", date_made=TODAY())

    diagnosis_make_primary(actor=licensed, diagnosis=c)

    order = list(Diagnosis.objects.current().order_by("rank").values_list("pk", flat=True))
    assert order == [c.pk, a.pk, b.pk]


def test_new_diagnosis_can_be_made_primary(licensed, episode):
    a = _sud(licensed, episode)
    b = diagnosis_add_code(
        actor=licensed, episode=episode, icd10_code="F33.1", date_made=TODAY(), primary=True
    )

    assert b.rank == 1
    a.refresh_from_db()
    assert a.rank == 2


def test_screening_episode_has_no_diagnoses_yet(licensed, screening_client):
    with pytest.raises(ValidationError, match="admitted"):
        _sud(licensed, screening_client.episodes.get())


def test_every_change_is_audited(licensed, episode):
    diagnosis = _sud(licensed, episode)
    diagnosis_resolve(actor=licensed, diagnosis=diagnosis, date_resolved=TODAY())

    events = list(_audits(diagnosis))
    assert [e.action for e in events] == [AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE]
    assert all(e.client_id == episode.client_id and e.actor == licensed for e in events)
    assert events[0].details["code"] == "F11.20"


def test_discharge_records_the_primary_diagnosis(licensed, episode):
    primary = _sud(licensed, episode)
    diagnosis_add_code(actor=licensed, episode=episode, icd10_code="F33.1", date_made=TODAY())

    episode_discharge(actor=licensed, episode=episode, discharge_date=TODAY(), reason=1)

    episode.refresh_from_db()
    assert episode.discharge_diagnosis == primary


def test_diagnosis_at_discharge_can_be_corrected(licensed, episode):
    _sud(licensed, episode)
    depression = diagnosis_add_code(
        actor=licensed, episode=episode, icd10_code="F33.1", date_made=TODAY()
    )
    episode_discharge(actor=licensed, episode=episode, discharge_date=TODAY(), reason=1)

    episode_discharge_diagnosis_set(actor=licensed, episode=episode, diagnosis=depression)

    episode.refresh_from_db()
    assert episode.discharge_diagnosis == depression
    assert AuditEvent.objects.filter(
        object_id=str(episode.public_id), details__discharge_diagnosis="F33.1"
    ).exists()


def test_diagnosis_of_another_episode_cannot_be_recorded_at_discharge(licensed, episode):
    other = _sud(licensed, EpisodeFactory(primary_counselor=licensed))
    episode_discharge(actor=licensed, episode=episode, discharge_date=TODAY(), reason=1)

    with pytest.raises(ValidationError):
        episode_discharge_diagnosis_set(actor=licensed, episode=episode, diagnosis=other)

    assert Episode.objects.get(pk=episode.pk).discharge_diagnosis is None


def test_plan_problem_links_to_the_diagnoses_it_addresses(licensed, episode):
    diagnosis = _sud(licensed, episode)
    plan = plan_start_draft(actor=licensed, episode=episode)

    problem = plan_add_problem(
        actor=licensed, plan=plan, statement="Daily opioid use", diagnoses=[diagnosis]
    )

    assert list(problem.diagnoses.all()) == [diagnosis]


def test_plan_problem_refuses_another_episodes_diagnosis(licensed, episode):
    other = _sud(licensed, EpisodeFactory(primary_counselor=licensed))
    plan = plan_start_draft(actor=licensed, episode=episode)

    with pytest.raises(ValidationError) as error:
        plan_add_problem(actor=licensed, plan=plan, statement="Use", diagnoses=[other])

    assert "diagnoses" in error.value.message_dict
    assert not plan.problems.exists()


def test_plan_problem_keeps_its_diagnoses_in_the_next_version(licensed, episode):
    diagnosis = _sud(licensed, episode)
    plan = plan_start_draft(actor=licensed, episode=episode)
    problem = plan_add_problem(
        actor=licensed, plan=plan, statement="Daily opioid use", diagnoses=[diagnosis]
    )
    goal = plan_add_goal(actor=licensed, problem=problem, statement="Stop using")
    plan_add_objective(
        actor=licensed,
        goal=goal,
        statement="Two meetings a week",
        target_date=TODAY() + datetime.timedelta(days=30),
    )
    plan_sign(actor=licensed, plan=plan, client_agreed_on=TODAY())

    revision = plan_start_draft(actor=licensed, episode=episode)

    assert revision.pk != plan.pk
    assert list(revision.problems.get().diagnoses.all()) == [diagnosis]
