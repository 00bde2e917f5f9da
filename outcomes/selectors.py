"""Reads of due measures for other pages: My day's list and the group
roster's markers. Each is one query, whatever the number of clients."""

from datetime import date

from django.utils.translation import gettext as _

from iop.audit.policy import clients_visible_to
from outcomes.services.plan import open_due_measures

# My day lists this many due measures at most (a supervisor sees the program).
MY_DAY_SHOWN = 50


def measures_due_today(user, on: date) -> list:
    """Open measures due by `on` of the clients `user` may see, oldest due
    first, with their client. One query."""
    return list(
        open_due_measures(on=on)
        .filter(client__in=clients_visible_to(user))
        .select_related("client")
        .order_by("due_on", "client__legal_last_name", "client_id", "instrument")[:MY_DAY_SHOWN]
    )


def roster_due_markers(client_ids, on_date: date) -> dict[int, list[str]]:
    """ROSTER_MARKERS entry: "BAM due" beside each client with that measure
    open on the session's day. One query for the whole roster."""
    rows = (
        open_due_measures(on=on_date)
        .filter(client_id__in=list(client_ids))
        .values_list("client_id", "instrument")
        .distinct()
        .order_by("client_id", "instrument")
    )
    markers: dict[int, list[str]] = {}
    for client_id, instrument in rows:
        markers.setdefault(client_id, []).append(_("%(code)s due") % {"code": instrument})
    return markers
