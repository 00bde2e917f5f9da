"""Clinical records for the FHIR resource tests, made through the services
that make them in the program (scores by screening's registry, drug tests
with their expected positives, signed plan versions, medications)."""

import datetime

from django.utils import timezone

from iop.clients.models import DrugTestResult, Medication
from iop.clients.services.plans import (
    plan_add_goal,
    plan_add_intervention,
    plan_add_objective,
    plan_add_problem,
    plan_sign,
    plan_start_draft,
)
from iop.clients.services.treatment import drug_test_record, medication_add
from screening.services import administration_record
from tests.screening.helpers import CSSRS, ciwa, phq9

# One answer set per instrument of the registry.
ANSWERS = {
    "PHQ-9": phq9(rest=1),  # total 8, mild
    "PHQ-2": {"1": 2, "2": 1},
    "GAD-7": {str(k): 2 for k in range(1, 8)},  # 14, moderate
    "AUDIT": {"1": 2, "2": 1, "3": 1, **{str(k): 1 for k in range(4, 9)}, "9": 2, "10": 0},
    "AUDIT-C": {"1": 2, "2": 1, "3": 1},
    "DAST-10": {str(k): ("no" if k == 3 else "yes") for k in range(1, 11)},
    "CIWA-Ar": ciwa(6),
    "COWS": {str(k): 0 for k in range(1, 12)},
    "C-SSRS": CSSRS["low"],
    # Use 4 + 5 + 6 = 3; Risk 1 + 2 + 3 + 8 + 11 + 15 = 12 (concern); Protective 24.
    "BAM": {
        "1": 2,
        "2": 2,
        "3": 2,
        "4": 1,
        "5": 1,
        "6": 1,
        "8": 2,
        "9": 4,
        "10": 4,
        "11": 2,
        "12": 4,
        "13": 4,
        "14": 4,
        "15": 2,
        "16": 4,
        "17": 1,
    },
}


def administer(client, code, *, actor, days_ago=0, **kwargs):
    return administration_record(
        actor=actor,
        client=client,
        code=code,
        answers=ANSWERS[code],
        administered_at=timezone.now() - datetime.timedelta(days=days_ago),
        **kwargs,
    )


def prescribe(client, *, actor, drug=Medication.Drug.BUPRENORPHINE, days_ago=30, **data):
    return medication_add(
        actor=actor,
        client=client,
        data={
            "drug": drug,
            "dose": "16 mg",
            "schedule": "daily",
            "prescriber_name": "Dr. Lee",
            "start_date": timezone.localdate() - datetime.timedelta(days=days_ago),
            **data,
        },
    )


def drug_test(client, *, actor, results=None, days_ago=1, specimen="urine"):
    return drug_test_record(
        actor=actor,
        client=client,
        collected_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        specimen=specimen,
        observed=True,
        results=results
        or {
            "buprenorphine": DrugTestResult.Result.POSITIVE,
            "cocaine": DrugTestResult.Result.NEGATIVE,
            "fentanyl": DrugTestResult.Result.REFUSED,
            "alcohol_etg": DrugTestResult.Result.POSITIVE,
        },
    )


def signed_plan(client, *, actor, goals=1):
    """A signed plan version: one problem, `goals` goals with an objective
    and an intervention each."""
    plan = plan_start_draft(actor=actor, episode=client.episodes.get())
    if not plan.problems.exists():
        problem = plan_add_problem(actor=actor, plan=plan, statement="Drinks daily to sleep")
        for number in range(goals):
            goal = plan_add_goal(actor=actor, problem=problem, statement=f"Sleep well {number}")
            objective = plan_add_objective(
                actor=actor,
                goal=goal,
                statement="Seven nights without alcohol",
                target_date=timezone.localdate() + datetime.timedelta(days=30 + number),
            )
            plan_add_intervention(
                actor=actor,
                objective=objective,
                description="Sleep hygiene sessions",
                responsible="Counselor",
                frequency="weekly",
            )
    return plan_sign(actor=actor, plan=plan, client_agreed_on=timezone.localdate())
