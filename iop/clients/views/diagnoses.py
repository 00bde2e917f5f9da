"""The Diagnoses page of a client (reached from the chart header and the
chart's Diagnoses section), its actions, the ICD-10-CM search it uses, and
the list of proposed diagnoses a licensed counselor or supervisor confirms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.decorators import client_view
from iop.audit.policy import reads_only
from iop.audit.services import audit_list_view
from iop.clients import icd10
from iop.clients.diagnosis_forms import (
    CodeDiagnosisForm,
    DischargeDiagnosisForm,
    ResolveForm,
    SudChecklistForm,
)
from iop.clients.models import Diagnosis, Episode
from iop.clients.selectors.diagnoses import client_diagnoses, proposed_for
from iop.clients.services import diagnoses as services
from iop.formtools import add_service_errors, message_form_outcome, message_outcome


def _page(client):
    return redirect("clients:diagnoses", client_id=client.public_id)


def _open_episode(client) -> Episode | None:
    """The episode new diagnoses go to: the open, admitted one."""
    return client.episodes.filter(phase__in=Episode.ACTIVE_PHASES).first()


def _blocks(client, open_episode) -> list[dict]:
    """The page's sections: each episode with diagnoses (newest first), the
    open one even without; a discharged one with its diagnosis at discharge."""
    episodes = {open_episode: []} if open_episode else {}
    for diagnosis in client_diagnoses(client):
        episodes.setdefault(diagnosis.episode, []).append(diagnosis)
    blocks = []
    for episode, items in episodes.items():
        block = {"episode": episode, "diagnoses": items, "open": episode == open_episode}
        if episode.phase == Episode.Phase.DISCHARGED:
            chosen = next((d for d in items if d.pk == episode.discharge_diagnosis_id), None)
            block["at_discharge"] = chosen
            block["discharge_form"] = DischargeDiagnosisForm(
                diagnoses=items, initial={"diagnosis": chosen.public_id if chosen else ""}
            )
        blocks.append(block)
    return blocks


def _render(request, client, *, sud_form=None, code_form=None, status=200):
    open_episode = _open_episode(client)
    context = {
        "client": client,
        "blocks": _blocks(client, open_episode),
        "open_episode": open_episode,
        "may_propose": request.user.has_role(*services.PROPOSERS) and not reads_only(client),
        # The counselor of a recent discharge reads the record, nothing more.
        "may_change": request.user.has_role(*services.CONFIRMERS) and not reads_only(client),
        "may_confirm": services.may_confirm(request.user) and not reads_only(client),
        "sud_form": sud_form or SudChecklistForm(),
        "code_form": code_form or CodeDiagnosisForm(),
        "icd10_source": icd10.SOURCE,
    }
    return render(request, "clients/diagnoses.html", context, status=status)


@client_view(*roles.RECORD_ROLES)
@require_safe
def diagnoses(request, client):
    return _render(request, client)


def _add(request, client, form, call):
    episode = _open_episode(client)
    if episode is None:
        messages.error(request, _("Diagnoses are recorded for an admitted, open episode."))
        return _page(client)
    if form.is_valid():
        try:
            diagnosis = call(episode, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Diagnosis %(code)s recorded (%(status)s).")
                % {"code": diagnosis.icd10_code, "status": diagnosis.get_status_display().lower()},
            )
            return _page(client)
    return None


@client_view(*services.PROPOSERS)
@require_POST
def diagnosis_add_sud(request, client):
    form = SudChecklistForm(request.POST)
    answer = _add(
        request,
        client,
        form,
        lambda episode, data: services.diagnosis_add_sud(
            actor=request.user, episode=episode, request=request, **data
        ),
    )
    return answer or _render(request, client, sud_form=form, status=400)


@client_view(*services.PROPOSERS)
@require_POST
def diagnosis_add_code(request, client):
    form = CodeDiagnosisForm(request.POST)
    answer = _add(
        request,
        client,
        form,
        lambda episode, data: services.diagnosis_add_code(
            actor=request.user, episode=episode, request=request, **data
        ),
    )
    return answer or _render(request, client, code_form=form, status=400)


def _diagnosis_of(client, diagnosis_id) -> Diagnosis:
    return get_object_or_404(
        Diagnosis.objects.select_related("episode"), client=client, public_id=diagnosis_id
    )


@client_view(*services.CONFIRMERS)
@require_POST
def diagnosis_confirm(request, client, diagnosis_id):
    diagnosis = _diagnosis_of(client, diagnosis_id)
    message_outcome(
        request,
        lambda: services.diagnosis_confirm(
            actor=request.user, diagnosis=diagnosis, request=request
        ),
        success=_("Diagnosis %(code)s confirmed.") % {"code": diagnosis.icd10_code},
    )
    if request.POST.get("next") == "proposed":
        return redirect("clients:diagnoses-proposed")
    return _page(client)


@client_view(*services.CONFIRMERS)
@require_POST
def diagnosis_primary(request, client, diagnosis_id):
    diagnosis = _diagnosis_of(client, diagnosis_id)
    message_outcome(
        request,
        lambda: services.diagnosis_make_primary(
            actor=request.user, diagnosis=diagnosis, request=request
        ),
        success=_("%(code)s is now the primary diagnosis.") % {"code": diagnosis.icd10_code},
    )
    return _page(client)


@client_view(*services.CONFIRMERS)
@require_POST
def diagnosis_resolve(request, client, diagnosis_id):
    diagnosis = _diagnosis_of(client, diagnosis_id)
    message_form_outcome(
        request,
        ResolveForm(request.POST),
        lambda data: services.diagnosis_resolve(
            actor=request.user, diagnosis=diagnosis, request=request, **data
        ),
        success=_("Diagnosis %(code)s resolved.") % {"code": diagnosis.icd10_code},
        invalid=_("Enter the date the diagnosis was resolved."),
        date_field="date_resolved",
    )
    return _page(client)


@client_view(*services.CONFIRMERS)
@require_POST
def discharge_diagnosis(request, client, episode_id):
    episode = get_object_or_404(
        client.episodes.filter(phase=Episode.Phase.DISCHARGED), public_id=episode_id
    )
    message_form_outcome(
        request,
        DischargeDiagnosisForm(request.POST, diagnoses=list(episode.diagnoses.all())),
        lambda data: services.episode_discharge_diagnosis_set(
            actor=request.user, episode=episode, request=request, **data
        ),
        success=_("Diagnosis at discharge recorded."),
        invalid=_("Choose one of the episode's diagnoses."),
    )
    return _page(client)


@role_required(*services.PROPOSERS)
@require_safe
def icd10_search(request):
    """htmx: the <option>s of the code field's datalist. The shipped code
    list only: no client data, nothing to audit."""
    query = request.GET.get("icd10_code") or request.GET.get("q", "")
    return render(
        request, "clients/includes/_icd10_options.html", {"codes": icd10.search(query[:100])}
    )


@role_required(*services.CONFIRMERS)
@require_safe
def diagnoses_proposed(request):
    """Proposed diagnoses of the clients the user sees, to confirm. Names
    clients: one view event per client listed."""
    proposed = list(proposed_for(request.user))
    audit_list_view(request, clients=[d.client for d in proposed], name="diagnoses-proposed")
    return render(
        request,
        "clients/diagnoses_proposed.html",
        {"proposed": proposed, "may_confirm": services.may_confirm(request.user)},
    )
