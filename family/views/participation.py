"""The POSTs of the family sections on other apps' pages: Family Education
attendance on the group session page, attendees of a conjoint session on its
note. Both answer with a redirect back to the page, with a message."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from family import services
from family.forms import ConjointForm, FamilyAttendanceForm
from family.models import FamilyMember
from groups.selectors import sessions_visible_to
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.decorators import client_view
from iop.audit.policy import clients_visible_to
from iop.clients.models import Appointment
from iop.formtools import message_form_outcome, message_outcome


@role_required(*roles.CLINICIANS)
@require_POST
def education_attendance(request, session_id):
    session = get_object_or_404(sessions_visible_to(request.user), public_id=session_id)
    back = redirect("groups:session-detail", session_id=session.public_id)
    form = FamilyAttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose present, absent or excused."))
        return back
    client = clients_visible_to(request.user).filter(public_id=form.cleaned_data["client"]).first()
    member = FamilyMember.objects.filter(public_id=form.cleaned_data["member"]).first()
    if client is None or member is None:
        messages.error(request, _("This person is not on the session's family roster."))
        return back
    message_outcome(
        request,
        lambda: services.family_attendance_record(
            actor=request.user,
            session=session,
            member=member,
            client=client,
            status=form.cleaned_data["status"],
            request=request,
        ),
        success=_("Attendance of %s saved.") % member.name,
    )
    return back


@client_view(*roles.CLINICIANS)
@require_POST
def conjoint_attendees(request, client, appointment_id):
    appointment = get_object_or_404(
        Appointment.objects.select_related("client"), client=client, public_id=appointment_id
    )
    back = redirect(
        "clients:session-document", client_id=client.public_id, appointment_id=appointment.public_id
    )
    message_form_outcome(
        request,
        ConjointForm(request.POST, members=FamilyMember.objects.filter(links__client=client)),
        lambda data: services.conjoint_attendees_set(
            actor=request.user,
            appointment=appointment,
            members=list(data["members"]),
            request=request,
        ),
        success=_("Family attendees saved."),
        invalid=_("Choose family members of this client."),
    )
    return back
