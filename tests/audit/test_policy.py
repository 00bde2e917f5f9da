"""The one access policy (DESIGN.md, "Rules that hold everywhere"): which
clients each role may see, and a 404 for everyone else."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from iop.accounts import roles
from iop.audit.policy import client_get_for_user, clients_visible_to
from iop.clients.models import Episode
from iop.extensions import COUNSELOR_SCOPES
from tests.factories import ClientFactory, EpisodeFactory, UserFactory


def _discharged_client(counselor, days_ago=1):
    today = timezone.localdate()
    return EpisodeFactory(
        primary_counselor=counselor,
        phase=Episode.Phase.DISCHARGED,
        referral_date=today - datetime.timedelta(days=days_ago + 70),
        admission_date=today - datetime.timedelta(days=days_ago + 60),
        discharge_date=today - datetime.timedelta(days=days_ago),
        discharge_reason=Episode.DischargeReason.COMPLETED,
    ).client


@pytest.fixture
def cast(client_of_counselor1, client_of_counselor2, screening_client):
    return {client_of_counselor1, client_of_counselor2, screening_client}


@pytest.fixture
def counselor_scopes():
    """A private copy of the scope registry, restored after the test."""
    with COUNSELOR_SCOPES.isolated():
        yield COUNSELOR_SCOPES


def register_counselor_scope(name, scope):
    COUNSELOR_SCOPES.register(name, scope, order=100)


def test_counselor_sees_own_open_episode_clients(counselor1, client_of_counselor1, cast):
    assert set(clients_visible_to(counselor1)) == {client_of_counselor1}


def test_counselor_does_not_see_other_caseload(counselor2, client_of_counselor1, cast):
    assert client_of_counselor1 not in clients_visible_to(counselor2)


def test_counselor_keeps_own_discharged_client_for_the_recent_discharge_period(
    counselor1, client_of_counselor1, settings
):
    settings.RECENT_DISCHARGE_ACCESS_DAYS = 90
    recent = _discharged_client(counselor1, days_ago=90)
    past = _discharged_client(counselor1, days_ago=91)

    visible = set(clients_visible_to(counselor1))

    assert recent in visible
    assert past not in visible
    assert client_of_counselor1 in visible


def test_counselor_does_not_see_a_discharged_client_someone_else_held(counselor2):
    discharged = _discharged_client(None)

    assert discharged not in clients_visible_to(counselor2)


def test_counselor_sees_readmitted_client_through_the_open_episode(counselor1):
    client = _discharged_client(counselor1, days_ago=400)
    EpisodeFactory(client=client, primary_counselor=counselor1)

    assert list(clients_visible_to(counselor1)) == [client]


def test_counselor_does_not_see_unassigned_screening_client(counselor1, screening_client):
    assert screening_client not in clients_visible_to(counselor1)


def test_intake_sees_only_clients_in_screening(intake, screening_client, cast):
    assert set(clients_visible_to(intake)) == {screening_client}


def test_intake_does_not_see_client_after_admission(intake, screening_client):
    screening_client.episodes.update(
        phase=Episode.Phase.INTENSIVE, admission_date=timezone.localdate()
    )

    assert not clients_visible_to(intake).exists()


def test_intake_does_not_see_discharged_client(intake):
    _discharged_client(None)

    assert not clients_visible_to(intake).exists()


def test_supervisor_sees_every_client(supervisor, cast):
    discharged = _discharged_client(None)
    assert set(clients_visible_to(supervisor)) == cast | {discharged}


def test_administrator_sees_every_client(administrator, cast):
    discharged = _discharged_client(None)
    assert set(clients_visible_to(administrator)) == cast | {discharged}


def test_intake_counselor_sees_both_screening_and_own_caseload(
    client_of_counselor1, screening_client, cast
):
    both = UserFactory(username="both", roles=[roles.INTAKE, roles.COUNSELOR])
    EpisodeFactory(primary_counselor=both)

    visible = clients_visible_to(both)

    assert screening_client in visible
    assert client_of_counselor1 not in visible
    assert visible.count() == 2


def test_user_without_role_sees_no_client(cast):
    nobody = UserFactory(username="nobody")
    assert not clients_visible_to(nobody).exists()


def test_inactive_supervisor_sees_no_client(supervisor, cast):
    supervisor.is_active = False
    assert not clients_visible_to(supervisor).exists()


def test_inactive_counselor_sees_no_client(counselor1, cast):
    counselor1.is_active = False
    assert not clients_visible_to(counselor1).exists()


def test_anonymous_user_sees_no_client(cast):
    assert not clients_visible_to(AnonymousUser()).exists()


def test_none_user_sees_no_client(cast):
    assert not clients_visible_to(None).exists()


def test_client_get_for_user_returns_visible_client(counselor1, client_of_counselor1):
    assert client_get_for_user(counselor1, client_of_counselor1.public_id) == client_of_counselor1


def test_client_get_for_user_accepts_the_id_as_text(counselor1, client_of_counselor1):
    found = client_get_for_user(counselor1, str(client_of_counselor1.public_id))
    assert found == client_of_counselor1


def test_client_get_for_user_raises_404_for_other_caseload(counselor2, client_of_counselor1):
    with pytest.raises(Http404):
        client_get_for_user(counselor2, client_of_counselor1.public_id)


def test_client_get_for_user_raises_404_for_intake_on_admitted_client(intake, client_of_counselor1):
    with pytest.raises(Http404):
        client_get_for_user(intake, client_of_counselor1.public_id)


def test_client_get_for_user_raises_404_for_anonymous(client_of_counselor1):
    with pytest.raises(Http404):
        client_get_for_user(AnonymousUser(), client_of_counselor1.public_id)


def test_client_get_for_user_raises_404_for_nonexistent_uuid(supervisor, cast):
    with pytest.raises(Http404):
        client_get_for_user(supervisor, uuid.uuid4())


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", "", "1' OR '1'='1"])
def test_client_get_for_user_raises_404_for_malformed_id(supervisor, cast, bad_id):
    with pytest.raises(Http404):
        client_get_for_user(supervisor, bad_id)


def test_client_get_for_user_does_not_accept_the_primary_key(supervisor, client_of_counselor1):
    with pytest.raises(Http404):
        client_get_for_user(supervisor, client_of_counselor1.pk)


def test_registered_counselor_scope_widens_counselor_view(
    counselor_scopes, counselor1, client_of_counselor2
):
    extra = ClientFactory()
    register_counselor_scope("extra", lambda user: Q(pk=extra.pk))

    visible = clients_visible_to(counselor1)

    assert extra in visible
    assert client_of_counselor2 not in visible


def test_registered_counselor_scope_receives_the_user(
    counselor_scopes, counselor1, counselor2, client_of_counselor2
):
    # A scope computed from the user: counselor1 "facilitates a group" with
    # counselor2's client; counselor2 gains nobody from it.
    def group_members(user):
        return Q(pk=client_of_counselor2.pk) if user == counselor1 else Q(pk__in=[])

    register_counselor_scope("members", group_members)

    assert client_of_counselor2 in clients_visible_to(counselor1)
    assert set(clients_visible_to(counselor2)) == {client_of_counselor2}


def test_registered_counselor_scope_does_not_widen_intake_view(
    counselor_scopes, intake, screening_client
):
    extra = ClientFactory()
    register_counselor_scope("extra", lambda user: Q(pk=extra.pk))

    assert set(clients_visible_to(intake)) == {screening_client}


def test_registering_a_scope_name_again_replaces_it(counselor_scopes, counselor1):
    first, second = ClientFactory(), ClientFactory()
    before = len(counselor_scopes)
    register_counselor_scope("extra", lambda user: Q(pk=first.pk))
    register_counselor_scope("extra", lambda user: Q(pk=second.pk))

    assert len(COUNSELOR_SCOPES) == before + 1
    visible = clients_visible_to(counselor1)
    assert second in visible
    assert first not in visible


def test_registered_counselor_scope_lets_client_get_for_user_find_the_client(
    counselor_scopes, counselor1
):
    extra = ClientFactory()
    register_counselor_scope("extra", lambda user: Q(pk=extra.pk))

    assert client_get_for_user(counselor1, extra.public_id) == extra
