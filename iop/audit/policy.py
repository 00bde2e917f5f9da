"""The one access policy: which clients a staff member may see.

DESIGN.md: supervisors and administrators see the whole program; billing
staff see every client too, but only through the billing pages that declare
their role (minimum necessary; holds_record is False for them); intake
staff see clients still in screening; a counselor sees:

- caseload: clients of the open episodes where they are the primary counselor;
- recently discharged: clients whose episode they held as primary counselor,
  for RECENT_DISCHARGE_ACCESS_DAYS after its discharge date (to reread or add
  an addendum to the discharge summary and the last notes);
- covering: clients they have an appointment with (booked by anyone, not
  cancelled), from COVERING_BEFORE before it starts until COVERING_AFTER after
  (the 72 hours in which a note is on time);
- group (registered by the groups app): members of the groups they facilitate.

Anyone holds the clients of their unexpired emergency ("break-glass") grants.
Every client-scoped query starts here, and a client outside the policy is a
404 identical to a missing one.

Each way in is a named scope, so a view of a client through anything but the
whole program or one's own caseload can be audited with the scopes that let
the viewer in (`client_get_for_user` annotates them). Feature apps that widen
a role's view register a scope in iop.extensions (COUNSELOR_SCOPES,
INTAKE_SCOPES) from their own extensions.py, so the core never imports them.
"""

import operator
from datetime import timedelta
from functools import reduce
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from iop.audit.models import EmergencyAccess
from iop.clients.models import Appointment, Client, Episode
from iop.extensions import COUNSELOR_SCOPES, INTAKE_SCOPES

# A covering counselor prepares the week before and documents within the
# 72 hours after which a note is late (DOMAIN.md section 5).
COVERING_BEFORE = timedelta(days=7)
COVERING_AFTER = timedelta(hours=72)
# The ways in a view event needs no note for: the role's own clients.
OWN_CLIENTS = frozenset({"caseload", "screening"})


def _episodes(episodes) -> Q:
    # An uncorrelated IN (...) rather than EXISTS per client: OR-ed with the
    # other scopes, PostgreSQL can then hash each subquery once instead of
    # probing it for every client of the program.
    return Q(pk__in=episodes.values("client_id"))


def caseload(user) -> Q:
    return _episodes(
        Episode.objects.filter(primary_counselor=user).exclude(phase=Episode.Phase.DISCHARGED)
    )


def recently_discharged(user) -> Q:
    since = timezone.localdate() - timedelta(days=settings.RECENT_DISCHARGE_ACCESS_DAYS)
    return _episodes(
        Episode.objects.filter(
            primary_counselor=user, phase=Episode.Phase.DISCHARGED, discharge_date__gte=since
        )
    )


def covering(user) -> Q:
    now = timezone.now()
    appointments = Appointment.objects.filter(
        counselor=user,
        starts_at__gte=now - COVERING_AFTER,
        starts_at__lte=now + COVERING_BEFORE,
        status__in=[Appointment.Status.SCHEDULED, Appointment.Status.ATTENDED],
    ).exclude(episode__phase=Episode.Phase.DISCHARGED)
    return Q(pk__in=appointments.values("client_id"))


def in_screening(user) -> Q:
    return _episodes(Episode.objects.filter(phase=Episode.Phase.SCREENING))


def emergency(user) -> Q:
    # Break-glass grants open a client for an hour to a designated user,
    # whatever the role; expired grants open nothing, and neither do grants of
    # someone no longer designated (checked in the same subquery: the
    # permission held directly or through a group).
    designation = Permission.objects.filter(content_type__app_label="audit", codename="break_glass")
    still_designated = (
        Q(user__is_superuser=True)
        | Q(user__user_permissions__in=designation)
        | Q(user__groups__permissions__in=designation)
    )
    return Q(
        pk__in=EmergencyAccess.objects.filter(
            still_designated, user=user, expires_at__gt=timezone.now()
        ).values("client_id")
    )


def scopes_of(user) -> dict[str, Q]:
    """The named ways in for a user who does not see the whole program."""
    scopes = {"emergency": emergency(user)}
    if user.is_counselor:
        scopes["caseload"] = caseload(user)
        scopes["recently_discharged"] = recently_discharged(user)
        scopes["covering"] = covering(user)
        scopes.update({name: scope(user) for name, scope in COUNSELOR_SCOPES.items()})
    if user.is_intake:
        scopes["screening"] = in_screening(user)
        scopes.update({name: scope(user) for name, scope in INTAKE_SCOPES.items()})
    return scopes


def clients_visible_to(user) -> QuerySet[Client]:
    """The clients `user` may see, as a queryset to filter further."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Client.objects.none()
    if user.sees_every_client:
        return Client.objects.all()
    return Client.objects.filter(reduce(operator.or_, scopes_of(user).values()))


def client_get_for_user(user, public_id: UUID | str) -> Client:
    """The client with this public id if `user` may see it; else Http404,
    the same answer as for an id that does not exist.

    For a user who does not see the whole program, the client carries
    `access_scopes`: the names of the scopes that let the user in (read in
    the same query), so a view through anything other than their own
    caseload can say so in the audit trail."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404
    clients = Client.objects.order_by()
    scopes = {}
    if not user.sees_every_client:
        # Each scope once, as a column: the client is visible when one is
        # true. (Filtering by their OR as well, as clients_visible_to does
        # for lists, would make PostgreSQL plan every subquery twice.)
        scopes = scopes_of(user)
        clients = clients.annotate(
            **{
                f"_scope_{index}": ExpressionWrapper(q, output_field=BooleanField())
                for index, q in enumerate(scopes.values())
            }
        )
    try:
        client = clients.get(public_id=public_id)
    except (Client.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    client.access_scopes = [
        name for index, name in enumerate(scopes) if getattr(client, f"_scope_{index}")
    ]
    if scopes and not client.access_scopes:
        raise Http404
    return client


def access_note(client) -> dict:
    """What a view event records of how the viewer got in: nothing for the
    whole program or one's own clients, else the scopes (e.g. covering)."""
    scopes = getattr(client, "access_scopes", None)
    if not scopes or OWN_CLIENTS & set(scopes):
        return {}
    return {"access": scopes}


# Ways in that let a user read the record and add addenda, nothing more.
READ_ONLY_SCOPES = frozenset({"recently_discharged"})


def reads_only(client) -> bool:
    """Whether the user who read `client` through client_get_for_user got in
    only through read-only scopes (a client they discharged)."""
    scopes = getattr(client, "access_scopes", None)
    return bool(scopes) and set(scopes) <= READ_ONLY_SCOPES


# The scopes through which a counselor holds the client's whole record.
RECORD_HOLDERS = frozenset({"caseload", "recently_discharged"})


def holds_record(user, client) -> bool:
    """Whether `user` sees the parts of the record a group or a covered
    session does not need (family, consents, disclosures): the whole program,
    or the client's primary counselor (open or recently discharged episode).
    Free for a client from client_get_for_user; else one query."""
    if user.sees_whole_program:
        return True
    scopes = getattr(client, "access_scopes", None)
    if scopes is None:
        try:
            scopes = client_get_for_user(user, client.public_id).access_scopes
        except Http404:
            return False
    return bool(RECORD_HOLDERS & set(scopes))
