"""The family part of manage.py seed_demo: family members for about half the
demo clients, consents in effect, expired and revoked, Family Education
attendance, a ledger that only holds allowed disclosures; safe to run again."""

from devdata.demo.clients_data import DEMO_CLIENTS
from family.consents import ConsentState, consent_state
from family.models import (
    ConjointAttendee,
    Consent,
    Disclosure,
    FamilyAttendance,
    FamilyLink,
    FamilyMember,
)
from iop.audit.models import AuditEvent
from tests.devdata.demo.seeding import seed

FAMILY_MODELS = (FamilyMember, FamilyLink, Consent, Disclosure, FamilyAttendance, ConjointAttendee)


_seed = seed


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in FAMILY_MODELS}
    counts["AuditEvent"] = AuditEvent.objects.count()
    return counts


def test_seeding_gives_about_half_the_clients_a_family_and_is_idempotent(seeded):
    output = seeded
    first = _counts()

    again = _seed()

    assert _counts() == first
    clients = FamilyLink.objects.values("client").distinct().count()
    assert len(DEMO_CLIENTS) * 0.4 <= clients <= len(DEMO_CLIENTS) * 0.5
    assert f"family members of {clients} clients ({clients} new)" in output
    assert f"family members of {clients} clients (0 new)" in again


def test_seeded_consents_attendance_and_ledger_are_consistent(seeded):
    states = [consent_state(consent) for consent in Consent.objects.all()]
    assert states.count(ConsentState.ACTIVE) > 0
    assert states.count(ConsentState.EXPIRED) > 0
    assert states.count(ConsentState.REVOKED) > 0
    assert FamilyAttendance.objects.filter(status="present").exists()
    # Every attendance is backed by a consent in effect for its family member.
    for row in FamilyAttendance.objects.select_related("session"):
        assert Consent.objects.filter(
            client=row.client,
            recipient_member=row.family_member,
            categories__contains=["attendance"],
            revoked_at__isnull=True,
        ).exists()
    # Every ledger row names the consent that allowed it, covering what it disclosed.
    for disclosure in Disclosure.objects.select_related("consent"):
        assert disclosure.consent.client_id == disclosure.client_id
        assert set(disclosure.categories) <= set(disclosure.consent.categories)
    assert Disclosure.objects.filter(path="roster").exists()
