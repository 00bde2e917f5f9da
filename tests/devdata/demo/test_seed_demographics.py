"""devdata.demo.demographics: every demo episode's TEDS items, some declined
or unknown, one client in screening with items still missing; safe to run
again."""

from io import StringIO

from django.core.management import call_command

from iop.clients import teds
from iop.clients.models import Demographics, Episode
from iop.clients.services import demographics_missing


def test_every_demo_episode_has_its_demographics(seeded):
    assert "Demographics:" in seeded
    assert not Episode.objects.filter(demographics__isnull=True).exists()


def test_some_answers_are_declined_or_unknown(seeded):
    answers = Demographics.objects.values_list("ethnicity", "marital_status", "race")
    not_answered = [
        row
        for row in answers
        if set(row[:2]) & teds.NOT_ANSWERED or set(row[2]) & teds.NOT_ANSWERED
    ]
    assert not_answered


def test_admitted_episodes_have_every_required_item(seeded):
    admitted = Episode.objects.filter(admission_date__isnull=False).select_related(
        "client", "demographics", "referral"
    )
    for episode in admitted:
        employment = episode.referral.employment if hasattr(episode, "referral") else ""
        assert demographics_missing(episode, employment=employment) == [], episode


def test_one_client_in_screening_still_has_items_missing(seeded):
    screening = Episode.objects.filter(phase=Episode.Phase.SCREENING).select_related(
        "client", "demographics"
    )
    assert any(demographics_missing(episode) for episode in screening)


def test_seeding_again_changes_nothing(seeded):
    before = list(Demographics.objects.order_by("pk").values())
    call_command("seed_demo", stdout=StringIO())

    assert list(Demographics.objects.order_by("pk").values()) == before


def test_discharge_summaries_record_use_at_discharge(seeded):
    from aftercare.models import DischargeSummary

    assert DischargeSummary.objects.exists()
    assert not DischargeSummary.objects.filter(primary_frequency="").exists()
