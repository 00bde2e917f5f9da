"""Billing test data: payers, coverages, charges and the services behind
them, made directly (the drafting engine is tested on its own)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from billing.models import Authorization, Charge, ChargeEvidence, Coverage, Payer
from tests.factories import EpisodeFactory, UserFactory


class PayerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payer
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Payer {n}")
    kind = Payer.Kind.MEDICAID
    electronic_payer_id = factory.Sequence(lambda n: f"PAY{n:04d}")
    claim_filing_indicator = Payer.FilingIndicator.MEDICAID


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    client = factory.LazyAttribute(lambda o: EpisodeFactory().client)
    payer = factory.SubFactory(PayerFactory)
    plan_name = "Community Health Plan"
    member_id = factory.Sequence(lambda n: f"M{n:08d}")
    subscriber_relationship = Coverage.Relationship.SELF
    order = Coverage.Order.PRIMARY
    effective_from = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=365)
    )
    created_by = factory.LazyFunction(lambda: UserFactory(username="billing-setup"))


class AuthorizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorization

    coverage = factory.SubFactory(CoverageFactory)
    number = factory.Sequence(lambda n: f"AUTH{n:05d}")
    service_codes = factory.LazyFunction(lambda: ["H0015"])
    units_authorized = 20
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    created_by = factory.LazyFunction(lambda: UserFactory(username="billing-setup"))


class ChargeFactory(factory.django.DjangoModelFactory):
    """A drafted H0015 per diem of a covered client, yesterday, with one
    signed group service behind it (add more with EvidenceFactory)."""

    class Meta:
        model = Charge
        skip_postgeneration_save = True

    coverage = factory.SubFactory(CoverageFactory)
    client = factory.LazyAttribute(lambda o: o.coverage.client if o.coverage else None)
    episode = factory.LazyAttribute(lambda o: o.client.episodes.order_by("pk").first())
    payer = factory.LazyAttribute(lambda o: o.coverage.payer if o.coverage else None)
    service_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    code = "H0015"
    modifiers = factory.LazyFunction(lambda: ["HF"])
    units = 1
    unit_rate = Decimal("250.00")
    amount = factory.LazyAttribute(lambda o: o.unit_rate * o.units if o.unit_rate else None)
    place_of_service = "57"
    diagnosis_codes = factory.LazyFunction(lambda: ["F10.20"])
    rendering_clinician = factory.LazyFunction(lambda: UserFactory(username="counselor1"))
    status = Charge.Status.DRAFTED

    @factory.post_generation
    def evidence(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        EvidenceFactory(charge=self, **kwargs)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChargeEvidence

    charge = factory.SubFactory(ChargeFactory, evidence=False)
    source = factory.Sequence(lambda n: f"groups.attendance:{n}")
    service_date = factory.LazyAttribute(lambda o: o.charge.service_date)
    starts_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(
            datetime.datetime.combine(o.service_date, datetime.time(9, 0))
        )
    )
    description = "Early Recovery Skills group"
    code = "H0005"
    minutes = 180
    clinician = factory.LazyAttribute(lambda o: o.charge.rendering_clinician)
    signed = True
