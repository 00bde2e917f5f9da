"""Replies to our texts (DOMAIN.md section 8): a STOP from the client's
number revokes SMS consent at once; the webhook only believes requests that
carry Twilio's signature."""

import pytest
from twilio.request_validator import RequestValidator

from iop.audit.models import AuditEvent
from iop.clients.models import Client
from iop.reminders.models import Reminder
from iop.reminders.services import reminders_dispatch_due
from tests.factories import ClientFactory
from tests.reminders.support import AUTH_TOKEN, local, reminder_row, sms_lines

pytestmark = pytest.mark.django_db

URL = "http://testserver/reminders/sms/inbound/"
PATH = "/reminders/sms/inbound/"
NOW = local(2030, 1, 14, 12)


@pytest.fixture(autouse=True)
def twilio_token(settings):
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN


@pytest.fixture
def texting_client(db):
    """A client who consented to texts, stored with a formatted number."""
    return ClientFactory(
        phone="+1 (555) 555-0100",
        email="sam@example.test",
        sms_consent=True,
        email_consent=True,
    )


def _params(body, from_number="5555550100"):
    return {
        "MessageSid": "SM" + "1" * 32,
        "AccountSid": "AC" + "0" * 32,
        "From": from_number,
        "To": "+15550000000",
        "Body": body,
    }


def _post(client, params, *, signature=None):
    if signature is None:
        signature = RequestValidator(AUTH_TOKEN).compute_signature(URL, params)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    return client.post(PATH, params, **headers)


def _fresh(client):
    return Client.objects.get(pk=client.pk)


@pytest.mark.parametrize(
    "body",
    [
        "STOP",
        "stop",
        "Stop",
        "  STOP  ",
        "Stop please, no more texts",
        "STOP.",
        "STOPALL",
        "Unsubscribe",
        "cancel",
        "END",
        "quit",
        "PARAR",
        "parar por favor",
        "Baja",
    ],
)
def test_stop_and_its_synonyms_revoke_sms_consent(client, texting_client, body):
    response = _post(client, _params(body))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    texting = _fresh(texting_client)
    assert texting.sms_consent is False
    assert texting.sms_consent_at is None
    assert texting.sms_consent_wording == ""
    assert texting.email_consent is True


@pytest.mark.parametrize(
    ("stored", "sent_from"),
    [
        ("+1 (555) 555-0100", "5555550100"),
        ("5555550100", "+1 (555) 555-0100"),
        ("555-555-0100", "+15555550100"),
    ],
)
def test_stop_matches_the_number_in_another_format(client, stored, sent_from):
    texting = ClientFactory(phone=stored, sms_consent=True)

    _post(client, _params("STOP", from_number=sent_from))

    assert _fresh(texting).sms_consent is False


def test_stop_skips_the_clients_pending_texts_but_not_their_emails(
    client, texting_client, sms_file
):
    pending = reminder_row(now=NOW, client=texting_client)
    email = reminder_row(now=NOW, client=texting_client, channel="email", address="sam@x.test")
    sent = reminder_row(now=NOW, client=texting_client, status=Reminder.Status.SENT)

    _post(client, _params("STOP"))

    pending.refresh_from_db()
    assert (pending.status, pending.skip_reason) == (Reminder.Status.SKIPPED, "opted_out")
    assert pending.skipped_at is not None
    assert Reminder.objects.get(pk=email.pk).status == Reminder.Status.PENDING
    assert Reminder.objects.get(pk=sent.pk).status == Reminder.Status.SENT
    reminders_dispatch_due(now=NOW)
    assert sms_lines(sms_file) == []


def test_stop_writes_an_audit_event(client, texting_client):
    _post(client, _params("STOP"))

    event = AuditEvent.objects.get(client=texting_client)
    assert event.action == AuditEvent.Action.UPDATE
    assert event.actor is None
    assert event.details == {"sms_consent": "revoked by STOP reply"}
    assert event.object_id == str(texting_client.public_id)


def test_stop_leaves_clients_with_other_numbers_alone(client, texting_client):
    other = ClientFactory(phone="+15555550199", sms_consent=True)

    _post(client, _params("STOP"))

    assert _fresh(other).sms_consent is True
    assert not AuditEvent.objects.filter(client=other).exists()


def test_a_wrong_signature_is_refused_and_changes_nothing(client, texting_client):
    pending = reminder_row(now=NOW, client=texting_client)
    params = _params("STOP")
    forged = RequestValidator("another-token").compute_signature(URL, params)

    response = _post(client, params, signature=forged)

    assert response.status_code == 403
    assert _fresh(texting_client).sms_consent is True
    assert Reminder.objects.get(pk=pending.pk).status == Reminder.Status.PENDING
    assert not AuditEvent.objects.exists()


def test_a_signature_for_other_parameters_is_refused(client, texting_client):
    signature = RequestValidator(AUTH_TOKEN).compute_signature(URL, _params("Hello"))

    response = _post(client, _params("STOP"), signature=signature)

    assert response.status_code == 403
    assert _fresh(texting_client).sms_consent is True


def test_a_missing_signature_is_refused_and_changes_nothing(client, texting_client):
    response = _post(client, _params("STOP"), signature="")

    assert response.status_code == 403
    assert _fresh(texting_client).sms_consent is True
    assert not AuditEvent.objects.exists()


def test_without_a_configured_token_every_request_is_refused(settings, client, texting_client):
    params = _params("STOP")
    signature = RequestValidator("").compute_signature(URL, params)
    settings.TWILIO_AUTH_TOKEN = ""

    response = _post(client, params, signature=signature)

    assert response.status_code == 403
    assert _fresh(texting_client).sms_consent is True


@pytest.mark.parametrize("body", ["Yes", "OK see you then", "Thanks", "", "STOPPING by later"])
def test_a_message_that_is_not_stop_changes_nothing(client, texting_client, body):
    pending = reminder_row(now=NOW, client=texting_client)

    response = _post(client, _params(body))

    assert response.status_code == 200
    assert _fresh(texting_client).sms_consent is True
    assert Reminder.objects.get(pk=pending.pk).status == Reminder.Status.PENDING
    assert not AuditEvent.objects.exists()


def test_get_is_not_allowed(client):
    response = client.get(PATH)

    assert response.status_code == 405
