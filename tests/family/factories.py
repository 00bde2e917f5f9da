"""Helpers of the family tests: family members linked to a client, valid
consent data for the service, and a Family Education session with a client
on its roster."""

import base64
import datetime

from django.utils import timezone

from family.models import Consent, FamilyLink, FamilyMember
from family.services import consent_record
from tests.factories import UserFactory
from tests.groups.factories import (
    EnrollmentFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
    track,
)

# What the signature pad posts: a PNG data URL (the header is what is checked).
PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(24)).decode()


def family_member(client, *, relationship="parent", actor=None, **fields) -> FamilyMember:
    values = {
        "first_name": "Maria",
        "last_name": f"Family{FamilyMember.objects.count()}",
        "phone": "+15555550199",
        "email": "family@example.org",
        "sms_consent": True,
    }
    values.update(fields)
    member = FamilyMember.objects.create(**values)
    link_member(client, member, relationship=relationship, actor=actor)
    return member


def link_member(client, member, *, relationship="parent", actor=None) -> FamilyLink:
    return FamilyLink.objects.create(
        client=client,
        member=member,
        relationship=relationship,
        created_by=actor or UserFactory(),
    )


def consent_data(member=None, **overrides) -> dict:
    """Every element of a valid consent, as the form's cleaned data."""
    today = timezone.localdate()
    data = {
        "recipient_kind": Consent.RecipientKind.FAMILY
        if member
        else Consent.RecipientKind.PROBATION,
        "recipient_member": member,
        "recipient_name": "" if member else "Officer Dana Reyes",
        "recipient_organization": "" if member else "County Probation",
        "recipient_contact": "",
        "discloser": "OpenIOP (the program's clinical staff)",
        "categories": ["attendance", "progress"],
        "description": "Dates attended and a summary of progress in the current episode.",
        "purpose": "To support the client's recovery at home.",
        "revocation_instructions": "Tell any staff member, orally or in writing.",
        "expires_on": today + datetime.timedelta(days=180),
        "expiry_event": "",
        "signed_on": today,
        "signature_name": "Client Name",
        "signature_method": Consent.SignatureMethod.CONFIRMED,
        "signature_drawing": "",
        "signature_confirmed": True,
    }
    data.update(overrides)
    return data


def consent_for(client, member=None, *, actor, recorded_at=None, **overrides) -> Consent:
    """A consent recorded through the service; `recorded_at` moves the moment
    it was recorded back (a consent already on file before a session), which
    auto_now_add does not let the service take."""
    consent = consent_record(actor=actor, client=client, data=consent_data(member, **overrides))
    if recorded_at is not None:
        Consent.objects.filter(pk=consent.pk).update(recorded_at=recorded_at)
        consent.recorded_at = recorded_at
    return consent


def referred_days_ago(client, days: int) -> None:
    """Move the client's referral back, for consents signed long ago (a
    consent cannot be dated before the client's first referral)."""
    client.episodes.update(referral_date=timezone.localdate() - datetime.timedelta(days=days))


def family_session(facilitator, clients, **session_fields):
    """A Family Education session of `facilitator`'s group that started an
    hour ago, with `clients` enrolled in the group."""
    group = RecurringGroupFactory(
        track=track("family"), facilitator=facilitator, name="Family Education"
    )
    for client in clients:
        EnrollmentFactory(group=group, episode=client.episodes.get())
    return GroupSessionFactory(group=group, **session_fields)
