"""The client pages: list and search, registration, the chart, demographics
and counselor assignment. For each: the happy path, the outsider (404), the
wrong role (403), the wrong method and the invalid form (STYLE.md, Tests)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iop.accounts import roles
from iop.audit.models import AuditEvent
from iop.clients.forms import ClientForm
from iop.clients.models import CaseloadAssignment, Client, Episode
from iop.clients.services import EMAIL_CONSENT_WORDING, SMS_CONSENT_WORDING
from iop.clients.views.records import CLIENTS_PER_PAGE
from iop.extensions import CHART_SECTIONS
from tests.factories import ClientFactory, EpisodeFactory, UserFactory

LIST_URL = reverse("clients:client-list")
CREATE_URL = reverse("clients:client-create")

# Every signed-in page: session, user, roles, the unread-notification badge
# of the layout, and the session save (SESSION_SAVE_EVERY_REQUEST: savepoint,
# update, release). Pins below are this plus the page's own queries.
LAYOUT_QUERIES = 7
# Client list: count, counselor choices of the filter form, the page, and the
# one insert of its audit events (one per client listed).
CLIENT_LIST_QUERIES = LAYOUT_QUERIES + 4
# Chart without feature-app sections: client through the policy, audit insert,
# episodes, assignments, their counselors, who assigned them.
# Client, episodes (+ assignments, counselors), current medications, the
# current diagnoses of the header (and of the chart's Diagnoses section).
CHART_QUERIES = LAYOUT_QUERIES + 8


def _detail_url(client):
    return reverse("clients:client-detail", kwargs={"client_id": client.public_id})


def _update_url(client):
    return reverse("clients:client-update", kwargs={"client_id": client.public_id})


def _assign_url(client, episode):
    return reverse(
        "clients:episode-assign",
        kwargs={"client_id": client.public_id, "episode_id": episode.public_id},
    )


def _luhn_valid(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _new_client_data(**changes):
    data = {
        "legal_first_name": "Ada",
        "legal_last_name": "Quill",
        "preferred_name": "",
        "date_of_birth": "1980-05-01",
        "sex": "female",
        "gender_identity": "",
        "preferred_language": "en",
        "phone": "+15555550123",
        "email": "ada@example.test",
        "address_line1": "1 Main St",
        "address_line2": "",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "emergency_contact_name": "",
        "emergency_contact_relationship": "",
        "emergency_contact_phone": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _edit_data(client, **changes):
    """The edit form as the browser posts it for `client`, with `changes`."""
    data = {}
    for name in ClientForm.Meta.fields:
        value = getattr(client, name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = value or ""
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        elif value is True:
            data[name] = "on"
        else:
            data[name] = value
    return data


def _listed(response):
    return list(response.context["page"].object_list)


def _named(first, last, counselor=None, **episode):
    client = ClientFactory(legal_first_name=first, legal_last_name=last)
    EpisodeFactory(client=client, primary_counselor=counselor, **episode)
    return client


def _current_assignment(episode, counselor, days_ago=21):
    return CaseloadAssignment.objects.create(
        episode=episode,
        counselor=counselor,
        started_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


# --- client list -------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["intake", "counselor1", "counselor2", "supervisor", "administrator"]
)
def test_client_list_opens_for_every_role(request, login, role):
    response = login(request.getfixturevalue(role)).get(LIST_URL)

    assert response.status_code == 200


def test_client_list_shows_supervisor_every_client(
    login, supervisor, client_of_counselor1, client_of_counselor2, screening_client
):
    response = login(supervisor).get(LIST_URL)

    assert set(_listed(response)) == {client_of_counselor1, client_of_counselor2, screening_client}


def test_client_list_shows_counselor_own_caseload_only(
    login, counselor1, client_of_counselor1, client_of_counselor2, screening_client
):
    response = login(counselor1).get(LIST_URL)

    assert _listed(response) == [client_of_counselor1]
    assert client_of_counselor2.mrn not in response.content.decode()


def test_client_list_search_does_not_reach_other_caseload(login, counselor2, client_of_counselor1):
    response = login(counselor2).get(LIST_URL, {"q": client_of_counselor1.legal_last_name})

    assert client_of_counselor1 not in _listed(response)


def test_client_list_shows_intake_screening_clients_only(
    login, intake, client_of_counselor1, screening_client
):
    response = login(intake).get(LIST_URL)

    assert _listed(response) == [screening_client]


def test_client_list_is_forbidden_to_user_without_role(login, db):
    response = login(UserFactory(username="nobody")).get(LIST_URL)

    assert response.status_code == 403


def test_client_list_redirects_anonymous_to_login(client, db):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_client_list_searches_by_last_name(login, supervisor):
    wanted = _named("Ada", "Quixley")
    _named("Bea", "Morrow")

    response = login(supervisor).get(LIST_URL, {"q": "quixl"})

    assert _listed(response) == [wanted]


def test_client_list_searches_by_first_and_last_name(login, supervisor):
    wanted = _named("Ada", "Quixley")
    _named("Bea", "Quixley")

    response = login(supervisor).get(LIST_URL, {"q": "ada quixley"})

    assert _listed(response) == [wanted]


def test_client_list_searches_by_preferred_name(login, supervisor):
    wanted = _named("Adelaide", "Quixley")
    wanted.preferred_name = "Zuzu"
    wanted.save(update_fields=["preferred_name"])
    _named("Bea", "Morrow")

    response = login(supervisor).get(LIST_URL, {"q": "zuzu"})

    assert _listed(response) == [wanted]


def test_client_list_searches_by_record_number_prefix(login, supervisor):
    wanted = _named("Ada", "Quixley")
    _named("Bea", "Morrow")

    response = login(supervisor).get(LIST_URL, {"q": wanted.mrn[:6]})

    assert _listed(response) == [wanted]


def test_client_list_searches_by_full_record_number(login, supervisor):
    wanted = _named("Ada", "Quixley")
    _named("Bea", "Morrow")

    response = login(supervisor).get(LIST_URL, {"q": f" {wanted.mrn} "})

    assert _listed(response) == [wanted]


@pytest.mark.parametrize("text", ["1980-05-01", "05/01/1980", "05-01-1980"])
def test_client_list_searches_by_date_of_birth(login, supervisor, text):
    wanted = _named("Ada", "Quixley")
    wanted.date_of_birth = datetime.date(1980, 5, 1)
    wanted.save(update_fields=["date_of_birth"])
    other = _named("Bea", "Morrow")
    other.date_of_birth = datetime.date(1980, 1, 5)
    other.save(update_fields=["date_of_birth"])

    response = login(supervisor).get(LIST_URL, {"q": text})

    assert _listed(response) == [wanted]


def test_client_list_search_without_match_says_so(login, supervisor, client_of_counselor1):
    response = login(supervisor).get(LIST_URL, {"q": "nobody-has-this-name"})

    assert _listed(response) == []
    assert "No clients match." in response.content.decode()


def test_client_list_filters_by_phase(
    login, supervisor, client_of_counselor1, client_of_counselor2, screening_client
):
    response = login(supervisor).get(LIST_URL, {"phase": "screening"})

    assert _listed(response) == [screening_client]


def test_client_list_phase_is_that_of_the_current_episode(login, supervisor, counselor1):
    client = _named(
        "Ada",
        "Quixley",
        phase=Episode.Phase.DISCHARGED,
        discharge_date=timezone.localdate() - datetime.timedelta(days=2),
        discharge_reason=Episode.DischargeReason.COMPLETED,
    )
    EpisodeFactory(
        client=client,
        phase=Episode.Phase.SCREENING,
        referral_date=timezone.localdate(),
        admission_date=None,
    )

    browser = login(supervisor)

    assert _listed(browser.get(LIST_URL, {"phase": "screening"})) == [client]
    assert _listed(browser.get(LIST_URL, {"phase": "discharged"})) == []


def test_client_list_filters_by_counselor(
    login, supervisor, counselor1, client_of_counselor1, client_of_counselor2
):
    response = login(supervisor).get(LIST_URL, {"counselor": counselor1.pk})

    assert _listed(response) == [client_of_counselor1]


def test_client_list_mine_shows_own_caseload_only(login, screening_client):
    worker = UserFactory(username="both", roles=[roles.INTAKE, roles.COUNSELOR])
    own = _named("Ada", "Quixley", counselor=worker)
    browser = login(worker)

    everything = browser.get(LIST_URL)
    mine = browser.get(LIST_URL, {"mine": "on"})

    assert set(_listed(everything)) == {own, screening_client}
    assert _listed(mine) == [own]
    assert "My caseload" in mine.content.decode()


def test_client_list_mine_and_phase_combine(login, counselor1, client_of_counselor1):
    response = login(counselor1).get(LIST_URL, {"mine": "on", "phase": "aftercare"})

    assert _listed(response) == []


def test_client_list_ignores_unknown_filter_with_a_message(login, supervisor, client_of_counselor1):
    response = login(supervisor).get(LIST_URL, {"phase": "bogus", "counselor": "nope"})

    assert response.status_code == 200
    assert "phase" in response.context["filters"].errors
    assert "Some filters were not understood and were ignored." in response.content.decode()
    assert _listed(response) == [client_of_counselor1]


def test_client_list_paginates(login, supervisor):
    for number in range(CLIENTS_PER_PAGE + 5):
        _named("Ada", f"Quixley{number:02d}")
    browser = login(supervisor)

    first = browser.get(LIST_URL, {"q": "quixley"})
    second = browser.get(LIST_URL, {"q": "quixley", "page": 2})

    assert len(_listed(first)) == CLIENTS_PER_PAGE
    assert len(_listed(second)) == 5
    assert not set(_listed(first)) & set(_listed(second))
    assert "?q=quixley&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("page", ["0", "999", "abc"])
def test_client_list_tolerates_any_page_number(login, supervisor, client_of_counselor1, page):
    response = login(supervisor).get(LIST_URL, {"page": page})

    assert response.status_code == 200


def test_client_list_query_count_does_not_grow_with_clients(
    login, supervisor, counselor1, counselor2, django_assert_num_queries
):
    def add_clients(count):
        for number in range(count):
            client = _named("Ada", "Quixley", counselor=(counselor1, counselor2)[number % 2])
            _current_assignment(client.episodes.get(), client.episodes.get().primary_counselor)

    browser = login(supervisor)
    add_clients(3)
    with django_assert_num_queries(CLIENT_LIST_QUERIES):
        response = browser.get(LIST_URL)
    assert len(_listed(response)) == 3

    add_clients(27)
    with django_assert_num_queries(CLIENT_LIST_QUERIES):
        response = browser.get(LIST_URL)
    assert len(_listed(response)) == CLIENTS_PER_PAGE


def test_client_list_audits_each_client_it_shows(login, counselor1, client_of_counselor1):
    login(counselor1).get(LIST_URL)

    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
    assert event.client == client_of_counselor1
    assert event.actor == counselor1
    assert event.details == {"list": "client_list"}


def test_a_search_matching_nobody_writes_no_audit_event(login, counselor1, client_of_counselor1):
    login(counselor1).get(LIST_URL, {"q": "Nobody-by-this-name"})

    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


# --- client registration --------------------------------------------------------------


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_client_create_form_opens_for_editors(request, login, role):
    response = login(request.getfixturevalue(role)).get(CREATE_URL)

    assert response.status_code == 200
    assert "legal_last_name" in response.content.decode()


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_client_create_registers_client_with_screening_episode(request, login, role):
    response = login(request.getfixturevalue(role)).post(CREATE_URL, _new_client_data())

    client = Client.objects.get()
    episode = client.episodes.get()
    assert response.status_code == 302
    assert response.url == _detail_url(client)
    assert client.legal_name == "Ada Quill"
    assert client.date_of_birth == datetime.date(1980, 5, 1)
    assert episode.phase == Episode.Phase.SCREENING
    assert episode.referral_date == timezone.localdate()
    assert episode.primary_counselor is None


def test_client_create_gives_seven_digit_record_number_with_check_digit(login, intake):
    login(intake).post(CREATE_URL, _new_client_data())

    mrn = Client.objects.get().mrn
    assert len(mrn) == 7
    assert mrn.isdigit()
    assert _luhn_valid(mrn)


def test_client_create_record_number_catches_a_mistyped_digit(login, intake):
    login(intake).post(CREATE_URL, _new_client_data())

    mrn = Client.objects.get().mrn
    typo = mrn[:-2] + str((int(mrn[-2]) + 1) % 10) + mrn[-1]
    assert not _luhn_valid(typo)


def test_client_create_shows_record_number_in_message(login, intake):
    response = login(intake).post(CREATE_URL, _new_client_data(), follow=True)

    assert Client.objects.get().mrn in response.content.decode()
    assert response.status_code == 200


def test_new_client_is_visible_to_intake_after_creation(login, intake):
    browser = login(intake)
    browser.post(CREATE_URL, _new_client_data())

    response = browser.get(_detail_url(Client.objects.get()))

    assert response.status_code == 200


def test_client_create_records_consent_time_and_wording(login, intake):
    data = _new_client_data(sms_consent="on", email_consent="on")

    login(intake).post(CREATE_URL, data)

    client = Client.objects.get()
    assert client.sms_consent_at is not None
    assert client.sms_consent_wording == SMS_CONSENT_WORDING
    assert client.email_consent_at is not None
    assert client.email_consent_wording == EMAIL_CONSENT_WORDING


def test_client_create_without_consent_leaves_no_consent_time(login, intake):
    login(intake).post(CREATE_URL, _new_client_data())

    client = Client.objects.get()
    assert client.sms_consent_at is None
    assert client.email_consent_at is None


@pytest.mark.parametrize("role", ["counselor1", "administrator"])
def test_client_create_is_forbidden_to_other_roles(request, login, role):
    browser = login(request.getfixturevalue(role))

    assert browser.get(CREATE_URL).status_code == 403
    assert browser.post(CREATE_URL, _new_client_data()).status_code == 403
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth"),
        ({"date_of_birth": "not-a-date"}, "date_of_birth"),
        ({"legal_last_name": ""}, "legal_last_name"),
        ({"legal_last_name": None}, "legal_last_name"),
        ({"sms_consent": "on", "phone": ""}, "phone"),
        ({"email_consent": "on", "email": ""}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"sex": "robot"}, "sex"),
    ],
)
def test_client_create_invalid_data_shows_error_and_creates_nothing(login, intake, changes, field):
    response = login(intake).post(CREATE_URL, _new_client_data(**changes))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Client.objects.exists()
    assert not Episode.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).exists()


def test_client_create_future_birth_date_message_is_shown(login, intake):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = login(intake).post(CREATE_URL, _new_client_data(date_of_birth=tomorrow))

    assert "The date of birth cannot be in the future." in response.content.decode()


def test_client_create_sms_consent_without_phone_message_is_shown(login, intake):
    response = login(intake).post(CREATE_URL, _new_client_data(sms_consent="on", phone=""))

    assert "A phone number is needed for text reminders." in response.content.decode()


# --- the chart ---------------------------------------------------------------------------


def test_chart_shows_demographics_and_episodes(login, supervisor, counselor1):
    client = ClientFactory(
        legal_first_name="Adelaide",
        legal_last_name="Quixley",
        preferred_name="Ada",
        date_of_birth=datetime.date(1980, 5, 1),
        address_line1="1 Main St",
        city="Springfield",
    )
    episode = EpisodeFactory(client=client, primary_counselor=counselor1)
    _current_assignment(episode, counselor1)

    response = login(supervisor).get(_detail_url(client))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Ada Quixley" in content
    assert "Adelaide Quixley" in content
    assert client.mrn in content
    assert "1980-05-01" in content
    assert "Springfield" in content
    assert episode.referral_date.isoformat() in content
    assert str(counselor1) in content
    assert response.context["current_episode"] == episode


def test_chart_offers_counselor_assignment_to_supervisor(login, supervisor, client_of_counselor1):
    episode = client_of_counselor1.episodes.get()

    response = login(supervisor).get(_detail_url(client_of_counselor1))

    assert _assign_url(client_of_counselor1, episode) in response.content.decode()


def test_chart_offers_no_editing_to_counselor(login, counselor1, client_of_counselor1):
    response = login(counselor1).get(_detail_url(client_of_counselor1))

    content = response.content.decode()
    assert response.status_code == 200
    assert _update_url(client_of_counselor1) not in content
    assert "/assign/" not in content


def test_chart_is_404_for_other_caseload(login, counselor2, client_of_counselor1):
    response = login(counselor2).get(_detail_url(client_of_counselor1))

    assert response.status_code == 404
    assert client_of_counselor1.legal_last_name not in response.content.decode()


def test_chart_is_404_for_user_without_role(login, client_of_counselor1):
    response = login(UserFactory(username="nobody")).get(_detail_url(client_of_counselor1))

    assert response.status_code == 404


def test_chart_refuses_post(login, supervisor, client_of_counselor1):
    response = login(supervisor).post(_detail_url(client_of_counselor1))

    assert response.status_code == 405


def _client_with_episodes(count, *, counselor, earlier_counselor, supervisor):
    """A client with `count` episodes: the newest open, the others discharged,
    each with its caseload history."""
    client = ClientFactory()
    today = timezone.localdate()
    for number in range(count - 1):
        days_ago = 400 - number * 30
        episode = EpisodeFactory(
            client=client,
            phase=Episode.Phase.DISCHARGED,
            referral_date=today - datetime.timedelta(days=days_ago),
            admission_date=today - datetime.timedelta(days=days_ago - 3),
            discharge_date=today - datetime.timedelta(days=days_ago - 20),
            discharge_reason=Episode.DischargeReason.COMPLETED,
            primary_counselor=earlier_counselor,
        )
        CaseloadAssignment.objects.create(
            episode=episode,
            counselor=earlier_counselor,
            assigned_by=supervisor,
            started_at=timezone.now() - datetime.timedelta(days=days_ago),
            ended_at=timezone.now() - datetime.timedelta(days=days_ago - 20),
        )
    episode = EpisodeFactory(client=client, primary_counselor=counselor)
    CaseloadAssignment.objects.create(
        episode=episode, counselor=counselor, assigned_by=supervisor, started_at=timezone.now()
    )
    return client


@pytest.fixture
def no_chart_sections():
    with CHART_SECTIONS.isolated(keep=()):
        yield


def test_chart_query_count_does_not_grow_with_episodes(
    no_chart_sections, login, supervisor, counselor1, counselor2, django_assert_num_queries
):
    # The chart's own queries; sections of feature apps are checked below.
    browser = login(supervisor)
    cast = {"counselor": counselor1, "earlier_counselor": counselor2, "supervisor": supervisor}
    one = _client_with_episodes(1, **cast)
    ten = _client_with_episodes(10, **cast)

    with django_assert_num_queries(CHART_QUERIES):
        response = browser.get(_detail_url(one))
    assert len(response.context["episodes"]) == 1
    with django_assert_num_queries(CHART_QUERIES):
        response = browser.get(_detail_url(ten))
    assert len(response.context["episodes"]) == 10


def test_chart_with_every_section_query_count_does_not_grow_with_episodes(
    login, supervisor, counselor1, counselor2
):
    browser = login(supervisor)
    cast = {"counselor": counselor1, "earlier_counselor": counselor2, "supervisor": supervisor}
    one = _client_with_episodes(1, **cast)
    ten = _client_with_episodes(10, **cast)

    with CaptureQueriesContext(connection) as for_one:
        assert browser.get(_detail_url(one)).status_code == 200
    with CaptureQueriesContext(connection) as for_ten:
        assert browser.get(_detail_url(ten)).status_code == 200

    assert len(for_ten) == len(for_one)


# --- editing demographics -------------------------------------------------------------------


def test_intake_can_open_edit_form_for_screening_client(login, intake, screening_client):
    response = login(intake).get(_update_url(screening_client))

    assert response.status_code == 200
    assert response.context["form"].instance == screening_client


def test_intake_can_edit_screening_client(login, intake, screening_client):
    data = _edit_data(screening_client, legal_last_name="Quixley", city="Springfield")

    response = login(intake).post(_update_url(screening_client), data)

    screening_client.refresh_from_db()
    assert response.status_code == 302
    assert response.url == _detail_url(screening_client)
    assert screening_client.legal_last_name == "Quixley"
    assert screening_client.city == "Springfield"


def test_edit_writes_update_event_naming_fields(login, intake, screening_client):
    data = _edit_data(screening_client, city="Springfield")

    login(intake).post(_update_url(screening_client), data)

    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.client == screening_client
    assert event.details == {"fields": ["city"]}


def test_supervisor_can_edit_admitted_client(login, supervisor, client_of_counselor1):
    data = _edit_data(client_of_counselor1, city="Springfield")

    response = login(supervisor).post(_update_url(client_of_counselor1), data)

    client_of_counselor1.refresh_from_db()
    assert response.status_code == 302
    assert client_of_counselor1.city == "Springfield"


def test_intake_gets_404_for_admitted_client(login, intake, client_of_counselor1):
    browser = login(intake)
    data = _edit_data(client_of_counselor1, city="Springfield")

    assert browser.get(_update_url(client_of_counselor1)).status_code == 404
    assert browser.post(_update_url(client_of_counselor1), data).status_code == 404
    client_of_counselor1.refresh_from_db()
    assert client_of_counselor1.city != "Springfield"


def test_edit_page_refuses_put(login, supervisor, client_of_counselor1):
    response = login(supervisor).put(_update_url(client_of_counselor1))

    assert response.status_code == 405


def test_edit_is_404_for_other_caseload(login, counselor2, client_of_counselor1):
    data = _edit_data(client_of_counselor1, city="Springfield")

    response = login(counselor2).post(_update_url(client_of_counselor1), data)

    client_of_counselor1.refresh_from_db()
    assert response.status_code == 404
    assert client_of_counselor1.city != "Springfield"


@pytest.mark.parametrize("role", ["counselor1", "administrator"])
def test_edit_is_forbidden_to_other_roles(request, login, client_of_counselor1, role):
    browser = login(request.getfixturevalue(role))
    data = _edit_data(client_of_counselor1, city="Springfield")

    assert browser.get(_update_url(client_of_counselor1)).status_code == 403
    assert browser.post(_update_url(client_of_counselor1), data).status_code == 403
    client_of_counselor1.refresh_from_db()
    assert client_of_counselor1.city != "Springfield"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"legal_last_name": ""}, "legal_last_name"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"sms_consent": True, "phone": ""}, "phone"),
    ],
)
def test_edit_invalid_data_shows_error_and_saves_nothing(
    login, intake, screening_client, changes, field
):
    before = Client.objects.filter(pk=screening_client.pk).values().get()
    data = _edit_data(screening_client, city="Springfield", **changes)

    response = login(intake).post(_update_url(screening_client), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Client.objects.filter(pk=screening_client.pk).values().get() == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


def test_edit_sets_consent_time_when_consent_is_given(login, intake, screening_client):
    assert screening_client.sms_consent_at is None

    login(intake).post(
        _update_url(screening_client), _edit_data(screening_client, sms_consent=True)
    )

    screening_client.refresh_from_db()
    assert screening_client.sms_consent
    assert screening_client.sms_consent_at is not None
    assert screening_client.sms_consent_wording == SMS_CONSENT_WORDING


def test_edit_clears_consent_time_when_consent_is_withdrawn(login, intake, screening_client):
    browser = login(intake)
    browser.post(_update_url(screening_client), _edit_data(screening_client, sms_consent=True))
    screening_client.refresh_from_db()

    browser.post(_update_url(screening_client), _edit_data(screening_client, sms_consent=False))

    screening_client.refresh_from_db()
    assert not screening_client.sms_consent
    assert screening_client.sms_consent_at is None
    assert screening_client.sms_consent_wording == ""


def test_edit_keeps_consent_time_when_consent_is_unchanged(login, intake, screening_client):
    browser = login(intake)
    browser.post(_update_url(screening_client), _edit_data(screening_client, email_consent=True))
    screening_client.refresh_from_db()
    given_at = screening_client.email_consent_at

    browser.post(_update_url(screening_client), _edit_data(screening_client, city="Springfield"))

    screening_client.refresh_from_db()
    assert screening_client.city == "Springfield"
    assert screening_client.email_consent_at == given_at


# --- assigning the primary counselor -------------------------------------------------------


@pytest.fixture
def assigned_episode(client_of_counselor1, counselor1):
    episode = client_of_counselor1.episodes.get()
    _current_assignment(episode, counselor1)
    return episode


def test_supervisor_can_open_assign_form(login, supervisor, client_of_counselor1, assigned_episode):
    response = login(supervisor).get(_assign_url(client_of_counselor1, assigned_episode))

    assert response.status_code == 200
    assert response.context["form"].initial["counselor"] == assigned_episode.primary_counselor


def test_supervisor_assigns_counselor2(
    login, supervisor, counselor1, counselor2, client_of_counselor1, assigned_episode
):
    response = login(supervisor).post(
        _assign_url(client_of_counselor1, assigned_episode),
        {"counselor": counselor2.pk, "reason": "Caseload balance"},
    )

    assigned_episode.refresh_from_db()
    assert response.status_code == 302
    assert response.url == _detail_url(client_of_counselor1)
    assert assigned_episode.primary_counselor == counselor2


def test_assignment_ends_old_and_starts_new_caseload_assignment(
    login, supervisor, counselor1, counselor2, client_of_counselor1, assigned_episode
):
    login(supervisor).post(
        _assign_url(client_of_counselor1, assigned_episode),
        {"counselor": counselor2.pk, "reason": "Caseload balance"},
    )

    old = CaseloadAssignment.objects.get(episode=assigned_episode, counselor=counselor1)
    new = CaseloadAssignment.objects.get(episode=assigned_episode, counselor=counselor2)
    assert old.ended_at is not None
    assert new.ended_at is None
    assert new.started_at == old.ended_at
    assert new.assigned_by == supervisor
    assert new.reason == "Caseload balance"


def test_assignment_writes_audit_event(
    login, supervisor, counselor2, client_of_counselor1, assigned_episode
):
    login(supervisor).post(
        _assign_url(client_of_counselor1, assigned_episode), {"counselor": counselor2.pk}
    )

    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.actor == supervisor
    assert event.client == client_of_counselor1
    assert event.object_id == str(assigned_episode.public_id)
    assert event.details == {"primary_counselor": "counselor2"}


def test_assignment_moves_client_between_caseloads(
    login, supervisor, counselor1, counselor2, client_of_counselor1, assigned_episode
):
    login(supervisor).post(
        _assign_url(client_of_counselor1, assigned_episode), {"counselor": counselor2.pk}
    )

    assert login(counselor1).get(_detail_url(client_of_counselor1)).status_code == 404
    assert login(counselor2).get(_detail_url(client_of_counselor1)).status_code == 200


def test_counselor_gets_403_assigning_on_own_client(
    login, counselor1, counselor2, client_of_counselor1, assigned_episode
):
    browser = login(counselor1)
    url = _assign_url(client_of_counselor1, assigned_episode)

    assert browser.get(url).status_code == 403
    assert browser.post(url, {"counselor": counselor2.pk}).status_code == 403
    assigned_episode.refresh_from_db()
    assert assigned_episode.primary_counselor == counselor1


def test_assign_is_404_for_other_caseload(
    login, counselor2, client_of_counselor1, assigned_episode
):
    response = login(counselor2).get(_assign_url(client_of_counselor1, assigned_episode))

    assert response.status_code == 404


def test_assign_is_404_for_episode_of_another_client(
    login, supervisor, client_of_counselor1, client_of_counselor2
):
    foreign = client_of_counselor2.episodes.get()

    response = login(supervisor).get(_assign_url(client_of_counselor1, foreign))

    assert response.status_code == 404


@pytest.mark.parametrize("choice", ["intake", "supervisor", "administrator"])
def test_assign_refuses_non_counselor(
    request, login, supervisor, counselor1, client_of_counselor1, assigned_episode, choice
):
    user = request.getfixturevalue(choice)

    response = login(supervisor).post(
        _assign_url(client_of_counselor1, assigned_episode), {"counselor": user.pk}
    )

    assigned_episode.refresh_from_db()
    assert response.status_code == 200
    assert "counselor" in response.context["form"].errors
    assert assigned_episode.primary_counselor == counselor1
    assert CaseloadAssignment.objects.filter(episode=assigned_episode).count() == 1


def test_assign_refuses_inactive_counselor(
    login, supervisor, counselor1, counselor2, client_of_counselor1, assigned_episode
):
    counselor2.is_active = False
    counselor2.save(update_fields=["is_active"])

    response = login(supervisor).post(
        _assign_url(client_of_counselor1, assigned_episode), {"counselor": counselor2.pk}
    )

    assigned_episode.refresh_from_db()
    assert "counselor" in response.context["form"].errors
    assert assigned_episode.primary_counselor == counselor1


def test_assign_requires_a_counselor(login, supervisor, client_of_counselor1, assigned_episode):
    response = login(supervisor).post(
        _assign_url(client_of_counselor1, assigned_episode), {"counselor": "", "reason": ""}
    )

    assert response.status_code == 200
    assert "counselor" in response.context["form"].errors


def test_assign_on_discharged_episode_shows_error(login, supervisor, counselor1, counselor2):
    client = _named(
        "Ada",
        "Quixley",
        counselor=counselor1,
        phase=Episode.Phase.DISCHARGED,
        discharge_date=timezone.localdate(),
        discharge_reason=Episode.DischargeReason.COMPLETED,
    )
    episode = client.episodes.get()

    response = login(supervisor).post(_assign_url(client, episode), {"counselor": counselor2.pk})

    episode.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert episode.primary_counselor == counselor1
    assert not CaseloadAssignment.objects.filter(episode=episode).exists()


def test_assign_same_counselor_changes_nothing(
    login, supervisor, counselor1, client_of_counselor1, assigned_episode
):
    response = login(supervisor).post(
        _assign_url(client_of_counselor1, assigned_episode), {"counselor": counselor1.pk}
    )

    assert response.status_code == 302
    assert CaseloadAssignment.objects.filter(episode=assigned_episode).count() == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()
