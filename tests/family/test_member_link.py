"""Linking a person already known to the program (a parent of two siblings
in treatment) from the "Add a family member" page: a search within the
access policy, never a list of the program's relatives; the results name the
person only; a posted choice out of reach is the same form error as one that
does not exist; the search page's query count does not grow with matches."""

import uuid

import pytest
from django.urls import reverse

from family.models import Consent, FamilyLink
from tests.factories import ClientFactory, EpisodeFactory
from tests.family.factories import consent_for, family_member

pytestmark = pytest.mark.django_db

# Measured, then pinned: the session, the user and their roles 3; the
# client through the policy 1; the search 1, whatever the number of matches;
# the unread-notifications badge 1; the view audit 1; the session's save 3
# (in a savepoint).
SEARCH_PAGE_QUERIES = 10


def _url(name, client):
    return reverse(f"family:{name}", args=[client.public_id])


def _search(browser, client, find):
    return browser.get(_url("member-new", client), {"find": find})


@pytest.fixture
def sibling(counselor1):
    """Another client of counselor 1, whose father is Lena Vasquarell's partner.
    Named, as the father is, so that no generated staff name can contain the surname."""
    return EpisodeFactory(
        client=ClientFactory(legal_first_name="Oswin", legal_last_name="Quarrington"),
        primary_counselor=counselor1,
    ).client


@pytest.fixture
def parent(sibling, counselor1):
    return family_member(
        sibling,
        actor=counselor1,
        first_name="Lena",
        last_name="Vasquarell",
        phone="+15555550177",
        email="Lena.Vasquarell@example.org",
    )


def test_the_page_lists_no_relatives_of_other_clients_before_a_search(
    login, supervisor, counselor1, client_of_counselor1, parent
):
    # A supervisor may see the whole program: a list would name every relative.
    for user in (counselor1, supervisor):
        page = login(user).get(_url("member-new", client_of_counselor1)).content.decode()

        assert "Vasquarell" not in page
        assert 'type="radio"' not in page and "<select" not in page.split("link-heading")[1]


def test_two_letters_of_the_name_find_a_relative_within_reach_by_name_only(
    login, counselor1, client_of_counselor1, sibling, parent
):
    response = _search(login(counselor1), client_of_counselor1, "va")

    page = response.content.decode()
    assert response.status_code == 200
    assert [m.name for m in response.context["search"].members] == ["Lena Vasquarell"]
    assert "Lena Vasquarell" in page and f'value="{parent.public_id}"' in page
    # Nothing of the other client: not their name, record number or relationship.
    assert sibling.legal_last_name not in page and sibling.mrn not in page
    assert parent.phone not in page and parent.email not in page


def test_every_word_of_the_search_must_start_the_first_or_last_name(
    login, counselor1, client_of_counselor1, parent
):
    browser = login(counselor1)

    assert _search(browser, client_of_counselor1, "le vas").context["search"].members == [parent]
    assert _search(browser, client_of_counselor1, "le kim").context["search"].members == []
    assert _search(browser, client_of_counselor1, "asquarell").context["search"].members == []


def test_a_one_letter_search_finds_nobody_and_says_what_is_needed(
    login, counselor1, client_of_counselor1, parent
):
    response = _search(login(counselor1), client_of_counselor1, "V")

    assert response.context["search"].members == [] and not response.context["search"].specific
    assert "Type at least two letters of the name" in response.content.decode()
    assert "Vasquarell" not in response.content.decode()


@pytest.mark.parametrize(
    "find", ["(555) 555-0177", "555 555 0177", "+1 555-555-0177", "lena.vasquarell@EXAMPLE.org"]
)
def test_the_whole_phone_number_or_email_finds_the_person(
    login, counselor1, client_of_counselor1, parent, find
):
    response = _search(login(counselor1), client_of_counselor1, find)

    assert response.context["search"].members == [parent]


@pytest.mark.parametrize("find", ["0177", "555-0177", "example.org"])
def test_part_of_a_phone_number_or_email_finds_nobody(
    login, counselor1, client_of_counselor1, parent, find
):
    response = _search(login(counselor1), client_of_counselor1, find)

    assert response.context["search"].members == []


def test_a_search_never_finds_relatives_of_clients_out_of_reach(
    login, counselor1, client_of_counselor1, client_of_counselor2
):
    family_member(client_of_counselor2, first_name="Hidden", last_name="Vasquarell")

    response = _search(login(counselor1), client_of_counselor1, "Vasquarell")

    assert response.context["search"].members == []
    assert "Hidden" not in response.content.decode()
    assert "No one found in the families of clients you may see." in response.content.decode()


def test_a_person_already_in_this_clients_family_is_not_found_again(
    login, counselor1, client_of_counselor1
):
    family_member(client_of_counselor1, actor=counselor1, last_name="Vasquarell")

    response = _search(login(counselor1), client_of_counselor1, "Vasquarell")

    assert response.context["search"].members == []


def test_a_search_shows_ten_people_at_most_and_asks_for_more_of_the_name(
    login, counselor1, client_of_counselor1, sibling
):
    for number in range(12):
        family_member(sibling, actor=counselor1, first_name=f"Ana{number}", last_name="Vasquarell")

    response = _search(login(counselor1), client_of_counselor1, "Vasquarell")

    search = response.context["search"]
    assert len(search.members) == 10 and search.more
    assert "More people match than are shown" in response.content.decode()


def test_the_search_page_query_count_does_not_grow_with_matches(
    login, counselor1, client_of_counselor1, django_assert_num_queries
):
    browser = login(counselor1)

    def relatives(last_name, count):
        for number in range(count):
            sibling = EpisodeFactory(primary_counselor=counselor1).client
            family_member(sibling, actor=counselor1, first_name=f"P{number}", last_name=last_name)

    relatives("Ortega", 2)
    relatives("Oyelaran", 20)

    with django_assert_num_queries(SEARCH_PAGE_QUERIES):
        few = _search(browser, client_of_counselor1, "Ortega")
    with django_assert_num_queries(SEARCH_PAGE_QUERIES):
        many = _search(browser, client_of_counselor1, "Oyelaran")
    assert len(few.context["search"].members) == 2
    assert len(many.context["search"].members) == 10


# --- posting the choice ---------------------------------------------------------------------


def test_a_siblings_parent_found_by_the_search_is_linked_without_their_other_record(
    login, counselor1, client_of_counselor1, sibling, parent
):
    consent_for(sibling, parent, actor=counselor1)

    response = login(counselor1).post(
        _url("member-link", client_of_counselor1),
        {"member": parent.public_id, "relationship": "parent", "find": "Va"},
    )

    assert response.status_code == 302
    assert FamilyLink.objects.filter(client=client_of_counselor1, member=parent).exists()
    # The consent stays the sibling's: nothing of it reaches this client.
    assert not Consent.objects.filter(client=client_of_counselor1).exists()


def test_a_person_out_of_reach_is_the_same_form_error_as_one_that_does_not_exist(
    login, counselor1, client_of_counselor1, client_of_counselor2
):
    theirs = family_member(client_of_counselor2, first_name="Hidden", last_name="Vasquarell")
    browser = login(counselor1)

    answers = [
        browser.post(
            _url("member-link", client_of_counselor1),
            {"member": member_id, "relationship": "parent", "find": "Vasquarell"},
        )
        for member_id in (theirs.public_id, uuid.uuid4(), "not-a-uuid")
    ]

    errors = [answer.context["link_form"].errors["member"] for answer in answers]
    assert all(answer.status_code == 400 for answer in answers)
    assert errors == [["Choose a person found by the search."]] * 3
    assert all("Hidden" not in answer.content.decode() for answer in answers)
    assert not FamilyLink.objects.filter(client=client_of_counselor1).exists()


def test_a_refused_choice_shows_the_same_search_again_with_the_error(
    login, counselor1, client_of_counselor1, parent
):
    response = login(counselor1).post(
        _url("member-link", client_of_counselor1),
        {"member": parent.public_id, "relationship": "", "find": "Vas"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert response.context["search"].members == [parent]
    assert f'value="{parent.public_id}"' in page
    assert not FamilyLink.objects.filter(client=client_of_counselor1).exists()


def test_member_link_refuses_get(login, counselor1, client_of_counselor1):
    assert login(counselor1).get(_url("member-link", client_of_counselor1)).status_code == 405


def test_member_link_is_forbidden_to_administrators(login, administrator, client_of_counselor1):
    assert login(administrator).post(_url("member-link", client_of_counselor1)).status_code == 403


def test_member_link_is_404_for_another_caseload(login, counselor2, client_of_counselor1, parent):
    response = login(counselor2).post(
        _url("member-link", client_of_counselor1),
        {"member": parent.public_id, "relationship": "parent"},
    )

    assert response.status_code == 404
    assert not FamilyLink.objects.filter(client=client_of_counselor1).exists()
