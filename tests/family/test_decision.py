"""disclosure_decision, the one function that says whether information may
leave the program, and the ledger writer that relies on it: every category,
the exact boundaries of signature, expiry, expiry event and revocation, the
recipient match, and the ledger's refusals and append-only rows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from family.consents import (
    NOTICE,
    Recipient,
    disclosure_decision,
    disclosure_record,
)
from family.models import Consent, Disclosure, DisclosureCategory
from family.services import consent_event_occurred, consent_revoke
from tests.factories import EpisodeFactory
from tests.family.factories import consent_for, family_member, link_member

pytestmark = pytest.mark.django_db

ONE_MICROSECOND = datetime.timedelta(microseconds=1)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@pytest.fixture
def member(client_of_counselor1, counselor1):
    return family_member(client_of_counselor1, actor=counselor1, first_name="Rosa")


def test_the_notice_is_the_regulation_wording():
    assert NOTICE == "42 CFR part 2 prohibits unauthorized use or disclosure of these records."


@pytest.mark.parametrize("category", DisclosureCategory.values)
def test_a_consent_allows_exactly_the_category_it_covers(
    client_of_counselor1, counselor1, member, category
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1, categories=[category])

    for other in DisclosureCategory.values:
        decision = disclosure_decision(
            client=client_of_counselor1, category=other, recipient=member
        )
        if other == category:
            assert decision.allowed and decision.consent == consent and decision.reason == ""
        else:
            assert not decision.allowed
            assert "covers" in decision.reason and "Rosa" in decision.reason


def test_a_category_outside_the_list_is_refused_with_its_name(
    client_of_counselor1, counselor1, member
):
    consent_for(client_of_counselor1, member, actor=counselor1)

    decision = disclosure_decision(
        client=client_of_counselor1, category="psychotherapy_notes", recipient=member
    )

    assert not decision.allowed
    assert "psychotherapy_notes" in decision.reason and "not a category" in decision.reason


def test_without_any_consent_the_decision_names_the_recipient(client_of_counselor1, member):
    decision = disclosure_decision(
        client=client_of_counselor1, category="attendance", recipient=member
    )

    assert not decision.allowed and decision.consent is None
    assert decision.reason == f"No consent of the client names {member.name} as a recipient."


def test_a_consent_to_another_family_member_does_not_allow(
    client_of_counselor1, counselor1, member
):
    other = family_member(client_of_counselor1, actor=counselor1, first_name="Tom")
    consent_for(client_of_counselor1, other, actor=counselor1)

    assert not disclosure_decision(
        client=client_of_counselor1, category="attendance", recipient=member
    ).allowed


def test_a_siblings_consent_does_not_reach_the_other_client(
    client_of_counselor1, counselor1, member
):
    sibling = EpisodeFactory(primary_counselor=counselor1).client
    link_member(sibling, member, actor=counselor1)
    consent_for(client_of_counselor1, member, actor=counselor1)

    assert disclosure_decision(
        client=client_of_counselor1, category="progress", recipient=member
    ).allowed
    assert not disclosure_decision(client=sibling, category="progress", recipient=member).allowed


def test_an_outside_party_is_matched_by_kind_and_name(client_of_counselor1, counselor1):
    consent = consent_for(client_of_counselor1, actor=counselor1)  # probation officer

    same = Recipient(kind="probation", name="  officer dana   REYES ")
    other_name = Recipient(kind="probation", name="Officer Kim Lee")
    other_kind = Recipient(kind="eap", name="Officer Dana Reyes")

    assert (
        disclosure_decision(
            client=client_of_counselor1, category="attendance", recipient=same
        ).consent
        == consent
    )
    assert not disclosure_decision(
        client=client_of_counselor1, category="attendance", recipient=other_name
    ).allowed
    assert not disclosure_decision(
        client=client_of_counselor1, category="attendance", recipient=other_kind
    ).allowed


def test_the_newest_consent_in_effect_allows_when_an_older_one_is_revoked(
    client_of_counselor1, counselor1, member
):
    today = timezone.localdate()
    older = consent_for(
        client_of_counselor1,
        member,
        actor=counselor1,
        signed_on=today - datetime.timedelta(days=30),
    )
    consent_revoke(actor=counselor1, consent=older, note="Said so in session")
    newer = consent_for(client_of_counselor1, member, actor=counselor1)

    decision = disclosure_decision(
        client=client_of_counselor1, category="attendance", recipient=member
    )

    assert decision.allowed and decision.consent == newer


# --- boundaries -----------------------------------------------------------------------


def test_a_consent_takes_effect_at_the_start_of_its_signature_date(
    client_of_counselor1, counselor1, member
):
    # On file since the day before it was signed (a data import, say): the
    # signature date still bounds it.
    today = timezone.localdate()
    consent = consent_for(
        client_of_counselor1,
        member,
        actor=counselor1,
        recorded_at=_start_of(today - datetime.timedelta(days=1)),
    )
    start = _start_of(consent.signed_on)

    before = disclosure_decision(
        client=client_of_counselor1,
        category="attendance",
        recipient=member,
        at=start - ONE_MICROSECOND,
    )
    at_start = disclosure_decision(
        client=client_of_counselor1, category="attendance", recipient=member, at=start
    )

    assert not before.allowed and "after this disclosure" in before.reason
    assert at_start.allowed


def test_a_consent_takes_effect_only_once_it_is_recorded(client_of_counselor1, counselor1, member):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    recorded_at = Consent.objects.get(pk=consent.pk).recorded_at

    before = disclosure_decision(
        client=client_of_counselor1,
        category="attendance",
        recipient=member,
        at=recorded_at - ONE_MICROSECOND,
    )
    at_recording = disclosure_decision(
        client=client_of_counselor1, category="attendance", recipient=member, at=recorded_at
    )

    assert not before.allowed and "after this disclosure" in before.reason
    assert at_recording.allowed


def test_a_consent_recorded_after_a_disclosure_does_not_make_it_allowed(
    client_of_counselor1, counselor1, member
):
    # Signed a week ago on paper (so it says), recorded only now: the ledger
    # refuses a disclosure of three days ago under it.
    today = timezone.localdate()
    consent_for(
        client_of_counselor1,
        member,
        actor=counselor1,
        signed_on=today - datetime.timedelta(days=7),
    )
    three_days_ago = timezone.now() - datetime.timedelta(days=3)

    with pytest.raises(ValidationError) as refused:
        disclosure_record(
            client=client_of_counselor1,
            recipient=member,
            categories=["attendance"],
            description="Roster",
            path=Disclosure.Path.ROSTER,
            actor=counselor1,
            at=three_days_ago,
        )

    assert "after this disclosure" in refused.value.messages[0]
    assert not Disclosure.objects.exists()


def test_a_consent_allows_through_the_last_instant_of_its_expiry_date(
    client_of_counselor1, counselor1, member
):
    today = timezone.localdate()
    expires_on = today - datetime.timedelta(days=1)
    consent_for(
        client_of_counselor1,
        member,
        actor=counselor1,
        signed_on=today - datetime.timedelta(days=20),
        expires_on=expires_on,
        recorded_at=_start_of(today - datetime.timedelta(days=20)),
    )
    next_day = _start_of(expires_on + datetime.timedelta(days=1))

    last = disclosure_decision(
        client=client_of_counselor1,
        category="attendance",
        recipient=member,
        at=next_day - ONE_MICROSECOND,
    )
    after = disclosure_decision(
        client=client_of_counselor1, category="attendance", recipient=member, at=next_day
    )

    assert last.allowed
    assert not after.allowed
    assert after.reason.endswith(f"expired on {expires_on:%Y-%m-%d}.")


def test_revocation_takes_effect_at_the_instant_it_is_recorded(
    client_of_counselor1, counselor1, member
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    consent = consent_revoke(actor=counselor1, consent=consent, note="Phoned to revoke")
    revoked_at = Consent.objects.get(pk=consent.pk).revoked_at

    just_before = disclosure_decision(
        client=client_of_counselor1,
        category="attendance",
        recipient=member,
        at=revoked_at - ONE_MICROSECOND,
    )
    at_revocation = disclosure_decision(
        client=client_of_counselor1, category="attendance", recipient=member, at=revoked_at
    )

    assert just_before.allowed
    assert not at_revocation.allowed and "was revoked on" in at_revocation.reason
    assert not disclosure_decision(
        client=client_of_counselor1, category="attendance", recipient=member
    ).allowed


def test_an_expiry_event_ends_the_consent_at_the_instant_it_is_recorded(
    client_of_counselor1, counselor1, member
):
    consent = consent_for(
        client_of_counselor1, member, actor=counselor1, expires_on=None, expiry_event="Discharge"
    )
    consent_event_occurred(actor=counselor1, consent=consent)
    ended_at = Consent.objects.get(pk=consent.pk).event_occurred_at

    before = disclosure_decision(
        client=client_of_counselor1,
        category="progress",
        recipient=member,
        at=ended_at - ONE_MICROSECOND,
    )
    at_event = disclosure_decision(
        client=client_of_counselor1, category="progress", recipient=member, at=ended_at
    )

    assert before.allowed
    assert not at_event.allowed and "expiry event (Discharge)" in at_event.reason


# --- the ledger writer --------------------------------------------------------------


def test_a_disclosure_without_consent_is_refused_and_nothing_is_written(
    client_of_counselor1, counselor1, member
):
    with pytest.raises(ValidationError) as refused:
        disclosure_record(
            client=client_of_counselor1,
            recipient=member,
            categories=["attendance"],
            description="Attendance",
            path=Disclosure.Path.EXPORT,
            actor=counselor1,
        )

    assert "No consent of the client names" in refused.value.messages[0]
    assert not Disclosure.objects.exists()


def test_a_disclosure_of_a_category_not_covered_is_refused_whole(
    client_of_counselor1, counselor1, member
):
    consent_for(client_of_counselor1, member, actor=counselor1, categories=["attendance"])

    with pytest.raises(ValidationError):
        disclosure_record(
            client=client_of_counselor1,
            recipient=member,
            categories=["attendance", "drug_tests"],
            description="Attendance and tests",
            path=Disclosure.Path.EXPORT,
            actor=counselor1,
        )

    assert not Disclosure.objects.exists()


def test_an_allowed_disclosure_writes_one_row_with_every_element(
    client_of_counselor1, counselor1, member
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)

    disclosure_record(
        client=client_of_counselor1,
        recipient=member,
        categories=["progress"],
        description="Progress summary",
        path=Disclosure.Path.EXPORT,
        actor=counselor1,
    )

    row = Disclosure.objects.get()
    assert row.client == client_of_counselor1 and row.consent == consent
    assert row.recipient_name == member.name and row.family_member == member
    assert row.categories == ["progress"] and row.description == "Progress summary"
    assert row.purpose == consent.purpose and row.user == counselor1
    assert row.disclosed_at is not None


def test_the_same_reference_is_recorded_once(client_of_counselor1, counselor1, member):
    consent_for(client_of_counselor1, member, actor=counselor1)
    for _ in range(3):
        disclosure_record(
            client=client_of_counselor1,
            recipient=member,
            categories=["attendance"],
            description="Roster",
            path=Disclosure.Path.ROSTER,
            actor=counselor1,
            reference="roster:x",
        )

    assert Disclosure.objects.count() == 1


def test_the_ledger_is_append_only_in_the_database(client_of_counselor1, counselor1, member):
    consent_for(client_of_counselor1, member, actor=counselor1)
    disclosure_record(
        client=client_of_counselor1,
        recipient=member,
        categories=["attendance"],
        description="Roster",
        path=Disclosure.Path.ROSTER,
        actor=counselor1,
    )

    with pytest.raises(DatabaseError), transaction.atomic():
        Disclosure.objects.update(description="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        Disclosure.objects.all().delete()
    assert Disclosure.objects.get().description == "Roster"
