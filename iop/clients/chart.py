"""The client chart's sections and timeline, from what the apps registered
in iop.extensions (CHART_SECTIONS, TIMELINE_SOURCES): the chart page belongs
to iop.clients, which must not import the feature apps (DESIGN.md). The
chart page renders its alerts, header and Overview in order with the
context each one computes; the "body" sections form the section navigation
(chart_tabs), each tab computed only when opened (its fragment view, or the
page for a deep link); the printed chart computes and renders everything.

Everyone who may open the chart sees a section unless it says otherwise
(`visible`): a section not visible to the viewer is not rendered at all,
not even its title, and its context is not computed. Each timeline source
belongs to a section and is skipped where that section is not visible, so
the timeline and the printed chart never show what the chart hides.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from iop.audit.decorators import may_open
from iop.clients.models import Client
from iop.extensions import CHART_REGIONS, CHART_SECTIONS, TIMELINE_SOURCES, TimelineEntry

# The chart shows the newest entries; the whole timeline has its own page.
CHART_TIMELINE_ENTRIES = 50
PRINT_TIMELINE_ENTRIES = 200


def section_visible(key: str, user, client: Client) -> bool:
    """Whether the section `key` is on this user's chart of this client
    (a section no app registered is on nobody's)."""
    section = CHART_SECTIONS.get(key)
    return section is not None and section.visible(user, client)


def chart_sections(
    request: HttpRequest, client: Client, *, printing: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """The sections the viewer sees with their context, by region, in display
    order; `printing` for the printed chart (everything on the page)."""
    regions: dict[str, list[dict[str, Any]]] = {region: [] for region in CHART_REGIONS}
    for key, section in CHART_SECTIONS.items():
        if not section.visible(request.user, client):
            continue
        context = section.context(request, client, printing=printing)
        regions.setdefault(section.region, []).append(
            {"key": key, "section": section, "context": context}
        )
    return regions


OVERVIEW = "overview"


@dataclass(frozen=True)
class ChartTab:
    """An entry of the chart's section navigation: the "body" sections it
    shows (their keys), in order."""

    key: str
    title: str
    sections: tuple[str, ...]


def chart_tabs(user, client: Client) -> list[ChartTab]:
    """The section navigation as `user` sees it, after the Overview: each
    tab ordered by its first section, without a section (or a tab) the
    user may not see."""
    members: dict[str, list[str]] = {}
    for key, section in CHART_SECTIONS.items():
        if section.region == "body" and section.visible(user, client):
            members.setdefault(section.tab or key, []).append(key)
    tabs = []
    for tab, keys in members.items():
        head = CHART_SECTIONS.get(tab) or CHART_SECTIONS.get(keys[0])
        tabs.append(ChartTab(key=tab, title=head.tab_title or head.title, sections=tuple(keys)))
    return tabs


def chart_tab(user, client: Client, key: str) -> ChartTab | None:
    """The tab `key` if `user` sees it, else None."""
    return next((tab for tab in chart_tabs(user, client) if tab.key == key), None)


def tab_sections(request: HttpRequest, client: Client, tab: ChartTab) -> list[dict[str, Any]]:
    """The sections of an opened tab with their context, in order."""
    return [
        {"key": key, "section": section, "context": section.context(request, client)}
        for key in tab.sections
        if (section := CHART_SECTIONS.get(key)) is not None
    ]


def chart_page_regions(request: HttpRequest, client: Client) -> dict[str, list[dict[str, Any]]]:
    """What the chart page renders itself, whatever the tab: the alerts, the
    header's sections and the Overview's (not the tabs: they load when
    opened)."""
    regions: dict[str, list[dict[str, Any]]] = {"alerts": [], "header": [], "overview": []}
    for key, section in CHART_SECTIONS.items():
        if section.region in regions and section.visible(request.user, client):
            context = section.context(request, client)
            regions[section.region].append({"key": key, "section": section, "context": context})
    return regions


def chart_timeline(client: Client, *, viewer, limit: int | None = PRINT_TIMELINE_ENTRIES):
    """The client's newest `limit` entries (None: every one) that `viewer`
    may see, newest first, linked only where the viewer may go. Each
    source's own newest `limit` hold the newest `limit` of all."""
    entries: list[TimelineEntry] = []
    for source in TIMELINE_SOURCES:
        if section_visible(source.section, viewer, client):
            entries.extend(source.entries(client, viewer=viewer, limit=limit))
    # Stable: entries of the same moment keep the sources' order.
    entries.sort(key=lambda entry: entry.when, reverse=True)
    shown = entries if limit is None else entries[:limit]
    return [_linked(entry, viewer, client) for entry in shown]


def _linked(entry: TimelineEntry, viewer, client: Client) -> TimelineEntry:
    # The view's own declaration decides (its roles, whether it is part of
    # the whole record): the same answer the link would get, without a query.
    if entry.url and not may_open(viewer, entry.url, client=client):
        return replace(entry, url="")
    return entry


def newest(queryset, limit: int | None):
    """A timeline source's rows, newest first, cut to its `limit`."""
    return queryset if limit is None else queryset[:limit]


def newest_entries(entries: list[TimelineEntry], limit: int | None) -> list[TimelineEntry]:
    """The `limit` newest entries of a source whose rows give two entries
    each (started and stopped, recorded and revoked), read by their last
    event, newest first: the `limit` rows with the newest last events hold
    the `limit` newest entries."""
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries if limit is None else entries[:limit]


def day_start(day: date) -> datetime:
    """Date-only items sit at the start of their day on the timeline."""
    return timezone.make_aware(datetime.combine(day, time.min))
