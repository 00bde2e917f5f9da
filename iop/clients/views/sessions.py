"""Appointments and their DAP notes: schedule, document, sign, co-sign,
add an addendum, cancel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iop.accounts import roles
from iop.audit.decorators import client_view
from iop.clients.clinical_forms import AddendumForm, AppointmentForm, SessionNoteForm
from iop.clients.models import Appointment, Episode, SessionNote
from iop.clients.selectors.clinical import plan_objectives
from iop.clients.services import appointment_schedule
from iop.clients.services import sessions as services
from iop.clients.signing import note_addenda
from iop.clients.views import chart_redirect
from iop.extensions import NOTE_SECTIONS, page_sections
from iop.formtools import (
    add_service_errors,
    form_saved,
    message_form_outcome,
    message_outcome,
    require_confirmation,
)


def _open_episode(client) -> Episode | None:
    return client.episodes.exclude(phase=Episode.Phase.DISCHARGED).first()


def _appointment_for(client, appointment_id) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related("counselor", "episode"),
        client=client,
        public_id=appointment_id,
    )


@client_view(*roles.CLINICIANS)
def appointment_new(request, client):
    episode = _open_episode(client)
    if episode is None:
        messages.error(request, _("The client has no open episode."))
        return chart_redirect(client, section="sessions")
    initial = {"counselor": request.user if request.user.is_counselor else None}
    form = AppointmentForm(request.POST or None, initial=initial)
    saved = form_saved(
        request,
        form,
        lambda data: appointment_schedule(
            actor=request.user, episode=episode, request=request, **data
        ),
        success=_("Appointment scheduled."),
    )
    if saved:
        return chart_redirect(client, section="sessions")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "clients/appointment_form.html", {"client": client, "form": form}, status=status
    )


def _note_initial(appointment: Appointment, note: SessionNote | None) -> dict:
    if note is None:
        return {
            "status": Appointment.Status.ATTENDED,
            "minutes": appointment.duration_minutes,
            "service_code": "H0001" if appointment.kind == Appointment.Kind.ASSESSMENT else "H0004",
        }
    return {
        "status": appointment.status,
        "data": note.data,
        "assessment": note.assessment,
        "plan": note.plan,
        "service_code": note.service_code,
        "minutes": note.minutes,
        "objectives": list(note.objectives.all()),
    }


@client_view(*roles.CLINICIANS)
def session_document(request, client, appointment_id):
    """Document a session: attendance, DAP note, service code and units,
    objectives addressed and the next appointment; save or save and sign."""
    appointment = _appointment_for(client, appointment_id)
    note = SessionNote.objects.filter(appointment=appointment).select_related("signed_by").first()
    form = SessionNoteForm(
        request.POST or None,
        objectives=plan_objectives(client),
        initial=_note_initial(appointment, note),
    )
    locked = note is not None and note.is_signed
    if request.method == "POST" and not locked and form.is_valid():
        data = form.cleaned_data
        next_appointment = (
            {"starts_at": data["next_starts_at"], "kind": Appointment.Kind.INDIVIDUAL}
            if data["next_starts_at"]
            else None
        )
        try:
            if request.POST.get("action") == "sign":
                require_confirmation(
                    request, _("Confirm signing: a signed note is locked and cannot be changed.")
                )
            note = services.session_document(
                actor=request.user,
                appointment=appointment,
                status=data["status"],
                data=data["data"],
                assessment=data["assessment"],
                plan=data["plan"],
                service_code=data["service_code"],
                minutes=data["minutes"],
                objectives=list(data["objectives"]),
                next_appointment=next_appointment,
                request=request,
            )
            if request.POST.get("action") == "sign":
                services.session_note_sign(actor=request.user, note=note, request=request)
                messages.success(request, _("Note signed."))
            else:
                messages.success(request, _("Note saved as a draft."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(
                "clients:session-document",
                client_id=client.public_id,
                appointment_id=appointment.public_id,
            )
    context = {
        "client": client,
        "appointment": appointment,
        "note": note,
        "form": form,
        "locked": locked,
        "addenda": note_addenda(note) if locked else [],
        "addendum_form": AddendumForm() if locked else None,
        "can_cosign": locked and note.awaits_cosignature and request.user.is_supervisor,
        "extra_sections": page_sections(NOTE_SECTIONS, request, client, appointment, note),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "clients/session_document.html", context, status=status)


def _note_for(client, appointment_id) -> SessionNote:
    return get_object_or_404(
        SessionNote.objects.select_related("appointment"),
        appointment__client=client,
        appointment__public_id=appointment_id,
    )


def _back_to_note(client, note):
    return redirect(
        "clients:session-document",
        client_id=client.public_id,
        appointment_id=note.appointment.public_id,
    )


@client_view(roles.SUPERVISOR)
@require_POST
def note_cosign(request, client, appointment_id):
    note = _note_for(client, appointment_id)
    message_outcome(
        request,
        lambda: services.session_note_cosign(actor=request.user, note=note, request=request),
        success=_("Note co-signed."),
    )
    return _back_to_note(client, note)


@client_view(*roles.CLINICIANS, addenda=True)
@require_POST
def note_addendum(request, client, appointment_id):
    note = _note_for(client, appointment_id)
    message_form_outcome(
        request,
        AddendumForm(request.POST),
        lambda data: services.session_note_addendum(
            actor=request.user, note=note, text=data["text"], request=request
        ),
        success=_("Addendum signed."),
        invalid=_("Write the addendum."),
    )
    return _back_to_note(client, note)


@client_view(*roles.CLINICIANS)
@require_POST
def appointment_cancel(request, client, appointment_id):
    """Cancel an appointment with its reason, once the dialog confirmed it."""
    appointment = _appointment_for(client, appointment_id)

    def cancel():
        require_confirmation(request, _("Confirm the cancellation: it cannot be taken back."))
        services.appointment_cancel(
            actor=request.user,
            appointment=appointment,
            reason=request.POST.get("reason", ""),
            request=request,
        )

    message_outcome(request, cancel, success=_("Appointment cancelled."))
    return chart_redirect(client, section="sessions")
