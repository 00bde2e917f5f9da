"""factory_boy factories shared by the test suite."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from iop.accounts.models import User
from iop.clients.models import Client, Demographics, Episode
from iop.clients.services import mrn_next


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@clinic.test")
    password = factory.django.Password("correct-horse-battery-staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        # get_or_create: transactional tests flush the groups that the data
        # migration made, so a later test may find none.
        if create and extracted:
            self.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in extracted))


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    mrn = factory.LazyFunction(mrn_next)
    legal_first_name = factory.Faker("first_name")
    legal_last_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=70)
    sex = Client.Sex.FEMALE
    phone = "+15555550100"


class EpisodeFactory(factory.django.DjangoModelFactory):
    """An episode in the intensive phase unless told otherwise."""

    class Meta:
        model = Episode

    client = factory.SubFactory(ClientFactory)
    phase = Episode.Phase.INTENSIVE
    referral_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    admission_date = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=21)
    )
    level_of_care = "2.1"


# Every item a screening needs before it admits, answered.
ANSWERED_DEMOGRAPHICS = {
    "race": ["white"],
    "ethnicity": "not_hispanic",
    "marital_status": "never_married",
    "health_insurance": "medicaid",
    "payment_source": "medicaid",
    "income_source": "wages",
    "arrests_admission": "none",
    "self_help_admission": "none",
    "veteran": "no",
    "pregnant": "no",
}


def answered_demographics(episode, **changes) -> Demographics:
    """The episode's Demographics with every required item answered."""
    values = {**ANSWERED_DEMOGRAPHICS, **changes}
    if episode.client.sex != Client.Sex.FEMALE and "pregnant" not in changes:
        values["pregnant"] = ""
    demographics, _created = Demographics.objects.update_or_create(episode=episode, defaults=values)
    return demographics
