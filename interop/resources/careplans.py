"""CarePlan (US Core CarePlan 6.1.0) from each signed version of a treatment
plan, and Goal (US Core Goal 6.1.0) from each of its goals, the measurable
objectives being the goal's targets with their due dates.

A draft plan is still being written and is not published. CarePlan.status:
the active version "active", a superseded one "revoked" (FHIR request-status:
ended before completion, "though it may have been replaced by a new plan").
Goal.lifecycleStatus: "completed" once every objective is met; otherwise
"active" in the active version and "cancelled" in a superseded one (the next
version carries the goal on as its own Goal). The category is US Core's
assess-plan (http://hl7.org/fhir/us/core/CodeSystem/careplan-category, US
Core 6.1.0 CodeSystem page). Goal ids: <plan id>-<problem>-<goal number>.
"""

from django.db.models import Exists, F, OuterRef, Q

from interop.api import params
from interop.api.registry import Include, ResourceType, SearchParam, Source, register
from interop.resources.clinical import (
    fixed_token,
    narrative,
    patient_reference,
    practitioner_reference,
    wanted_codes,
)
from iop.clients.models import Goal, Objective, TreatmentPlan

CAREPLAN_PROFILE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-careplan"
GOAL_PROFILE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-goal"
CATEGORY_SYSTEM = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
PUBLISHED = (TreatmentPlan.Status.ACTIVE, TreatmentPlan.Status.SUPERSEDED)
PLAN_STATUS = {TreatmentPlan.Status.ACTIVE: "active", TreatmentPlan.Status.SUPERSEDED: "revoked"}


def goal_id(plan, problem, goal) -> str:
    return f"{plan.public_id}-{problem.number}-{goal.number}"


def _plan_goals(plan):
    for problem in plan.problems.all():
        for goal in problem.goals.all():
            yield problem, goal


def _plan_lines(plan) -> list[str]:
    lines = [f"Treatment plan, version {plan.version} ({plan.get_status_display()})."]
    for problem in plan.problems.all():
        lines.append(f"Problem {problem.number}: {problem.statement}")
        for goal in problem.goals.all():
            lines.append(f"Goal {problem.number}.{goal.number}: {goal.statement}")
            for objective in goal.objectives.all():
                lines.append(
                    f"Objective {problem.number}.{goal.number}.{objective.number} "
                    f"(by {objective.target_date.isoformat()}, "
                    f"{objective.get_status_display()}): {objective.statement}"
                )
                lines.extend(
                    f"Intervention: {i.description} ({i.responsible}, {i.frequency})"
                    for i in objective.interventions.all()
                )
    return lines


def careplan_fhir(plan) -> dict:
    resource = {
        "text": narrative("generated", _plan_lines(plan)),
        "status": PLAN_STATUS[plan.status],
        "intent": "plan",
        "category": [
            {
                "coding": [
                    {
                        "system": CATEGORY_SYSTEM,
                        "code": "assess-plan",
                        "display": "Assessment and Plan of Treatment",
                    }
                ]
            }
        ],
        "title": f"Treatment plan v{plan.version}",
        "subject": patient_reference(plan.client),
        "created": plan.created_at.isoformat(),
        "goal": [
            {"reference": f"Goal/{goal_id(plan, problem, goal)}"}
            for problem, goal in _plan_goals(plan)
        ],
    }
    start = plan.effective_date or (plan.signed_at and plan.signed_at.date())
    if start:
        resource["period"] = {"start": start.isoformat()}
    author = practitioner_reference(plan.author)
    if author:
        resource["author"] = author
    if not resource["goal"]:
        del resource["goal"]
    return resource


def _all_met(goal) -> bool:
    objectives = list(goal.objectives.all())
    return bool(objectives) and all(o.status == Objective.Status.MET for o in objectives)


def lifecycle_status(goal) -> str:
    if _all_met(goal):
        return "completed"
    return "active" if goal.problem.plan.status == TreatmentPlan.Status.ACTIVE else "cancelled"


def goal_fhir(goal) -> dict:
    plan = goal.problem.plan
    resource = {
        "lifecycleStatus": lifecycle_status(goal),
        "description": {"text": goal.statement},
        "subject": patient_reference(plan.client),
        "target": [
            {"measure": {"text": objective.statement}, "dueDate": objective.target_date.isoformat()}
            for objective in goal.objectives.all()
        ],
    }
    start = plan.effective_date or (plan.signed_at and plan.signed_at.date())
    if start:
        resource["startDate"] = start.isoformat()
    if not resource["target"]:
        del resource["target"]
    return resource


def _goal_id_filter(value: str) -> Q | None:
    plan_id, rest = value[:36], value[37:]
    numbers = rest.split("-")
    if value[36:37] != "-" or len(numbers) != 2 or not all(n.isdigit() for n in numbers):
        return None
    q = params.id_q(plan_id, "problem__plan__public_id")
    if q is None:
        return None
    return q & Q(problem__number=int(numbers[0]), number=int(numbers[1]))


# Goal.lifecycleStatus as SQL, the same rule as lifecycle_status().
_OBJECTIVES = Objective.objects.filter(goal=OuterRef("pk"))
_COMPLETED = Q(Exists(_OBJECTIVES)) & ~Q(Exists(_OBJECTIVES.exclude(status=Objective.Status.MET)))
LIFECYCLE_Q = {
    "completed": _COMPLETED,
    "active": ~_COMPLETED & Q(problem__plan__status=TreatmentPlan.Status.ACTIVE),
    "cancelled": ~_COMPLETED & Q(problem__plan__status=TreatmentPlan.Status.SUPERSEDED),
}


def _lifecycle(queryset, value):
    q = Q(pk__in=[])
    for _system, code in wanted_codes(value):
        q |= LIFECYCLE_Q.get(code, Q(pk__in=[]))
    return queryset.filter(q)


def _target_date(queryset, value):
    due = _OBJECTIVES.filter(params.date_q("target-date", value, "target_date", is_date=True))
    return queryset.filter(Exists(due))


def _careplan_status(queryset, value):
    wanted = {code for _system, code in wanted_codes(value)}
    return queryset.filter(status__in=[s for s, code in PLAN_STATUS.items() if code in wanted])


def _careplan_date(queryset, value):
    return queryset.filter(params.date_q("date", value, "effective_date", is_date=True))


CAREPLAN = register(
    ResourceType(
        name="CarePlan",
        profiles=[CAREPLAN_PROFILE],
        sources=[
            Source(
                queryset=lambda: (
                    TreatmentPlan.objects.filter(status__in=PUBLISHED)
                    .select_related("client", "author")
                    .prefetch_related("problems__goals__objectives__interventions")
                ),
                client_path="client_id",
                category="treatment_plan",
                id_of=lambda plan: str(plan.public_id),
                id_filter=params.id_q,
                to_fhir=careplan_fhir,
                updated_field="created_at",
                order=("-created_at", "-id"),
                filters={
                    "patient": params.patient_filter("client"),
                    "category": fixed_token(CATEGORY_SYSTEM, "assess-plan"),
                    "status": _careplan_status,
                    "date": _careplan_date,
                },
            )
        ],
        params=[
            SearchParam("patient", "reference", "The client (Patient/<id>)."),
            SearchParam("category", "token", "assess-plan (US Core careplan-category)."),
            SearchParam("status", "token", "active or revoked (a superseded version)."),
            SearchParam("date", "date", "The plan's effective date."),
        ],
        includes=[
            Include(
                "goal",
                "Goal",
                lambda resource: [g["reference"] for g in resource.get("goal", [])],
            )
        ],
    )
)

GOAL = register(
    ResourceType(
        name="Goal",
        profiles=[GOAL_PROFILE],
        sources=[
            Source(
                queryset=lambda: (
                    Goal.objects.filter(problem__plan__status__in=PUBLISHED)
                    .select_related("problem__plan__client")
                    .prefetch_related("objectives")
                    .annotate(created_at=F("problem__plan__created_at"))
                ),
                client_path="problem__plan__client_id",
                category="treatment_plan",
                id_of=lambda goal: goal_id(goal.problem.plan, goal.problem, goal),
                id_filter=_goal_id_filter,
                to_fhir=goal_fhir,
                updated_field="created_at",
                order=("-problem__plan__created_at", "problem__number", "number", "id"),
                filters={
                    "patient": params.patient_filter("problem__plan__client"),
                    "lifecycle-status": _lifecycle,
                    "target-date": _target_date,
                },
            )
        ],
        params=[
            SearchParam("patient", "reference", "The client (Patient/<id>)."),
            SearchParam("lifecycle-status", "token", "active, completed or cancelled."),
            SearchParam("target-date", "date", "An objective's target date."),
        ],
    )
)
