"""Kiosk mode: a counselor starts a measure on a clinic device for one
client; the device then shows that questionnaire and nothing else
(outcomes.middleware), and returns to the lock screen (the staff sign-in)
on submission or after KIOSK_TIMEOUT_SECONDS idle."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from iop.accounts import roles
from iop.audit.decorators import client_view
from iop.clients.views import chart_redirect
from iop.formtools import message_service_errors
from outcomes.forms import KioskStartForm, QuestionnaireForm
from outcomes.middleware import kiosk_begin, kiosk_of
from outcomes.models import DueMeasure
from outcomes.services import kiosk as services
from screening.instruments import InstrumentValidationError
from screening.instruments.translations import localized

SECTION = "measures"
# The thank-you page locks the device itself after this long.
DONE_SECONDS = 30


@client_view(*roles.CLINICIANS)
@require_POST
def kiosk_start(request, client):
    """Hand this device to the client: the staff member is signed out here
    (and only here) and the device shows the one questionnaire."""
    form = KioskStartForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return chart_redirect(client, section=SECTION)
    due = None
    if form.cleaned_data["due"]:
        due = DueMeasure.objects.filter(
            client=client, public_id=form.cleaned_data["due"], status=DueMeasure.Status.OPEN
        ).first()
        if due is None:
            messages.error(request, _("This measure is no longer due."))
            return chart_redirect(client, section=SECTION)
    try:
        kiosk = services.kiosk_start(
            actor=request.user,
            client=client,
            due=due,
            instrument=form.cleaned_data["instrument"],
            language=form.cleaned_data["language"],
            request=request,
        )
    except ValidationError as error:
        message_service_errors(request, error)
        return chart_redirect(client, section=SECTION)
    kiosk_begin(request, kiosk)
    return redirect("outcomes:kiosk")


@require_http_methods(["GET", "HEAD", "POST"])
def kiosk(request):
    """The questionnaire, alone on the screen: no name, no navigation (the
    counselor confirmed whom they handed the device to). Without a running
    kiosk in this device's session, the lock screen."""
    running = kiosk_of(request)
    if running is None:
        return redirect("accounts:login")
    with translation.override(running.language):
        instrument = localized(running.instrument, running.language)
        form = QuestionnaireForm(request.POST or None, instrument=instrument)
        context = {
            "instrument": instrument,
            "form": form,
            # A second past the timeout, so the server finds it expired.
            "refresh_seconds": settings.KIOSK_TIMEOUT_SECONDS + 1,
            "timeout_minutes": settings.KIOSK_TIMEOUT_SECONDS // 60,
            "language": running.language,
        }
        if request.method == "POST" and form.is_valid():
            try:
                administration = services.kiosk_submit(
                    kiosk=running, answers=form.answers(), request=request
                )
            except InstrumentValidationError as error:
                form.add_item_errors(dict.fromkeys(error.errors, _("Please answer this question.")))
            except ValidationError:
                return redirect("accounts:login")
            else:
                crisis = services.raised_suicide_risk(administration)
                context = {
                    "crisis": crisis,
                    "clinic_phone": settings.CLINIC_PHONE,
                    # Crisis resources stay up until the kiosk's timeout;
                    # otherwise the device locks itself shortly.
                    "refresh_seconds": settings.KIOSK_TIMEOUT_SECONDS if crisis else DONE_SECONDS,
                    "language": running.language,
                }
                return render(request, "outcomes/kiosk/done.html", context)
        status = 400 if request.method == "POST" else 200
        return render(request, "outcomes/kiosk/questionnaire.html", context, status=status)
