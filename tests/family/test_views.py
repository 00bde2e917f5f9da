"""Every family page and action, as STYLE.md asks: happy path, the outsider
(404, the same as a missing client), the wrong role (403), the wrong method
(405), invalid input (400 or nothing changed), and the audit of each."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from family.models import ConjointAttendee, Consent, FamilyAttendance, FamilyLink, FamilyMember
from iop.audit.models import AuditEvent
from iop.clients.models import Appointment
from iop.clients.services import appointment_schedule
from tests.factories import EpisodeFactory
from tests.family.factories import consent_data, consent_for, family_member, family_session

pytestmark = pytest.mark.django_db

MEMBER_FORM = {
    "first_name": "Rosa",
    "last_name": "Alvarez",
    "relationship": "parent",
    "phone": "+15555550111",
    "email": "",
    "preferred_language": "es",
    "sms_consent": "on",
}


def _url(name, client, *args):
    return reverse(f"family:{name}", args=[client.public_id, *args])


def _views(client, **filters):
    return AuditEvent.objects.filter(client=client, action="view", **filters)


@pytest.fixture
def member(client_of_counselor1, counselor1):
    return family_member(client_of_counselor1, actor=counselor1, first_name="Rosa")


@pytest.fixture
def consent(client_of_counselor1, counselor1, member):
    return consent_for(client_of_counselor1, member, actor=counselor1)


def _consent_form(member, **overrides) -> dict:
    data = consent_data(member)
    form = {
        "recipient_kind": data["recipient_kind"],
        "recipient_member": str(member.public_id),
        "discloser": data["discloser"],
        "categories": ["attendance", "progress"],
        "description": data["description"],
        "purpose": data["purpose"],
        "revocation_instructions": data["revocation_instructions"],
        "expires_on": data["expires_on"].isoformat(),
        "signed_on": data["signed_on"].isoformat(),
        "signature_name": "Avery Abbott",
        "signature_method": "confirmed",
        "signature_confirmed": "on",
    }
    form.update(overrides)
    return form


# --- adding a family member ----------------------------------------------------------------


def test_member_new_shows_the_form_and_audits_the_view(login, counselor1, client_of_counselor1):
    response = login(counselor1).get(_url("member-new", client_of_counselor1))

    assert response.status_code == 200
    assert "Add a family member" in response.content.decode()
    assert _views(client_of_counselor1).exists()


def test_member_new_saves_the_member_and_audits_the_change(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(_url("member-new", client_of_counselor1), MEMBER_FORM)

    assert response.status_code == 302
    link = FamilyLink.objects.select_related("member").get(client=client_of_counselor1)
    assert link.relationship == "parent" and link.member.name == "Rosa Alvarez"
    assert link.member.sms_consent and link.member.contact_consent_at is not None
    assert link.member.preferred_language == "es"
    assert AuditEvent.objects.filter(
        client=client_of_counselor1, action="create", object_type="family.familymember"
    ).exists()


def test_member_new_without_a_name_is_400_and_saves_nothing(
    login, counselor1, client_of_counselor1
):
    response = login(counselor1).post(
        _url("member-new", client_of_counselor1), {**MEMBER_FORM, "last_name": ""}
    )

    assert response.status_code == 400
    assert not FamilyMember.objects.exists()


def test_member_new_text_consent_without_a_phone_is_400(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("member-new", client_of_counselor1), {**MEMBER_FORM, "phone": ""}
    )

    assert response.status_code == 400
    assert "Text messages need a mobile phone number." in response.content.decode()
    assert not FamilyMember.objects.exists()


def test_member_new_is_404_for_another_caseload(login, counselor2, client_of_counselor1):
    response = login(counselor2).post(_url("member-new", client_of_counselor1), MEMBER_FORM)

    assert response.status_code == 404
    assert not FamilyMember.objects.exists()


def test_member_new_is_forbidden_to_administrators(login, administrator, client_of_counselor1):
    assert login(administrator).get(_url("member-new", client_of_counselor1)).status_code == 403


def test_member_new_refuses_put(login, counselor1, client_of_counselor1):
    assert login(counselor1).put(_url("member-new", client_of_counselor1)).status_code == 405


# --- editing a family member -----------------------------------------------------------------


def test_member_edit_updates_contact_and_relationship(
    login, counselor1, client_of_counselor1, member
):
    browser = login(counselor1)
    assert (
        browser.get(_url("member-edit", client_of_counselor1, member.public_id)).status_code == 200
    )

    response = browser.post(
        _url("member-edit", client_of_counselor1, member.public_id),
        {**MEMBER_FORM, "relationship": "sibling", "sms_consent": ""},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name == "Rosa Alvarez" and not member.sms_consent
    assert FamilyLink.objects.get(member=member).relationship == "sibling"
    event = AuditEvent.objects.get(client=client_of_counselor1, action="update")
    assert "sms_consent" in event.details["fields"] and "relationship" in event.details["fields"]


def test_member_edit_invalid_is_400_and_changes_nothing(
    login, counselor1, client_of_counselor1, member
):
    response = login(counselor1).post(
        _url("member-edit", client_of_counselor1, member.public_id),
        {**MEMBER_FORM, "first_name": ""},
    )

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.first_name == "Rosa"


def test_member_edit_is_404_for_a_member_of_another_client(login, counselor1, client_of_counselor1):
    other = family_member(EpisodeFactory(primary_counselor=counselor1).client, actor=counselor1)

    response = login(counselor1).get(_url("member-edit", client_of_counselor1, other.public_id))

    assert response.status_code == 404


def test_member_edit_is_forbidden_to_administrators(
    login, administrator, client_of_counselor1, member
):
    url = _url("member-edit", client_of_counselor1, member.public_id)
    assert login(administrator).get(url).status_code == 403


def test_member_edit_refuses_delete(login, counselor1, client_of_counselor1, member):
    url = _url("member-edit", client_of_counselor1, member.public_id)
    assert login(counselor1).delete(url).status_code == 405


# --- recording a consent ---------------------------------------------------------------------


def test_consent_new_shows_every_element(login, counselor1, client_of_counselor1, member):
    response = login(counselor1).get(
        _url("consent-new", client_of_counselor1) + f"?member={member.public_id}"
    )

    page = response.content.decode()
    assert response.status_code == 200
    for label in (
        "Who may disclose",
        "Specific description",
        "Purpose",
        "Right to revoke",
        "Expires on",
        "Date signed",
        "Signed by (typed name)",
    ):
        assert label in page
    assert response.context["form"].initial["recipient_member"] == str(member.public_id)
    assert _views(client_of_counselor1).exists()


def test_consent_new_records_and_shows_the_consent(login, counselor1, client_of_counselor1, member):
    browser = login(counselor1)

    response = browser.post(_url("consent-new", client_of_counselor1), _consent_form(member))

    consent = Consent.objects.get()
    assert response.status_code == 302
    assert response.url == _url("consent-detail", client_of_counselor1, consent.public_id)
    assert consent.recipient_member == member and consent.signature_name == "Avery Abbott"
    assert AuditEvent.objects.filter(action="create", object_type="family.consent").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"expires_on": "2000-01-01"}, "The consent cannot expire before the date it was signed."),
        (
            {"recipient_kind": "probation", "recipient_member": ""},
            "Give the recipient&#x27;s name.",
        ),
        ({"categories": ["attendance", "psychotherapy"]}, "Select a valid choice."),
        ({"purpose": ""}, "State the purpose of the disclosure."),
        ({"signature_confirmed": ""}, "Confirm the client adopted the typed name as signature."),
        (
            {"signed_on": "2020-01-01"},
            "The signature date cannot be before the client&#x27;s first referral",
        ),
        ({"signed_on": "0001-01-01"}, "Enter a date between 1900-01-01 and today."),
    ],
    ids=[
        "expiry-before-signature",
        "recipient-without-name",
        "category-outside-list",
        "purpose",
        "signature",
        "signed-before-referral",
        "signed-outside-the-horizon",
    ],
)
def test_consent_new_bad_input_is_400_with_a_clear_message_and_saves_nothing(
    login, counselor1, client_of_counselor1, member, overrides, message
):
    response = login(counselor1).post(
        _url("consent-new", client_of_counselor1), _consent_form(member, **overrides)
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Consent.objects.exists()


def test_consent_new_is_404_for_another_caseload(login, counselor2, client_of_counselor1):
    assert login(counselor2).get(_url("consent-new", client_of_counselor1)).status_code == 404


def test_consent_new_is_forbidden_to_administrators(login, administrator, client_of_counselor1):
    assert login(administrator).get(_url("consent-new", client_of_counselor1)).status_code == 403


def test_consent_new_refuses_patch(login, counselor1, client_of_counselor1):
    assert login(counselor1).patch(_url("consent-new", client_of_counselor1)).status_code == 405


# --- a consent's page --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["counselor1", "supervisor", "administrator"])
def test_consent_detail_shows_every_element_and_is_audited(
    request, login, client_of_counselor1, consent, role
):
    response = login(request.getfixturevalue(role)).get(
        _url("consent-detail", client_of_counselor1, consent.public_id)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert escape(consent.purpose) in page and escape(consent.revocation_instructions) in page
    assert "In effect" in page
    assert _views(client_of_counselor1).exists()


def test_consent_detail_has_no_actions_for_administrators(
    login, administrator, client_of_counselor1, consent
):
    page = (
        login(administrator)
        .get(_url("consent-detail", client_of_counselor1, consent.public_id))
        .content.decode()
    )

    assert "Revoke consent" not in page and "Export release of information" not in page


def test_consent_detail_is_forbidden_to_intake(login, intake, counselor1, screening_client):
    member = family_member(screening_client, actor=counselor1)
    consent = consent_for(screening_client, member, actor=counselor1)

    response = login(intake).get(_url("consent-detail", screening_client, consent.public_id))

    assert response.status_code == 403


def test_consent_detail_is_404_for_a_consent_of_another_client(
    login, counselor1, client_of_counselor1, consent
):
    other = EpisodeFactory(primary_counselor=counselor1).client

    response = login(counselor1).get(_url("consent-detail", other, consent.public_id))

    assert response.status_code == 404


def test_consent_detail_refuses_post(login, counselor1, client_of_counselor1, consent):
    url = _url("consent-detail", client_of_counselor1, consent.public_id)
    assert login(counselor1).post(url).status_code == 405


# --- revoking and ending a consent ------------------------------------------------------------


def test_consent_revoke_revokes_at_once(login, counselor1, client_of_counselor1, consent):
    response = login(counselor1).post(
        _url("consent-revoke", client_of_counselor1, consent.public_id),
        {"note": "Told me in session"},
        follow=True,
    )

    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert "Revoked" in response.content.decode()


def test_consent_revoke_without_saying_how_changes_nothing(
    login, counselor1, client_of_counselor1, consent
):
    response = login(counselor1).post(
        _url("consent-revoke", client_of_counselor1, consent.public_id), {"note": ""}, follow=True
    )

    consent.refresh_from_db()
    assert consent.revoked_at is None
    assert "Say how the client revoked the consent." in response.content.decode()


def test_consent_revoke_refuses_get(login, counselor1, client_of_counselor1, consent):
    url = _url("consent-revoke", client_of_counselor1, consent.public_id)
    assert login(counselor1).get(url).status_code == 405


def test_consent_revoke_is_forbidden_to_administrators(
    login, administrator, client_of_counselor1, consent
):
    url = _url("consent-revoke", client_of_counselor1, consent.public_id)
    assert login(administrator).post(url, {"note": "x"}).status_code == 403
    assert Consent.objects.get(pk=consent.pk).revoked_at is None


def test_consent_revoke_is_404_for_another_caseload(
    login, counselor2, client_of_counselor1, consent
):
    url = _url("consent-revoke", client_of_counselor1, consent.public_id)
    assert login(counselor2).post(url, {"note": "x"}).status_code == 404


def test_consent_event_ends_the_consent(login, counselor1, client_of_counselor1, member):
    consent = consent_for(
        client_of_counselor1, member, actor=counselor1, expires_on=None, expiry_event="Discharge"
    )

    login(counselor1).post(_url("consent-event", client_of_counselor1, consent.public_id))

    assert Consent.objects.get(pk=consent.pk).event_occurred_at is not None
    assert AuditEvent.objects.filter(action="update", details__expiry_event_occurred=True).exists()


def test_consent_event_without_an_event_changes_nothing(
    login, counselor1, client_of_counselor1, consent
):
    response = login(counselor1).post(
        _url("consent-event", client_of_counselor1, consent.public_id), follow=True
    )

    assert Consent.objects.get(pk=consent.pk).event_occurred_at is None
    assert "This consent has no expiry event." in response.content.decode()


def test_consent_event_refuses_get_and_administrators(
    login, counselor1, administrator, client_of_counselor1, consent
):
    url = _url("consent-event", client_of_counselor1, consent.public_id)
    assert login(counselor1).get(url).status_code == 405
    assert login(administrator).post(url).status_code == 403


# --- release of information -------------------------------------------------------------------


def test_release_export_refuses_get(login, counselor1, client_of_counselor1, consent):
    url = _url("release-export", client_of_counselor1, consent.public_id)
    assert login(counselor1).get(url).status_code == 405


def test_release_export_is_forbidden_to_administrators(
    login, administrator, client_of_counselor1, consent
):
    url = _url("release-export", client_of_counselor1, consent.public_id)
    assert login(administrator).post(url).status_code == 403


def test_release_export_is_404_for_another_caseload(
    login, counselor2, client_of_counselor1, consent
):
    url = _url("release-export", client_of_counselor1, consent.public_id)
    assert login(counselor2).post(url).status_code == 404


# --- the ledger exports ---------------------------------------------------------------


def test_accounting_export_is_for_administrators_and_audited(
    login, administrator, counselor1, client_of_counselor1
):
    url = _url("accounting-export", client_of_counselor1)

    assert login(counselor1).get(url).status_code == 403
    response = login(administrator).get(url)

    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action="export", client=client_of_counselor1, details__document="accounting_of_disclosures"
    ).exists()


def test_accounting_export_refuses_post(login, administrator, client_of_counselor1):
    url = _url("accounting-export", client_of_counselor1)
    assert login(administrator).post(url).status_code == 405


def test_ledger_export_is_for_administrators_and_audited(
    login, administrator, supervisor, counselor1, client_of_counselor1, consent
):
    browser = login(counselor1)
    browser.post(_url("release-export", client_of_counselor1, consent.public_id))
    url = reverse("family:ledger-export")

    assert login(supervisor).get(url).status_code == 403
    response = login(administrator).get(url, {"since": "2000-01-01"})

    assert response.status_code == 200
    assert 'filename="disclosure-ledger-20000101-' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(
        action="export", client=client_of_counselor1, details__document="disclosure_ledger"
    ).exists()


def test_ledger_export_with_a_period_ending_before_it_starts_is_400(login, administrator):
    response = login(administrator).get(
        reverse("family:ledger-export"), {"since": "2026-02-01", "until": "2026-01-01"}
    )

    assert response.status_code == 400


def test_ledger_export_refuses_post(login, administrator):
    assert login(administrator).post(reverse("family:ledger-export")).status_code == 405


# --- Family Education attendance -------------------------------------------------------------


@pytest.fixture
def session(counselor1, client_of_counselor1):
    return family_session(counselor1, [client_of_counselor1])


def _attendance(browser, session, member, client, status="present"):
    return browser.post(
        reverse("family:education-attendance", args=[session.public_id]),
        {"member": member.public_id, "client": client.public_id, "status": status},
    )


def test_education_attendance_saves_and_audits(
    login, counselor1, client_of_counselor1, session, member, consent
):
    response = _attendance(login(counselor1), session, member, client_of_counselor1, "excused")

    assert response.status_code == 302
    assert response.url == reverse("groups:session-detail", args=[session.public_id])
    assert FamilyAttendance.objects.get().status == "excused"
    assert AuditEvent.objects.filter(
        client=client_of_counselor1, action="update", details__family_attendance="excused"
    ).exists()


def test_education_attendance_with_an_unknown_status_saves_nothing(
    login, counselor1, client_of_counselor1, session, member, consent
):
    _attendance(login(counselor1), session, member, client_of_counselor1, "asleep")

    assert not FamilyAttendance.objects.exists()


def test_education_attendance_at_a_session_not_yet_started_saves_nothing(
    login, counselor1, client_of_counselor1, member, consent
):
    later = family_session(
        counselor1, [client_of_counselor1], starts_at=timezone.now() + datetime.timedelta(days=1)
    )

    _attendance(login(counselor1), later, member, client_of_counselor1)

    assert not FamilyAttendance.objects.exists()


def test_education_attendance_at_another_track_saves_nothing(
    login, counselor1, client_of_counselor1, member, consent
):
    from tests.groups.factories import GroupSessionFactory, RecurringGroupFactory

    rp = GroupSessionFactory(group=RecurringGroupFactory(facilitator=counselor1))

    _attendance(login(counselor1), rp, member, client_of_counselor1)

    assert not FamilyAttendance.objects.exists()


def test_education_attendance_for_a_client_not_on_the_roster_saves_nothing(
    login, counselor1, session
):
    elsewhere = EpisodeFactory(primary_counselor=counselor1).client
    relative = family_member(elsewhere, actor=counselor1)
    consent_for(elsewhere, relative, actor=counselor1)

    response = _attendance(login(counselor1), session, relative, elsewhere)

    assert response.status_code == 302
    assert not FamilyAttendance.objects.exists()


def test_education_attendance_is_404_outside_the_users_groups(
    login, counselor2, client_of_counselor1, session, member, consent
):
    response = _attendance(login(counselor2), session, member, client_of_counselor1)

    assert response.status_code == 404
    assert not FamilyAttendance.objects.exists()


@pytest.mark.parametrize("role", ["intake", "administrator"])
def test_education_attendance_is_forbidden_to_other_roles(
    request, login, client_of_counselor1, session, member, role
):
    response = _attendance(
        login(request.getfixturevalue(role)), session, member, client_of_counselor1
    )

    assert response.status_code == 403


def test_education_attendance_refuses_get(login, counselor1, session):
    url = reverse("family:education-attendance", args=[session.public_id])
    assert login(counselor1).get(url).status_code == 405


def test_the_session_page_shows_family_attendance_in_its_own_section(
    login, counselor1, client_of_counselor1, session, member, consent
):
    browser = login(counselor1)
    _attendance(browser, session, member, client_of_counselor1)

    page = browser.get(reverse("groups:session-detail", args=[session.public_id])).content.decode()

    assert 'data-testid="family-roster"' in page
    assert f"Attendance of {member.name}" in page and "Saved: Present" in page


# --- conjoint attendees ---------------------------------------------------------------------------


@pytest.fixture
def conjoint(counselor1, client_of_counselor1):
    return appointment_schedule(
        actor=counselor1,
        episode=client_of_counselor1.episodes.get(),
        kind=Appointment.Kind.CONJOINT,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        counselor=counselor1,
    )


def _consent_on_file_before(appointment, client, member, actor):
    """A consent recorded an hour before the session started (a consent
    recorded later does not cover it)."""
    return consent_for(
        client,
        member,
        actor=actor,
        signed_on=timezone.localdate() - datetime.timedelta(days=1),
        recorded_at=appointment.starts_at - datetime.timedelta(hours=1),
    )


def test_conjoint_attendees_are_saved_and_audited(
    login, counselor1, client_of_counselor1, conjoint, member
):
    _consent_on_file_before(conjoint, client_of_counselor1, member, counselor1)

    response = login(counselor1).post(
        _url("conjoint-attendees", client_of_counselor1, conjoint.public_id),
        {"members": [member.public_id]},
    )

    assert response.status_code == 302
    assert ConjointAttendee.objects.get().family_member == member
    assert AuditEvent.objects.filter(
        client=client_of_counselor1, action="update", details__family_attendees=1
    ).exists()


def test_conjoint_attendees_of_another_family_save_nothing(
    login, counselor1, client_of_counselor1, conjoint
):
    stranger = family_member(EpisodeFactory(primary_counselor=counselor1).client, actor=counselor1)

    login(counselor1).post(
        _url("conjoint-attendees", client_of_counselor1, conjoint.public_id),
        {"members": [stranger.public_id]},
    )

    assert not ConjointAttendee.objects.exists()


def test_conjoint_attendees_on_an_individual_session_save_nothing(
    login, counselor1, client_of_counselor1, member, consent
):
    individual = appointment_schedule(
        actor=counselor1,
        episode=client_of_counselor1.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        counselor=counselor1,
    )

    login(counselor1).post(
        _url("conjoint-attendees", client_of_counselor1, individual.public_id),
        {"members": [member.public_id]},
    )

    assert not ConjointAttendee.objects.exists()


def test_conjoint_attendees_refuse_get_outsiders_and_administrators(
    login, counselor1, counselor2, administrator, client_of_counselor1, conjoint
):
    url = _url("conjoint-attendees", client_of_counselor1, conjoint.public_id)

    assert login(counselor1).get(url).status_code == 405
    assert login(counselor2).post(url).status_code == 404
    assert login(administrator).post(url).status_code == 403
