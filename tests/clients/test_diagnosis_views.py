"""The Diagnoses page and its actions, the ICD-10-CM search, the proposed
diagnoses list, and diagnoses on the chart and the treatment plan: access
through the one policy (404 before 403), audit, query counts, bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.clients.models import Diagnosis, Episode, Problem
from iop.clients.services import episode_discharge
from iop.clients.services.diagnoses import diagnosis_add_code, diagnosis_add_sud
from iop.clients.services.plans import plan_start_draft
from tests.factories import EpisodeFactory

TODAY = timezone.localdate
SIX = ["larger_amounts", "cut_down", "time_spent", "craving", "role_failure", "tolerance"]
# The signed-in layout 7; the client through the policy and the view audit 2;
# the open episode 1; the client's diagnoses with episodes and staff 1.
PAGE_QUERIES = 7 + 2 + 1 + 1
# The layout 7; the proposed diagnoses with clients and staff 1; the list's
# view events, one insert 1.
PROPOSED_QUERIES = 7 + 1 + 1


def _url(name, client, **kwargs):
    return reverse(f"clients:{name}", kwargs={"client_id": client.public_id, **kwargs})


def _licensed(user):
    user.licensed_to_diagnose = True
    user.save(update_fields=["licensed_to_diagnose"])
    return user


def _sud(actor, client, **kwargs):
    values = {"substance_class": "alcohol", "criteria_met": SIX, "date_made": TODAY()}
    return diagnosis_add_sud(actor=actor, episode=client.episodes.get(), **(values | kwargs))


def _code(actor, client, code="F33.1"):
    return diagnosis_add_code(
        actor=actor, episode=client.episodes.get(), icd10_code=code, date_made=TODAY()
    )


CHECKLIST = {
    "substance_class": "opioid",
    "criteria_met": ["craving", "cut_down", "time_spent", "role_failure"],
    "remission": "early",
    "on_maintenance_therapy": "on",
    "date_made": "",
}


# --- the page ---------------------------------------------------------------------------------


def test_counselor_sees_the_diagnoses_of_their_client(login, counselor1, client_of_counselor1):
    _sud(_licensed(counselor1), client_of_counselor1)

    response = login(counselor1).get(_url("diagnoses", client_of_counselor1))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="diagnosis-F10.20"' in content
    assert "Alcohol use disorder, severe" in content
    assert "Record the diagnosis" in content
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.VIEW, client=client_of_counselor1, actor=counselor1
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("name", "method", "extra"),
    [
        ("diagnoses", "get", {}),
        ("diagnosis-add-sud", "post", {}),
        ("diagnosis-add-code", "post", {}),
    ],
)
def test_counselor_gets_404_for_a_client_outside_the_policy(
    login, counselor2, client_of_counselor1, name, method, extra
):
    browser = login(counselor2)

    response = getattr(browser, method)(_url(name, client_of_counselor1, **extra))

    assert response.status_code == 404


@pytest.mark.parametrize("action", ["diagnosis-confirm", "diagnosis-primary", "diagnosis-resolve"])
def test_actions_on_a_diagnosis_outside_the_policy_are_404(
    login, counselor1, counselor2, client_of_counselor1, action
):
    diagnosis = _sud(counselor1, client_of_counselor1)

    response = login(_licensed(counselor2)).post(
        _url(action, client_of_counselor1, diagnosis_id=diagnosis.public_id),
        {"date_resolved": TODAY().isoformat()},
    )

    assert response.status_code == 404
    diagnosis.refresh_from_db()
    assert diagnosis.status == Diagnosis.Status.PROPOSED
    assert diagnosis.date_resolved is None


def test_a_diagnosis_of_another_client_is_404_under_a_visible_client(
    login, counselor1, client_of_counselor1
):
    other = EpisodeFactory(primary_counselor=counselor1).client
    diagnosis = _sud(counselor1, other)

    response = login(_licensed(counselor1)).post(
        _url("diagnosis-confirm", client_of_counselor1, diagnosis_id=diagnosis.public_id)
    )

    assert response.status_code == 404


def test_administrator_reads_but_does_not_record(login, administrator, client_of_counselor1):
    browser = login(administrator)

    assert browser.get(_url("diagnoses", client_of_counselor1)).status_code == 200
    response = browser.post(_url("diagnosis-add-sud", client_of_counselor1), CHECKLIST)
    assert response.status_code == 403
    assert not Diagnosis.objects.exists()


def test_intake_sees_a_client_in_screening_with_no_diagnosis_yet(login, intake, screening_client):
    response = login(intake).get(_url("diagnoses", screening_client))

    assert response.status_code == 200
    assert "diagnoses are recorded after admission" in response.content.decode()


def test_intake_gets_404_for_an_admitted_client_they_did_not_screen(
    login, intake, client_of_counselor1
):
    assert login(intake).get(_url("diagnoses", client_of_counselor1)).status_code == 404


def test_adding_forms_only_by_get_is_refused(login, counselor1, client_of_counselor1):
    response = login(counselor1).get(_url("diagnosis-add-sud", client_of_counselor1))

    assert response.status_code == 405


def test_page_query_count_does_not_grow_with_diagnoses(
    login, counselor1, django_assert_num_queries
):
    small = EpisodeFactory(primary_counselor=counselor1).client
    large = EpisodeFactory(primary_counselor=counselor1).client
    _sud(counselor1, small)
    _sud(counselor1, large)
    for code in [
        "F33.1",
        "F41.1",
        "F43.10",
        "F40.10",
        "F42.2",
        "F51.01",
        "F90.0",
        "F31.81",
        "F34.1",
    ]:
        _code(counselor1, large, code)
    large_episode = large.episodes.get()
    episode_discharge(actor=counselor1, episode=large_episode, discharge_date=TODAY(), reason=1)
    browser = login(counselor1)

    with django_assert_num_queries(PAGE_QUERIES):
        browser.get(_url("diagnoses", small))
    with django_assert_num_queries(PAGE_QUERIES):
        response = browser.get(_url("diagnoses", large))
    assert response.content.decode().count('data-testid="diagnosis-') == 10


# --- adding ------------------------------------------------------------------------------------


def test_licensed_counselor_records_from_the_checklist(login, counselor1, client_of_counselor1):
    browser = login(_licensed(counselor1))

    response = browser.post(
        _url("diagnosis-add-sud", client_of_counselor1),
        CHECKLIST | {"date_made": TODAY().isoformat(), "primary": "on"},
    )

    assert response.status_code == 302
    diagnosis = Diagnosis.objects.get()
    assert (diagnosis.icd10_code, diagnosis.severity) == ("F11.21", "moderate")
    assert diagnosis.on_maintenance_therapy
    assert diagnosis.status == Diagnosis.Status.CONFIRMED
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_id=str(diagnosis.public_id)
    ).exists()


def test_severity_contradicting_the_checklist_is_a_form_error(
    login, counselor1, client_of_counselor1
):
    response = login(counselor1).post(
        _url("diagnosis-add-sud", client_of_counselor1),
        CHECKLIST | {"date_made": TODAY().isoformat(), "severity": "mild"},
    )

    assert response.status_code == 400
    assert "The checklist gives moderate, not mild: 4 criteria counted." in (
        response.content.decode()
    )
    assert not Diagnosis.objects.exists()


def test_withdrawal_for_a_hallucinogen_is_a_form_error(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("diagnosis-add-sud", client_of_counselor1),
        {
            "substance_class": "hallucinogen",
            "criteria_met": ["withdrawal", "craving"],
            "date_made": TODAY().isoformat(),
        },
    )

    assert response.status_code == 400
    assert "has no withdrawal criterion" in response.content.decode()
    assert not Diagnosis.objects.exists()


def test_unknown_criterion_is_a_form_error(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("diagnosis-add-sud", client_of_counselor1),
        CHECKLIST | {"criteria_met": ["legal_problems"], "date_made": TODAY().isoformat()},
    )

    assert response.status_code == 400
    assert not Diagnosis.objects.exists()


def test_code_not_in_the_shipped_list_is_a_form_error(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("diagnosis-add-code", client_of_counselor1),
        {"icd10_code": "F99.9", "date_made": TODAY().isoformat()},
    )

    assert response.status_code == 400
    assert "F99.9 is not a billable code of the ICD-10-CM list" in response.content.decode()
    assert not Diagnosis.objects.exists()


def test_co_occurring_diagnosis_is_proposed_by_an_unlicensed_counselor(
    login, counselor1, client_of_counselor1
):
    response = login(counselor1).post(
        _url("diagnosis-add-code", client_of_counselor1),
        {"icd10_code": "f32.1", "date_made": TODAY().isoformat()},
    )

    assert response.status_code == 302
    diagnosis = Diagnosis.objects.get()
    assert diagnosis.icd10_code == "F32.1"
    assert diagnosis.status == Diagnosis.Status.PROPOSED


def test_future_date_made_is_a_form_error(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("diagnosis-add-code", client_of_counselor1),
        {"icd10_code": "F32.1", "date_made": (TODAY() + datetime.timedelta(days=2)).isoformat()},
    )

    assert response.status_code == 400
    assert not Diagnosis.objects.exists()


# --- confirming, ranking, resolving ---------------------------------------------------------


def test_unlicensed_counselor_cannot_confirm(login, counselor1, client_of_counselor1):
    diagnosis = _sud(counselor1, client_of_counselor1)

    response = login(counselor1).post(
        _url("diagnosis-confirm", client_of_counselor1, diagnosis_id=diagnosis.public_id),
        follow=True,
    )

    assert "licensed to diagnose can confirm" in response.content.decode()
    diagnosis.refresh_from_db()
    assert diagnosis.status == Diagnosis.Status.PROPOSED


def test_licensed_supervisor_confirms_from_the_proposed_list(
    login, counselor1, supervisor, client_of_counselor1
):
    diagnosis = _sud(counselor1, client_of_counselor1)
    browser = login(_licensed(supervisor))

    page = browser.get(reverse("clients:diagnoses-proposed")).content.decode()
    assert client_of_counselor1.display_name in page
    response = browser.post(
        _url("diagnosis-confirm", client_of_counselor1, diagnosis_id=diagnosis.public_id),
        {"next": "proposed"},
    )

    assert response.url == reverse("clients:diagnoses-proposed")
    diagnosis.refresh_from_db()
    assert diagnosis.confirmed_by == supervisor


def test_resolved_before_made_is_refused_with_a_message(login, counselor1, client_of_counselor1):
    diagnosis = _sud(counselor1, client_of_counselor1, date_made=TODAY())

    response = login(counselor1).post(
        _url("diagnosis-resolve", client_of_counselor1, diagnosis_id=diagnosis.public_id),
        {"date_resolved": (TODAY() - datetime.timedelta(days=1)).isoformat()},
        follow=True,
    )

    assert "cannot be resolved before the date it was made" in response.content.decode()
    diagnosis.refresh_from_db()
    assert diagnosis.date_resolved is None


def test_make_primary_by_the_page(login, counselor1, client_of_counselor1):
    _sud(counselor1, client_of_counselor1)
    depression = _code(counselor1, client_of_counselor1)

    login(counselor1).post(
        _url("diagnosis-primary", client_of_counselor1, diagnosis_id=depression.public_id)
    )

    depression.refresh_from_db()
    assert depression.is_primary


def test_diagnosis_at_discharge_is_shown_and_changed(
    login, counselor1, supervisor, client_of_counselor1
):
    _sud(counselor1, client_of_counselor1)
    depression = _code(counselor1, client_of_counselor1)
    episode = client_of_counselor1.episodes.get()
    episode_discharge(actor=counselor1, episode=episode, discharge_date=TODAY(), reason=1)
    # The counselor of a recent discharge reads it; a supervisor corrects it.
    page = login(counselor1).get(_url("diagnoses", client_of_counselor1)).content.decode()
    assert "F10.20 Alcohol use disorder, severe" in page
    assert "Change the diagnosis at discharge" not in page
    browser = login(supervisor)
    browser.post(
        _url("discharge-diagnosis", client_of_counselor1, episode_id=episode.public_id),
        {"diagnosis": str(depression.public_id)},
    )

    episode.refresh_from_db()
    assert episode.discharge_diagnosis == depression


def test_diagnosis_at_discharge_refuses_a_foreign_choice(
    login, counselor1, supervisor, client_of_counselor1
):
    other = _sud(counselor1, EpisodeFactory(primary_counselor=counselor1).client)
    episode = client_of_counselor1.episodes.get()
    episode_discharge(actor=counselor1, episode=episode, discharge_date=TODAY(), reason=1)

    login(supervisor).post(
        _url("discharge-diagnosis", client_of_counselor1, episode_id=episode.public_id),
        {"diagnosis": str(other.public_id)},
    )

    assert Episode.objects.get(pk=episode.pk).discharge_diagnosis is None


# --- the proposed list and the code search -------------------------------------------------


def test_proposed_list_names_only_clients_the_viewer_sees(
    login, counselor1, counselor2, client_of_counselor1, client_of_counselor2
):
    _sud(counselor1, client_of_counselor1)
    _sud(counselor2, client_of_counselor2)

    page = login(_licensed(counselor2)).get(reverse("clients:diagnoses-proposed"))

    content = page.content.decode()
    assert client_of_counselor2.display_name in content
    assert client_of_counselor1.display_name not in content
    listed = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, actor=counselor2)
    assert [event.client for event in listed] == [client_of_counselor2]


def test_proposed_list_query_count_does_not_grow(
    login, supervisor, counselor1, django_assert_num_queries
):
    browser = login(_licensed(supervisor))
    _sud(counselor1, EpisodeFactory(primary_counselor=counselor1).client)
    with django_assert_num_queries(PROPOSED_QUERIES):
        browser.get(reverse("clients:diagnoses-proposed"))
    for _ in range(10):
        _sud(counselor1, EpisodeFactory(primary_counselor=counselor1).client)
    with django_assert_num_queries(PROPOSED_QUERIES):
        response = browser.get(reverse("clients:diagnoses-proposed"))
    assert len(response.context["proposed"]) == 11


@pytest.mark.parametrize("user", ["intake", "administrator"])
def test_proposed_list_is_for_clinicians(request, login, user):
    response = login(request.getfixturevalue(user)).get(reverse("clients:diagnoses-proposed"))

    assert response.status_code == 403


def test_code_search_answers_options_of_billable_codes(login, counselor1):
    response = login(counselor1).get(reverse("clients:icd10-search"), {"icd10_code": "F33.4"})

    content = response.content.decode()
    assert '<option value="F33.40">' in content
    assert '<option value="F33.4">' not in content


def test_code_search_is_refused_to_administrators(login, administrator):
    response = login(administrator).get(reverse("clients:icd10-search"), {"q": "F33"})

    assert response.status_code == 403


# --- the chart, the plan, the screening -----------------------------------------------------


def test_chart_header_shows_the_primary_code_and_label(login, counselor1, client_of_counselor1):
    _sud(counselor1, client_of_counselor1)
    _code(counselor1, client_of_counselor1)

    response = login(counselor1).get(_url("client-detail", client_of_counselor1))

    content = response.content.decode()
    header = content.split('data-testid="chart-diagnoses"')[1].split("</p>")[0]
    assert "F10.20</a> Alcohol use disorder, severe (proposed)" in header
    assert "1 more" in header
    section = login(counselor1).get(_url("client-section", client_of_counselor1, section="plan"))
    content = section.content.decode()
    assert content.index("F10.20") < content.index("F33.1")


def test_chart_header_invites_to_record_a_diagnosis(login, counselor1, client_of_counselor1):
    response = login(counselor1).get(_url("client-detail", client_of_counselor1))

    header = response.content.decode().split('data-testid="chart-diagnoses"')[1].split("</p>")[0]
    assert "none recorded" in header
    assert _url("diagnoses", client_of_counselor1) in header


def test_plan_problem_links_to_a_diagnosis(login, counselor1, client_of_counselor1):
    diagnosis = _sud(counselor1, client_of_counselor1)
    plan_start_draft(actor=counselor1, episode=client_of_counselor1.episodes.get())
    browser = login(counselor1)

    assert (
        str(diagnosis.public_id)
        in browser.get(_url("plan-detail", client_of_counselor1)).content.decode()
    )
    browser.post(
        _url("plan-add", client_of_counselor1, part="problem"),
        {"statement": "Drinks daily", "diagnoses": [str(diagnosis.public_id)]},
    )

    problem = Problem.objects.get()
    assert list(problem.diagnoses.all()) == [diagnosis]
    page = browser.get(_url("plan-detail", client_of_counselor1)).content.decode()
    assert 'data-testid="problem-diagnoses"' in page


def test_plan_problem_with_a_malformed_diagnosis_id_is_refused(
    login, counselor1, client_of_counselor1
):
    plan_start_draft(actor=counselor1, episode=client_of_counselor1.episodes.get())

    response = login(counselor1).post(
        _url("plan-add", client_of_counselor1, part="problem"),
        {"statement": "Drinks daily", "diagnoses": ["not-a-uuid"]},
    )

    assert response.status_code == 302
    assert not Problem.objects.exists()
