"""Screening's part of the access policy: who screens and who gives an
instrument, and that intake staff keep seeing a client they screened for two
weeks after completing (signing) it, to print the referral letter or add an
addendum once the client has left the screening phase."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from iop.accounts import roles
from screening.models import Screening

# Who starts, rates, completes and signs a screening.
SCREENERS = (roles.INTAKE, roles.SUPERVISOR)
# Who may give an instrument and read a screening.
CLINICAL = (roles.INTAKE, roles.COUNSELOR, roles.SUPERVISOR)
RECENTLY_SCREENED = timedelta(days=14)


def recently_screened_by(user) -> Q:
    return Q(
        pk__in=Screening.objects.filter(
            signed_by=user, signed_at__gte=timezone.now() - RECENTLY_SCREENED
        ).values("episode__client_id")
    )
