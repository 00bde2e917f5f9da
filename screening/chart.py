"""The screening sections of the client chart: safety alerts on top, then
screenings and each instrument's scores over time."""

from django.urls import reverse

from iop.audit.decorators import may_open
from iop.clients.chart import newest
from iop.clients.models import Episode
from iop.extensions import TimelineEntry
from screening import selectors
from screening.instruments import REGISTRY
from screening.models import InstrumentAdministration, Screening
from screening.policy import CLINICAL, SCREENERS


def alerts_section(request, client, *, printing=False):
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


def screening_section(request, client, *, printing=False):
    screenings = list(
        Screening.objects.filter(episode__client=client)
        .select_related("signed_by")
        .order_by("-started_at")
    )
    in_screening = client.episodes.filter(phase=Episode.Phase.SCREENING).exists()
    can_screen = request.user.has_role(*SCREENERS)
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
        "can_administer": request.user.has_role(*CLINICAL),
        "instruments": REGISTRY.values(),
        "scores": selectors.client_scores_by_instrument(client),
    }


def timeline_entries(client, *, viewer, limit=None):
    entries = []
    administrations = (
        InstrumentAdministration.objects.filter(client=client)
        .select_related("screening")
        .order_by("-administered_at", "-pk")
    )
    for administration in newest(administrations, limit):
        url = ""
        if administration.screening_id:
            url = reverse(
                "screening:screening-detail",
                args=[client.public_id, administration.screening.public_id],
            )
        total = "" if administration.total is None else f" {administration.total}"
        detail = administration.band_label
        if administration.source != InstrumentAdministration.Source.STAFF:
            # How it was answered, where it was not by staff in person.
            detail = f"{detail} · {administration.get_source_display()}"
        entries.append(
            TimelineEntry(
                when=administration.administered_at,
                kind="instrument",
                title=f"{administration.code}{total}",
                detail=detail,
                url=url,
            )
        )
    return entries
