"""The treatment plan page: the active plan, the draft being edited, earlier
versions, signing with the client's agreement, and reviews."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iop.accounts import roles
from iop.audit.decorators import client_view
from iop.clients.clinical_forms import (
    InterventionForm,
    ObjectiveForm,
    PlanSignForm,
    ReviewForm,
    StatementForm,
)
from iop.clients.diagnosis_forms import ProblemForm
from iop.clients.models import Diagnosis, Episode, Goal, Objective, Problem, TreatmentPlan
from iop.clients.selectors.clinical import client_plans
from iop.clients.services import plans as services
from iop.clients.signing import note_addenda
from iop.formtools import (
    message_form_outcome,
    message_outcome,
    message_service_errors,
    require_confirmation,
)


def _plan_page(client):
    return redirect("clients:plan-detail", client_id=client.public_id)


@client_view(*roles.CLINICIANS)
def plan_detail(request, client):
    plans = client_plans(client)
    active = next((p for p in plans if p.status == TreatmentPlan.Status.ACTIVE), None)
    draft = next((p for p in plans if p.status == TreatmentPlan.Status.DRAFT), None)
    context = {
        "client": client,
        "active": active,
        "draft": draft,
        "earlier": [p for p in plans if p.status == TreatmentPlan.Status.SUPERSEDED],
        "reviews": note_addenda(active) if active else [],
        "statement_form": StatementForm(),
        "objective_form": ObjectiveForm(),
        "intervention_form": InterventionForm(),
        "sign_form": PlanSignForm(),
        "review_form": ReviewForm(),
        "objective_statuses": Objective.Status.choices,
        # What a new problem of the draft may address.
        "diagnoses": list(Diagnosis.objects.current().filter(episode=draft.episode_id))
        if draft
        else [],
    }
    return render(request, "clients/plan_detail.html", context)


@client_view(*roles.CLINICIANS)
@require_POST
def plan_start(request, client):
    episode = client.episodes.exclude(phase=Episode.Phase.DISCHARGED).first()
    if episode is None:
        messages.error(request, _("The client has no open episode."))
        return _plan_page(client)
    message_outcome(
        request,
        lambda: services.plan_start_draft(actor=request.user, episode=episode, request=request),
    )
    return _plan_page(client)


def _draft_of(client) -> TreatmentPlan:
    return get_object_or_404(TreatmentPlan, client=client, status=TreatmentPlan.Status.DRAFT)


def _posted_id(request, name: str) -> int:
    value = request.POST.get(name, "")
    # isdigit() alone lets through digits int() refuses, such as "²".
    return int(value) if value.isascii() and value.isdigit() else 0


@client_view(*roles.CLINICIANS)
@require_POST
def plan_add(request, client, part):
    """Add a problem, goal, objective or intervention to the draft."""
    draft = _draft_of(client)
    try:
        if part == "problem":
            form = ProblemForm(request.POST, episode=draft.episode)
            if form.is_valid():
                services.plan_add_problem(
                    actor=request.user, plan=draft, request=request, **form.cleaned_data
                )
        elif part == "goal":
            problem = get_object_or_404(Problem, plan=draft, pk=_posted_id(request, "parent"))
            form = StatementForm(request.POST)
            if form.is_valid():
                services.plan_add_goal(
                    actor=request.user, problem=problem, request=request, **form.cleaned_data
                )
        elif part == "objective":
            goal = get_object_or_404(Goal, problem__plan=draft, pk=_posted_id(request, "parent"))
            form = ObjectiveForm(request.POST)
            if form.is_valid():
                services.plan_add_objective(
                    actor=request.user, goal=goal, request=request, **form.cleaned_data
                )
        elif part == "intervention":
            objective = get_object_or_404(
                Objective, goal__problem__plan=draft, pk=_posted_id(request, "parent")
            )
            form = InterventionForm(request.POST)
            if form.is_valid():
                services.plan_add_intervention(
                    actor=request.user, objective=objective, request=request, **form.cleaned_data
                )
        else:
            return _plan_page(client)
    except ValidationError as error:
        message_service_errors(request, error)
        return _plan_page(client)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return _plan_page(client)


@client_view(*roles.CLINICIANS)
@require_POST
def objective_status(request, client):
    draft = _draft_of(client)
    objective = get_object_or_404(
        Objective, goal__problem__plan=draft, pk=_posted_id(request, "objective")
    )
    message_outcome(
        request,
        lambda: services.plan_set_objective_status(
            actor=request.user,
            objective=objective,
            status=request.POST.get("status", ""),
            request=request,
        ),
    )
    return _plan_page(client)


@client_view(*roles.CLINICIANS)
@require_POST
def plan_sign(request, client):
    draft = _draft_of(client)

    def sign(data):
        require_confirmation(
            request, _("Confirm signing: a signed plan is locked and cannot be changed.")
        )
        services.plan_sign(actor=request.user, plan=draft, request=request, **data)

    message_form_outcome(
        request,
        PlanSignForm(request.POST),
        sign,
        success=_("Plan signed and active."),
        invalid=_("Record when the client agreed to the plan."),
        date_field="client_agreed_on",
    )
    return _plan_page(client)


@client_view(*roles.CLINICIANS)
@require_POST
def plan_review(request, client):
    active = get_object_or_404(TreatmentPlan, client=client, status=TreatmentPlan.Status.ACTIVE)
    message_form_outcome(
        request,
        ReviewForm(request.POST),
        lambda data: services.plan_review(
            actor=request.user, plan=active, note=data["note"], request=request
        ),
        success=_("Review recorded; next review in 30 days."),
        invalid=_("Write the review note."),
    )
    return _plan_page(client)
