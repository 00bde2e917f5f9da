"""Sections feature apps add to the session-note page.

The note page belongs to iop.clients, which must not import feature apps
(DESIGN.md). An app that records more about a session (family: who of the
family attended a conjoint session) registers a section in its
AppConfig.ready(): a function (request, client, appointment, note) ->
{"template": ..., "context": {...}} or None when it has nothing for that
appointment. It makes a fixed number of queries, none for appointments it
does not concern, and posts to the app's own URLs.
"""

from collections.abc import Callable

from django.http import HttpRequest

from iop.clients.models import Appointment, Client, SessionNote

NoteSection = Callable[[HttpRequest, Client, Appointment, SessionNote | None], dict | None]
_note_sections: dict[str, NoteSection] = {}


def register_session_note_section(key: str, section: NoteSection) -> None:
    _note_sections[key] = section


def session_note_sections(
    request: HttpRequest, client: Client, appointment: Appointment, note: SessionNote | None
) -> list[dict]:
    shown = []
    for section in _note_sections.values():
        item = section(request, client, appointment, note)
        if item is not None:
            shown.append(item)
    return shown
