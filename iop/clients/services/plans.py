"""Treatment plans: drafting a version, its problems, goals, objectives and
interventions; signing it (the counselor) with the client's agreement;
reviews at least every 30 days. Only a draft changes; a signed version is
kept readable when the next one takes over."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import (
    REVIEW_INTERVAL_DAYS,
    Episode,
    Goal,
    Intervention,
    Objective,
    Problem,
    TreatmentPlan,
)
from iop.clients.signing import note_addendum_add, note_cosign, note_ensure_unsigned, note_sign


def _audit(actor, plan, request=None, **details):
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        client=plan.client,
        obj=plan,
        request=request,
        details=details,
    )


def _copy_tree(source: TreatmentPlan, target: TreatmentPlan) -> None:
    for problem in source.problems.prefetch_related(
        "goals__objectives__interventions", "diagnoses"
    ):
        new_problem = Problem.objects.create(
            plan=target, number=problem.number, statement=problem.statement
        )
        new_problem.diagnoses.set(problem.diagnoses.all())
        for goal in problem.goals.all():
            new_goal = Goal.objects.create(
                problem=new_problem, number=goal.number, statement=goal.statement
            )
            for objective in goal.objectives.all():
                new_objective = Objective.objects.create(
                    goal=new_goal,
                    number=objective.number,
                    statement=objective.statement,
                    target_date=objective.target_date,
                    status=objective.status,
                )
                Intervention.objects.bulk_create(
                    Intervention(
                        objective=new_objective,
                        description=item.description,
                        responsible=item.responsible,
                        frequency=item.frequency,
                    )
                    for item in objective.interventions.all()
                )


def plan_start_draft(*, actor, episode: Episode, request=None) -> TreatmentPlan:
    """The episode's draft plan: the one in progress, or a new version copied
    from the active plan (or empty for the first plan)."""
    if not episode.is_open or episode.admission_date is None:
        raise ValidationError(_("Plans are kept for admitted, open episodes."))
    with transaction.atomic():
        Episode.objects.select_for_update().get(pk=episode.pk)
        draft = episode.treatment_plans.filter(status=TreatmentPlan.Status.DRAFT).first()
        if draft is not None:
            return draft
        version = (episode.treatment_plans.aggregate(last=Max("version"))["last"] or 0) + 1
        draft = TreatmentPlan.objects.create(
            client=episode.client, episode=episode, version=version, author=actor
        )
        active = episode.treatment_plans.filter(status=TreatmentPlan.Status.ACTIVE).first()
        if active is not None:
            _copy_tree(active, draft)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=episode.client,
            obj=draft,
            request=request,
            details={"version": version},
        )
    return draft


def _draft(plan: TreatmentPlan) -> TreatmentPlan:
    """The plan re-read under a lock: a copy loaded before someone signed it
    must not add to the signed version. Call inside a transaction."""
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    note_ensure_unsigned(plan)
    if plan.status != TreatmentPlan.Status.DRAFT:
        raise ValidationError(_("Only a draft plan can change; start a new version."))
    return plan


def _required(**texts: str) -> None:
    missing = {
        name: _("This field is required.") for name, text in texts.items() if not text.strip()
    }
    if missing:
        raise ValidationError(missing)


@transaction.atomic
def plan_add_problem(
    *, actor, plan: TreatmentPlan, statement: str, diagnoses=(), request=None
) -> Problem:
    """A problem, linked to the episode's current diagnoses it addresses."""
    plan = _draft(plan)
    _required(statement=statement)
    diagnoses = list(diagnoses)
    if any(d.episode_id != plan.episode_id or d.date_resolved is not None for d in diagnoses):
        raise ValidationError({"diagnoses": _("Choose among the episode's current diagnoses.")})
    number = (plan.problems.aggregate(last=Max("number"))["last"] or 0) + 1
    problem = Problem.objects.create(plan=plan, number=number, statement=statement.strip())
    problem.diagnoses.set(diagnoses)
    _audit(actor, plan, request, added="problem", diagnoses=[d.icd10_code for d in diagnoses])
    return problem


@transaction.atomic
def plan_add_goal(*, actor, problem: Problem, statement: str, request=None) -> Goal:
    plan = _draft(problem.plan)
    _required(statement=statement)
    number = (problem.goals.aggregate(last=Max("number"))["last"] or 0) + 1
    goal = Goal.objects.create(problem=problem, number=number, statement=statement.strip())
    _audit(actor, plan, request, added="goal")
    return goal


@transaction.atomic
def plan_add_objective(
    *, actor, goal: Goal, statement: str, target_date: date | None, request=None
) -> Objective:
    """A measurable objective always has a target date."""
    plan = _draft(goal.problem.plan)
    _required(statement=statement)
    if target_date is None:
        raise ValidationError({"target_date": _("An objective needs a target date.")})
    number = (goal.objectives.aggregate(last=Max("number"))["last"] or 0) + 1
    objective = Objective.objects.create(
        goal=goal, number=number, statement=statement.strip(), target_date=target_date
    )
    _audit(actor, plan, request, added="objective")
    return objective


@transaction.atomic
def plan_add_intervention(
    *, actor, objective: Objective, description: str, responsible: str, frequency: str, request=None
) -> Intervention:
    plan = _draft(objective.goal.problem.plan)
    _required(description=description, responsible=responsible, frequency=frequency)
    intervention = Intervention.objects.create(
        objective=objective,
        description=description.strip(),
        responsible=responsible.strip(),
        frequency=frequency.strip(),
    )
    _audit(actor, plan, request, added="intervention")
    return intervention


@transaction.atomic
def plan_set_objective_status(*, actor, objective: Objective, status: str, request=None):
    plan = _draft(objective.goal.problem.plan)
    if status not in Objective.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    Objective.objects.filter(pk=objective.pk).update(status=status)
    _audit(actor, plan, request, objective_status=status)


def plan_sign(
    *,
    actor,
    plan: TreatmentPlan,
    client_agreed_on: date | None,
    agreement_note: str = "",
    request=None,
) -> TreatmentPlan:
    """The counselor signs the draft, recording when the client agreed; it
    becomes the active plan and the previous active version is superseded."""
    today = timezone.localdate()
    errors = {}
    if client_agreed_on is None:
        errors["client_agreed_on"] = _("Record when the client agreed to the plan.")
    elif client_agreed_on > today:
        errors["client_agreed_on"] = _("The agreement date cannot be in the future.")
    if not Objective.objects.filter(goal__problem__plan=plan).exists():
        errors["__all__"] = _("A plan needs at least one problem, goal and objective.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
        _draft(plan)
        TreatmentPlan.objects.filter(
            episode=plan.episode, status=TreatmentPlan.Status.ACTIVE
        ).update(status=TreatmentPlan.Status.SUPERSEDED)
        note_sign(note=plan, actor=actor, service_started_at=timezone.now())
        plan.status = TreatmentPlan.Status.ACTIVE
        plan.effective_date = today
        plan.next_review_due = today + timedelta(days=REVIEW_INTERVAL_DAYS)
        plan.client_agreed_on = client_agreed_on
        plan.client_agreement_note = agreement_note.strip()[:200]
        plan.save(
            update_fields=[
                "status",
                "effective_date",
                "next_review_due",
                "client_agreed_on",
                "client_agreement_note",
            ]
        )
        _audit(actor, plan, request, signed=True, version=plan.version)
    return plan


def plan_review(*, actor, plan: TreatmentPlan, note: str, request=None) -> TreatmentPlan:
    """A review without changes: a signed addendum, and the next review is
    due 30 days from today. Changes need a new version instead."""
    _required(note=note)
    with transaction.atomic():
        plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != TreatmentPlan.Status.ACTIVE:
            raise ValidationError(_("Only the active plan is reviewed."))
        note_addendum_add(
            note=plan, actor=actor, text=_("Review: %s") % note.strip(), client=plan.client
        )
        due = timezone.localdate() + timedelta(days=REVIEW_INTERVAL_DAYS)
        TreatmentPlan.objects.filter(pk=plan.pk).update(next_review_due=due)
        plan.next_review_due = due
        _audit(actor, plan, request, reviewed=True)
    return plan


def plan_cosign(*, actor, plan: TreatmentPlan, request=None) -> TreatmentPlan:
    """A supervisor co-signs a plan signed by a counselor in training."""
    with transaction.atomic():
        plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
        note_cosign(note=plan, actor=actor)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=plan.client,
            obj=plan,
            request=request,
            details={"cosigned": True},
        )
    return plan
