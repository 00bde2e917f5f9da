from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftercare import selectors, services
from aftercare.forms import CheckInForm, DischargeForm, OutreachAttemptForm, StepDownForm
from aftercare.models import CheckIn, DischargeSummary, OutreachTask
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.decorators import client_view
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view
from iop.clients.clinical_forms import AddendumForm
from iop.clients.models import Episode
from iop.clients.services import episode_open_for_readmission
from iop.clients.views import chart_redirect
from iop.formtools import (
    form_saved,
    message_form_outcome,
    message_outcome,
    require_confirmation,
)


def _episode(client, *phases) -> Episode | None:
    return client.episodes.filter(phase__in=phases).first()


@client_view(*roles.CLINICIANS)
def step_down(request, client):
    """Complete the intensive phase and start the 12-month aftercare plan."""
    episode = _episode(client, Episode.Phase.INTENSIVE)
    if episode is None:
        messages.error(request, _("Only a client in the intensive phase can step down."))
        return chart_redirect(client, section="aftercare")
    form = StepDownForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: services.aftercare_start(
            actor=request.user,
            episode=episode,
            plan=data,
            started_on=data["started_on"],
            request=request,
        ),
        success=_("Aftercare started: 12 months of check-ins are scheduled."),
    )
    if saved:
        return chart_redirect(client, section="aftercare")
    context = {
        "client": client,
        "form": form,
        "unmet": selectors.step_down_readiness(episode),
    }
    return render(
        request,
        "aftercare/step_down.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@client_view(*roles.CLINICIANS)
def check_in(request, client, check_in_id):
    check_in = get_object_or_404(
        CheckIn.objects.select_related("plan"), client=client, public_id=check_in_id
    )
    form = CheckInForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: _record_check_in(request, check_in, data),
        success=_("Check-in recorded and signed."),
    )
    if saved:
        return chart_redirect(client, section="aftercare")
    context = {"client": client, "check_in": check_in, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "aftercare/check_in.html", context, status=status)


@client_view(*roles.CLINICIANS)
@require_POST
def outreach_attempt(request, client, task_id):
    task = get_object_or_404(OutreachTask, client=client, public_id=task_id)
    message_form_outcome(
        request,
        OutreachAttemptForm(request.POST),
        lambda data: services.outreach_attempt_add(
            actor=request.user, task=task, request=request, **data
        ),
        success=_("Attempt logged."),
        invalid=_("Choose how you tried and what happened."),
    )
    if request.POST.get("next") == "queue":
        return redirect("aftercare:worklist")
    return chart_redirect(client, section="aftercare")


def _record_check_in(request, check_in, data):
    require_confirmation(
        request, _("Confirm signing: a signed check-in is locked and cannot be changed.")
    )
    services.check_in_record(actor=request.user, check_in=check_in, data=data, request=request)


def _discharge(request, episode, data, summary):
    require_confirmation(
        request,
        _("Confirm the discharge: it signs the summary and ends the episode's appointments."),
    )
    services.episode_discharge_with_summary(
        actor=request.user,
        episode=episode,
        discharge_date=data["discharge_date"],
        reason=data["reason"],
        summary=summary,
        arrests=data["arrests"],
        request=request,
    )


@client_view(*roles.CLINICIANS)
def discharge(request, client):
    episode = _episode(client, *Episode.ACTIVE_PHASES)
    if episode is None:
        messages.error(request, _("The client has no episode to discharge."))
        return chart_redirect(client, section="aftercare")
    form = DischargeForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: _discharge(request, episode, data, form.summary_data()),
        success=_("Client discharged; remaining appointments cancelled."),
    )
    if saved:
        return redirect("clients:client-list")
    context = {"client": client, "episode": episode, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "aftercare/discharge.html", context, status=status)


@client_view(*roles.CLINICIANS, addenda=True)
@require_POST
def summary_addendum(request, client, summary_id):
    """A signed addendum to a discharge summary; the counselor who discharged
    the client may add one for the recent-discharge period."""
    summary = get_object_or_404(DischargeSummary, episode__client=client, public_id=summary_id)
    message_form_outcome(
        request,
        AddendumForm(request.POST),
        lambda data: services.discharge_summary_addendum(
            actor=request.user, summary=summary, text=data["text"], request=request
        ),
        success=_("Addendum signed."),
        invalid=_("Write the addendum."),
    )
    return chart_redirect(client, section="aftercare")


@client_view(roles.SUPERVISOR)
@require_POST
def readmit(request, client):
    """Re-refer a discharged client: a new episode in screening."""
    message_outcome(
        request,
        lambda: episode_open_for_readmission(actor=request.user, client=client, request=request),
        success=_("Re-referred: the client is on the screening worklist."),
    )
    return chart_redirect(client)


@role_required(*roles.CLINICIANS)
@require_GET
def worklist(request):
    """The counselor's Aftercare page: due, overdue and flagged clients and the
    outreach queue, oldest first. Supervisors see the whole program. Every
    list is within the access policy, and each client named is audited as
    seen on the list."""
    visible = clients_visible_to(request.user)
    counselor = None if request.user.is_supervisor else request.user
    context = {
        **selectors.aftercare_worklist(visible, counselor=counselor),
        "tasks": selectors.outreach_queue(visible, counselor=counselor),
        "attempt_form": OutreachAttemptForm(),
    }
    rows = context["overdue"] + context["due"] + context["flagged"] + context["tasks"]
    audit_list_view(request, clients=[row.client for row in rows], name="aftercare")
    return render(request, "aftercare/worklist.html", context)
