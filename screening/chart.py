"""The screening sections of the client chart: safety alerts on top, then
screenings and each instrument's scores over time."""

from django.urls import reverse

from iop.accounts import roles
from iop.audit.decorators import may_open
from iop.audit.policy import clients_visible_to
from iop.clients.chart import (
    ChartSection,
    TimelineEntry,
    register_chart_section,
    register_timeline_source,
)
from iop.clients.models import Episode
from iop.reminders.sources import register_digest_source
from screening import selectors
from screening.instruments import REGISTRY
from screening.models import InstrumentAdministration, SafetyFlag, Screening


def _alerts(request, client):
    flags = list(selectors.client_open_safety_flags(client))
    # Every flag is addressed on one page: those it refuses see the flag only.
    return {
        "client": client,
        "flags": flags,
        "can_address": bool(flags)
        and may_open(
            request.user,
            reverse("screening:flag-address", args=[client.public_id, flags[0].public_id]),
            client=client,
        ),
    }


def _screening_section(request, client):
    screenings = list(
        Screening.objects.filter(episode__client=client)
        .select_related("signed_by")
        .order_by("-started_at")
    )
    in_screening = client.episodes.filter(phase=Episode.Phase.SCREENING).exists()
    can_screen = request.user.has_role(roles.INTAKE, roles.SUPERVISOR)
    return {
        "client": client,
        "screenings": screenings,
        # Every screening is read on one page: those it refuses see the list.
        "can_open": bool(screenings)
        and may_open(
            request.user,
            reverse("screening:screening-detail", args=[client.public_id, screenings[0].public_id]),
            client=client,
        ),
        "can_start": in_screening
        and can_screen
        and not any(s.status == Screening.Status.DRAFT for s in screenings),
        "can_administer": request.user.has_role(roles.INTAKE, roles.COUNSELOR, roles.SUPERVISOR),
        "instruments": REGISTRY.values(),
        "scores": selectors.client_scores_by_instrument(client),
    }


def register() -> None:
    register_timeline_source("instruments", _timeline_entries, section="screening")
    register_digest_source("safety-flags", digest_items)
    register_chart_section(
        ChartSection(
            key="safety-alerts",
            title="Safety flags",
            template="screening/includes/_chart_alerts.html",
            context=_alerts,
            order=0,
            region="alerts",
        )
    )
    register_chart_section(
        ChartSection(
            key="screening",
            title="Screening and measures",
            template="screening/includes/_chart_section.html",
            context=_screening_section,
            order=10,
        )
    )


def _timeline_entries(client, *, viewer):
    entries = []
    for administration in InstrumentAdministration.objects.filter(client=client).select_related(
        "screening"
    ):
        url = ""
        if administration.screening_id:
            url = reverse(
                "screening:screening-detail",
                args=[client.public_id, administration.screening.public_id],
            )
        total = "" if administration.total is None else f" {administration.total}"
        entries.append(
            TimelineEntry(
                when=administration.administered_at,
                kind="instrument",
                title=f"{administration.code}{total}",
                detail=administration.band_label,
                url=url,
            )
        )
    return entries


def digest_items(user) -> list[str]:
    """Supervisors hear of open safety flags every morning until addressed
    (a count, within the access policy)."""
    if not user.is_supervisor:
        return []
    open_flags = SafetyFlag.objects.filter(
        addressed_at__isnull=True, client__in=clients_visible_to(user)
    ).count()
    return [f"{open_flags} open safety flag(s)"] if open_flags else []
