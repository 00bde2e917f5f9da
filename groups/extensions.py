"""Sections other apps add to the group session page.

The session page belongs to groups; an app that records something else at a
session (family: family members at Family Education) registers a section
here in its AppConfig.ready(), so groups never imports it. A section is a
function (request, session) -> {"template": ..., "context": {...}} or None
when it has nothing to show for that session; it makes a fixed number of
queries and none at all for sessions it does not concern. The app handles
its own POSTs under its own URLs.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

SessionSection = Callable[[HttpRequest, Any], dict | None]
_session_sections: dict[str, SessionSection] = {}


def register_session_section(key: str, section: SessionSection) -> None:
    _session_sections[key] = section


def session_sections(request: HttpRequest, session) -> list[dict]:
    """The sections to show on this session's page, in registration order."""
    shown = []
    for section in _session_sections.values():
        item = section(request, session)
        if item is not None:
            shown.append(item)
    return shown
