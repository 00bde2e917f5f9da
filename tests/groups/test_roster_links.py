"""The group session's roster links a client's name to their chart only
when the viewer may open it (the access policy): a past session holds
clients since discharged, whom the facilitator no longer sees and whom the
page shows as "a former member", without name, line or a way to change it.
Read with the roster, in the same queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.selectors import session_roster
from groups.services.sessions import session_sign
from iop.clients.models import Episode
from tests.factories import EpisodeFactory
from tests.groups.factories import AttendanceFactory, GroupSessionFactory, RecurringGroupFactory

pytestmark = pytest.mark.django_db


def _discharged(counselor):
    today = timezone.localdate()
    return EpisodeFactory(
        primary_counselor=counselor,
        phase=Episode.Phase.DISCHARGED,
        referral_date=today - datetime.timedelta(days=260),
        admission_date=today - datetime.timedelta(days=250),
        discharge_date=today - datetime.timedelta(days=200),
    )


@pytest.fixture
def past_session(counselor1, counselor2):
    """A session of counselor 1's group, 220 days ago, attended by a client
    of counselor 1 still in treatment and by one of counselor 2's since
    discharged."""
    group = RecurringGroupFactory(facilitator=counselor1)
    session = GroupSessionFactory(
        group=group, starts_at=timezone.now() - datetime.timedelta(days=220)
    )
    current = EpisodeFactory(
        primary_counselor=counselor1,
        referral_date=timezone.localdate() - datetime.timedelta(days=240),
        admission_date=timezone.localdate() - datetime.timedelta(days=230),
    )
    AttendanceFactory(session=session, episode=current)
    AttendanceFactory(session=session, episode=_discharged(counselor2))
    return session


def _chart(client):
    return reverse("clients:client-detail", args=[client.public_id])


def test_the_roster_links_only_the_clients_the_facilitator_may_see(login, counselor1, past_session):
    current, gone = sorted(
        (row.client for row in past_session.attendance.select_related("client", "episode")),
        key=lambda client: client.episodes.get().phase == Episode.Phase.DISCHARGED,
    )

    response = login(counselor1).get(
        reverse("groups:session-detail", args=[past_session.public_id])
    )

    content = response.content.decode()
    assert _chart(current) in content
    assert _chart(gone) not in content
    # Neither linked nor named: a former member the facilitator may no longer open.
    assert gone.legal_last_name not in content
    assert "A former member" in content
    assert login(counselor1).get(_chart(gone)).status_code == 404


def test_a_supervisor_gets_every_name_on_the_roster_linked(supervisor, past_session):
    roster = session_roster(past_session, viewer=supervisor)

    assert [entry.chart_visible for entry in roster] == [True, True]


def test_a_roster_read_without_a_viewer_links_nobody(past_session):
    assert not any(entry.chart_visible for entry in session_roster(past_session))


def test_a_former_members_line_cannot_be_changed_by_the_facilitator(
    login, counselor1, past_session
):
    gone = next(
        row
        for row in past_session.attendance.select_related("episode")
        if row.episode.phase == Episode.Phase.DISCHARGED
    )
    browser = login(counselor1)

    toggle = browser.post(
        reverse("groups:attendance-toggle", args=[past_session.public_id]),
        {"client": gone.client_id, "status": "absent"},
    )
    browser.post(
        reverse("groups:session-detail", args=[past_session.public_id]),
        {"summary": "Relapse drift.", f"status_{gone.client_id}": "absent", "action": "save"},
    )

    gone.refresh_from_db()
    assert toggle.status_code == 400
    assert gone.status == "present"


def test_signing_names_a_former_member_only_as_such(counselor1, past_session):
    with pytest.raises(ValidationError) as refused:
        session_sign(actor=counselor1, session=past_session)

    gone = next(
        row.client
        for row in past_session.attendance.select_related("client")
        if row.episode.phase == Episode.Phase.DISCHARGED
    )
    assert gone.display_name not in " ".join(refused.value.messages)
