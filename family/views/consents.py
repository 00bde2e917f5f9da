"""Consents: record, read, revoke, end on their expiry event, and release
what one covers as a printable document."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from family import services
from family.consents import NOTICE, consent_refusal, consent_state
from family.forms import ConsentForm, RevokeForm
from family.models import Consent, FamilyMember
from family.release import release_content
from iop.accounts import roles
from iop.audit.decorators import client_view
from iop.formtools import (
    add_service_errors,
    message_form_outcome,
    message_outcome,
    message_service_errors,
)

# Administrators read a consent and its disclosures; only clinicians change it.
READERS = (roles.COUNSELOR, roles.SUPERVISOR, roles.ADMINISTRATOR)


def _members(client):
    return FamilyMember.objects.filter(links__client=client).order_by("last_name", "first_name")


def _consent_for(client, consent_id) -> Consent:
    return get_object_or_404(
        Consent.objects.select_related("recipient_member", "recorded_by", "revoked_by"),
        client=client,
        public_id=consent_id,
    )


def _detail(client, consent):
    return redirect(
        "family:consent-detail", client_id=client.public_id, consent_id=consent.public_id
    )


@client_view(*roles.CLINICIANS, whole_record=True)
def consent_new(request, client):
    initial = {}
    member_id = request.GET.get("member")
    if member_id:
        initial = {"recipient_kind": Consent.RecipientKind.FAMILY, "recipient_member": member_id}
    form = ConsentForm(request.POST or None, members=_members(client), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.consent_record(
                actor=request.user, client=client, data=form.cleaned_data, request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Consent recorded."))
            return _detail(client, consent)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "family/consent_form.html", {"client": client, "form": form}, status=status
    )


@client_view(*READERS, whole_record=True)
@require_safe
def consent_detail(request, client, consent_id):
    consent = _consent_for(client, consent_id)
    state = consent_state(consent)
    context = {
        "client": client,
        "consent": consent,
        "state": state,
        "refusal": "" if state == "active" else consent_refusal(consent, state),
        "disclosures": consent.disclosures.select_related("user", "consent").order_by(
            "-disclosed_at"
        )[:50],
        "revoke_form": RevokeForm(),
        "can_edit": request.user.has_role(*roles.CLINICIANS),
    }
    return render(request, "family/consent_detail.html", context)


@client_view(*roles.CLINICIANS, whole_record=True)
@require_POST
def consent_revoke(request, client, consent_id):
    consent = _consent_for(client, consent_id)
    message_form_outcome(
        request,
        RevokeForm(request.POST),
        lambda data: services.consent_revoke(
            actor=request.user, consent=consent, note=data["note"], request=request
        ),
        success=_("Consent revoked. No further disclosure is allowed under it."),
        invalid=_("Say how the client revoked the consent."),
    )
    return _detail(client, consent)


@client_view(*roles.CLINICIANS, whole_record=True)
@require_POST
def consent_event(request, client, consent_id):
    consent = _consent_for(client, consent_id)
    message_outcome(
        request,
        lambda: services.consent_event_occurred(
            actor=request.user, consent=consent, request=request
        ),
        success=_("The consent ended with its expiry event."),
    )
    return _detail(client, consent)


@client_view(*roles.CLINICIANS, whole_record=True)
@require_POST
def release_export(request, client, consent_id):
    """The release of information: decided and written to the ledger first,
    then shown as a printable page carrying the 42 CFR part 2 notice."""
    consent = _consent_for(client, consent_id)
    try:
        disclosure = services.release_of_information_export(
            actor=request.user, consent=consent, request=request
        )
    except ValidationError as error:
        message_service_errors(request, error, template=_("Release refused: %(reason)s"))
        return _detail(client, consent)
    context = {
        "client": client,
        "consent": consent,
        "disclosure": disclosure,
        "sections": release_content(client, consent.categories),
        "notice": NOTICE,
        "prepared_at": timezone.now(),
    }
    return render(request, "family/release.html", context)
