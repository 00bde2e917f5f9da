"""The TEDS export: TEDS-A and TEDS-D files, and both records of an episode
in one file, coded as the codebook codes them."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import models
from django.utils import timezone

from aftercare.models import DischargeSummary
from iop.audit.models import AuditEvent
from iop.clients import teds as codebook
from iop.clients.models import Client, Diagnosis, Episode
from iop.dashboard import teds
from screening.models import Referral, ReferralSubstance
from tests.exports import header_of, read_export
from tests.factories import EpisodeFactory, UserFactory, answered_demographics

TODAY = timezone.localdate()
URL = "/program/?export=teds"


def _episode_with_referral(**episode_fields):
    episode = EpisodeFactory(
        referral_date=TODAY - datetime.timedelta(days=40),
        admission_date=TODAY - datetime.timedelta(days=30),
        **episode_fields,
    )
    referral = Referral.objects.create(
        episode=episode,
        source="justice",
        prior_episodes=7,
        planned_moud=True,
        employment="part_time",
        living_arrangement="dependent",
        education="some_college",
        veteran=False,
        created_by=_staff(),
    )
    ReferralSubstance.objects.create(
        referral=referral,
        rank=1,
        substance="opioids",
        route="injection",
        frequency="daily",
        age_first_use=19,
    )
    return episode


def _staff():
    return UserFactory()


def _rows(response):
    """The combined file: its header and its rows as lists."""
    files = read_export(response)
    (name,) = [name for name in files if not name.startswith(("teds-a-", "teds-d-"))]
    header = header_of(response, name)
    return None, header, [[row[column] for column in header] for row in files[name]]


@pytest.fixture
def admin_browser(login, administrator):
    return login(administrator)


def test_the_export_holds_the_three_files_with_the_notice(admin_browser, db):
    response = admin_browser.get(URL)

    files = read_export(response)
    assert sorted(name.split("-20")[0] for name in files) == ["teds", "teds-a", "teds-d"]
    _, header, _rows_ = _rows(response)
    assert header == teds.COLUMNS


def test_an_admission_is_coded_as_teds_codes_it(admin_browser, counselor1):
    episode = _episode_with_referral(primary_counselor=counselor1)

    _, header, rows = _rows(admin_browser.get(URL))

    row = dict(zip(header, rows[0], strict=True))
    assert row["CLIENTID"] == episode.client.mrn
    assert row["CASEID"] == f"{episode.client.mrn}01"
    assert row["PSOURCE"] == "7"  # court / criminal justice
    assert row["DAYWAIT"] == "10"
    assert row["NOPRIOR"] == "5"  # 5 or more
    assert row["SERVICES"] == "6"  # ambulatory, intensive outpatient
    assert (row["SUB1"], row["ROUTE1"], row["FREQ1"], row["FRSTUSE1"]) == ("7", "4", "3", "19")
    assert row["SUB2"] == "1"  # none
    assert (row["METHUSE"], row["EMPLOY"], row["LIVARAG"], row["EDUC"]) == ("1", "2", "2", "4")
    assert (row["VET"], row["PREG"]) == ("2", "-9")
    assert (row["DISC_DATE"], row["REASON"], row["LOS"]) == ("-9", "-9", "-9")


def test_a_discharge_carries_its_reason_length_of_stay_and_discharge_fields(
    admin_browser, counselor1
):
    episode = _episode_with_referral(primary_counselor=counselor1)
    Episode.objects.filter(pk=episode.pk).update(
        phase="discharged",
        discharge_date=TODAY - datetime.timedelta(days=2),
        discharge_reason=Episode.DischargeReason.LEFT_AGAINST_ADVICE,
    )
    DischargeSummary.objects.create(
        episode=episode,
        author=counselor1,
        employment="unemployed",
        living_arrangement="homeless",
        mutual_help="4_7",
        summary="Left after four weeks.",
    )

    _, header, rows = _rows(admin_browser.get(URL))

    row = dict(zip(header, rows[0], strict=True))
    assert (row["REASON"], row["LOS"]) == ("2", "28")
    assert (row["EMPLOY_D"], row["LIVARAG_D"], row["FREQ_ATND_SELF_HELP_D"]) == ("3", "1", "3")


def test_episodes_outside_the_period_or_never_admitted_are_left_out(admin_browser, counselor1):
    _episode_with_referral(primary_counselor=counselor1)
    EpisodeFactory(phase="screening", admission_date=None, level_of_care="")

    old = "/program/?export=teds&start=2020-01-01&end=2020-12-31"
    _, _, rows = _rows(admin_browser.get(old))
    _, _, current = _rows(admin_browser.get(URL))

    assert rows == []
    assert len(current) == 1


def test_the_export_is_audited(admin_browser, administrator, counselor1):
    _episode_with_referral(primary_counselor=counselor1)

    admin_browser.get(URL)

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == administrator
    assert event.details == {"export": "teds", "admissions": 1, "discharges": 0, "episodes": 1}


def test_a_counselor_cannot_export(login, counselor1):
    assert login(counselor1).get(URL).status_code == 403


# --- the codes come from iop.clients.teds -----------------------------------------------------


@pytest.mark.parametrize("codes", codebook.CODES, ids=lambda codes: codes.item)
def test_every_value_of_a_teds_list_has_a_code_or_is_unmapped_on_purpose(codes):
    values = set(codes.choices.values)

    assert set(codes.codes) | codes.unmapped == values
    assert not set(codes.codes) & codes.unmapped
    # ARRESTS alone starts at 0 ("none"); -9 is never a code.
    assert all(isinstance(code, int) and code >= 0 for code in codes.codes.values())


def test_every_choice_list_of_the_teds_module_has_its_codes():
    lists = {
        value
        for value in vars(codebook).values()
        if isinstance(value, type) and issubclass(value, models.Choices)
        if value.__module__.startswith(codebook.__name__)
    }

    assert lists == {codes.choices for codes in codebook.CODES} - {
        codebook.LevelOfCare,
        Client.Sex,
    }


def test_screening_and_aftercare_store_the_teds_modules_lists():
    fields = {
        (Referral, "source"): codebook.ReferralSource,
        (Referral, "employment"): codebook.Employment,
        (Referral, "living_arrangement"): codebook.Living,
        (Referral, "education"): codebook.Education,
        (ReferralSubstance, "substance"): codebook.Substance,
        (ReferralSubstance, "route"): codebook.Route,
        (ReferralSubstance, "frequency"): codebook.Frequency,
        (DischargeSummary, "employment"): codebook.Employment,
        (DischargeSummary, "living_arrangement"): codebook.Living,
        (DischargeSummary, "mutual_help"): codebook.MutualHelp,
        (Episode, "level_of_care"): codebook.LevelOfCare,
    }

    for (model, name), choices in fields.items():
        assert model._meta.get_field(name).choices == choices.choices, (model, name)


@pytest.mark.parametrize(
    ("codes", "value", "column"),
    [
        (codebook.PSOURCE, "justice", "PSOURCE"),
        (codebook.SERVICES, "2.1", "SERVICES"),
        (codebook.SUB, "opioids", "SUB1"),
        (codebook.ROUTE, "injection", "ROUTE1"),
        (codebook.FREQ, "daily", "FREQ1"),
        (codebook.EMPLOY, "part_time", "EMPLOY"),
        (codebook.LIVARAG, "dependent", "LIVARAG"),
        (codebook.EDUC, "some_college", "EDUC"),
    ],
    ids=lambda value: value.item if isinstance(value, codebook.Codes) else None,
)
def test_the_export_writes_the_code_the_teds_module_gives(
    admin_browser, counselor1, monkeypatch, codes, value, column
):
    _episode_with_referral(primary_counselor=counselor1, level_of_care="2.1")
    monkeypatch.setitem(codes.codes, value, 99)

    _, header, rows = _rows(admin_browser.get(URL))

    assert dict(zip(header, rows[0], strict=True))[column] == "99"


def test_the_export_writes_the_discharge_codes_the_teds_module_gives(
    admin_browser, counselor1, monkeypatch
):
    episode = _episode_with_referral(primary_counselor=counselor1)
    Episode.objects.filter(pk=episode.pk).update(
        phase="discharged", discharge_date=TODAY - datetime.timedelta(days=1), discharge_reason=1
    )
    DischargeSummary.objects.create(
        episode=episode,
        author=counselor1,
        employment="unemployed",
        living_arrangement="homeless",
        mutual_help="4_7",
        summary="Left after four weeks.",
    )
    monkeypatch.setitem(codebook.EMPLOY.codes, "unemployed", 97)
    monkeypatch.setitem(codebook.LIVARAG.codes, "homeless", 98)
    monkeypatch.setitem(codebook.SELF_HELP.codes, "4_7", 99)

    _, header, rows = _rows(admin_browser.get(URL))

    row = dict(zip(header, rows[0], strict=True))
    assert (row["EMPLOY_D"], row["LIVARAG_D"], row["FREQ_ATND_SELF_HELP_D"]) == ("97", "98", "99")


def test_a_level_of_care_without_a_teds_code_is_exported_as_missing(admin_browser, counselor1):
    _episode_with_referral(primary_counselor=counselor1, level_of_care="3.5")

    _, header, rows = _rows(admin_browser.get(URL))

    assert dict(zip(header, rows[0], strict=True))["SERVICES"] == "-9"


# --- the complete record ----------------------------------------------------------------------


def _row(response, prefix="teds-"):
    files = read_export(response)
    (name,) = [
        name
        for name in files
        if name.startswith(prefix)
        and (prefix != "teds-" or not name.startswith(("teds-a-", "teds-d-")))
    ]
    return files[name]


def test_the_demographics_are_coded_by_the_codebook(admin_browser, counselor1, settings):
    settings.TEDS_PROVIDER_ID = "TX123456"
    episode = _episode_with_referral(primary_counselor=counselor1)
    Client.objects.filter(pk=episode.client.pk).update(
        sex="female", date_of_birth=datetime.date(1990, 1, 15)
    )
    answered_demographics(
        episode,
        race=["white", "black"],
        ethnicity="puerto_rican",
        marital_status="widowed",
        health_insurance="private",
        payment_source="self_pay",
        income_source="public_assistance",
        arrests_admission="two_or_more",
        self_help_admission="some",
        veteran="yes",
        pregnant="declined",
    )

    (row,) = _row(admin_browser.get(URL))

    assert row["PROVIDER_ID"] == "TX123456"
    assert row["DOB"] == "1990-01-15"
    assert row["AGE"] == str(
        episode.admission_date.year
        - 1990
        - ((episode.admission_date.month, episode.admission_date.day) < (1, 15))
    )
    assert (row["GENDER"], row["RACE"], row["ETHNIC"], row["MARSTAT"]) == ("2", "8", "1", "4")
    assert (row["HLTHINS"], row["PRIMPAY"], row["PRIMINC"]) == ("1", "1", "2")
    assert (row["ARRESTS"], row["FREQ_ATND_SELF_HELP"]) == ("2", "5")
    assert (row["VET"], row["PREG"]) == ("1", "-9")  # declined: missing


def test_the_export_refuses_nothing_silently(admin_browser, counselor1, settings):
    settings.TEDS_PROVIDER_ID = ""
    EpisodeFactory(
        primary_counselor=counselor1,
        referral_date=TODAY - datetime.timedelta(days=5),
        admission_date=TODAY - datetime.timedelta(days=3),
    )

    (row,) = _row(admin_browser.get(URL))

    assert "" not in row.values()
    for name in (
        "PROVIDER_ID",
        "RACE",
        "ETHNIC",
        "EDUC",
        "PSOURCE",
        "DSMCRIT",
        "SUB1",
        "DISC_DATE",
    ):
        assert row[name] == "-9", name


def test_admissions_and_discharges_export_separately(admin_browser, counselor1):
    admitted = _episode_with_referral(primary_counselor=counselor1)
    discharged = _episode_with_referral(primary_counselor=counselor1)
    Episode.objects.filter(pk=discharged.pk).update(
        phase="discharged", discharge_date=TODAY - datetime.timedelta(days=1), discharge_reason=1
    )

    admissions = _row(admin_browser.get("/program/?export=teds-a"), "teds-a-")
    discharges = _row(admin_browser.get("/program/?export=teds-d"), "teds-d-")

    assert {row["CASEID"] for row in admissions} == {admitted.case_id, discharged.case_id}
    assert {row["TRANTYPE"] for row in admissions} == {"A"}
    assert [(row["TRANTYPE"], row["CASEID"]) for row in discharges] == [("D", discharged.case_id)]
    assert "DISC_DATE" not in admissions[0] and "RACE" not in discharges[0]


def test_the_discharge_record_carries_service_use_and_arrests_at_discharge(
    admin_browser, counselor1
):
    episode = _episode_with_referral(primary_counselor=counselor1)
    Episode.objects.filter(pk=episode.pk).update(
        phase="discharged", discharge_date=TODAY - datetime.timedelta(days=1), discharge_reason=1
    )
    answered_demographics(episode, arrests_discharge="none")
    DischargeSummary.objects.create(
        episode=episode,
        author=counselor1,
        employment="full_time",
        living_arrangement="independent",
        mutual_help="8_30",
        primary_frequency="none",
        summary="Completed.",
    )

    (row,) = _row(admin_browser.get("/program/?export=teds-d"), "teds-d-")

    assert (row["SERVICES_D"], row["ARRESTS_D"], row["FREQ1_D"]) == ("6", "0", "1")
    assert (row["EMPLOY_D"], row["LIVARAG_D"], row["FREQ_ATND_SELF_HELP_D"]) == ("1", "3", "4")


def _diagnosis(episode, code, *, status=Diagnosis.Status.CONFIRMED, rank=1):
    made_by = UserFactory(roles=["counselor"])
    return Diagnosis.objects.create(
        client=episode.client,
        episode=episode,
        kind=Diagnosis.Kind.MENTAL_HEALTH,
        icd10_code=code,
        description=code,
        rank=rank,
        date_made=episode.admission_date,
        made_by=made_by,
        status=status,
    )


def test_dsmcrit_is_the_confirmed_primary_diagnosis(admin_browser, counselor1):
    episode = _episode_with_referral(primary_counselor=counselor1)
    _diagnosis(episode, "F32.1")  # a depressive disorder
    _diagnosis(episode, "F41.1", rank=2)

    (row,) = _row(admin_browser.get(URL))

    assert row["DSMCRIT"] == str(codebook.dsmcrit("F32.1"))


def test_a_proposed_diagnosis_is_not_reported(admin_browser, counselor1):
    episode = _episode_with_referral(primary_counselor=counselor1)
    _diagnosis(episode, "F32.1", status=Diagnosis.Status.PROPOSED)

    (row,) = _row(admin_browser.get(URL))

    assert row["DSMCRIT"] == "-9"


def test_dsmcrit_maps_the_icd10_code_by_the_codebook():
    episode = SimpleNamespace(discharge_diagnosis=None)

    assert teds.teds_dsm_category(episode) == -9
    episode.confirmed_primary = [SimpleNamespace(icd10_code="F11.20")]
    assert teds.teds_dsm_category(episode) == 5  # opioid dependence


# Measured, then pinned: the session, the user and their roles, the
# reauthentication check, the episodes with their joins (client,
# demographics, discharge summary, aftercare plan), the referrals, their
# substances, the confirmed primary diagnoses, the audit insert and the
# session save.
TEDS_EXPORT_QUERIES = 11


def test_the_export_query_count_does_not_grow_with_episodes(
    admin_browser, counselor1, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            episode = _episode_with_referral(primary_counselor=counselor1)
            answered_demographics(episode)

    add(2)
    with django_assert_num_queries(TEDS_EXPORT_QUERIES):
        admin_browser.get(URL)
    add(20)
    with django_assert_num_queries(TEDS_EXPORT_QUERIES):
        response = admin_browser.get(URL)
    assert len(_row(response)) == 22
