"""Charges held with their reason: unsigned services of the day, a note
awaiting its co-signature, a late note, no coverage, a code the payer does
not accept, no rate, no diagnosis, the credential modifier, and the
authorization (none, or its units used up); self-pay at the program's rate."""

import datetime
from decimal import Decimal

import pytest

from billing.drafting.service import charges_redraft
from billing.models import Authorization, Charge, Payer
from billing.selectors.authorizations import live_charges
from tests.billing.drafting_helpers import (
    PROGRAM_RATES,
    a_monday,
    billable_episode,
    covered,
    group_service,
    individual_service,
    payer,
    rates,
    staff,
)
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db

MONDAY = a_monday()
DAYS = [MONDAY + datetime.timedelta(days=i) for i in range(7)]


def _draft(episode):
    charges_redraft(client_ids=[episode.client_id], dates=[MONDAY])
    return list(live_charges().filter(client=episode.client).order_by("service_date", "code"))


def test_an_unsigned_service_holds_every_charge_of_its_day():
    episode = billable_episode(payer())
    group_service(episode, DAYS[0], 90)
    individual_service(episode, DAYS[0], 30, signed=False)
    group_service(episode, DAYS[1], 90)

    charges = _draft(episode)

    by_day = {(c.service_date, c.code): c for c in charges}
    for code in ("H0004", "H0005"):
        assert by_day[(DAYS[0], code)].status == Charge.Status.HELD
        assert by_day[(DAYS[0], code)].hold_reason == Charge.HoldReason.UNSIGNED
        assert "individual" in by_day[(DAYS[0], code)].hold_detail
    assert by_day[(DAYS[1], "H0005")].status == Charge.Status.DRAFTED
    unsigned = by_day[(DAYS[0], "H0004")].evidence.get()
    assert unsigned.signed is False


def test_an_unsigned_day_does_not_count_toward_the_week_until_signed():
    episode = billable_episode(payer())
    group_service(episode, DAYS[0], 180)
    group_service(episode, DAYS[1], 180)
    note = individual_service(episode, DAYS[2], 180, signed=False)

    assert [c.code for c in _draft(episode)] == ["H0005", "H0005", "H0004"]

    note.signed_by, note.signed_at = note.author, note.created_at
    note.save()

    charges = _draft(episode)
    assert [c.code for c in charges] == ["H0015", "H0015", "H0015"]
    assert {c.status for c in charges} == {Charge.Status.DRAFTED}


def test_awaiting_co_signature_and_late_notes_hold_with_their_reason():
    episode = billable_episode(payer())
    individual_service(episode, DAYS[0], 30, cosign=True)
    individual_service(episode, DAYS[1], 30, late=True)

    first, second = _draft(episode)

    assert first.hold_reason == Charge.HoldReason.COSIGN
    assert second.hold_reason == Charge.HoldReason.LATE
    assert second.evidence.get().signed_late is True


def test_no_coverage_holds_at_the_program_rate():
    episode = billable_episode(None)
    rates(None, PROGRAM_RATES)
    group_service(episode, DAYS[0], 60)

    (charge,) = _draft(episode)

    assert charge.hold_reason == Charge.HoldReason.NO_COVERAGE
    assert charge.payer is None and charge.coverage is None
    assert charge.amount == PROGRAM_RATES["H0005"]


def test_self_pay_and_grant_clients_are_charged_at_the_program_rate():
    rates(None, PROGRAM_RATES)
    for kind in (Payer.Kind.SELF_PAY, Payer.Kind.GRANT):
        own = Payer.objects.create(name=f"{kind}", kind=kind, requires_authorization=True)
        episode = billable_episode(own)
        group_service(episode, DAYS[0], 60)

        (charge,) = _draft(episode)

        assert charge.status == Charge.Status.DRAFTED, charge.hold_detail
        assert charge.payer == own
        assert charge.unit_rate == PROGRAM_RATES["H0005"]
        assert charge.authorization is None


def test_a_code_the_payer_does_not_accept_is_held():
    episode = billable_episode(payer(accepted_codes=["H0015", "H0004"]))
    group_service(episode, DAYS[0], 60)

    (charge,) = _draft(episode)

    assert charge.hold_reason == Charge.HoldReason.NOT_ACCEPTED
    assert "H0005" in charge.hold_detail


def test_no_rate_on_the_date_of_service_is_held():
    the_payer = Payer.objects.create(name="No rates", kind=Payer.Kind.COMMERCIAL)
    rates(the_payer, {"H0005": Decimal("40.00")}, since=DAYS[1])
    episode = billable_episode(the_payer)
    group_service(episode, DAYS[0], 60)
    group_service(episode, DAYS[1], 60)

    before, after = _draft(episode)

    assert before.hold_reason == Charge.HoldReason.NO_RATE
    assert before.unit_rate is None and before.amount is None
    assert after.status == Charge.Status.DRAFTED and after.amount == Decimal("40.00")


def test_no_confirmed_diagnosis_is_held():
    episode = EpisodeFactory(
        referral_date=datetime.date(2019, 12, 1), admission_date=datetime.date(2020, 1, 1)
    )
    covered(episode, payer())
    group_service(episode, DAYS[0], 60)

    (charge,) = _draft(episode)

    assert charge.hold_reason == Charge.HoldReason.NO_DIAGNOSIS
    assert charge.diagnosis_codes == []


def test_a_payer_wanting_the_credential_modifier_holds_rather_than_guesses():
    episode = billable_episode(payer(credential_modifier=True))
    counselor = staff()
    counselor.credentials = "LCDC"
    counselor.save()
    individual_service(episode, DAYS[0], 30, counselor=counselor)

    (charge,) = _draft(episode)

    assert charge.hold_reason == Charge.HoldReason.CREDENTIAL
    assert "LCDC" in charge.hold_detail


@pytest.mark.parametrize(
    ("degree", "modifier"),
    [("doctoral", "HP"), ("masters", "HO"), ("bachelors", "HN"), ("below_bachelors", "HM")],
)
def test_the_degree_level_gives_the_modifier_the_payer_wants(degree, modifier):
    episode = billable_episode(payer(credential_modifier=True))
    counselor = staff()
    counselor.credentials, counselor.degree_level = "LPC", degree
    counselor.save()
    individual_service(episode, DAYS[0], 30, counselor=counselor)

    (charge,) = _draft(episode)

    assert charge.status == Charge.Status.DRAFTED
    assert charge.modifiers == sorted(["HF", modifier])
    # Priced at the code's H0004-HF rate: the schedule has no HO rate of its own.
    assert (charge.unit_rate, charge.amount) == (Decimal("30.00"), Decimal("60.00"))


def test_a_rate_for_the_degree_level_is_preferred_to_the_codes_plain_rate():
    the_payer = payer(credential_modifier=True)
    rates(the_payer, {"H0004": Decimal("36.00")}, modifiers={"H0004": ["HF", "HO"]})
    episode = billable_episode(the_payer)
    counselor = staff()
    counselor.degree_level = "masters"
    counselor.save()
    individual_service(episode, DAYS[0], 30, counselor=counselor)

    (charge,) = _draft(episode)

    assert charge.unit_rate == Decimal("36.00")


def test_without_the_payers_wish_no_degree_modifier_is_added():
    episode = billable_episode(payer())
    counselor = staff()
    counselor.degree_level = "masters"
    counselor.save()
    individual_service(episode, DAYS[0], 30, counselor=counselor)

    (charge,) = _draft(episode)

    assert charge.modifiers == ["HF"]


def _authorized(episode, payer_, *, units, codes=("H0005",)):
    coverage = episode.client.coverages.get(payer=payer_)
    return Authorization.objects.create(
        coverage=coverage,
        number="AUTH-1",
        service_codes=list(codes),
        units_authorized=units,
        starts_on=DAYS[0],
        ends_on=DAYS[6],
        created_by=staff(),
    )


def test_without_an_authorization_listing_the_code_the_charge_is_held():
    the_payer = payer(requires_authorization=True)
    episode = billable_episode(the_payer)
    _authorized(episode, the_payer, units=10, codes=("H0015",))
    group_service(episode, DAYS[0], 60)

    (charge,) = _draft(episode)

    assert charge.hold_reason == Charge.HoldReason.NO_AUTHORIZATION
    assert charge.authorization is None


def test_units_count_down_and_the_charge_beyond_them_is_held():
    the_payer = payer(requires_authorization=True)
    episode = billable_episode(the_payer)
    authorization = _authorized(episode, the_payer, units=2)
    for day in DAYS[:3]:
        group_service(episode, day, 60)

    charges = _draft(episode)

    assert [c.authorization_id for c in charges[:2]] == [authorization.pk] * 2
    assert charges[2].hold_reason == Charge.HoldReason.UNITS_EXHAUSTED
    # Re-evaluating does not count the week's own charges twice.
    assert [c.pk for c in _draft(episode)] == [c.pk for c in charges]
