"""Sections of the client chart contributed by feature apps.

The chart page belongs to iop.clients, which must not import the feature apps
(DESIGN.md). Instead each app registers its sections in AppConfig.ready();
the chart renders them in order with the context each one computes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from iop.clients.models import Client


@dataclass(frozen=True)
class ChartSection:
    key: str
    title: str
    template: str
    context: Callable[[HttpRequest, Client], dict[str, Any]]
    order: int = 100


_sections: dict[str, ChartSection] = {}


def register_chart_section(section: ChartSection) -> None:
    _sections[section.key] = section


def chart_sections(request: HttpRequest, client: Client) -> list[dict[str, Any]]:
    """The registered sections with their rendered context, in display order."""
    ordered = sorted(_sections.values(), key=lambda section: (section.order, section.key))
    return [
        {"section": section, "context": section.context(request, client)} for section in ordered
    ]
