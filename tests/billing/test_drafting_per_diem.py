"""Drafting a client's week: the IOP per diem at its 3-hour and 3-day edges
(minutes summed across services, excused absences, a session crossing
midnight), component codes on a day that does not qualify, and the week
re-evaluated when a later day qualifies."""

import datetime
from decimal import Decimal

import pytest

from billing.drafting.service import charges_redraft
from billing.models import Charge
from billing.selectors.authorizations import live_charges
from groups.models import Attendance
from tests.billing.drafting_helpers import (
    a_monday,
    at,
    billable_episode,
    group_service,
    individual_service,
    payer,
    rates,
)
from tests.groups.factories import GroupSessionFactory, RecurringGroupFactory

pytestmark = pytest.mark.django_db

MONDAY = a_monday()
DAYS = [MONDAY + datetime.timedelta(days=i) for i in range(7)]


def _live(episode):
    return list(live_charges().filter(client=episode.client).order_by("service_date", "code"))


def _codes_by_day(episode):
    by_day = {}
    for charge in _live(episode):
        by_day.setdefault(charge.service_date, []).append(charge.code)
    return by_day


def _redraft(episode):
    return charges_redraft(client_ids=[episode.client_id], dates=[MONDAY])


def test_three_days_of_180_minutes_summed_across_services_are_per_diem_days():
    episode = billable_episode(payer())
    for day in DAYS[:3]:
        group_service(episode, day, 120)
        individual_service(episode, day, 60)

    _redraft(episode)

    charges = _live(episode)
    assert [(c.service_date, c.code, c.units) for c in charges] == [
        (day, "H0015", 1) for day in DAYS[:3]
    ]
    first = charges[0]
    assert first.status == Charge.Status.DRAFTED
    assert first.amount == Decimal("250.00")
    assert first.place_of_service == "57"
    assert first.diagnosis_codes == ["F10.20"]
    assert sorted(e.minutes for e in first.evidence.all()) == [60, 120]
    assert {e.source.split(":")[0] for e in first.evidence.all()} == {
        "groups.attendance",
        "clients.sessionnote",
    }


def test_179_minutes_is_not_a_full_day():
    episode = billable_episode(payer())
    for day in DAYS[:3]:
        group_service(episode, day, 120)
    for day in DAYS[:2]:
        individual_service(episode, day, 60)
    individual_service(episode, DAYS[2], 59)

    _redraft(episode)

    by_day = _codes_by_day(episode)
    # Two full days only: the week has no per diem day at all.
    assert by_day == {day: ["H0004", "H0005"] for day in DAYS[:3]}
    h0004 = next(c for c in _live(episode) if c.service_date == DAYS[2] and c.code == "H0004")
    assert h0004.units == 4  # 59 minutes: 3 whole units and 14 minutes (at least 8)
    assert h0004.modifiers == ["HF"]
    assert h0004.amount == Decimal("120.00")


def test_two_full_days_are_billed_by_their_components_and_a_third_makes_all_three_per_diem():
    episode = billable_episode(payer())
    for day in DAYS[:2]:
        group_service(episode, day, 180)

    _redraft(episode)
    assert _codes_by_day(episode) == {DAYS[0]: ["H0005"], DAYS[1]: ["H0005"]}

    group_service(episode, DAYS[4], 180)
    charges_redraft(client_ids=[episode.client_id], dates=[DAYS[4]])

    assert _codes_by_day(episode) == {day: ["H0015"] for day in (DAYS[0], DAYS[1], DAYS[4])}
    replaced = Charge.objects.filter(client=episode.client, superseded=True)
    assert sorted(c.code for c in replaced) == ["H0005", "H0005"]
    new = Charge.objects.get(client=episode.client, service_date=DAYS[0], superseded=False)
    assert new.replaces.code == "H0005"
    assert new.reason.startswith("day re-evaluated: ")


def test_an_excused_absence_counts_zero():
    episode = billable_episode(payer())
    for day in DAYS[:2]:
        group_service(episode, day, 180)
    group_service(episode, DAYS[2], 0, status=Attendance.Status.EXCUSED)
    individual_service(episode, DAYS[2], 30)

    _redraft(episode)

    assert _codes_by_day(episode) == {
        DAYS[0]: ["H0005"],
        DAYS[1]: ["H0005"],
        DAYS[2]: ["H0004"],
    }


def test_a_session_crossing_midnight_counts_on_the_day_it_started():
    episode = billable_episode(payer())
    for day in DAYS[:2]:
        group_service(episode, day, 180)
    late = GroupSessionFactory(
        group=RecurringGroupFactory(),
        starts_at=at(DAYS[2], 22, 0),
        duration_minutes=180,
        summary="Overnight",
    )
    group_service(episode, DAYS[2], 180, session=late)

    _redraft(episode)

    assert _codes_by_day(episode) == {day: ["H0015"] for day in DAYS[:3]}


def test_a_payer_that_does_not_pay_the_per_diem_gets_the_components():
    episode = billable_episode(payer(pays_per_diem=False, group_code="90853"))
    for day in DAYS[:3]:
        group_service(episode, day, 180)

    _redraft(episode)

    assert _codes_by_day(episode) == {day: ["90853"] for day in DAYS[:3]}
    charge = _live(episode)[0]
    assert charge.modifiers == []  # 90853 says "group" itself: no HQ
    assert charge.amount == Decimal("60.00")


def test_components_on_a_day_that_does_not_qualify():
    episode = billable_episode(payer(individual_code_basis="9083x"))
    group_service(episode, DAYS[0], 90)
    individual_service(episode, DAYS[0], 45)
    individual_service(episode, DAYS[1], 15)  # under 16 minutes: not psychotherapy
    individual_service(episode, DAYS[2], 60, kind="assessment", code="H0001")
    individual_service(episode, DAYS[3], 50, kind="conjoint")

    _redraft(episode)

    assert _codes_by_day(episode) == {
        DAYS[0]: ["90834", "H0005"],
        DAYS[2]: ["H0001"],
        DAYS[3]: ["90847"],
    }


def test_a_video_session_is_billed_at_place_of_service_10_with_modifier_95():
    the_payer = payer()
    episode = billable_episode(the_payer)
    individual_service(episode, DAYS[0], 30, mode="video")

    _redraft(episode)

    (charge,) = _live(episode)
    assert (charge.code, charge.units, charge.place_of_service) == ("H0004", 2, "10")
    assert charge.modifiers == ["95", "HF"]
    # The payer's H0004 rate is for HF alone: another combination is not priced by it.
    assert charge.hold_reason == Charge.HoldReason.NO_RATE
    assert charge.amount is None

    rates(the_payer, {"H0004": Decimal("28.00")}, modifiers={"H0004": ["HF", "95"]})
    _redraft(episode)

    (charge,) = _live(episode)
    assert charge.status == Charge.Status.DRAFTED
    assert charge.amount == Decimal("56.00")
