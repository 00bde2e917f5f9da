"""The clients behind the program dashboard's figures."""

import datetime

import pytest
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.clients.models import Episode
from screening.models import InstrumentAdministration, SafetyFlag
from tests.factories import EpisodeFactory

TODAY = timezone.localdate()
URL = "/program/clients/"
R = Episode.DischargeReason


def _discharged(counselor, *, admitted_days_ago, stay, reason):
    admitted = TODAY - datetime.timedelta(days=admitted_days_ago)
    return EpisodeFactory(
        primary_counselor=counselor,
        phase=Episode.Phase.DISCHARGED,
        referral_date=admitted - datetime.timedelta(days=5),
        admission_date=admitted,
        discharge_date=admitted + datetime.timedelta(days=stay),
        discharge_reason=reason,
    )


def _names(response):
    return {client.mrn for client in response.context["page"]}


@pytest.fixture
def browser(login, supervisor):
    return login(supervisor)


def test_the_reason_figure_lists_the_clients_discharged_with_that_reason(browser, counselor1):
    dropped = _discharged(counselor1, admitted_days_ago=60, stay=20, reason=R.LEFT_AGAINST_ADVICE)
    _discharged(counselor1, admitted_days_ago=60, stay=50, reason=R.COMPLETED)

    response = browser.get(URL, {"figure": "reason", "reason": "2"})

    assert _names(response) == {dropped.client.mrn}


def test_the_lost_figure_lists_a_cohorts_drop_outs_before_day_n(browser, counselor1):
    early = _discharged(counselor1, admitted_days_ago=120, stay=20, reason=R.LEFT_AGAINST_ADVICE)
    _discharged(counselor1, admitted_days_ago=120, stay=45, reason=R.TERMINATED)
    month = early.admission_date.strftime("%Y-%m")

    at_30 = browser.get(URL, {"figure": "lost", "month": month, "days": "30"})
    at_60 = browser.get(URL, {"figure": "lost", "month": month, "days": "60"})

    assert _names(at_30) == {early.client.mrn}
    assert len(_names(at_60)) == 2


def test_the_stay_figure_lists_the_clients_in_a_length_of_stay_bucket(browser, counselor1):
    short = _discharged(counselor1, admitted_days_ago=90, stay=30, reason=R.COMPLETED)
    _discharged(counselor1, admitted_days_ago=90, stay=31, reason=R.COMPLETED)

    response = browser.get(URL, {"figure": "stay", "low": "0"})

    assert _names(response) == {short.client.mrn}


def test_the_flags_figure_lists_clients_with_an_open_safety_flag(browser, counselor1, supervisor):
    flagged = EpisodeFactory(primary_counselor=counselor1).client
    EpisodeFactory(primary_counselor=counselor1)
    administration = InstrumentAdministration.objects.create(
        client=flagged,
        code="PHQ-9",
        version="1",
        answers={},
        band="mild",
        band_label="Mild",
        administered_by=supervisor,
        administered_at=timezone.now(),
    )
    SafetyFlag.objects.create(client=flagged, administration=administration, reason="PHQ-9 item 9")

    response = browser.get(URL, {"figure": "flags"})

    assert _names(response) == {flagged.mrn}


def test_the_counselor_filter_narrows_the_clients(browser, counselor1, counselor2):
    mine = _discharged(counselor1, admitted_days_ago=60, stay=20, reason=R.OTHER)
    _discharged(counselor2, admitted_days_ago=60, stay=20, reason=R.OTHER)

    response = browser.get(URL, {"figure": "reason", "reason": "7", "counselor": counselor1.pk})

    assert _names(response) == {mine.client.mrn}


@pytest.mark.parametrize(
    "params",
    [{"figure": "nonsense"}, {"figure": "lost", "month": "13-2026", "days": "45"}, {}],
)
def test_an_unknown_or_malformed_figure_lists_nobody(browser, counselor1, params):
    _discharged(counselor1, admitted_days_ago=60, stay=20, reason=R.OTHER)

    response = browser.get(URL, params)

    assert response.status_code == 200
    assert _names(response) == set()


def test_counselors_cannot_open_the_figures(login, counselor1):
    assert login(counselor1).get(URL, {"figure": "flags"}).status_code == 403


def test_listing_a_figures_clients_audits_each_client_shown(browser, counselor1, supervisor):
    dropped = _discharged(counselor1, admitted_days_ago=60, stay=20, reason=R.LEFT_AGAINST_ADVICE)

    browser.get(URL, {"figure": "reason", "reason": "2"})

    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
    assert event.client == dropped.client
    assert event.actor == supervisor
    assert event.details == {"list": "figure:reason"}
