"""Recording consents (42 CFR 2.31): every required element enforced by the
service and again by the database, the bad input of the issue refused with a
clear message and nothing written, and revocation audited and immediate."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from family.models import Consent
from family.services import consent_event_occurred, consent_record, consent_revoke
from iop.audit.models import AuditEvent
from iop.reminders.models import Reminder
from tests.factories import EpisodeFactory
from tests.family.factories import PNG, consent_data, consent_for, family_member

pytestmark = pytest.mark.django_db

# Each required element, the value that leaves it missing, and the field the
# service names.
MISSING = [
    ("discloser", {"discloser": "  "}, "discloser"),
    ("description", {"description": ""}, "description"),
    ("categories", {"categories": []}, "categories"),
    ("recipient", {"recipient_kind": ""}, "recipient_kind"),
    ("purpose", {"purpose": ""}, "purpose"),
    ("how to revoke", {"revocation_instructions": ""}, "revocation_instructions"),
    ("expiry", {"expires_on": None, "expiry_event": ""}, "expires_on"),
    ("signature name", {"signature_name": ""}, "signature_name"),
    ("signature confirmation", {"signature_confirmed": False}, "signature_confirmed"),
    (
        "drawn signature",
        {"signature_method": "drawn", "signature_drawing": ""},
        "signature_drawing",
    ),
    ("signature method", {"signature_method": ""}, "signature_method"),
    ("signature date", {"signed_on": None}, "signed_on"),
]


@pytest.fixture
def member(client_of_counselor1, counselor1):
    return family_member(client_of_counselor1, actor=counselor1)


def _record(client, actor, data):
    return consent_record(actor=actor, client=client, data=data)


@pytest.mark.parametrize(("element", "overrides", "field"), MISSING, ids=[m[0] for m in MISSING])
def test_a_consent_missing_an_element_is_not_saved(
    client_of_counselor1, counselor1, member, element, overrides, field
):
    with pytest.raises(ValidationError) as refused:
        _record(client_of_counselor1, counselor1, consent_data(member, **overrides))

    assert field in refused.value.message_dict
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(object_type="family.consent").exists()


def test_a_complete_consent_is_saved_and_audited(client_of_counselor1, counselor1, member):
    consent = _record(client_of_counselor1, counselor1, consent_data(member))

    assert consent.recipient_name == member.name and consent.recipient_member == member
    assert consent.categories == ["attendance", "progress"]
    event = AuditEvent.objects.get(object_type="family.consent")
    assert event.action == "create" and event.client == client_of_counselor1
    assert event.details == {"categories": ["attendance", "progress"], "recipient_kind": "family"}


def test_an_expiry_before_the_signature_date_is_refused(client_of_counselor1, counselor1, member):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as refused:
        _record(
            client_of_counselor1,
            counselor1,
            consent_data(member, expires_on=today - datetime.timedelta(days=1)),
        )

    assert refused.value.message_dict["expires_on"] == [
        "The consent cannot expire before the date it was signed."
    ]
    assert not Consent.objects.exists()


def test_an_expiry_on_the_signature_date_is_accepted(client_of_counselor1, counselor1, member):
    today = timezone.localdate()

    consent = _record(client_of_counselor1, counselor1, consent_data(member, expires_on=today))

    assert consent.expires_on == consent.signed_on


def test_an_expiry_event_alone_is_an_expiry(client_of_counselor1, counselor1, member):
    consent = _record(
        client_of_counselor1,
        counselor1,
        consent_data(member, expires_on=None, expiry_event="Discharge from the program"),
    )

    assert consent.expiry_event == "Discharge from the program"


def test_an_outside_recipient_without_a_name_is_refused(client_of_counselor1, counselor1):
    with pytest.raises(ValidationError) as refused:
        _record(client_of_counselor1, counselor1, consent_data(None, recipient_name="   "))

    assert refused.value.message_dict["recipient_name"] == ["Give the recipient's name."]
    assert not Consent.objects.exists()


def test_a_family_recipient_must_be_family_of_this_client(client_of_counselor1, counselor1):
    stranger = family_member(EpisodeFactory(primary_counselor=counselor1).client, actor=counselor1)

    with pytest.raises(ValidationError) as refused:
        _record(client_of_counselor1, counselor1, consent_data(stranger))

    assert "recipient_member" in refused.value.message_dict
    assert not Consent.objects.exists()


def test_a_category_outside_the_list_is_refused(client_of_counselor1, counselor1, member):
    with pytest.raises(ValidationError) as refused:
        _record(
            client_of_counselor1,
            counselor1,
            consent_data(member, categories=["attendance", "hiv_status"]),
        )

    assert "hiv_status" in refused.value.message_dict["categories"][0]
    assert not Consent.objects.exists()


def test_a_signature_date_in_the_future_is_refused(client_of_counselor1, counselor1, member):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        _record(
            client_of_counselor1,
            counselor1,
            consent_data(member, signed_on=tomorrow, expires_on=tomorrow),
        )

    assert "signed_on" in refused.value.message_dict


def test_a_signature_date_before_the_clients_first_referral_is_refused(
    client_of_counselor1, counselor1, member
):
    referral = client_of_counselor1.episodes.get().referral_date

    for signed_on in (datetime.date(1, 1, 1), referral - datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            _record(client_of_counselor1, counselor1, consent_data(member, signed_on=signed_on))

        assert refused.value.message_dict["signed_on"] == [
            "The signature date cannot be before the client's first referral "
            f"({referral:%Y-%m-%d})."
        ]
    assert not Consent.objects.exists()


def test_a_signature_date_on_the_first_referral_of_a_readmitted_client_is_accepted(
    client_of_counselor1, counselor1, member
):
    # The current episode was referred 30 days ago; an earlier one two years ago.
    first = timezone.localdate() - datetime.timedelta(days=730)
    EpisodeFactory(
        client=client_of_counselor1,
        phase="discharged",
        referral_date=first,
        admission_date=first + datetime.timedelta(days=5),
        discharge_date=first + datetime.timedelta(days=90),
        discharge_reason=1,
    )

    consent = _record(client_of_counselor1, counselor1, consent_data(member, signed_on=first))

    assert consent.signed_on == first


def test_a_drawn_signature_is_kept(client_of_counselor1, counselor1, member):
    consent = _record(
        client_of_counselor1,
        counselor1,
        consent_data(
            member, signature_method="drawn", signature_drawing=PNG, signature_confirmed=False
        ),
    )

    assert consent.signature_drawing == PNG and not consent.signature_confirmed


def test_a_drawing_that_is_not_a_png_is_refused(client_of_counselor1, counselor1, member):
    with pytest.raises(ValidationError) as refused:
        _record(
            client_of_counselor1,
            counselor1,
            consent_data(
                member,
                signature_method="drawn",
                signature_drawing="data:image/svg+xml;base64,PHN2Zz4=",
            ),
        )

    assert "signature_drawing" in refused.value.message_dict


@pytest.mark.parametrize(
    "fields",
    [
        {"purpose": ""},
        {"categories": []},
        {"categories": ["attendance", "gossip"]},
        {"expires_on": None, "expiry_event": ""},
        {"signature_confirmed": False},
        {"recipient_name": ""},
    ],
    ids=["purpose", "no-category", "unlisted-category", "expiry", "signature", "recipient-name"],
)
def test_the_database_refuses_a_consent_missing_an_element(
    client_of_counselor1, counselor1, fields
):
    today = timezone.localdate()
    values = {
        "client": client_of_counselor1,
        "discloser": "OpenIOP",
        "categories": ["attendance"],
        "description": "Attendance",
        "recipient_kind": "eap",
        "recipient_name": "Acme EAP",
        "purpose": "Return to work",
        "revocation_instructions": "Tell staff",
        "expires_on": today,
        "signed_on": today,
        "signature_name": "Client",
        "signature_method": "confirmed",
        "signature_confirmed": True,
        "recorded_by": counselor1,
    }
    values.update(fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(**values)


# --- revocation and the expiry event -------------------------------------------------------


def test_revoking_records_who_when_and_how_and_is_audited(client_of_counselor1, counselor1, member):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    before = timezone.now()

    consent_revoke(actor=counselor1, consent=consent, note="Told me in session")

    consent.refresh_from_db()
    assert consent.revoked_at >= before and consent.revoked_by == counselor1
    assert consent.revocation_note == "Told me in session"
    event = AuditEvent.objects.filter(object_type="family.consent", action="update").get()
    assert event.details == {"revoked": True} and event.client == client_of_counselor1


def test_revoking_twice_is_refused(client_of_counselor1, counselor1, member):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    consent_revoke(actor=counselor1, consent=consent, note="Letter")

    with pytest.raises(ValidationError):
        consent_revoke(actor=counselor1, consent=Consent.objects.get(pk=consent.pk), note="Again")


def test_revoking_needs_to_say_how(client_of_counselor1, counselor1, member):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)

    with pytest.raises(ValidationError):
        consent_revoke(actor=counselor1, consent=consent, note=" ")

    assert Consent.objects.get(pk=consent.pk).revoked_at is None


def test_revoking_cancels_the_family_members_queued_reminders(
    client_of_counselor1, counselor1, member
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    queued = Reminder.objects.create(
        appointment_key="group-session:x",
        kind="before_24h",
        channel="sms",
        family_member_id=member.pk,
        recipient_key=f"family:{member.pk}",
        address=member.phone,
        send_at=timezone.now() + datetime.timedelta(hours=1),
    )

    consent_revoke(actor=counselor1, consent=consent, note="Phone call")

    queued.refresh_from_db()
    assert queued.status == Reminder.Status.CANCELLED
    assert queued.skip_reason == "consent_revoked"


def test_the_expiry_event_cancels_the_family_members_queued_reminders(
    client_of_counselor1, counselor1, member
):
    consent = consent_for(
        client_of_counselor1, member, actor=counselor1, expires_on=None, expiry_event="Discharge"
    )
    queued = _queued_for(member)

    consent_event_occurred(actor=counselor1, consent=consent)

    queued.refresh_from_db()
    assert (queued.status, queued.skip_reason) == (Reminder.Status.CANCELLED, "consent_ended")


def _queued_for(member):
    return Reminder.objects.create(
        appointment_key="group-session:x",
        kind="before_24h",
        channel="sms",
        family_member_id=member.pk,
        recipient_key=f"family:{member.pk}",
        address=member.phone,
        send_at=timezone.now() + datetime.timedelta(hours=1),
    )


def test_the_expiry_event_can_be_recorded_once(client_of_counselor1, counselor1, member):
    consent = consent_for(
        client_of_counselor1, member, actor=counselor1, expires_on=None, expiry_event="Discharge"
    )

    consent_event_occurred(actor=counselor1, consent=consent)

    assert Consent.objects.get(pk=consent.pk).event_occurred_at is not None
    with pytest.raises(ValidationError):
        consent_event_occurred(actor=counselor1, consent=consent)


def test_a_consent_without_an_expiry_event_cannot_end_on_one(
    client_of_counselor1, counselor1, member
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)

    with pytest.raises(ValidationError):
        consent_event_occurred(actor=counselor1, consent=consent)
