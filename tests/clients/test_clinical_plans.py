"""Treatment plans: drafting problems, goals, objectives with target dates
and interventions; signing with the client's agreement; versions that keep
earlier ones readable; reviews every 30 days (DOMAIN.md section 5)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from iop.clients.models import (
    REVIEW_INTERVAL_DAYS,
    Client,
    Goal,
    Intervention,
    NoteAddendum,
    Objective,
    Problem,
    TreatmentPlan,
)
from iop.clients.selectors.clinical import plans_due_for_review
from iop.clients.services.plans import (
    plan_add_goal,
    plan_add_intervention,
    plan_add_objective,
    plan_add_problem,
    plan_review,
    plan_sign,
    plan_start_draft,
)
from iop.clients.signing import note_addenda
from tests.factories import EpisodeFactory

TODAY = timezone.localdate  # called per test: the suite may cross midnight


def _in(days):
    return TODAY() + datetime.timedelta(days=days)


def _draft_with_objective(counselor, client, *, problem="Drinks daily to sleep"):
    plan = plan_start_draft(actor=counselor, episode=client.episodes.get())
    problem = plan_add_problem(actor=counselor, plan=plan, statement=problem)
    goal = plan_add_goal(actor=counselor, problem=problem, statement="Sleep without alcohol")
    objective = plan_add_objective(
        actor=counselor,
        goal=goal,
        statement="Keep a sleep diary 5 nights a week",
        target_date=_in(30),
    )
    plan_add_intervention(
        actor=counselor,
        objective=objective,
        description="Sleep hygiene education",
        responsible="Primary counselor",
        frequency="Weekly",
    )
    return plan


def _active_plan(counselor, client, **kwargs) -> TreatmentPlan:
    plan = _draft_with_objective(counselor, client, **kwargs)
    return plan_sign(actor=counselor, plan=plan, client_agreed_on=TODAY())


def _tree(plan):
    return [
        (
            problem.statement,
            [
                (
                    goal.statement,
                    [
                        (
                            objective.statement,
                            objective.target_date,
                            [i.description for i in objective.interventions.all()],
                        )
                        for objective in goal.objectives.all()
                    ],
                )
                for goal in problem.goals.all()
            ],
        )
        for problem in plan.problems.all()
    ]


def _url(name, client, **kwargs):
    return reverse(f"clients:{name}", kwargs={"client_id": client.public_id, **kwargs})


# --- drafting and signing ---------------------------------------------------------------


def test_first_plan_starts_as_an_empty_draft_version_1(counselor1, client_of_counselor1):
    plan = plan_start_draft(actor=counselor1, episode=client_of_counselor1.episodes.get())

    assert (plan.version, plan.status, plan.author) == (1, TreatmentPlan.Status.DRAFT, counselor1)
    assert not plan.problems.exists()


def test_starting_again_returns_the_draft_in_progress(counselor1, client_of_counselor1):
    episode = client_of_counselor1.episodes.get()
    draft = plan_start_draft(actor=counselor1, episode=episode)

    assert plan_start_draft(actor=counselor1, episode=episode) == draft
    assert TreatmentPlan.objects.count() == 1


def test_plan_is_refused_for_a_client_in_screening(counselor1, screening_client):
    with pytest.raises(ValidationError, match="admitted, open episodes"):
        plan_start_draft(actor=counselor1, episode=screening_client.episodes.get())


def test_draft_holds_problem_goal_objective_and_intervention_numbered(
    counselor1, client_of_counselor1
):
    plan = _draft_with_objective(counselor1, client_of_counselor1)

    objective = Objective.objects.get()
    assert str(objective) == "Objective 1.1.1"
    assert objective.target_date == _in(30)
    assert objective.goal.problem.plan == plan
    assert Intervention.objects.get().responsible == "Primary counselor"


def test_objective_without_target_date_is_refused_and_nothing_saved(
    counselor1, client_of_counselor1
):
    plan = plan_start_draft(actor=counselor1, episode=client_of_counselor1.episodes.get())
    problem = plan_add_problem(actor=counselor1, plan=plan, statement="Isolation")
    goal = plan_add_goal(actor=counselor1, problem=problem, statement="Build a sober network")

    with pytest.raises(ValidationError) as error:
        plan_add_objective(
            actor=counselor1, goal=goal, statement="Attend two meetings a week", target_date=None
        )

    assert "target_date" in error.value.message_dict
    assert not Objective.objects.exists()


def test_signing_makes_the_draft_active_with_review_due_in_30_days(
    counselor1, client_of_counselor1
):
    plan = _draft_with_objective(counselor1, client_of_counselor1)
    agreed = _in(-1)

    plan_sign(
        actor=counselor1, plan=plan, client_agreed_on=agreed, agreement_note="Signed on paper"
    )

    plan.refresh_from_db()
    assert plan.status == TreatmentPlan.Status.ACTIVE
    assert plan.signed_by == counselor1
    assert plan.signed_at is not None
    assert plan.effective_date == TODAY()
    assert plan.next_review_due == TODAY() + datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
    assert (plan.client_agreed_on, plan.client_agreement_note) == (agreed, "Signed on paper")


def test_signing_with_a_future_agreement_date_is_refused(counselor1, client_of_counselor1):
    plan = _draft_with_objective(counselor1, client_of_counselor1)

    with pytest.raises(ValidationError) as error:
        plan_sign(actor=counselor1, plan=plan, client_agreed_on=_in(1))

    assert "client_agreed_on" in error.value.message_dict
    plan.refresh_from_db()
    assert plan.status == TreatmentPlan.Status.DRAFT
    assert not plan.is_signed


def test_signing_without_the_agreement_date_is_refused(counselor1, client_of_counselor1):
    plan = _draft_with_objective(counselor1, client_of_counselor1)

    with pytest.raises(ValidationError) as error:
        plan_sign(actor=counselor1, plan=plan, client_agreed_on=None)

    assert "client_agreed_on" in error.value.message_dict


def test_signing_a_plan_without_an_objective_is_refused(counselor1, client_of_counselor1):
    plan = plan_start_draft(actor=counselor1, episode=client_of_counselor1.episodes.get())
    plan_add_problem(actor=counselor1, plan=plan, statement="Unemployment")

    with pytest.raises(ValidationError, match="at least one problem, goal and objective"):
        plan_sign(actor=counselor1, plan=plan, client_agreed_on=TODAY())


# --- versions ---------------------------------------------------------------------------


def test_new_version_copies_the_active_plans_tree(counselor1, client_of_counselor1):
    v1 = _active_plan(counselor1, client_of_counselor1)

    v2 = plan_start_draft(actor=counselor1, episode=client_of_counselor1.episodes.get())

    assert (v2.version, v2.status) == (2, TreatmentPlan.Status.DRAFT)
    assert _tree(v2) == _tree(v1)
    assert not set(v2.problems.values_list("pk", flat=True)) & set(
        v1.problems.values_list("pk", flat=True)
    )


def test_signing_version_2_supersedes_version_1_and_keeps_it_readable(
    counselor1, client_of_counselor1
):
    v1 = _active_plan(counselor1, client_of_counselor1)
    tree_v1 = _tree(v1)
    v2 = plan_start_draft(actor=counselor1, episode=client_of_counselor1.episodes.get())
    plan_add_problem(actor=counselor1, plan=v2, statement="Conflict with partner")

    plan_sign(actor=counselor1, plan=v2, client_agreed_on=TODAY())

    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == TreatmentPlan.Status.SUPERSEDED
    assert v2.status == TreatmentPlan.Status.ACTIVE
    assert _tree(v1) == tree_v1
    assert len(_tree(v2)) == 2


def test_service_refuses_to_edit_the_active_plan(counselor1, client_of_counselor1):
    plan = _active_plan(counselor1, client_of_counselor1)

    with pytest.raises(ValidationError, match="signed and locked"):
        plan_add_problem(actor=counselor1, plan=plan, statement="Added after signing")

    assert Problem.objects.count() == 1


def test_service_refuses_to_edit_a_superseded_plan(counselor1, client_of_counselor1):
    v1 = _active_plan(counselor1, client_of_counselor1)
    v2 = plan_start_draft(actor=counselor1, episode=client_of_counselor1.episodes.get())
    plan_sign(actor=counselor1, plan=v2, client_agreed_on=TODAY())
    v1.refresh_from_db()
    goal = Goal.objects.get(problem__plan=v1)

    with pytest.raises(ValidationError):
        plan_add_objective(actor=counselor1, goal=goal, statement="Late edit", target_date=_in(9))

    assert Objective.objects.filter(goal__problem__plan=v1).count() == 1


def test_service_refuses_to_edit_a_plan_signed_since_it_was_loaded(
    counselor1, client_of_counselor1
):
    stale = _draft_with_objective(counselor1, client_of_counselor1)
    plan_sign(
        actor=counselor1, plan=TreatmentPlan.objects.get(pk=stale.pk), client_agreed_on=TODAY()
    )

    with pytest.raises(ValidationError):
        plan_add_problem(actor=counselor1, plan=stale, statement="Added after signing")


# --- reviews ----------------------------------------------------------------------------


def test_review_sets_the_next_review_30_days_from_today(counselor1, client_of_counselor1):
    plan = _active_plan(counselor1, client_of_counselor1)
    TreatmentPlan.objects.filter(pk=plan.pk).update(next_review_due=_in(-3))

    plan_review(actor=counselor1, plan=plan, note="Progressing; no changes needed.")

    plan.refresh_from_db()
    assert plan.next_review_due == TODAY() + datetime.timedelta(days=REVIEW_INTERVAL_DAYS)


def test_review_adds_a_signed_addendum(counselor1, client_of_counselor1):
    plan = _active_plan(counselor1, client_of_counselor1)
    before = timezone.now()

    plan_review(actor=counselor1, plan=plan, note="Progressing; no changes needed.")

    addendum = note_addenda(plan).get()
    assert addendum.author == counselor1
    assert before <= addendum.signed_at <= timezone.now()
    assert addendum.text == "Review: Progressing; no changes needed."
    assert addendum.client == client_of_counselor1


def test_review_of_a_draft_is_refused(counselor1, client_of_counselor1):
    plan = _draft_with_objective(counselor1, client_of_counselor1)

    with pytest.raises(ValidationError, match="Only the active plan"):
        plan_review(actor=counselor1, plan=plan, note="Too early")

    assert not NoteAddendum.objects.exists()


def test_review_without_a_note_is_refused(counselor1, client_of_counselor1):
    plan = _active_plan(counselor1, client_of_counselor1)

    with pytest.raises(ValidationError):
        plan_review(actor=counselor1, plan=plan, note="  ")

    assert not NoteAddendum.objects.exists()


def test_plans_due_for_review_lists_the_counselors_overdue_plans(
    counselor1, client_of_counselor1, counselor2, client_of_counselor2
):
    overdue = _active_plan(counselor1, client_of_counselor1)
    TreatmentPlan.objects.filter(pk=overdue.pk).update(next_review_due=_in(-2))
    not_yet = _active_plan(counselor1, EpisodeFactory(primary_counselor=counselor1).client)
    others = _active_plan(counselor2, client_of_counselor2)
    TreatmentPlan.objects.filter(pk=others.pk).update(next_review_due=_in(-5))

    due = list(plans_due_for_review(Client.objects.all(), counselor=counselor1))

    assert due == [overdue]
    assert not_yet not in due


def test_plans_due_for_review_lists_oldest_due_first_for_the_whole_program(
    counselor1, client_of_counselor1, counselor2, client_of_counselor2
):
    first = _active_plan(counselor2, client_of_counselor2)
    TreatmentPlan.objects.filter(pk=first.pk).update(next_review_due=_in(-9))
    second = _active_plan(counselor1, client_of_counselor1)
    TreatmentPlan.objects.filter(pk=second.pk).update(next_review_due=_in(-1))

    due = list(plans_due_for_review(Client.objects.all()))

    assert due == [first, second]


def test_chart_shows_review_overdue(login, counselor1, client_of_counselor1):
    plan = _active_plan(counselor1, client_of_counselor1)
    TreatmentPlan.objects.filter(pk=plan.pk).update(next_review_due=_in(-1))

    response = login(counselor1).get(_url("client-section", client_of_counselor1, section="plan"))

    assert "review overdue" in response.content.decode()


def test_chart_does_not_show_review_overdue_for_a_fresh_plan(
    login, counselor1, client_of_counselor1
):
    _active_plan(counselor1, client_of_counselor1)

    response = login(counselor1).get(_url("client-section", client_of_counselor1, section="plan"))

    assert "review overdue" not in response.content.decode()


# --- pages ------------------------------------------------------------------------------


def test_plan_page_offers_to_start_the_plan(login, counselor1, client_of_counselor1):
    response = login(counselor1).get(_url("plan-detail", client_of_counselor1))

    assert response.status_code == 200
    assert "Start the treatment plan" in response.content.decode()


def test_plan_pages_draft_add_and_sign_a_plan(login, counselor1, client_of_counselor1):
    browser = login(counselor1)
    client = client_of_counselor1

    assert browser.post(_url("plan-start", client)).status_code == 302
    browser.post(_url("plan-add", client, part="problem"), {"statement": "Opioid use disorder"})
    problem = Problem.objects.get()
    browser.post(
        _url("plan-add", client, part="goal"),
        {"parent": problem.pk, "statement": "Stable on buprenorphine"},
    )
    goal = Goal.objects.get()
    browser.post(
        _url("plan-add", client, part="objective"),
        {"parent": goal.pk, "statement": "No missed doses for 4 weeks", "target_date": _in(28)},
    )
    objective = Objective.objects.get()
    browser.post(
        _url("plan-add", client, part="intervention"),
        {
            "parent": objective.pk,
            "description": "Medication adherence check-in",
            "responsible": "Nurse",
            "frequency": "Weekly",
        },
    )
    response = browser.post(
        _url("plan-sign", client), {"client_agreed_on": TODAY(), "confirm": "yes"}
    )

    assert response.status_code == 302
    plan = TreatmentPlan.objects.get()
    assert plan.status == TreatmentPlan.Status.ACTIVE
    assert plan.next_review_due == _in(REVIEW_INTERVAL_DAYS)
    assert objective.interventions.get().responsible == "Nurse"
    page = browser.get(_url("plan-detail", client)).content.decode()
    assert "Active plan (version 1)" in page
    assert "No missed doses for 4 weeks" in page


def test_plan_page_refuses_an_objective_without_target_date(
    login, counselor1, client_of_counselor1
):
    plan = plan_start_draft(actor=counselor1, episode=client_of_counselor1.episodes.get())
    problem = plan_add_problem(actor=counselor1, plan=plan, statement="Isolation")
    goal = plan_add_goal(actor=counselor1, problem=problem, statement="Sober network")

    response = login(counselor1).post(
        _url("plan-add", client_of_counselor1, part="objective"),
        {"parent": goal.pk, "statement": "Two meetings a week", "target_date": ""},
        follow=True,
    )

    assert "This field is required." in [str(m) for m in response.context["messages"]]
    assert not Objective.objects.exists()


def test_plan_page_refuses_a_future_agreement_date(login, counselor1, client_of_counselor1):
    _draft_with_objective(counselor1, client_of_counselor1)

    response = login(counselor1).post(
        _url("plan-sign", client_of_counselor1),
        {"client_agreed_on": _in(2), "confirm": "yes"},
        follow=True,
    )

    assert "The agreement date cannot be in the future." in response.content.decode()
    assert TreatmentPlan.objects.get().status == TreatmentPlan.Status.DRAFT


def test_plan_page_records_a_review(login, counselor1, client_of_counselor1):
    plan = _active_plan(counselor1, client_of_counselor1)
    TreatmentPlan.objects.filter(pk=plan.pk).update(next_review_due=_in(-1))

    response = login(counselor1).post(
        _url("plan-review", client_of_counselor1), {"note": "Goals still fit."}, follow=True
    )

    plan.refresh_from_db()
    assert plan.next_review_due == _in(REVIEW_INTERVAL_DAYS)
    assert "Review: Goals still fit." in response.content.decode()


def test_plan_page_shows_earlier_versions(login, counselor1, client_of_counselor1):
    _active_plan(counselor1, client_of_counselor1, problem="Version one problem")
    v2 = plan_start_draft(actor=counselor1, episode=client_of_counselor1.episodes.get())
    plan_sign(actor=counselor1, plan=v2, client_agreed_on=TODAY())

    response = login(counselor1).get(_url("plan-detail", client_of_counselor1))

    assert [plan.version for plan in response.context["earlier"]] == [1]
    assert "Earlier versions" in response.content.decode()


def test_plan_page_cannot_add_to_the_active_plan(login, counselor1, client_of_counselor1):
    plan = _active_plan(counselor1, client_of_counselor1)
    problem = plan.problems.get()

    response = login(counselor1).post(
        _url("plan-add", client_of_counselor1, part="goal"),
        {"parent": problem.pk, "statement": "Sneaked in"},
    )

    assert response.status_code == 404
    assert problem.goals.count() == 1


def test_plan_page_is_404_for_other_caseload(login, counselor2, client_of_counselor1):
    response = login(counselor2).get(_url("plan-detail", client_of_counselor1))

    assert response.status_code == 404


def test_plan_start_is_404_for_other_caseload(login, counselor2, client_of_counselor1):
    response = login(counselor2).post(_url("plan-start", client_of_counselor1))

    assert response.status_code == 404
    assert not TreatmentPlan.objects.exists()


def test_plan_page_is_403_for_administrator(login, administrator, client_of_counselor1):
    response = login(administrator).get(_url("plan-detail", client_of_counselor1))

    assert response.status_code == 403


def test_plan_start_is_403_for_intake(login, intake, screening_client):
    response = login(intake).post(_url("plan-start", screening_client))

    assert response.status_code == 403
    assert not TreatmentPlan.objects.exists()


def test_plan_sign_refuses_get(login, counselor1, client_of_counselor1):
    _draft_with_objective(counselor1, client_of_counselor1)

    response = login(counselor1).get(_url("plan-sign", client_of_counselor1))

    assert response.status_code == 405
    assert TreatmentPlan.objects.get().status == TreatmentPlan.Status.DRAFT
