"""The one access policy: which clients a staff member may see.

DESIGN.md: a counselor sees their own caseload and the members of the groups
they facilitate; supervisors and administrators see the whole program; intake
staff see clients still in screening; anyone holds the clients of their
unexpired emergency ("break-glass") grants. Every client-scoped query starts here,
and a client outside the policy is a 404 identical to a missing one.

Feature apps that widen a counselor's view (groups: members of the groups a
counselor facilitates) register a scope in their AppConfig.ready(), so the
core never imports them.
"""

from collections.abc import Callable
from uuid import UUID

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from iop.audit.models import EmergencyAccess
from iop.clients.models import Client, Episode

# Each scope takes a user and returns a Q over Client naming extra clients
# that user may see because of a relationship the feature app owns.
ClientScope = Callable[[object], Q]
_counselor_scopes: list[ClientScope] = []
_intake_scopes: list[ClientScope] = []


def register_counselor_scope(scope: ClientScope) -> None:
    if scope not in _counselor_scopes:
        _counselor_scopes.append(scope)


def register_intake_scope(scope: ClientScope) -> None:
    """Widen intake staff's view (screening: clients they recently screened)."""
    if scope not in _intake_scopes:
        _intake_scopes.append(scope)


def _open_episode(**filters) -> Q:
    # An uncorrelated IN (...) rather than EXISTS per client: OR-ed with the
    # other scopes, PostgreSQL can then hash each subquery once instead of
    # probing it for every client of the program.
    return Q(
        pk__in=Episode.objects.filter(**filters)
        .exclude(phase=Episode.Phase.DISCHARGED)
        .values("client_id")
    )


def clients_visible_to(user) -> QuerySet[Client]:
    """The clients `user` may see, as a queryset to filter further."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Client.objects.none()
    if user.sees_whole_program:
        return Client.objects.all()
    # Break-glass grants (EmergencyAccess) open a client for an hour to a
    # designated user, whatever the role; expired grants open nothing, and
    # neither do grants of someone no longer designated (checked in the same
    # subquery: the permission held directly or through a group).
    designation = Permission.objects.filter(content_type__app_label="audit", codename="break_glass")
    still_designated = (
        Q(user__is_superuser=True)
        | Q(user__user_permissions__in=designation)
        | Q(user__groups__permissions__in=designation)
    )
    visible = Q(
        pk__in=EmergencyAccess.objects.filter(
            still_designated, user=user, expires_at__gt=timezone.now()
        ).values("client_id")
    )
    if user.is_counselor:
        visible |= _open_episode(primary_counselor=user)
        for scope in _counselor_scopes:
            visible |= scope(user)
    if user.is_intake:
        visible |= _open_episode(phase=Episode.Phase.SCREENING)
        for scope in _intake_scopes:
            visible |= scope(user)
    return Client.objects.filter(visible)


def client_get_for_user(user, public_id: UUID | str) -> Client:
    """The client with this public id if `user` may see it; else Http404,
    the same answer as for an id that does not exist."""
    try:
        return clients_visible_to(user).get(public_id=public_id)
    except (Client.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
