import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.decorators import client_view
from iop.audit.pageview import HEADER as PAGE_VIEW_HEADER
from iop.audit.pageview import page_view_audit
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view
from iop.clients import selectors, services
from iop.clients.chart import (
    chart_page_regions,
    chart_sections,
    chart_tab,
    chart_tabs,
    chart_timeline,
    tab_sections,
)
from iop.clients.forms import AssignCounselorForm, ClientFilterForm, ClientForm
from iop.clients.models import Episode
from iop.clients.selectors.clinical import current_medications
from iop.clients.selectors.diagnoses import chart_diagnoses
from iop.clients.views import chart_redirect
from iop.clients.views.demographics import DEMOGRAPHICS_EDITORS
from iop.extensions import role_pages_for
from iop.formtools import form_saved

CLIENTS_PER_PAGE = 25
EDITORS = (roles.INTAKE, roles.SUPERVISOR)


@role_required(*roles.ALL_ROLES)
def client_list(request):
    filters = ClientFilterForm(request.GET or None)
    search = {}
    if filters.is_valid():
        data = filters.cleaned_data
        counselor = request.user if data["mine"] else data["counselor"]
        search = {
            "query": data["q"],
            "phase": data["phase"],
            "counselor_id": counselor.pk if counselor else None,
        }
    clients = selectors.client_search(clients_visible_to(request.user), **search)
    page = Paginator(clients, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read once: listed, then audited
    audit_list_view(request, clients=page.object_list, name="client_list")
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "clients/client_list.html",
        {
            "filters": filters,
            "page": page,
            "query_string": query_string.urlencode(),
            "client_page": _client_page(request.user),
        },
    )


def _client_page(user) -> str:
    """The URL name each row links to: the chart, or for a role that may not
    open it (billing) that role's own page of the client, else no link."""
    if user.has_role(*roles.RECORD_ROLES):
        return "clients:client-detail"
    pages = role_pages_for(user)
    return pages.client if pages else ""


@role_required(*EDITORS)
def client_create(request):
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = services.client_create(
            actor=request.user, data=form.client_data(), request=request
        )
        messages.success(request, _("Client registered with record number %s.") % client.mrn)
        return chart_redirect(client)
    return render(request, "clients/client_form.html", {"form": form, "client": None})


def chart_context(request, client, *, printing: bool = False, section: str = "") -> dict:
    """Everything the chart page shows: its header, alerts and Overview, the
    section navigation and the section opened by `section` (a deep link);
    the printable chart has every section instead."""
    episodes = list(selectors.client_episodes(client))
    context = {
        "client": client,
        "episodes": episodes,
        "current_episode": episodes[0] if episodes else None,
        "medications": current_medications(client),
        "diagnoses": chart_diagnoses(request, client),
        "can_edit": request.user.has_role(*EDITORS),
        "can_edit_demographics": request.user.has_role(*DEMOGRAPHICS_EDITORS),
        "can_assign": request.user.has_role(roles.SUPERVISOR),
        "clinician": request.user.has_role(*roles.CLINICIANS),
    }
    if printing:
        context["sections"] = chart_sections(request, client, printing=True)
        return context
    tabs = chart_tabs(request.user, client)
    # A section the viewer may not see (or none) opens the Overview.
    opened = next((tab for tab in tabs if tab.key == section), None)
    context.update(
        sections=chart_page_regions(request, client),
        tabs=tabs,
        opened=opened,
        opened_sections=tab_sections(request, client, opened) if opened else [],
    )
    return context


@client_view(*roles.RECORD_ROLES)
@require_safe
def client_detail(request, client):
    context = chart_context(request, client, section=request.GET.get("section", ""))
    # One view event for the chart and the sections it loads when opened:
    # they send its token back (iop.audit.pageview).
    context["page_view_headers"] = json.dumps({PAGE_VIEW_HEADER: page_view_audit(request, client)})
    return render(request, "clients/client_detail.html", context)


@client_view(*roles.RECORD_ROLES, fragment=True)
@require_safe
def client_section(request, client, section):
    """htmx: one tab of the chart's section navigation, loaded when opened.
    A tab the viewer may not see is a 404. It shows the record: audited as
    a view unless it carries the token of the chart page that loaded it
    (then it is part of that view)."""
    tab = chart_tab(request.user, client, section)
    if tab is None:
        raise Http404
    return render(
        request,
        "clients/includes/_chart_tab.html",
        {"client": client, "items": tab_sections(request, client, tab)},
    )


TIMELINE_PER_PAGE = 100


@client_view(*roles.RECORD_ROLES)
@require_safe
def client_timeline(request, client):
    """Everything documented for the client, newest first, a page at a time
    (the chart shows the newest entries only). A view of the record: audited
    as the chart is."""
    entries = chart_timeline(client, viewer=request.user, limit=None)
    page = Paginator(entries, TIMELINE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "clients/client_timeline.html", {"client": client, "page": page})


@client_view(*EDITORS)
def client_update(request, client):
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        services.client_update(
            actor=request.user, client=client, data=form.client_data(), request=request
        )
        messages.success(request, _("Client record updated."))
        return chart_redirect(client)
    return render(request, "clients/client_form.html", {"form": form, "client": client})


@client_view(roles.SUPERVISOR)
def episode_assign(request, client, episode_id):
    episode = get_object_or_404(Episode, client=client, public_id=episode_id)
    form = AssignCounselorForm(
        request.POST or None, initial={"counselor": episode.primary_counselor}
    )
    saved = form_saved(
        request,
        form,
        lambda data: services.episode_assign_counselor(
            actor=request.user,
            episode=episode,
            counselor=data["counselor"],
            reason=data["reason"],
            request=request,
        ),
        success=_("Primary counselor assigned."),
    )
    if saved:
        return chart_redirect(client)
    return render(
        request,
        "clients/episode_assign.html",
        {"form": form, "client": client, "episode": episode},
    )
