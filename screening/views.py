from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.decorators import client_view
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view, audit_record
from iop.clients.demographics_form import DemographicsForm
from iop.clients.forms import ClientForm
from iop.clients.models import Demographics, Episode
from iop.clients.signing import note_addenda
from iop.clients.views import chart_redirect
from iop.formtools import (
    add_service_errors,
    form_saved,
    message_outcome,
    message_service_errors,
    require_confirmation,
)
from screening import selectors, services
from screening.forms import (
    AddendumForm,
    CompletionForm,
    DimensionRatingsForm,
    InstrumentForm,
    ReferralForm,
    SafetyActionForm,
    substance_forms,
)
from screening.instruments import REGISTRY, InstrumentValidationError, get_instrument
from screening.models import SafetyFlag, Screening
from screening.policy import CLINICAL, SCREENERS


def _screening_for(client, screening_id) -> Screening:
    return get_object_or_404(
        Screening.objects.select_related("episode", "signed_by", "cosigned_by", "started_by"),
        episode__client=client,
        public_id=screening_id,
    )


@role_required(*SCREENERS)
def referral_create(request):
    client_form = ClientForm(request.POST or None, prefix="client")
    client_form.helper.form_tag = False
    client_form.helper.inputs = []
    referral_form = ReferralForm(request.POST or None, prefix="referral")
    # Optional at referral; a screening admits only once they are answered.
    demographics_form = DemographicsForm(
        request.POST or None, prefix="demographics", submit=False, discharged=False
    )
    substances = substance_forms(request.POST or None)
    forms = [client_form, referral_form, demographics_form, *substances]
    forms_valid = all([form.is_valid() for form in forms]) if request.method == "POST" else False
    if forms_valid:
        try:
            referral = services.referral_register(
                actor=request.user,
                client_data=client_form.client_data(),
                referral_data=referral_form.cleaned_data,
                substances=[
                    {"rank": form.rank, **form.cleaned_data}
                    for form in substances
                    if form.has_changed()
                ],
                demographics=demographics_form.demographics_data(),
                request=request,
            )
        except ValidationError as error:
            named = getattr(error, "error_dict", {})
            mine = any(name in demographics_form.fields for name in named)
            add_service_errors(demographics_form if mine else referral_form, error)
        else:
            client = referral.episode.client
            messages.success(request, _("Referral registered: record number %s.") % client.mrn)
            return chart_redirect(client, section="screening")
    return render(
        request,
        "screening/referral_form.html",
        {
            "client_form": client_form,
            "referral_form": referral_form,
            "demographics_form": demographics_form,
            "substances": substances,
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(*SCREENERS)
def worklist(request):
    clients = list(selectors.clients_in_screening(clients_visible_to(request.user)))
    # The worklist names clients and their record numbers: one view event each.
    audit_list_view(request, clients=clients, name="screening_worklist")
    return render(request, "screening/worklist.html", {"clients": clients})


@client_view(*SCREENERS)
@require_POST
def screening_start(request, client):
    episode = client.episodes.filter(phase=Episode.Phase.SCREENING).first()
    if episode is None:
        raise Http404
    try:
        screening = services.screening_start(actor=request.user, episode=episode, request=request)
    except ValidationError as error:
        message_service_errors(request, error)
        return chart_redirect(client, section="screening")
    return redirect(
        "screening:screening-detail", client_id=client.public_id, screening_id=screening.public_id
    )


def _detail_context(request, client, screening, **forms):
    can_act = request.user.has_role(*SCREENERS) and not screening.is_completed
    context = {
        "client": client,
        "screening": screening,
        "administrations": screening.administrations.select_related("administered_by"),
        "flags": SafetyFlag.objects.filter(administration__screening=screening).select_related(
            "addressed_by"
        ),
        "ratings": screening.ratings.all(),
        "instruments": REGISTRY.values(),
        "can_act": can_act,
        "addenda": note_addenda(screening) if screening.is_signed else [],
        "can_cosign": screening.awaits_cosignature and request.user.is_supervisor,
    }
    if not screening.is_completed:
        # Intake sees which TEDS items the admission still needs, each a
        # link to the form that records them and returns here.
        context["missing_items"] = [
            Demographics.verbose(name)
            for name in selectors.screening_missing_demographics(screening)
        ]
        context["demographics_url"] = (
            reverse("clients:demographics-edit", kwargs={"client_id": client.public_id})
            + "?"
            + urlencode({"next": screening_detail_url(client, screening)})
        )
    if can_act:
        context["dimension_form"] = forms.get("dimension_form") or DimensionRatingsForm(
            initial=DimensionRatingsForm.initial_from(screening)
        )
        context["completion_form"] = forms.get("completion_form") or CompletionForm(
            screening=screening
        )
    elif screening.is_completed and request.user.has_role(*SCREENERS):
        context["addendum_form"] = forms.get("addendum_form") or AddendumForm()
    return context


@client_view(*CLINICAL)
def screening_detail(request, client, screening_id):
    screening = _screening_for(client, screening_id)
    return render(
        request, "screening/screening_detail.html", _detail_context(request, client, screening)
    )


@client_view(*SCREENERS)
@require_POST
def screening_dimensions(request, client, screening_id):
    screening = _screening_for(client, screening_id)
    form = DimensionRatingsForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: services.screening_rate_dimensions(
            actor=request.user,
            screening=screening,
            ratings=form.ratings(),
            complicated_withdrawal=data["complicated_withdrawal"],
            request=request,
        ),
        success=_("Dimension ratings saved."),
    )
    if saved:
        return redirect(screening_detail_url(client, screening) + "#recommendation")
    context = _detail_context(request, client, screening, dimension_form=form)
    return render(request, "screening/screening_detail.html", context, status=400)


def _complete(request, screening, decision):
    require_confirmation(
        request, _("Confirm signing: a signed screening is locked and cannot be changed.")
    )
    services.screening_complete(
        actor=request.user, screening=screening, decision=decision, request=request
    )


@client_view(*SCREENERS)
@require_POST
def screening_complete(request, client, screening_id):
    screening = _screening_for(client, screening_id)
    form = CompletionForm(request.POST, screening=screening)
    saved = form_saved(
        request,
        form,
        lambda data: _complete(request, screening, form.decision_data()),
        success=_("Screening completed and signed."),
    )
    if saved:
        return redirect(screening_detail_url(client, screening))
    context = _detail_context(request, client, screening, completion_form=form)
    return render(request, "screening/screening_detail.html", context, status=400)


@client_view(*SCREENERS)
@require_POST
def screening_addendum(request, client, screening_id):
    screening = _screening_for(client, screening_id)
    form = AddendumForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: services.screening_addendum_add(
            actor=request.user, screening=screening, text=data["text"], request=request
        ),
        success=_("Addendum signed."),
    )
    if saved:
        return redirect(screening_detail_url(client, screening))
    context = _detail_context(request, client, screening, addendum_form=form)
    return render(request, "screening/screening_detail.html", context, status=400)


@client_view(roles.SUPERVISOR)
@require_POST
def screening_cosign(request, client, screening_id):
    screening = _screening_for(client, screening_id)
    message_outcome(
        request,
        lambda: services.screening_cosign(actor=request.user, screening=screening, request=request),
        success=_("Screening co-signed."),
    )
    return redirect(screening_detail_url(client, screening))


@client_view(*SCREENERS)
def referral_letter(request, client, screening_id):
    screening = _screening_for(client, screening_id)
    if not screening.is_completed or screening.decision != Screening.Decision.REFER:
        raise Http404
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.PRINT,
        client=client,
        obj=screening,
        request=request,
        details={"document": "referral letter"},
    )
    context = {
        "client": client,
        "screening": screening,
        "administrations": screening.administrations.all()
        if screening.share_results_in_letter
        else [],
    }
    return render(request, "screening/referral_letter.html", context)


@client_view(*CLINICAL)
def administer(request, client, code, screening_id=None):
    try:
        instrument = get_instrument(code)
    except KeyError as error:
        raise Http404 from error
    screening = _screening_for(client, screening_id) if screening_id else None
    if screening is not None and (screening.is_completed or not request.user.has_role(*SCREENERS)):
        raise Http404
    form = InstrumentForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            administration = services.administration_record(
                actor=request.user,
                client=client,
                code=code,
                answers=form.answers(),
                screening=screening,
                request=request,
            )
        except InstrumentValidationError as error:
            form.add_item_errors(error.errors)
        else:
            messages.success(
                request,
                _("%(code)s scored %(total)s: %(band)s.")
                % {
                    "code": code,
                    "total": administration.total if administration.total is not None else "—",
                    "band": administration.band_label,
                },
            )
            if administration.safety_flags.exists():
                messages.error(request, _("Safety flag raised: record the action taken now."))
            if screening is not None:
                return redirect(screening_detail_url(client, screening))
            return chart_redirect(client, section="screening")
    status = 400 if request.method == "POST" else 200
    context = {"client": client, "screening": screening, "instrument": instrument, "form": form}
    return render(request, "screening/administer.html", context, status=status)


@client_view(*CLINICAL)
def flag_address(request, client, flag_id):
    flag = get_object_or_404(
        SafetyFlag.objects.select_related("administration__screening"),
        client=client,
        public_id=flag_id,
    )
    form = SafetyActionForm(request.POST or None)
    saved = flag.is_open and form_saved(
        request,
        form,
        lambda data: services.safety_flag_address(
            actor=request.user, flag=flag, action=data["action"], note=data["note"], request=request
        ),
        success=_("Action recorded on the safety flag."),
    )
    if saved:
        screening = flag.administration.screening
        if screening is not None:
            return redirect(screening_detail_url(client, screening))
        return chart_redirect(client)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "screening/flag_address.html",
        {"client": client, "flag": flag, "form": form},
        status=status,
    )


def screening_detail_url(client, screening) -> str:
    return reverse(
        "screening:screening-detail",
        kwargs={"client_id": client.public_id, "screening_id": screening.public_id},
    )
