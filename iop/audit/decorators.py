from functools import wraps
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.urls import Resolver404, resolve

from iop.audit.pageview import audited_by_page, fragment_of_page_view
from iop.audit.policy import access_note, client_get_for_user, holds_record, reads_only
from iop.audit.services import audit_view

ALLOWED_METHODS = ("GET", "HEAD", "POST")


def client_view(
    *role_names: str, addenda: bool = False, whole_record: bool = False, fragment: bool = False
):
    """For every view of one client's record, addressed by `client_id` in the URL.

    Order matters: the access policy is applied before the role check, so a
    client outside the policy is always a 404 (never a 403 that would confirm
    the person is a client). A response that shows the record (a GET, or a
    POST that re-renders a form) writes one "view" audit event, noting how a
    user outside the client's own caseload got in (covering, group...); successful
    POSTs redirect and leave the audit to the service that made the change.
    The view receives the Client as its second argument.

    A user who may only read the record (the counselor of a recent
    discharge) gets a 403 for every POST, except on views declared with
    `addenda=True` (a signed note's addendum, the one change they may make).

    whole_record: the page is one of the parts of the record a group or a
    covered session does not need (family, consents, disclosures): a user
    who sees the client but does not hold the record (policy.holds_record)
    gets a 403, like a wrong role.
    fragment: the view answers an htmx request of a page that wrote its own
    view event (iop.audit.pageview); a request carrying that page's token is
    part of the same view and is not audited again.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, client_id, *args, **kwargs):
            client = client_get_for_user(request.user, client_id)
            if not request.user.has_role(*role_names):
                raise PermissionDenied
            if whole_record and not holds_record(request.user, client):
                raise PermissionDenied
            if request.method not in ALLOWED_METHODS:
                return HttpResponseNotAllowed(ALLOWED_METHODS)
            if request.method == "POST" and not addenda and reads_only(client):
                raise PermissionDenied
            response = view(request, client, *args, **kwargs)
            shows_record = response.status_code < 300 or response.status_code == 400
            if (
                shows_record
                and not audited_by_page(request)
                and not (fragment and fragment_of_page_view(request, client))
            ):
                audit_view(request, client=client, details=access_note(client))
            return response

        wrapped.required_roles = role_names
        wrapped.allows_addenda = addenda
        wrapped.client_scoped = True
        wrapped.whole_record = whole_record
        return wrapped

    return decorator


def may_open(user, url: str, *, client) -> bool:
    """Whether a link to `url`, shown on a page of `client` (whom `user`
    sees), leads somewhere `user` may go: the roles its view declares
    (client_view or role_required) and, for the parts of the whole record,
    holding it. A page renders a refused link as text (DESIGN.md: no page
    links to an object the viewer may not open). No query for a client read
    through the policy."""
    try:
        view = resolve(urlsplit(url).path).func
    except Resolver404:
        return False
    roles = getattr(view, "required_roles", None)
    if roles is not None and not user.has_role(*roles):
        return False
    return not getattr(view, "whole_record", False) or holds_record(user, client)
