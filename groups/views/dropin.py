"""Adding a client to one session (a drop-in): the picker, fetched when the
facilitator means to add someone, its search, and the add itself."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from groups import selectors
from groups.forms import DropInForm
from groups.services import sessions
from groups.views.common import session_for
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view
from iop.formtools import message_form_outcome

# Up to this many drop-in candidates are listed; beyond, the page offers a
# search (a supervisor may see the whole program).
DROP_IN_LIST_MAX = 100
DROP_IN_SEARCH_MAX = 20


@role_required(*roles.CLINICIANS)
@require_POST
def session_drop_in(request, session_id):
    session = session_for(request.user, session_id)
    visible = clients_visible_to(request.user)
    message_form_outcome(
        request,
        DropInForm(request.POST, clients=visible),
        lambda data: sessions.session_add_client(
            actor=request.user,
            session=session,
            client=data["client"],
            visible_clients=visible,
            request=request,
        ),
        success=_("Client added to the session."),
        invalid=_("Choose a client to add."),
    )
    return redirect("groups:session-detail", session_id=session.public_id)


@role_required(*roles.CLINICIANS)
@require_safe
def session_drop_in_picker(request, session_id):
    """htmx: the drop-in form, asked for when the facilitator means to add
    someone (most views of a session never do): the candidates listed, or a
    search when there are more than DROP_IN_LIST_MAX."""
    session = session_for(request.user, session_id)
    on_roster = [entry.client.pk for entry in selectors.session_roster(session)]
    listed = selectors.drop_in_choices(
        selectors.drop_in_candidates(request.user, on_roster=on_roster),
        limit=DROP_IN_LIST_MAX + 1,
    )
    search = len(listed) > DROP_IN_LIST_MAX
    listed = [] if search else listed
    # Names and record numbers are shown (not when a search is offered instead).
    audit_list_view(request, clients=[client for client, _ in listed], name="drop_in_picker")
    context = {
        "session": session,
        "drop_in_form": DropInForm(clients=None),
        "drop_in_search": search,
        "drop_in_choices": [(client.pk, label) for client, label in listed],
    }
    return render(request, "groups/includes/_drop_in_picker.html", context)


@role_required(*roles.CLINICIANS)
@require_safe
def session_drop_in_search(request, session_id):
    """htmx: the drop-in candidates whose name or record number holds the
    text typed, as <option>s for the picker (names only, as the client list,
    and audited as it is: one view event per client found)."""
    session = session_for(request.user, session_id)
    text = request.GET.get("q", "").strip()[:50]
    found = []
    if len(text) >= 2:
        on_roster = [entry.client.pk for entry in selectors.session_roster(session)]
        candidates = selectors.drop_in_candidates(request.user, on_roster=on_roster, text=text)
        found = selectors.drop_in_choices(candidates, limit=DROP_IN_SEARCH_MAX)
    audit_list_view(request, clients=[client for client, _ in found], name="drop_in_search")
    choices = [(client.pk, label) for client, label in found]
    return render(
        request,
        "groups/includes/_drop_in_options.html",
        {"choices": choices, "searched": len(text) >= 2},
    )
