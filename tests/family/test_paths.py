"""Every disclosure path calls the decision: the Family Education roster on
the group session page (and its attendance), the conjoint-session note, the
release-of-information export (family reminders: test_reminders.py). Each
refuses without a consent, saying why, and writes exactly one ledger row with
one; every exported document carries the 42 CFR part 2 notice."""

import csv
import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from family.consents import NOTICE
from family.models import ConjointAttendee, Disclosure, FamilyAttendance
from family.services import consent_revoke
from iop.audit.models import AuditEvent
from iop.clients.models import Appointment
from iop.clients.services import appointment_schedule
from tests.exports import read_export
from tests.factories import EpisodeFactory
from tests.family.factories import (
    consent_for,
    family_member,
    family_session,
    referred_days_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client_of_counselor1, counselor1):
    return family_member(client_of_counselor1, actor=counselor1, first_name="Rosa")


@pytest.fixture
def session(counselor1, client_of_counselor1):
    return family_session(counselor1, [client_of_counselor1])


def _session_page(browser, session):
    return browser.get(reverse("groups:session-detail", args=[session.public_id]))


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the Family Education roster --------------------------------------------------------


def test_roster_leaves_out_a_family_member_without_consent_and_says_why(
    login, counselor1, session, member
):
    response = _session_page(login(counselor1), session)

    section = response.context["extra_sections"][0]["context"]
    assert section["rows"] == []
    assert [row.link.member for row in section["refused"]] == [member]
    assert "No consent of the client names Rosa" in response.content.decode()
    assert not Disclosure.objects.exists()


def test_roster_lists_a_consented_family_member_and_records_it_once(
    login, counselor1, client_of_counselor1, session, member
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    browser = login(counselor1)

    first = _session_page(browser, session)
    _session_page(browser, session)

    rows = first.context["extra_sections"][0]["context"]["rows"]
    assert [row.link.member for row in rows] == [member]
    ledger = Disclosure.objects.get()
    assert ledger.path == "roster" and ledger.consent == consent and ledger.user == counselor1
    assert ledger.categories == ["attendance"]


def test_roster_section_is_absent_from_other_tracks(
    login, counselor1, client_of_counselor1, member
):
    from tests.groups.factories import GroupSessionFactory, RecurringGroupFactory

    consent_for(client_of_counselor1, member, actor=counselor1)
    rp = GroupSessionFactory(group=RecurringGroupFactory(facilitator=counselor1))

    response = _session_page(login(counselor1), rp)

    assert response.context["extra_sections"] == []
    assert not Disclosure.objects.exists()


def test_marking_present_without_consent_is_refused_and_writes_nothing(
    login, counselor1, client_of_counselor1, session, member
):
    response = login(counselor1).post(
        reverse("family:education-attendance", args=[session.public_id]),
        {"member": member.public_id, "client": client_of_counselor1.public_id, "status": "present"},
        follow=True,
    )

    assert any("No consent of the client names Rosa" in m for m in _messages(response))
    assert not FamilyAttendance.objects.exists()
    assert not Disclosure.objects.exists()


def test_marking_present_with_consent_saves_it_with_one_ledger_row(
    login, counselor1, client_of_counselor1, session, member
):
    consent_for(client_of_counselor1, member, actor=counselor1)
    browser = login(counselor1)
    _session_page(browser, session)

    response = browser.post(
        reverse("family:education-attendance", args=[session.public_id]),
        {"member": member.public_id, "client": client_of_counselor1.public_id, "status": "present"},
    )

    assert response.status_code == 302
    row = FamilyAttendance.objects.get()
    assert (row.session, row.family_member, row.client, row.status) == (
        session,
        member,
        client_of_counselor1,
        "present",
    )
    assert Disclosure.objects.filter(path="roster").count() == 1


# --- conjoint session notes -------------------------------------------------------------


@pytest.fixture
def conjoint(counselor1, client_of_counselor1):
    return appointment_schedule(
        actor=counselor1,
        episode=client_of_counselor1.episodes.get(),
        kind=Appointment.Kind.CONJOINT,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        counselor=counselor1,
    )


def _attendees_url(client, appointment):
    return reverse("family:conjoint-attendees", args=[client.public_id, appointment.public_id])


def test_conjoint_attendee_without_consent_is_refused_and_nothing_written(
    login, counselor1, client_of_counselor1, conjoint, member
):
    consent_for(client_of_counselor1, member, actor=counselor1, categories=["attendance"])

    response = login(counselor1).post(
        _attendees_url(client_of_counselor1, conjoint), {"members": [member.public_id]}, follow=True
    )

    assert any("covers progress in treatment" in m for m in _messages(response))
    assert not ConjointAttendee.objects.exists()
    assert not Disclosure.objects.exists()


def _consent_on_file_before(appointment, client, member, actor):
    """A consent recorded an hour before the session started."""
    return consent_for(
        client,
        member,
        actor=actor,
        signed_on=timezone.localdate() - datetime.timedelta(days=1),
        recorded_at=appointment.starts_at - datetime.timedelta(hours=1),
    )


def test_conjoint_attendee_with_consent_is_recorded_with_one_ledger_row(
    login, counselor1, client_of_counselor1, conjoint, member
):
    _consent_on_file_before(conjoint, client_of_counselor1, member, counselor1)
    browser = login(counselor1)

    browser.post(_attendees_url(client_of_counselor1, conjoint), {"members": [member.public_id]})
    browser.post(_attendees_url(client_of_counselor1, conjoint), {"members": [member.public_id]})

    assert ConjointAttendee.objects.get().family_member == member
    ledger = Disclosure.objects.get()
    assert ledger.path == "conjoint" and ledger.categories == ["progress"]
    assert ledger.disclosed_at == conjoint.starts_at


def test_a_consent_recorded_after_the_conjoint_session_started_does_not_cover_it(
    login, counselor1, client_of_counselor1, conjoint, member
):
    # Signed "today" on paper, recorded now, an hour after the session began:
    # the session's disclosure came first, so the consent cannot allow it.
    consent_for(client_of_counselor1, member, actor=counselor1)

    response = login(counselor1).post(
        _attendees_url(client_of_counselor1, conjoint), {"members": [member.public_id]}, follow=True
    )

    assert any("after this disclosure" in m for m in _messages(response))
    assert not ConjointAttendee.objects.exists()
    assert not Disclosure.objects.exists()


def test_a_back_dated_consent_recorded_after_the_session_does_not_cover_it(
    login, counselor1, client_of_counselor1, conjoint, member
):
    consent_for(
        client_of_counselor1,
        member,
        actor=counselor1,
        signed_on=timezone.localdate() - datetime.timedelta(days=7),
    )

    login(counselor1).post(
        _attendees_url(client_of_counselor1, conjoint), {"members": [member.public_id]}
    )

    assert not ConjointAttendee.objects.exists()
    assert not Disclosure.objects.exists()


def test_the_conjoint_note_shows_who_attended_and_why_others_cannot(
    login, counselor1, client_of_counselor1, conjoint, member
):
    other = family_member(client_of_counselor1, actor=counselor1, first_name="Tom")
    _consent_on_file_before(conjoint, client_of_counselor1, member, counselor1)
    browser = login(counselor1)
    browser.post(_attendees_url(client_of_counselor1, conjoint), {"members": [member.public_id]})

    response = browser.get(
        reverse(
            "clients:session-document", args=[client_of_counselor1.public_id, conjoint.public_id]
        )
    )

    page = response.content.decode()
    assert 'data-testid="conjoint-family"' in page
    assert f"No consent of the client names {other.name}" in page


def test_an_individual_session_note_has_no_family_section(login, counselor1, client_of_counselor1):
    individual = appointment_schedule(
        actor=counselor1,
        episode=client_of_counselor1.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        counselor=counselor1,
    )

    response = login(counselor1).get(
        reverse(
            "clients:session-document", args=[client_of_counselor1.public_id, individual.public_id]
        )
    )

    assert response.context["extra_sections"] == []


# --- release of information ---------------------------------------------------------------


def _release(browser, client, consent):
    return browser.post(
        reverse("family:release-export", args=[client.public_id, consent.public_id]), follow=True
    )


def test_release_writes_one_ledger_row_and_an_export_event_and_carries_the_notice(
    login, counselor1, client_of_counselor1, member
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)

    response = _release(login(counselor1), client_of_counselor1, consent)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(NOTICE) == 2  # at the head and at the foot
    assert [s["category"] for s in response.context["sections"]] == ["attendance", "progress"]
    ledger = Disclosure.objects.get()
    assert ledger.path == "export" and ledger.consent == consent
    assert ledger.categories == ["attendance", "progress"]
    export = AuditEvent.objects.get(action="export")
    assert export.client == client_of_counselor1 and export.object_id == str(consent.public_id)


def test_release_shows_only_the_consented_categories(
    login, counselor1, client_of_counselor1, member
):
    consent = consent_for(
        client_of_counselor1, member, actor=counselor1, categories=["medications"]
    )

    response = _release(login(counselor1), client_of_counselor1, consent)

    page = response.content.decode()
    assert 'data-category="medications"' in page
    assert 'data-category="attendance"' not in page and 'data-category="drug_tests"' not in page


def test_release_under_a_revoked_consent_is_refused_with_the_reason(
    login, counselor1, client_of_counselor1, member
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    consent_revoke(actor=counselor1, consent=consent, note="Letter")

    response = _release(login(counselor1), client_of_counselor1, consent)

    assert any(m.startswith("Release refused: The consent signed") for m in _messages(response))
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_release_under_an_expired_consent_is_refused(login, counselor1, client_of_counselor1):
    today = timezone.localdate()
    referred_days_ago(client_of_counselor1, 60)
    consent = consent_for(
        client_of_counselor1,
        actor=counselor1,
        signed_on=today - datetime.timedelta(days=40),
        expires_on=today - datetime.timedelta(days=10),
    )

    response = _release(login(counselor1), client_of_counselor1, consent)

    assert any("expired on" in m for m in _messages(response))
    assert not Disclosure.objects.exists()


# --- the ledger exports carry the notice -------------------------------------------------------


def _csv_lines(response):
    read_export(response)  # the notice travels in the ZIP beside the CSV
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    (name,) = [name for name in bundle.namelist() if name.endswith(".csv")]
    return list(csv.reader(io.StringIO(bundle.read(name).decode(), newline="")))


def test_the_client_accounting_csv_travels_with_the_notice(
    login, administrator, counselor1, client_of_counselor1, member
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    _release(login(counselor1), client_of_counselor1, consent)

    response = login(administrator).get(
        reverse("family:accounting-export", args=[client_of_counselor1.public_id])
    )

    lines = _csv_lines(response)
    assert lines[0][0] == "date" and len(lines) == 2
    assert lines[1][1] == member.name


def test_the_program_ledger_csv_travels_with_the_notice(
    login, administrator, counselor1, client_of_counselor1, member
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    _release(login(counselor1), client_of_counselor1, consent)

    response = login(administrator).get(reverse("family:ledger-export"))

    lines = _csv_lines(response)
    assert lines[0][:2] == ["date", "record number"]
    assert lines[1][1] == client_of_counselor1.mrn


# --- the session page's query count ---------------------------------------------------------

# Measured, then pinned: groups' own session page (14 for this roster, with
# the roster's due-measure markers; see tests/groups/test_views.py) and the
# family section 6: the roster again
# (enrollments, attendance), the family attendance, the links with members
# and clients, the consents naming a family member, one insert of the
# ledger rows.
FAMILY_SESSION_PAGE_QUERIES = 14 + 6


def test_family_session_page_query_count_does_not_grow_with_families(
    login, counselor1, django_assert_num_queries
):
    def session_with(count):
        clients = [EpisodeFactory(primary_counselor=counselor1).client for _ in range(count)]
        session = family_session(counselor1, clients)
        for client in clients:
            consent_for(client, family_member(client, actor=counselor1), actor=counselor1)
            family_member(client, actor=counselor1)  # no consent: listed as refused
        return session

    few, many = session_with(3), session_with(30)
    browser = login(counselor1)

    with django_assert_num_queries(FAMILY_SESSION_PAGE_QUERIES):
        response = _session_page(browser, few)
    assert len(response.context["extra_sections"][0]["context"]["rows"]) == 3
    with django_assert_num_queries(FAMILY_SESSION_PAGE_QUERIES):
        response = _session_page(browser, many)
    section = response.context["extra_sections"][0]["context"]
    assert (len(section["rows"]), len(section["refused"])) == (30, 30)
    assert Disclosure.objects.filter(path="roster").count() == 33
