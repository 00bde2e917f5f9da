"""Every timeline source takes `limit` (iop.extensions.TIMELINE_SOURCES): it
returns at most its `limit` newest entries, the head of its whole list, with
one query whatever the client's history. Medications and consents give two
entries a row (started and stopped, recorded and revoked): the newest of
those is not the newest start."""

import datetime

import pytest
from django.utils import timezone

from family.models import Consent
from iop.clients.models import Medication
from iop.extensions import TIMELINE_SOURCES
from screening.models import InstrumentAdministration
from tests.clients.test_clinical_chart import _history
from tests.factories import EpisodeFactory
from tests.family.factories import consent_for, family_member, referred_days_ago

pytestmark = pytest.mark.django_db


def _entries(name, client, viewer, limit):
    return TIMELINE_SOURCES.get(name).entries(client, viewer=viewer, limit=limit)


def _whens(entries):
    return sorted((entry.when for entry in entries), reverse=True)


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def _medication(client, counselor, *, started, stopped=None):
    return Medication.objects.create(
        client=client,
        drug=Medication.Drug.ACAMPROSATE,
        dose="666 mg",
        schedule="three times daily",
        prescriber_name="Dr. Okafor",
        start_date=_days_ago(started),
        stop_date=None if stopped is None else _days_ago(stopped),
        recorded_by=counselor,
    )


def _administrations(client, counselor, count):
    now = timezone.now()
    InstrumentAdministration.objects.bulk_create(
        InstrumentAdministration(
            client=client,
            code="PHQ9",
            version="1",
            answers={},
            total=n,
            band="minimal",
            band_label="Minimal",
            administered_by=counselor,
            administered_at=now - datetime.timedelta(days=n),
        )
        for n in range(count)
    )


def test_every_source_takes_a_limit_and_gives_the_head_of_its_whole_list(
    counselor1, client_of_counselor1
):
    _history(client_of_counselor1, counselor1, 12)
    _administrations(client_of_counselor1, counselor1, 12)

    for name in TIMELINE_SOURCES.names():
        whole = _whens(_entries(name, client_of_counselor1, counselor1, None))
        head = _entries(name, client_of_counselor1, counselor1, 5)

        assert len(head) <= 5, name
        assert _whens(head) == whole[:5], name


def test_the_newest_medication_entry_can_be_an_old_medications_stop(
    counselor1, client_of_counselor1
):
    # Started long ago, stopped yesterday: newer than the later starts.
    _medication(client_of_counselor1, counselor1, started=100, stopped=1)
    _medication(client_of_counselor1, counselor1, started=10)
    _medication(client_of_counselor1, counselor1, started=20, stopped=15)

    head = _entries("medications", client_of_counselor1, counselor1, 2)

    assert [entry.title.split(":")[0] for entry in head] == [
        "Medication stopped",
        "Medication started",
    ]
    assert [entry.when.date() for entry in head] == [_days_ago(1), _days_ago(10)]


def test_the_newest_consent_entry_can_be_an_old_consents_revocation(
    counselor1, client_of_counselor1
):
    referred_days_ago(client_of_counselor1, 200)
    member = family_member(client_of_counselor1, actor=counselor1)
    now = timezone.now()
    old = consent_for(
        client_of_counselor1, member, actor=counselor1, recorded_at=now - datetime.timedelta(90)
    )
    consent_for(
        client_of_counselor1, member, actor=counselor1, recorded_at=now - datetime.timedelta(10)
    )
    consent_for(
        client_of_counselor1, member, actor=counselor1, recorded_at=now - datetime.timedelta(20)
    )
    Consent.objects.filter(pk=old.pk).update(revoked_at=now - datetime.timedelta(days=1))

    head = _entries("consents", client_of_counselor1, counselor1, 2)

    assert [entry.when for entry in head] == [
        now - datetime.timedelta(days=1),
        now - datetime.timedelta(days=10),
    ]
    assert "revoked" in head[0].title


# Each source's entries for two rows of history: one of the two medications
# is stopped (two entries), the rest give one each.
SMALL_ENTRIES = {"medications": 3, "plans": 2, "instruments": 2, "consents": 2}


@pytest.mark.parametrize("name", sorted(SMALL_ENTRIES))
def test_a_limited_source_makes_one_query_whatever_the_history(
    counselor1, django_assert_num_queries, name
):
    small = EpisodeFactory(primary_counselor=counselor1).client
    large = EpisodeFactory(primary_counselor=counselor1).client
    for client, count in ((small, 2), (large, 20)):
        _history(client, counselor1, count)
        _administrations(client, counselor1, count)
        referred_days_ago(client, 100)
        member = family_member(client, actor=counselor1)
        for _number in range(count):
            consent_for(client, member, actor=counselor1)

    with django_assert_num_queries(1):
        assert len(_entries(name, small, counselor1, 50)) == SMALL_ENTRIES[name]
    with django_assert_num_queries(1):
        assert len(_entries(name, large, counselor1, 5)) == 5
