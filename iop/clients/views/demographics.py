"""The chart's page for an episode's demographic and social items (TEDS)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from iop.accounts import roles
from iop.audit.decorators import client_view
from iop.clients import selectors, services
from iop.clients.demographics_form import DemographicsForm
from iop.clients.models import Demographics
from iop.clients.views import chart_redirect
from iop.formtools import form_saved

# Intake records them at referral and screening; clinicians keep them current.
DEMOGRAPHICS_EDITORS = (roles.INTAKE, *roles.CLINICIANS)


def _back(request, client):
    """Where the page returns: the page that linked here (the screening) when
    it is one of ours, else the chart."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return chart_redirect(client)


@client_view(*DEMOGRAPHICS_EDITORS)
def demographics_edit(request, client):
    episode = selectors.client_episodes(client).select_related("demographics").first()
    if episode is None:
        raise Http404
    instance = getattr(episode, "demographics", None)
    initial = {}
    if instance is None:
        instance = Demographics(episode=episode)
        previous = (
            Demographics.objects.filter(episode__client=client)
            .exclude(episode=episode)
            .order_by("-episode__referral_date")
            .first()
        )
        if previous is not None:
            initial = {
                name: getattr(previous, name) for name in Demographics.CARRIED_TO_READMISSION
            }
    form = DemographicsForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        submit=False,
        discharged=episode.discharge_date is not None,
    )
    saved = form_saved(
        request,
        form,
        lambda data: services.demographics_update(
            actor=request.user, episode=episode, data=form.demographics_data(), request=request
        ),
        success=_("Demographics saved."),
    )
    if saved:
        return _back(request, client)
    missing = services.demographics_missing(episode)
    return render(
        request,
        "clients/demographics_form.html",
        {
            "client": client,
            "episode": episode,
            "form": form,
            "missing": [Demographics.verbose(name) for name in missing],
            "next": request.GET.get("next", ""),
        },
        status=400 if form.errors else 200,
    )
