"""The family sections of the client chart: family members with the
consents that cover them and their Family Education progress; consents
active, expired and revoked; the accounting of disclosures. One client's
chart never shows what belongs to a sibling sharing a family member, and the
sections' query count does not grow with the family."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from family.consents import Entry, Recipient, disclosures_record
from family.models import Disclosure, FamilyAttendance
from family.services import consent_revoke
from iop.extensions import CHART_SECTIONS
from tests.factories import EpisodeFactory
from tests.family.factories import (
    consent_for,
    family_member,
    family_session,
    link_member,
    referred_days_ago,
)
from tests.groups.factories import GroupSessionFactory

pytestmark = pytest.mark.django_db

FAMILY_SECTIONS = ("family", "consents")
# Measured, then pinned, for the chart's "Family and consents" section
# loaded on its own (no page token: audited): the signed-in request 7
# (session, user, roles, the notification badge, the session save as
# savepoint/update/release); the client through the policy and the view
# audit 2; the family section 4 (links with members, consents naming a
# member, Family Education progress, sessions required); the consents
# section 2 (consents, the accounting).
FAMILY_CHART_QUERIES = 15


def _chart(browser, client):
    """The chart's "Family and consents" section, as its tab loads it."""
    return browser.get(reverse("clients:client-section", args=[client.public_id, "family"]))


def _section(response, key):
    return next(item["context"] for item in response.context["items"] if item["key"] == key)


@pytest.fixture
def family_sections_only():
    with CHART_SECTIONS.isolated(keep=FAMILY_SECTIONS):
        yield


def _family_with_history(client, counselor, count):
    """`count` family members, each with a consent (some expired or revoked),
    Family Education attendance and a ledger row."""
    today = timezone.localdate()
    referred_days_ago(client, 60)
    session = family_session(counselor, [client])
    for number in range(count):
        member = family_member(client, actor=counselor, first_name=f"M{number}")
        state = number % 3
        consent = consent_for(
            client,
            member,
            actor=counselor,
            signed_on=today - datetime.timedelta(days=40),
            expires_on=today - datetime.timedelta(days=1) if state == 1 else None,
            expiry_event="" if state == 1 else "Discharge",
        )
        if state != 1:
            disclosures_record(
                entries=[
                    Entry(
                        client=client,
                        recipient=Recipient.family(member),
                        categories=["attendance"],
                        description="Roster",
                    )
                ],
                path=Disclosure.Path.ROSTER,
                actor=counselor,
            )
            FamilyAttendance.objects.create(
                session=session,
                family_member=member,
                client=client,
                status="present",
                recorded_by=counselor,
            )
        if state == 2:
            consent_revoke(actor=counselor, consent=consent, note="Letter")


def test_the_chart_lists_family_members_with_consents_and_progress(
    login, counselor1, client_of_counselor1
):
    member = family_member(client_of_counselor1, actor=counselor1, first_name="Rosa")
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    session = family_session(counselor1, [client_of_counselor1])
    FamilyAttendance.objects.create(
        session=session,
        family_member=member,
        client=client_of_counselor1,
        status="present",
        recorded_by=counselor1,
    )

    response = _chart(login(counselor1), client_of_counselor1)

    (row,) = _section(response, "family")["rows"]
    assert row["member"] == member and row["consents"] == [consent]
    assert (row["attended"], row["required"]) == (1, 12)
    page = response.content.decode()
    assert "1 of 12 sessions" in page
    assert reverse("family:member-new", args=[client_of_counselor1.public_id]) in page
    assert reverse("family:consent-new", args=[client_of_counselor1.public_id]) in page


def test_the_chart_lists_consents_active_expired_and_revoked(
    login, counselor1, client_of_counselor1
):
    today = timezone.localdate()
    referred_days_ago(client_of_counselor1, 90)
    member = family_member(client_of_counselor1, actor=counselor1)
    active = consent_for(client_of_counselor1, member, actor=counselor1)
    expired = consent_for(
        client_of_counselor1,
        member,
        actor=counselor1,
        signed_on=today - datetime.timedelta(days=60),
        expires_on=today - datetime.timedelta(days=30),
    )
    revoked = consent_revoke(
        actor=counselor1, consent=consent_for(client_of_counselor1, actor=counselor1), note="Call"
    )

    states = _section(_chart(login(counselor1), client_of_counselor1), "consents")["states"]

    assert states["active"] == [active]
    assert states["expired"] == [expired]
    assert [c.pk for c in states["revoked"]] == [revoked.pk]


def test_the_chart_shows_the_accounting_of_the_last_three_years(
    login, counselor1, client_of_counselor1
):
    referred_days_ago(client_of_counselor1, 5 * 365)
    member = family_member(client_of_counselor1, actor=counselor1)
    consent_for(
        client_of_counselor1,
        member,
        actor=counselor1,
        signed_on=timezone.localdate() - datetime.timedelta(days=5 * 365),
        expires_on=None,
        expiry_event="Discharge",
        recorded_at=timezone.now() - datetime.timedelta(days=5 * 365),
    )
    for days in (10, 3 * 365 - 5, 3 * 365 + 10):
        disclosures_record(
            entries=[
                Entry(
                    client=client_of_counselor1,
                    recipient=Recipient.family(member),
                    categories=["attendance"],
                    description=f"{days} days ago",
                    at=timezone.now() - datetime.timedelta(days=days),
                )
            ],
            path=Disclosure.Path.ROSTER,
            actor=counselor1,
        )

    accounting = _section(_chart(login(counselor1), client_of_counselor1), "consents")["accounting"]

    assert [row.description for row in accounting] == ["10 days ago", f"{3 * 365 - 5} days ago"]


def test_administrators_see_the_export_links_and_counselors_do_not(
    login, counselor1, administrator, client_of_counselor1
):
    export = reverse("family:accounting-export", args=[client_of_counselor1.public_id])

    assert export in _chart(login(administrator), client_of_counselor1).content.decode()
    assert export not in _chart(login(counselor1), client_of_counselor1).content.decode()


def test_intake_sees_no_family_details(login, intake, counselor1, screening_client):
    family_member(screening_client, actor=counselor1, first_name="Rosa")

    browser = login(intake)
    chart = browser.get(reverse("clients:client-detail", args=[screening_client.public_id]))

    assert "family" not in [tab.key for tab in chart.context["tabs"]]
    assert "Rosa" not in chart.content.decode()
    assert _chart(browser, screening_client).status_code == 404


def test_a_shared_family_member_shows_each_client_only_their_own_record(
    login, counselor1, client_of_counselor1
):
    sibling = EpisodeFactory(primary_counselor=counselor1).client
    parent = family_member(client_of_counselor1, actor=counselor1, first_name="Lena")
    link_member(sibling, parent, relationship="parent", actor=counselor1)
    consent = consent_for(client_of_counselor1, parent, actor=counselor1, purpose="Sibling A only")
    session = family_session(counselor1, [client_of_counselor1])
    FamilyAttendance.objects.create(
        session=session,
        family_member=parent,
        client=client_of_counselor1,
        status="present",
        recorded_by=counselor1,
    )
    disclosures_record(
        entries=[
            Entry(
                client=client_of_counselor1,
                recipient=Recipient.family(parent),
                categories=["attendance"],
                description="Roster of A",
            )
        ],
        path=Disclosure.Path.ROSTER,
        actor=counselor1,
    )

    response = _chart(login(counselor1), sibling)

    (row,) = _section(response, "family")["rows"]
    assert row["member"] == parent and row["consents"] == [] and row["attended"] == 0
    consents = _section(response, "consents")
    assert all(not consents["states"][state] for state in consents["states"])
    assert consents["accounting"] == []
    page = response.content.decode()
    assert "Sibling A only" not in page and "Roster of A" not in page
    assert str(consent.public_id) not in page


def test_family_education_progress_counts_only_present_at_held_sessions(
    login, counselor1, client_of_counselor1
):
    member = family_member(client_of_counselor1, actor=counselor1)
    held = family_session(counselor1, [client_of_counselor1])
    other = GroupSessionFactory(
        group=held.group, starts_at=held.starts_at - datetime.timedelta(days=7)
    )
    cancelled = GroupSessionFactory(
        group=held.group, starts_at=held.starts_at - datetime.timedelta(days=14), status="cancelled"
    )
    for session, status in ((held, "present"), (other, "absent"), (cancelled, "present")):
        FamilyAttendance.objects.create(
            session=session,
            family_member=member,
            client=client_of_counselor1,
            status=status,
            recorded_by=counselor1,
        )

    (row,) = _section(_chart(login(counselor1), client_of_counselor1), "family")["rows"]

    assert row["attended"] == 1


def test_family_sections_query_count_does_not_grow_with_the_family(
    family_sections_only, login, counselor1, django_assert_num_queries
):
    small = EpisodeFactory(primary_counselor=counselor1).client
    large = EpisodeFactory(primary_counselor=counselor1).client
    _family_with_history(small, counselor1, 3)
    _family_with_history(large, counselor1, 30)
    browser = login(counselor1)

    with django_assert_num_queries(FAMILY_CHART_QUERIES):
        response = _chart(browser, small)
    assert len(_section(response, "family")["rows"]) == 3
    with django_assert_num_queries(FAMILY_CHART_QUERIES):
        response = _chart(browser, large)
    assert len(_section(response, "family")["rows"]) == 30
    assert len(_section(response, "consents")["accounting"]) == 20
