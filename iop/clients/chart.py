"""Sections of the client chart contributed by feature apps.

The chart page belongs to iop.clients, which must not import the feature apps
(DESIGN.md). Instead each app registers its sections in AppConfig.ready();
the chart renders them in order with the context each one computes.

Everyone who may open the chart sees a section unless it says otherwise
(`visible`): a section not visible to the viewer is not rendered at all,
not even its title, and its context is not computed. Each timeline source
belongs to a section and is skipped where that section is not visible, so
the timeline and the printed chart never show what the chart hides.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from iop.audit.decorators import may_open
from iop.clients.models import Client

# (user, client) -> whether the user sees the section; the client comes from
# the access policy (client_get_for_user), which the user already passed.
Visibility = Callable[[Any, Client], bool]


def everyone(user, client) -> bool:
    return True


@dataclass(frozen=True)
class ChartSection:
    key: str
    title: str
    template: str
    context: Callable[[HttpRequest, Client], dict[str, Any]]
    order: int = 100
    # "alerts" sections render above the chart (safety flags); "body" below.
    region: str = "body"
    # Costs no query for the common case: the chart is rendered for many.
    visible: Visibility = everyone


_sections: dict[str, ChartSection] = {}


def register_chart_section(section: ChartSection) -> None:
    _sections[section.key] = section


def section_visible(key: str, user, client: Client) -> bool:
    """Whether the section `key` is on this user's chart of this client
    (a section no app registered is on nobody's)."""
    section = _sections.get(key)
    return section is not None and section.visible(user, client)


def chart_sections(request: HttpRequest, client: Client) -> dict[str, list[dict[str, Any]]]:
    """The sections the viewer sees with their context, by region, in display
    order."""
    ordered = sorted(_sections.values(), key=lambda section: (section.order, section.key))
    regions: dict[str, list[dict[str, Any]]] = {"alerts": [], "body": []}
    for section in ordered:
        if not section.visible(request.user, client):
            continue
        regions.setdefault(section.region, []).append(
            {"section": section, "context": section.context(request, client)}
        )
    return regions


@dataclass(frozen=True)
class TimelineEntry:
    """One documented item on the chart's chronological timeline. `url` is
    the page it links to; the timeline drops it (the entry shows as text)
    where the viewer may not open that page."""

    when: datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""


TimelineSource = Callable[..., list[TimelineEntry]]


@dataclass(frozen=True)
class _Source:
    source: TimelineSource
    section: str
    takes_limit: bool


_timeline_sources: dict[str, _Source] = {}

# The chart shows the newest entries; the whole timeline has its own page.
CHART_TIMELINE_ENTRIES = 50
PRINT_TIMELINE_ENTRIES = 200


def register_timeline_source(key: str, source: TimelineSource, *, section: str) -> None:
    """Each source returns one client's entries, as seen by `viewer`, with a
    fixed number of queries: source(client, viewer=...). It belongs to the
    chart section `section` (its key) and is not asked where that section is
    not visible to the viewer. A source that takes a `limit` keyword returns
    at most its `limit` newest entries (None: all), so a short timeline
    loads little. A source whose links depend on more than the roles of the
    page they lead to (a group session the viewer does not run) leaves the
    url empty itself, within its one query."""
    takes_limit = "limit" in inspect.signature(source).parameters
    _timeline_sources[key] = _Source(source, section, takes_limit)


def chart_timeline(client: Client, *, viewer, limit: int | None = PRINT_TIMELINE_ENTRIES):
    """The client's newest `limit` entries (None: every one) that `viewer`
    may see, newest first, linked only where the viewer may go. Each
    source's own newest `limit` hold the newest `limit` of all."""
    entries = []
    for registered in _timeline_sources.values():
        if not section_visible(registered.section, viewer, client):
            continue
        if registered.takes_limit:
            entries.extend(registered.source(client, viewer=viewer, limit=limit))
        else:
            entries.extend(registered.source(client, viewer=viewer))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    shown = entries if limit is None else entries[:limit]
    return [_linked(entry, viewer, client) for entry in shown]


def _linked(entry: TimelineEntry, viewer, client: Client) -> TimelineEntry:
    # The view's own declaration decides (its roles, whether it is part of
    # the whole record): the same answer the link would get, without a query.
    if entry.url and not may_open(viewer, entry.url, client=client):
        return replace(entry, url="")
    return entry


def day_start(day: date) -> datetime:
    """Date-only items sit at the start of their day on the timeline."""
    return timezone.make_aware(datetime.combine(day, time.min))
