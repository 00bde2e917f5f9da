"""A page and the fragments it loads count as one view of the record
(DESIGN.md): opening a chart writes one view event, not one for the chart
and another for each htmx fragment it fetches (each section opened), so
the emergency-access review counts pages a person opened, not requests.

The page's view writes its event with `page_view_audit`, which returns a
signed token binding the user, the client and that event. The page sends it
back on every htmx request it makes (an `hx-headers` attribute, inherited by
the elements inside it: no script), and `client_view` does not audit again a
request to a view declared a fragment (`client_view(..., fragment=True)`)
that carries a valid token for the same user and client. A token that is
missing, forged, expired, another user's or another client's is ignored: the
fragment is then audited like any other view, and the request never fails.
"""

from datetime import timedelta

from django.core import signing

from iop.audit.policy import access_note
from iop.audit.services import audit_view

# Its own salt: a token signed for anything else never passes here.
SALT = "iop.audit.pageview"
# Long enough for a page left open while the fragments load (and for the
# idle timeout of 15 minutes), short enough that an old token is useless.
MAX_AGE = timedelta(minutes=30)
HEADER = "X-Page-View"
# Ours are about 100 characters; anything much longer is not one of them.
MAX_TOKEN_LENGTH = 500


def page_view_audit(request, client) -> str:
    """Write the view event of a page that loads fragments, and return the
    token its fragments send back. The `client_view` decorator then writes
    no second event for this request."""
    event = audit_view(request, client=client, details=access_note(client))
    request.page_view_event = event
    return signing.dumps(
        {"user": request.user.pk, "client": str(client.public_id), "event": event.pk},
        salt=SALT,
    )


def audited_by_page(request) -> bool:
    """Whether the view already wrote this request's view event itself."""
    return getattr(request, "page_view_event", None) is not None


def fragment_of_page_view(request, client) -> bool:
    """Whether the request carries a valid token of a page view of this
    client by this user, signed less than MAX_AGE ago."""
    token = request.headers.get(HEADER, "")
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return False
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError):
        return False
    return (
        isinstance(data, dict)
        and data.get("user") == request.user.pk
        and data.get("client") == str(client.public_id)
        and isinstance(data.get("event"), int)
    )
