"""An episode's demographic and social items (TEDS): the service, the
chart's edit page and its access, and what a screening needs before it
admits."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from iop.audit.models import AuditEvent
from iop.clients.models import Client, Demographics, Episode
from iop.clients.services import demographics_missing, demographics_update
from tests.factories import ANSWERED_DEMOGRAPHICS, EpisodeFactory, answered_demographics


def _url(client, **query):
    url = reverse("clients:demographics-edit", kwargs={"client_id": client.public_id})
    return url + ("?next=" + query["next"] if query else "")


def _episode(client) -> Episode:
    return client.episodes.get()


# --- the service ------------------------------------------------------------------------------


def test_the_first_answers_create_the_record_and_are_audited_by_name(intake, screening_client):
    episode = _episode(screening_client)

    demographics_update(
        actor=intake, episode=episode, data={"race": ["white", "black"], "ethnicity": "mexican"}
    )

    demographics = Demographics.objects.get(episode=episode)
    assert (demographics.race, demographics.ethnicity) == (["black", "white"], "mexican")
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, client=screening_client)
    assert event.details == {"fields": ["ethnicity", "race"]}


def test_a_change_is_audited_with_the_items_changed_only(intake, screening_client):
    episode = _episode(screening_client)
    demographics_update(actor=intake, episode=episode, data={"marital_status": "married"})

    demographics_update(
        actor=intake, episode=episode, data={"marital_status": "separated", "veteran": ""}
    )

    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).get()
    assert event.details == {"fields": ["marital_status"]}


def test_saving_the_same_answers_again_writes_no_audit_event(intake, screening_client):
    episode = _episode(screening_client)
    demographics_update(actor=intake, episode=episode, data={"veteran": "no"})

    demographics_update(actor=intake, episode=episode, data={"veteran": "no"})

    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


def test_declined_with_a_race_is_refused_and_nothing_saved(intake, screening_client):
    with pytest.raises(ValidationError) as error:
        demographics_update(
            actor=intake,
            episode=_episode(screening_client),
            data={"race": ["white", "declined"], "ethnicity": "mexican"},
        )

    assert "race" in error.value.message_dict
    assert not Demographics.objects.exists()


def test_pregnancy_yes_is_refused_for_a_male_client(intake, screening_client):
    Client.objects.filter(pk=screening_client.pk).update(sex=Client.Sex.MALE)

    with pytest.raises(ValidationError) as error:
        demographics_update(
            actor=intake,
            episode=Episode.objects.get(client=screening_client),
            data={"pregnant": "yes"},
        )

    assert "pregnant" in error.value.message_dict


def test_arrests_at_discharge_wait_for_the_discharge(intake, screening_client):
    with pytest.raises(ValidationError) as error:
        demographics_update(
            actor=intake, episode=_episode(screening_client), data={"arrests_discharge": "once"}
        )

    assert "arrests_discharge" in error.value.message_dict


def test_the_labor_force_detail_needs_a_client_out_of_the_labor_force(intake, screening_client):
    with pytest.raises(ValidationError):
        demographics_update(
            actor=intake,
            episode=_episode(screening_client),
            data={"not_in_labor_force": "student"},
            employment="full_time",
        )


def test_every_required_item_is_missing_before_anything_is_recorded(screening_client):
    episode = _episode(screening_client)
    Client.objects.filter(pk=screening_client.pk).update(sex=Client.Sex.FEMALE)
    episode.refresh_from_db()

    missing = demographics_missing(episode, employment="not_in_labor_force")

    assert missing == [*Demographics.REQUIRED_AT_ADMISSION, "pregnant", "not_in_labor_force"]


def test_declined_and_unknown_answers_count_as_recorded(intake, screening_client):
    episode = _episode(screening_client)
    answered_demographics(episode, race=["declined"], ethnicity="unknown", veteran="declined")

    assert demographics_missing(Episode.objects.get(pk=episode.pk)) == []


def test_pregnancy_is_asked_of_female_clients_only(screening_client):
    episode = _episode(screening_client)
    Client.objects.filter(pk=screening_client.pk).update(sex=Client.Sex.MALE)
    answered_demographics(Episode.objects.get(pk=episode.pk))

    assert demographics_missing(Episode.objects.get(pk=episode.pk)) == []


# --- the chart's edit page --------------------------------------------------------------------


def test_intake_records_the_items_from_the_chart(login, intake, screening_client):
    data = {**ANSWERED_DEMOGRAPHICS, "race": ["asian", "white"]}

    response = login(intake).post(_url(screening_client), data)

    assert response.status_code == 302
    assert response.url == reverse("clients:client-detail", args=[screening_client.public_id])
    demographics = Demographics.objects.get(episode__client=screening_client)
    assert demographics.race == ["asian", "white"]
    assert demographics.health_insurance == "medicaid"


def test_the_page_returns_to_the_screening_that_linked_to_it(login, intake, screening_client):
    back = "/screening/somewhere/"

    response = login(intake).post(_url(screening_client), {"ethnicity": "declined", "next": back})

    assert (response.status_code, response.url) == (302, back)


def test_the_page_never_returns_to_another_site(login, intake, screening_client):
    response = login(intake).post(
        _url(screening_client), {"ethnicity": "declined", "next": "https://evil.example/"}
    )

    assert response.url == reverse("clients:client-detail", args=[screening_client.public_id])


def test_the_page_lists_the_items_still_missing(login, intake, screening_client):
    response = login(intake).get(_url(screening_client))

    assert response.status_code == 200
    assert "Not yet answered" in response.content.decode()
    assert "Marital status" in response.content.decode()


def test_an_invalid_answer_is_a_400_and_nothing_saved(login, intake, screening_client):
    response = login(intake).post(_url(screening_client), {"race": ["martian"]})

    assert response.status_code == 400
    assert not Demographics.objects.exists()


def test_a_refused_combination_is_a_400_with_the_message(login, intake, screening_client):
    response = login(intake).post(_url(screening_client), {"race": ["white", "unknown"]})

    assert response.status_code == 400
    assert "Choose one or more races" in response.content.decode()
    assert not Demographics.objects.exists()


def test_viewing_the_page_is_audited_once(login, intake, screening_client):
    login(intake).get(_url(screening_client))

    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, client=screening_client).count()
        == 1
    )


def test_the_counselor_records_them_for_a_client_of_the_caseload(
    login, counselor1, client_of_counselor1
):
    response = login(counselor1).post(_url(client_of_counselor1), {"marital_status": "married"})

    assert response.status_code == 302


def test_a_counselor_gets_404_for_another_caseload(login, counselor1, client_of_counselor2):
    assert login(counselor1).get(_url(client_of_counselor2)).status_code == 404


def test_an_administrator_may_not_edit_them(login, administrator, client_of_counselor1):
    assert login(administrator).get(_url(client_of_counselor1)).status_code == 403


def test_the_chart_links_to_the_page_and_shows_the_answers(login, counselor1, client_of_counselor1):
    answered_demographics(_episode(client_of_counselor1), race=["black", "white"])

    page = login(counselor1).get(
        reverse("clients:client-detail", args=[client_of_counselor1.public_id])
    )

    html = page.content.decode()
    assert _url(client_of_counselor1) in html
    assert "Black or African American, White" in html


def test_a_readmissions_form_starts_from_the_previous_episodes_lasting_items(
    login, intake, screening_client
):
    first = _episode(screening_client)
    answered_demographics(first, race=["asian"], ethnicity="mexican", marital_status="married")
    Episode.objects.filter(pk=first.pk).update(phase=Episode.Phase.DISCHARGED)
    EpisodeFactory(client=screening_client, phase=Episode.Phase.SCREENING, admission_date=None)

    form = login(intake).get(_url(screening_client)).context["form"]

    assert (form.initial["race"], form.initial["ethnicity"]) == (["asian"], "mexican")
    assert "marital_status" not in form.initial or not form.initial["marital_status"]
