"""Helpers of the authorization tests: a payer, a client's coverage, an
authorization, charges drawn on it (rows made directly), and a payment
consent recorded through family's service."""

import datetime

from django.utils import timezone

from billing.models import Authorization, Charge, Coverage, Payer
from family.models import Consent
from tests.factories import EpisodeFactory, UserFactory
from tests.family.factories import consent_for


def payer(name="Evergreen Health Plan (Medicaid)", kind=Payer.Kind.MEDICAID) -> Payer:
    return Payer.objects.get_or_create(name=name, defaults={"kind": kind})[0]


def coverage(client, *, of_payer=None, since=None, until=None) -> Coverage:
    today = timezone.localdate()
    return Coverage.objects.create(
        client=client,
        payer=of_payer or payer(),
        member_id=f"M{Coverage.objects.count():06d}",
        order=Coverage.Order.PRIMARY,
        effective_from=since or today - datetime.timedelta(days=365),
        effective_to=until,
        created_by=UserFactory(),
    )


def authorization(of_coverage, *, units=100, starts=-30, ends=60, review=None, **fields):
    today = timezone.localdate()
    values = {
        "coverage": of_coverage,
        "number": f"PA-{Authorization.objects.count() + 1:05d}",
        "service_codes": ["H0015", "H0004"],
        "units_authorized": units,
        "starts_on": today + datetime.timedelta(days=starts),
        "ends_on": today + datetime.timedelta(days=ends),
        "next_review_on": None if review is None else today + datetime.timedelta(days=review),
        "created_by": of_coverage.created_by,
    }
    values.update(fields)
    return Authorization.objects.create(**values)


def charge(of_authorization, *, units, status=Charge.Status.DRAFTED, **fields) -> Charge:
    """A charge drawing `units` on the authorization, made directly (the
    drafting engine is not what these tests are about)."""
    coverage = of_authorization.coverage
    episode = coverage.client.episodes.first() or EpisodeFactory(client=coverage.client)
    values = {
        "client": coverage.client,
        "episode": episode,
        "coverage": coverage,
        "payer": coverage.payer,
        "authorization": of_authorization,
        "service_date": of_authorization.starts_on,
        "code": "H0004",
        "units": units,
        "place_of_service": "57",
        "status": status,
    }
    values.update(fields)
    return Charge.objects.create(**values)


def payment_consent(client, of_payer, *, actor, scope=Consent.Scope.TPO, **overrides) -> Consent:
    """The client's consent naming the payer for payment (or TPO), signed
    today and on file since yesterday."""
    values = {
        "recipient_kind": Consent.RecipientKind.PAYER,
        "recipient_name": of_payer.name,
        "recipient_organization": of_payer.name,
        "categories": ["attendance", "progress", "treatment_plan"],
        "purpose": "Payment of the client's treatment, including utilization review.",
        "scope": scope,
    }
    values.update(overrides)
    return consent_for(
        client,
        actor=actor,
        recorded_at=timezone.now() - datetime.timedelta(days=1),
        **values,
    )
