"""The diagnoses part of manage.py seed_demo: every admitted demo episode
diagnosed, a co-occurring depression, an opioid use disorder in early
remission on maintenance therapy, proposals awaiting a licensed clinician,
the diagnosis at discharge; safe to run again."""

from django.db.models import Count

from iop.accounts.models import User
from iop.clients import icd10
from iop.clients.models import Diagnosis, Episode
from tests.devdata.demo.seeding import seed


def test_every_admitted_demo_episode_has_a_primary_substance_use_disorder(seeded):
    admitted = Episode.objects.filter(admission_date__isnull=False)
    primaries = Diagnosis.objects.primary().filter(episode__in=admitted)

    assert admitted.count() > 0
    assert primaries.count() == admitted.count()
    assert set(primaries.values_list("kind", flat=True)) == {Diagnosis.Kind.SUD}
    assert not Diagnosis.objects.filter(episode__admission_date__isnull=True).exists()


def test_every_demo_code_is_billable_in_the_shipped_list(seeded):
    codes = set(Diagnosis.objects.values_list("icd10_code", flat=True))

    assert codes
    assert all(icd10.lookup(code) for code in codes)


def test_there_is_a_co_occurring_depression(seeded):
    depression = Diagnosis.objects.filter(
        kind=Diagnosis.Kind.MENTAL_HEALTH, icd10_code__regex=r"^F3[23]\."
    )

    assert depression.exists()


def test_one_opioid_use_disorder_in_early_remission_on_maintenance_therapy(seeded):
    found = Diagnosis.objects.get(
        substance_class="opioid", remission="early", on_maintenance_therapy=True
    )

    assert found.icd10_code in ("F11.11", "F11.21")
    assert found.client.medications.filter(drug="buprenorphine").exists()


def test_some_diagnoses_await_confirmation_by_a_licensed_clinician(seeded):
    proposed = Diagnosis.objects.filter(status=Diagnosis.Status.PROPOSED)

    assert proposed.exists()
    assert set(proposed.values_list("made_by__username", flat=True)) == {"counselor2"}
    assert Diagnosis.objects.filter(
        status=Diagnosis.Status.CONFIRMED, made_by__username="counselor2"
    ).exists()


def test_supervisor_and_counselor1_are_licensed_and_counselor2_is_not(seeded):
    licensed = set(
        User.objects.filter(licensed_to_diagnose=True).values_list("username", flat=True)
    )

    assert licensed == {"supervisor", "counselor1"}


def test_discharged_episodes_record_their_primary_diagnosis(seeded):
    discharged = Episode.objects.filter(
        phase=Episode.Phase.DISCHARGED, admission_date__isnull=False
    )

    assert discharged.exists()
    assert not discharged.filter(discharge_diagnosis__isnull=True).exists()


def test_running_seed_demo_again_adds_no_diagnosis(seeded):
    before = dict(Diagnosis.objects.values_list("episode").annotate(n=Count("pk")))

    seed()

    assert dict(Diagnosis.objects.values_list("episode").annotate(n=Count("pk"))) == before
