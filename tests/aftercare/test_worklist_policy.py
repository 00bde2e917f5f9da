"""The Aftercare page and the aftercare digest within the access policy: an
outreach task stays with the counselor it was opened for after the client is
reassigned, but neither the page nor the digest names or counts it once
that counselor can no longer open the client; each client the page names is
audited as seen on the list. The page's query count is pinned in
tests/aftercare/test_views.py."""

import pytest
from django.urls import reverse
from django.utils import timezone

from aftercare.models import AftercarePlan, OutreachTask
from aftercare.reminders import digest_items
from iop.audit.models import AuditEvent
from iop.clients.services import episode_assign_counselor
from tests.aftercare.factories import missed, numbered, record, stepped_down

pytestmark = pytest.mark.django_db

URL = reverse("aftercare:worklist")


@pytest.fixture
def plan(counselor2):
    """counselor2's client in aftercare, with an outreach task for a missed check-in."""
    plan = stepped_down(counselor2)
    check_in = numbered(plan, 1)
    record(counselor2, check_in, missed(check_in))
    return plan


def _reassign(plan, *, to, by):
    episode_assign_counselor(actor=by, episode=plan.episode, counselor=to)


def test_outreach_of_a_client_reassigned_away_leaves_the_former_counselors_page(
    login, supervisor, counselor1, counselor2, plan
):
    _reassign(plan, to=counselor1, by=supervisor)

    response = login(counselor2).get(URL)

    assert response.context["tasks"] == []
    content = response.content.decode()
    assert plan.client.display_name not in content
    assert str(plan.client.public_id) not in content
    # The task itself is kept, still the former counselor's.
    assert OutreachTask.objects.get(client=plan.client).counselor == counselor2


def test_outreach_of_a_client_reassigned_away_leaves_the_former_counselors_digest(
    supervisor, counselor1, counselor2, plan
):
    assert "1 open outreach task" in digest_items(counselor2)

    _reassign(plan, to=counselor1, by=supervisor)

    assert not any("outreach" in line for line in digest_items(counselor2))


def test_aftercare_page_audits_a_view_of_each_client_it_names_once(login, counselor2, plan):
    AftercarePlan.objects.filter(pk=plan.pk).update(flagged_at=timezone.now())
    other = stepped_down(counselor2)

    login(counselor2).get(URL)

    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, actor=counselor2)
    # Overdue, due, flagged and in the outreach queue: one event per client.
    assert sorted(events.values_list("client", flat=True)) == sorted(
        [plan.client_id, other.client_id]
    )
    assert {event.details["list"] for event in events} == {"aftercare"}


def test_an_empty_aftercare_page_writes_no_view_event(login, counselor1):
    login(counselor1).get(URL)

    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()
