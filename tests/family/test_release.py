"""What a release of information prints for each category: exactly the
content the category names. Plan objectives are treatment-plan content, not
progress; plan text that mentions medications or drug tests is released only
when the consent covers those too, else withheld with a note; the vocabulary
that decides it is checked on its own."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from family.vocabulary import WITHHELD, vocabulary_for
from iop.clients.models import Medication
from iop.clients.services.plans import (
    plan_add_goal,
    plan_add_intervention,
    plan_add_objective,
    plan_add_problem,
    plan_sign,
    plan_start_draft,
)
from iop.clients.services.treatment import drug_test_record, medication_add
from tests.family.factories import consent_for, family_member

pytestmark = pytest.mark.django_db

# The example, word for word.
MAT_OBJECTIVE = "Take buprenorphine daily and provide weekly negative fentanyl screens"
PLAIN_OBJECTIVE = "Keep a sleep diary 5 nights a week"


@pytest.fixture
def member(client_of_counselor1, counselor1):
    return family_member(client_of_counselor1, actor=counselor1, first_name="Rosa")


@pytest.fixture
def plan(client_of_counselor1, counselor1):
    """An active plan: one objective naming a medication and drug screens,
    one that names neither, and an intervention by the prescriber."""
    draft = plan_start_draft(actor=counselor1, episode=client_of_counselor1.episodes.get())
    problem = plan_add_problem(actor=counselor1, plan=draft, statement="Opioid use most days")
    goal = plan_add_goal(actor=counselor1, problem=problem, statement="Sleep without alcohol")
    target = timezone.localdate() + datetime.timedelta(days=30)
    mat = plan_add_objective(
        actor=counselor1, goal=goal, statement=MAT_OBJECTIVE, target_date=target
    )
    plain = plan_add_objective(
        actor=counselor1, goal=goal, statement=PLAIN_OBJECTIVE, target_date=target
    )
    plan_add_intervention(
        actor=counselor1,
        objective=plain,
        description="Sleep hygiene education",
        responsible="Primary counselor",
        frequency="Weekly",
    )
    plan_add_intervention(
        actor=counselor1,
        objective=mat,
        description="Dose review",
        responsible="Prescriber",
        frequency="Monthly",
    )
    return plan_sign(actor=counselor1, plan=draft, client_agreed_on=timezone.localdate())


def _release(browser, client, consent):
    response = browser.post(
        reverse("family:release-export", args=[client.public_id, consent.public_id])
    )
    assert response.status_code == 200
    return response


def _section(response, category):
    return next(s for s in response.context["sections"] if s["category"] == category)


def test_attendance_and_progress_print_no_treatment_plan_text(
    login, counselor1, client_of_counselor1, member, plan
):
    consent = consent_for(
        client_of_counselor1, member, actor=counselor1, categories=["attendance", "progress"]
    )

    response = _release(login(counselor1), client_of_counselor1, consent)

    page = response.content.decode()
    for text in (MAT_OBJECTIVE, PLAIN_OBJECTIVE, "buprenorphine", "fentanyl", "Sleep hygiene"):
        assert text not in page
    # Progress says how many objectives stand where, not what they say.
    assert _section(response, "progress")["objectives"] == [{"status": "Active", "count": 2}]


def test_disclosed_by_names_the_discloser_and_who_released_it_once_each(
    login, counselor1, client_of_counselor1, member
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1, categories=["attendance"])

    response = _release(login(counselor1), client_of_counselor1, consent)

    page = response.content.decode()
    line = unescape(re.search(r'data-testid="disclosed-by">([^<]*)<', page).group(1))
    assert line == f"{consent.discloser} · released by {counselor1.get_full_name()}"
    assert "))" not in line


def test_the_treatment_plan_alone_withholds_an_objective_naming_medications_and_tests(
    login, counselor1, client_of_counselor1, member, plan
):
    consent = consent_for(
        client_of_counselor1, member, actor=counselor1, categories=["treatment_plan"]
    )

    response = _release(login(counselor1), client_of_counselor1, consent)

    page = response.content.decode()
    assert MAT_OBJECTIVE not in page and "buprenorphine" not in page.lower()
    assert "fentanyl" not in page.lower() and "Prescriber" not in page
    assert str(WITHHELD) in page
    (problem,) = _section(response, "treatment_plan")["plan"]["problems"]
    (goal,) = problem["goals"]
    assert goal["statement"] == "Sleep without alcohol"
    assert [o["statement"] for o in goal["objectives"]] == [str(WITHHELD), PLAIN_OBJECTIVE]
    assert goal["objectives"][0]["interventions"] == [str(WITHHELD)]
    assert goal["objectives"][1]["interventions"] == [
        "Sleep hygiene education — Primary counselor, Weekly"
    ]


def test_an_objective_naming_both_is_withheld_when_only_medications_are_covered_too(
    login, counselor1, client_of_counselor1, member, plan
):
    consent = consent_for(
        client_of_counselor1,
        member,
        actor=counselor1,
        categories=["treatment_plan", "medications"],
    )

    response = _release(login(counselor1), client_of_counselor1, consent)

    (problem,) = _section(response, "treatment_plan")["plan"]["problems"]
    assert problem["goals"][0]["objectives"][0]["statement"] == str(WITHHELD)
    # The intervention names only the prescriber: medications are covered.
    assert problem["goals"][0]["objectives"][0]["interventions"] == [
        "Dose review — Prescriber, Monthly"
    ]


def test_the_objective_is_released_when_medications_and_drug_tests_are_covered_too(
    login, counselor1, client_of_counselor1, member, plan
):
    consent = consent_for(
        client_of_counselor1,
        member,
        actor=counselor1,
        categories=["treatment_plan", "medications", "drug_tests"],
    )

    response = _release(login(counselor1), client_of_counselor1, consent)

    page = response.content.decode()
    assert MAT_OBJECTIVE in page
    assert str(WITHHELD) not in page


def test_a_drug_test_says_prescribed_only_when_medications_are_covered(
    login, counselor1, client_of_counselor1, member
):
    medication_add(
        actor=counselor1,
        client=client_of_counselor1,
        data={
            "drug": "buprenorphine",
            "dose": "8 mg",
            "schedule": "daily",
            "prescriber_name": "Dr. Okafor",
            "start_date": timezone.localdate() - datetime.timedelta(days=20),
        },
    )
    drug_test_record(
        actor=counselor1,
        client=client_of_counselor1,
        collected_on=timezone.localdate(),
        specimen="urine",
        observed=True,
        results={"buprenorphine": "positive", "fentanyl": "negative"},
    )
    tests_only = consent_for(
        client_of_counselor1, member, actor=counselor1, categories=["drug_tests"]
    )
    with_medications = consent_for(
        client_of_counselor1, member, actor=counselor1, categories=["drug_tests", "medications"]
    )
    browser = login(counselor1)

    alone = _release(browser, client_of_counselor1, tests_only).content.decode()
    both = _release(browser, client_of_counselor1, with_medications).content.decode()

    assert "Buprenorphine: Positive (expected)" in alone and "prescribed" not in alone
    assert "Buprenorphine: Positive (expected, prescribed)" in both


# --- the vocabulary -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        (MAT_OBJECTIVE, {"medications", "drug_tests"}),
        ("Take Suboxone as prescribed", {"medications"}),
        ("Monthly Vivitrol injection", {"medications"}),
        ("Attend an opioid treatment program for methadone dosing", {"medications"}),
        ("Weekly UDS", {"drug_tests"}),
        ("Give a urine specimen when asked", {"drug_tests"}),
        ("Stay cocaine-negative for 8 weeks", {"drug_tests"}),
        ("Tox results reviewed in session", {"drug_tests"}),
        ("Breathalyzer at each visit", {"drug_tests"}),
        ("Sleep without alcohol", set()),
        ("Practice breathing exercises when cravings come", set()),
        ("Attend two NA meetings a week", set()),
        ("Reduce overdose risk at home", set()),
    ],
)
def test_the_vocabulary_finds_medications_and_drug_tests_in_plan_text(text, categories):
    assert vocabulary_for([]).categories_in(text) == categories


def test_the_vocabulary_knows_the_clients_own_medications():
    gabapentin = Medication(drug="other", other_name="Gabapentin (Neurontin)")

    assert vocabulary_for([gabapentin]).categories_in("Gabapentin at night") == {"medications"}
    assert vocabulary_for([]).categories_in("Gabapentin at night") == set()


def test_every_mat_drug_of_the_medication_list_is_in_the_vocabulary():
    vocabulary = vocabulary_for([])
    for value, label in Medication.Drug.choices:
        if value != "other":
            assert "medications" in vocabulary.categories_in(f"Start {label} this week")
