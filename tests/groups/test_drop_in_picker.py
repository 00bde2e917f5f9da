"""The session page's drop-in picker, fetched (htmx) when the facilitator
means to add someone: the candidates a user may see, listed in one query up
to a limit, beyond it a search within the same access policy; each client
listed or found is audited as seen on a list."""

import pytest
from django.urls import reverse

from groups.views import dropin as views
from iop.audit.models import AuditEvent
from tests.factories import ClientFactory, EpisodeFactory
from tests.groups.factories import GroupSessionFactory, RecurringGroupFactory, enroll

pytestmark = pytest.mark.django_db

# Every signed-in request 7 (see tests/groups/test_views.py), the session 1,
# the roster 2, the candidates or the matches 1, and one insert of the view
# events of the clients listed (none when the picker offers a search).
SEARCH_QUERIES = 7 + 1 + 2 + 1 + 1
PICKER_QUERIES = SEARCH_QUERIES


@pytest.fixture
def group(counselor1):
    return RecurringGroupFactory(facilitator=counselor1, name="Monday RP")


@pytest.fixture
def members(group):
    return [enrollment.episode.client for enrollment in enroll(group, 2)]


@pytest.fixture
def session(group, members):
    return GroupSessionFactory(group=group)


def _page(browser, session):
    return browser.get(reverse("groups:session-drop-in-picker", args=[session.public_id]))


def _search(browser, session, text):
    url = reverse("groups:session-drop-in-search", args=[session.public_id])
    return browser.get(url, {"q": text})


def _named(counselor, last_name):
    client = ClientFactory(legal_last_name=last_name)
    EpisodeFactory(client=client, primary_counselor=counselor)
    return client


def test_picker_lists_visible_clients_not_on_the_roster(
    login, counselor1, counselor2, session, members
):
    mine = _named(counselor1, "Abernathy")
    _named(counselor2, "Zimmer")

    response = _page(login(counselor1), session)

    assert [pk for pk, _ in response.context["drop_in_choices"]] == [mine.pk]
    assert response.context["drop_in_choices"][0][1] == str(mine)
    assert not response.context["drop_in_search"]
    assert f'<option value="{mine.pk}">' in response.content.decode()


def test_picker_offers_a_search_beyond_its_limit(
    login, supervisor, session, counselor2, monkeypatch
):
    monkeypatch.setattr(views, "DROP_IN_LIST_MAX", 2)
    for name in ("Adams", "Baker", "Clark"):
        _named(counselor2, name)

    response = _page(login(supervisor), session)

    assert response.context["drop_in_search"]
    assert response.context["drop_in_choices"] == []
    assert 'id="drop-in-search"' in response.content.decode()


def test_session_page_offers_the_picker_without_listing_anyone(login, counselor1, session, members):
    _named(counselor1, "Abernathy")

    response = login(counselor1).get(reverse("groups:session-detail", args=[session.public_id]))

    content = response.content.decode()
    picker = reverse("groups:session-drop-in-picker", args=[session.public_id])
    assert f'hx-get="{picker}"' in content
    assert "Abernathy" not in content


def test_picker_is_404_to_a_counselor_outside_the_group(login, counselor2, session):
    assert _page(login(counselor2), session).status_code == 404


@pytest.mark.parametrize("role", ["intake", "administrator"])
def test_picker_is_forbidden_to_other_roles(request, login, session, role):
    assert _page(login(request.getfixturevalue(role)), session).status_code == 403


def test_picker_query_count_does_not_grow_with_clients(
    login, supervisor, session, counselor2, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(views, "DROP_IN_LIST_MAX", 10)
    browser = login(supervisor)
    _named(counselor2, "Abbott")
    with django_assert_num_queries(PICKER_QUERIES):
        small = _page(browser, session)
    for number in range(9):
        _named(counselor2, f"Abbott{number}")
    with django_assert_num_queries(PICKER_QUERIES):
        large = _page(browser, session)
    for number in range(10):
        _named(counselor2, f"Abbey{number}")
    # Beyond the limit nobody is listed, so there is nothing to audit.
    with django_assert_num_queries(PICKER_QUERIES - 1):
        beyond = _page(browser, session)

    assert len(small.context["drop_in_choices"]) == 1
    assert len(large.context["drop_in_choices"]) == 10
    assert beyond.context["drop_in_search"]


def test_search_finds_visible_candidates_by_name_and_record_number(
    login, counselor1, counselor2, session, members
):
    mine = _named(counselor1, "Abernathy")
    _named(counselor2, "Abercrombie")
    browser = login(counselor1)

    by_name = _search(browser, session, "aber")
    by_record = _search(browser, session, mine.mrn)

    assert by_name.status_code == 200
    assert [pk for pk, _ in by_name.context["choices"]] == [mine.pk]
    assert "Abercrombie" not in by_name.content.decode()
    assert [pk for pk, _ in by_record.context["choices"]] == [mine.pk]


def test_search_leaves_out_the_roster(login, counselor1, session, members):
    found = _search(login(counselor1), session, members[0].legal_last_name)

    assert members[0].pk not in [pk for pk, _ in found.context["choices"]]


def test_search_needs_two_letters(login, counselor1, session):
    _named(counselor1, "Abernathy")

    response = _search(login(counselor1), session, "a")

    assert response.context["choices"] == []
    assert "Type at least two letters" in response.content.decode()


def test_search_is_404_to_a_counselor_outside_the_group(login, counselor2, session):
    assert _search(login(counselor2), session, "ab").status_code == 404


@pytest.mark.parametrize("role", ["intake", "administrator"])
def test_search_is_forbidden_to_other_roles(request, login, session, role):
    assert _search(login(request.getfixturevalue(role)), session, "ab").status_code == 403


def test_search_redirects_anonymous_to_login(client, session):
    response = _search(client, session, "ab")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_search_refuses_post(login, counselor1, session):
    url = reverse("groups:session-drop-in-search", args=[session.public_id])

    assert login(counselor1).post(url, {"q": "ab"}).status_code == 405


def test_search_query_count_does_not_grow_with_clients(
    login, supervisor, session, counselor2, django_assert_num_queries
):
    browser = login(supervisor)
    _named(counselor2, "Abbott")
    with django_assert_num_queries(SEARCH_QUERIES):
        small = _search(browser, session, "abb")
    for number in range(30):
        _named(counselor2, f"Abbott{number}")
    with django_assert_num_queries(SEARCH_QUERIES):
        large = _search(browser, session, "abb")

    assert len(small.context["choices"]) == 1
    assert len(large.context["choices"]) == views.DROP_IN_SEARCH_MAX


# --- the audit trail ---------------------------------------------------------------------


def _views(user):
    return AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.VIEW)


def test_picker_audits_a_view_of_each_client_it_lists(login, counselor1, session, members):
    mine = _named(counselor1, "Abernathy")

    _page(login(counselor1), session)

    [event] = _views(counselor1)
    assert event.client == mine
    assert event.details == {"list": "drop_in_picker"}


def test_picker_offering_a_search_audits_nobody(
    login, supervisor, session, counselor2, monkeypatch
):
    monkeypatch.setattr(views, "DROP_IN_LIST_MAX", 2)
    for name in ("Adams", "Baker", "Clark"):
        _named(counselor2, name)

    _page(login(supervisor), session)

    assert not _views(supervisor).exists()


def test_search_audits_a_view_of_each_client_it_finds(
    login, counselor1, counselor2, session, members
):
    mine = _named(counselor1, "Abernathy")
    _named(counselor1, "Zimmer")
    _named(counselor2, "Abercrombie")

    _search(login(counselor1), session, "aber")

    [event] = _views(counselor1)
    assert event.client == mine
    assert event.details == {"list": "drop_in_search"}
