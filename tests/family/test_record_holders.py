"""The family pages follow the chart's rule: family members, consents,
releases and the accounting of disclosures are for those who hold the
record. A counselor on the treatment team who does not (facilitating the
client's group, covering a session) opens the chart but gets a 403 on every
family page: the client is not hidden from them, so never a 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from family.models import Consent, FamilyLink
from iop.audit.models import AuditEvent
from iop.clients.models import Appointment
from tests.family.factories import consent_for, family_member
from tests.groups.factories import EnrollmentFactory, RecurringGroupFactory

pytestmark = pytest.mark.django_db

# Route name -> (method, the URL values it needs besides the client).
FAMILY_PAGES = {
    "member-new": ("get", ()),
    "member-link": ("post", ()),
    "member-edit": ("get", ("member_id",)),
    "consent-new": ("get", ()),
    "consent-detail": ("get", ("consent_id",)),
    "consent-revoke": ("post", ("consent_id",)),
    "consent-event": ("post", ("consent_id",)),
    "release-export": ("post", ("consent_id",)),
    "accounting-export": ("get", ()),
}


def _facilitating(counselor, client):
    group = RecurringGroupFactory(facilitator=counselor)
    EnrollmentFactory(group=group, episode=client.episodes.get())


def _covering(counselor, client):
    Appointment.objects.create(
        client=client,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() + datetime.timedelta(hours=3),
        counselor=counselor,
    )


@pytest.fixture
def record(counselor1, client_of_counselor1):
    member = family_member(client_of_counselor1, actor=counselor1)
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    return {
        "client_id": client_of_counselor1.public_id,
        "member_id": member.public_id,
        "consent_id": consent.public_id,
    }


def _url(name, record):
    _, needs = FAMILY_PAGES[name]
    kwargs = {"client_id": record["client_id"], **{key: record[key] for key in needs}}
    return reverse(f"family:{name}", kwargs=kwargs)


@pytest.mark.parametrize("way_in", [_facilitating, _covering], ids=["facilitating", "covering"])
@pytest.mark.parametrize("name", sorted(FAMILY_PAGES))
def test_a_team_member_who_does_not_hold_the_record_gets_403_on_family_pages(
    login, counselor2, client_of_counselor1, record, way_in, name
):
    way_in(counselor2, client_of_counselor1)
    browser = login(counselor2)
    assert (
        browser.get(reverse("clients:client-detail", args=[record["client_id"]])).status_code == 200
    )
    before = AuditEvent.objects.count()
    links = FamilyLink.objects.count()

    method, _ = FAMILY_PAGES[name]
    response = getattr(browser, method)(_url(name, record))

    assert response.status_code == 403
    assert AuditEvent.objects.count() == before
    assert FamilyLink.objects.count() == links
    assert not Consent.objects.filter(revoked_at__isnull=False).exists()


@pytest.mark.parametrize(
    "name", sorted(name for name, (method, _) in FAMILY_PAGES.items() if method == "get")
)
def test_those_who_hold_the_record_open_the_family_pages(
    login, counselor1, administrator, record, name
):
    # The accounting of disclosures is for administrators (behind a fresh
    # second factor: a redirect to it, not a refusal); the rest for clinicians.
    user = administrator if name == "accounting-export" else counselor1

    response = login(user).get(_url(name, record))

    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    "name", sorted(name for name, (method, _) in FAMILY_PAGES.items() if method == "post")
)
def test_the_primary_counselor_is_not_refused_the_family_actions(login, counselor1, record, name):
    response = login(counselor1).post(_url(name, record), {})

    assert response.status_code not in (403, 404)
