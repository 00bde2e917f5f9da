"""The consent service's validation in three checks (recipient, validity,
signature), each naming only its own elements' errors, which the service
composes: a consent wrong in every way is refused with every error at once."""

import pytest
from django.core.exceptions import ValidationError

from family.services import consent_record
from family.services.consents import _recipient_errors, _signature_errors, _validity_errors
from tests.family.factories import consent_data, family_member

pytestmark = pytest.mark.django_db

VALIDITY = {"categories", "expires_on"}
# Wrong in every element each check looks at.
ALL_WRONG = {
    "recipient_kind": "",
    "categories": ["diagnosis-and-everything"],
    "expires_on": None,
    "expiry_event": "",
    "signed_on": None,
    "signature_method": "",
}


@pytest.fixture
def member(client_of_counselor1, counselor1):
    return family_member(client_of_counselor1, actor=counselor1)


def test_each_check_passes_a_complete_consent(client_of_counselor1, member):
    data = consent_data(member)

    assert _recipient_errors(client_of_counselor1, data) == {}
    assert _validity_errors(data) == {}
    assert _signature_errors(client_of_counselor1, data) == {}


def test_each_check_names_only_its_own_elements(client_of_counselor1, member):
    data = consent_data(member, **ALL_WRONG)

    assert set(_recipient_errors(client_of_counselor1, data)) == {"recipient_kind"}
    assert set(_validity_errors(data)) == VALIDITY
    assert set(_signature_errors(client_of_counselor1, data)) == {"signed_on", "signature_method"}


def test_recipient_check_refuses_a_nameless_family_member_before_asking_the_link(
    client_of_counselor1, member, django_assert_num_queries
):
    member.first_name = member.last_name = ""

    with django_assert_num_queries(0):
        errors = _recipient_errors(client_of_counselor1, consent_data(member))

    assert errors == {"recipient_member": "The recipient must have a name."}


def test_recipient_check_refuses_a_family_member_of_another_client(
    client_of_counselor1, client_of_counselor2, counselor2
):
    stranger = family_member(client_of_counselor2, actor=counselor2)

    errors = _recipient_errors(client_of_counselor1, consent_data(stranger))

    assert set(errors) == {"recipient_member"}


def test_signature_check_refuses_a_drawing_that_is_not_a_png(client_of_counselor1, member):
    data = consent_data(
        member, signature_method="drawn", signature_drawing="data:image/png;base64,AAAA"
    )

    assert set(_signature_errors(client_of_counselor1, data)) == {"signature_drawing"}


def test_the_service_reports_every_check_s_errors_at_once(client_of_counselor1, counselor1, member):
    with pytest.raises(ValidationError) as refused:
        consent_record(
            actor=counselor1,
            client=client_of_counselor1,
            data=consent_data(member, **ALL_WRONG, purpose=""),
        )

    assert set(refused.value.message_dict) == {"purpose", "recipient_kind"} | VALIDITY | {
        "signed_on",
        "signature_method",
    }
