"""The TEDS-style admission and discharge export."""

import csv
import datetime
import io

import pytest
from django.db import models
from django.utils import timezone

from aftercare.models import DischargeSummary
from iop.audit.models import AuditEvent
from iop.clients import teds as codebook
from iop.clients.models import Client, Episode
from iop.dashboard import teds
from screening.models import Referral, ReferralSubstance
from tests.factories import EpisodeFactory, UserFactory

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
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    return lines[0], lines[1], lines[2:]


@pytest.fixture
def admin_browser(login, administrator):
    return login(administrator)


def test_the_export_starts_with_the_part2_notice_and_the_teds_columns(admin_browser, db):
    notice, header, _rows_ = _rows(admin_browser.get(URL))

    assert notice == ["42 CFR part 2 prohibits unauthorized use or disclosure of these records."]
    assert header == teds.COLUMNS


def test_an_admission_is_coded_as_teds_codes_it(admin_browser, counselor1):
    episode = _episode_with_referral(primary_counselor=counselor1)

    _, header, rows = _rows(admin_browser.get(URL))

    row = dict(zip(header, rows[0], strict=True))
    assert row["RECORD"] == episode.client.mrn
    assert row["PSOURCE"] == "7"  # court / criminal justice
    assert row["DAYWAIT"] == "10"
    assert row["NOPRIOR"] == "5"  # 5 or more
    assert row["SERVICES"] == "6"  # ambulatory, intensive outpatient
    assert (row["SUB1"], row["ROUTE1"], row["FREQ1"], row["FRSTUSE1"]) == ("7", "4", "3", "19")
    assert row["SUB2"] == "1"  # none
    assert (row["METHUSE"], row["EMPLOY"], row["LIVARAG"], row["EDUC"]) == ("1", "2", "2", "4")
    assert (row["VET"], row["PREG"]) == ("2", "-9")
    assert (row["DISC_DATE"], row["REASON"], row["LOS"]) == ("", "-9", "-9")


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
    assert event.details == {"export": "teds", "episodes": 1}


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
