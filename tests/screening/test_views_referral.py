"""The referral form and the intake worklist: the happy path (intake and
supervisor), the wrong role (403), invalid forms, the worklist's audit and its
pinned query count (STYLE.md, Tests)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.clients.models import Client, Demographics, Episode
from screening import services
from screening.models import Referral, ReferralSubstance, SafetyFlag
from tests.factories import ClientFactory, EpisodeFactory
from tests.screening.helpers import CSSRS, phq9, screening_url
from tests.screening.view_helpers import chart_url, start_screening

WORKLIST_URL = reverse("screening:worklist")
REFERRAL_URL = reverse("screening:referral-create")


# Pinned query counts, measured once and held for ten times the data. Every
# page starts with the session, the user and their roles, counts unread
# notifications (navigation) and ends with the session save (savepoint,
# update, release).
# Worklist: + the clients in screening, one query with their subqueries, and
# one insert of the view events of the clients listed.
WORKLIST_QUERIES = 9


def _referral_post(**changes):
    data = {
        "client-legal_first_name": "Ada",
        "client-legal_last_name": "Quill",
        "client-date_of_birth": "1980-05-01",
        "client-sex": "female",
        "client-preferred_language": "en",
        "referral-source": "justice",
        "referral-source_detail": "County DUI court",
        "referral-prior_episodes": "1",
        "demographics-veteran": "unknown",
        "demographics-pregnant": "no",
        "substance1-substance": "alcohol",
        "substance1-route": "oral",
        "substance1-frequency": "daily",
        "substance1-age_first_use": "16",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


# --- referral-create -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_referral_form_opens_for_screeners(request, login, role):
    response = login(request.getfixturevalue(role)).get(REFERRAL_URL)

    assert response.status_code == 200
    assert [form.label for form in response.context["substances"]] == [
        "Primary",
        "Secondary",
        "Tertiary",
    ]


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_referral_registers_client_episode_referral_and_substances(request, login, role):
    user = request.getfixturevalue(role)

    response = login(user).post(
        REFERRAL_URL,
        _referral_post(
            **{
                "substance2-substance": "cocaine",
                "substance2-route": "smoking",
                "substance2-frequency": "1_2_week",
                "substance2-age_first_use": "21",
            }
        ),
    )

    client = Client.objects.get()
    assert response.status_code == 302
    assert response.url == chart_url(client, "screening")
    episode = client.episodes.get()
    assert episode.phase == Episode.Phase.SCREENING
    referral = Referral.objects.get(episode=episode)
    assert (referral.source, referral.source_detail, referral.prior_episodes) == (
        "justice",
        "County DUI court",
        1,
    )
    assert referral.created_by == user
    demographics = Demographics.objects.get(episode=referral.episode)
    assert (demographics.veteran, demographics.pregnant) == ("unknown", "no")
    assert [(s.rank, s.substance, s.route) for s in referral.substances.all()] == [
        (1, "alcohol", "oral"),
        (2, "cocaine", "smoking"),
    ]


def test_referral_without_primary_substance_shows_errors_and_saves_nothing(login, intake):
    response = login(intake).post(
        REFERRAL_URL,
        _referral_post(**{"substance1-substance": None, "substance1-route": None}),
    )

    assert response.status_code == 400
    primary = response.context["substances"][0]
    assert set(primary.errors) == {"substance", "route"}
    assert not Client.objects.exists()
    assert not Referral.objects.exists()


def test_referral_with_a_half_filled_secondary_substance_saves_nothing(login, intake):
    response = login(intake).post(
        REFERRAL_URL, _referral_post(**{"substance2-substance": "heroin"})
    )

    assert response.status_code == 400
    assert "route" in response.context["substances"][1].errors
    assert not Client.objects.exists()


def test_referral_with_empty_secondary_and_tertiary_rows_registers(login, intake):
    # What a browser posts for rows left alone: every field, empty.
    empty_rows = {
        f"substance{rank}-{name}": ""
        for rank in (2, 3)
        for name in ("substance", "route", "frequency", "age_first_use")
    }

    response = login(intake).post(REFERRAL_URL, _referral_post(**empty_rows))

    assert response.status_code == 302
    assert list(ReferralSubstance.objects.values_list("rank", flat=True)) == [1]


def test_referral_marks_only_the_primary_substance_required(login, intake):
    response = login(intake).get(REFERRAL_URL)

    primary, *optional = response.context["substances"]
    assert all(field.required for field in primary.fields.values())
    assert not any(field.required for form in optional for field in form.fields.values())
    assert response.content.decode().count("(optional)") == 2


def test_half_filled_secondary_substance_names_what_is_missing(login, intake):
    response = login(intake).post(
        REFERRAL_URL,
        _referral_post(**{"substance2-substance": "heroin", "substance2-route": "injection"}),
    )

    secondary = response.context["substances"][1]
    message = "Complete the secondary substance or leave all of its fields empty."
    assert secondary.errors == {"frequency": [message], "age_first_use": [message]}
    assert not Client.objects.exists()


def test_referral_with_future_birth_date_shows_error_and_saves_nothing(login, intake):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = login(intake).post(
        REFERRAL_URL, _referral_post(**{"client-date_of_birth": tomorrow.isoformat()})
    )

    assert response.status_code == 400
    assert "date_of_birth" in response.context["client_form"].errors
    assert not Client.objects.exists()
    assert not ReferralSubstance.objects.exists()


def test_referral_without_source_shows_error_and_saves_nothing(login, intake):
    response = login(intake).post(REFERRAL_URL, _referral_post(**{"referral-source": None}))

    assert response.status_code == 400
    assert "source" in response.context["referral_form"].errors
    assert not Client.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_referral_is_forbidden_to_counselors(login, counselor1, method):
    response = getattr(login(counselor1), method)(REFERRAL_URL, _referral_post())

    assert response.status_code == 403
    assert not Client.objects.exists()


def test_referral_redirects_anonymous_to_login(client, db):
    response = client.get(REFERRAL_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- worklist --------------------------------------------------------------------------------


def _in_screening(last_name, days_ago, counselor=None):
    client = ClientFactory(legal_last_name=last_name)
    EpisodeFactory(
        client=client,
        phase=Episode.Phase.SCREENING,
        referral_date=timezone.localdate() - datetime.timedelta(days=days_ago),
        admission_date=None,
        level_of_care="",
        primary_counselor=counselor,
    )
    return client


def _listed(response):
    return list(response.context["clients"])


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_worklist_lists_clients_in_screening_oldest_referral_first(
    request, login, role, client_of_counselor1
):
    recent = _in_screening("Recent", days_ago=1)
    oldest = _in_screening("Oldest", days_ago=20)
    middle = _in_screening("Middle", days_ago=7)

    response = login(request.getfixturevalue(role)).get(WORKLIST_URL)

    assert response.status_code == 200
    assert _listed(response) == [oldest, middle, recent]
    assert client_of_counselor1.mrn not in response.content.decode()


def test_worklist_counts_open_safety_flags(login, intake, supervisor):
    flagged = _in_screening("Flagged", days_ago=3)
    calm = _in_screening("Calm", days_ago=2)
    screening = start_screening(flagged, intake)
    for _ in range(2):
        services.administration_record(
            actor=intake, client=flagged, code="PHQ-9", answers=phq9(item9=1), screening=screening
        )
    services.administration_record(
        actor=intake, client=flagged, code="C-SSRS", answers=CSSRS["moderate"], screening=screening
    )
    services.safety_flag_address(
        actor=intake, flag=SafetyFlag.objects.first(), action="safety_plan", note="Plan written."
    )

    response = login(intake).get(WORKLIST_URL)

    rows = {client: client.open_flags for client in _listed(response)}
    assert rows == {flagged: 2, calm: None}
    assert "2 open" in response.content.decode()


def test_worklist_shows_the_screening_in_progress(login, intake, screening_client, draft):
    response = login(intake).get(WORKLIST_URL)

    (row,) = _listed(response)
    assert (row.screening_status, row.screening_public_id) == ("draft", draft.public_id)
    assert screening_url("screening-detail", draft) in response.content.decode()


def test_worklist_audits_a_view_of_each_client_it_lists(login, intake, screening_client):
    login(intake).get(WORKLIST_URL)

    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, actor=intake)
    assert event.client == screening_client
    assert event.details == {"list": "screening_worklist"}


def test_worklist_is_forbidden_to_counselors(login, counselor1, screening_client_of_counselor1):
    response = login(counselor1).get(WORKLIST_URL)

    assert response.status_code == 403


def test_worklist_query_count_does_not_grow_with_clients(login, intake, django_assert_num_queries):
    def add_clients(count, start):
        for number in range(count):
            client = _in_screening(f"Client{start + number:03d}", days_ago=number % 9)
            if number % 3 == 0:
                screening = start_screening(client, intake)
                services.administration_record(
                    actor=intake,
                    client=client,
                    code="PHQ-9",
                    answers=phq9(item9=1),
                    screening=screening,
                )

    browser = login(intake)
    add_clients(3, start=0)
    with django_assert_num_queries(WORKLIST_QUERIES):
        response = browser.get(WORKLIST_URL)
    assert len(_listed(response)) == 3

    add_clients(27, start=3)
    with django_assert_num_queries(WORKLIST_QUERIES):
        response = browser.get(WORKLIST_URL)
    assert len(_listed(response)) == 30


def test_a_referral_without_demographics_records_none(login, intake):
    response = login(intake).post(
        REFERRAL_URL,
        _referral_post(**{"demographics-veteran": None, "demographics-pregnant": None}),
    )

    assert response.status_code == 302
    assert not Demographics.objects.exists()


def test_a_referral_with_a_refused_demographic_combination_saves_nothing(login, intake):
    response = login(intake).post(
        REFERRAL_URL, _referral_post(**{"demographics-race": ["white", "declined"]})
    )

    assert response.status_code == 400
    assert "Choose one or more races" in response.content.decode()
    assert not Client.objects.filter(legal_last_name="Quill").exists()
