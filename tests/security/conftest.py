"""A populated program shared by the security tests of a module: the fixed
cast (intake, counselors A and B with disjoint caseloads, a supervisor, an
administrator, billing staff) and, on counselor A's caseload, a client with one record of
every kind a route can address, a client in screening with a safety flag and
a client in aftercare with an outreach task; on counselor B's caseload, an
outsider whose name must never reach anyone who may not see it.

The world is built once per module inside a transaction that is rolled back
when the module ends; each test runs in a savepoint inside it (pytest-django's
`db`), so what a test writes never reaches the next one.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from aftercare.models import OutreachTask
from billing.models import Coverage, Payer
from iop.accounts import roles
from iop.clients.models import Appointment, Episode, SessionNote
from iop.clients.services import appointment_schedule
from iop.clients.services.diagnoses import diagnosis_add_sud
from iop.clients.services.plans import plan_add_goal, plan_add_problem, plan_start_draft
from iop.clients.services.sessions import session_document, session_note_sign
from iop.clients.services.treatment import drug_test_record, medication_add, meeting_record
from outcomes.models import MeasurePlanEntry
from screening import services as screening_services
from screening.models import SafetyFlag
from tests.aftercare.factories import missed, numbered, record, stepped_down
from tests.billing.authorization_factories import authorization as billing_authorization
from tests.factories import ClientFactory, EpisodeFactory, UserFactory
from tests.family.factories import consent_for, family_member
from tests.groups.factories import EnrollmentFactory, GroupSessionFactory, RecurringGroupFactory
from tests.groups.factories import track as track_of
from tests.interop.support import register_client
from tests.outcomes.support import due_by_link, issued_link
from tests.screening.helpers import phq9

ROLES = ("intake", "counselor_a", "counselor_b", "supervisor", "administrator", "billing")


@dataclass
class World:
    users: dict
    main: object  # counselor A's client in the intensive phase, with every record
    in_screening: object  # in screening, primary counselor A, with a safety flag
    in_aftercare: object  # counselor A's client stepped down, with an outreach task
    outsider: object  # counselor B's client
    values: dict = field(default_factory=dict)  # URL parameter -> a real value
    route_values: dict = field(default_factory=dict)  # route name -> values of its own


def _build() -> World:
    users = {
        "intake": UserFactory(username="sec-intake", roles=[roles.INTAKE]),
        "counselor_a": UserFactory(username="sec-counselor-a", roles=[roles.COUNSELOR]),
        "counselor_b": UserFactory(username="sec-counselor-b", roles=[roles.COUNSELOR]),
        "supervisor": UserFactory(username="sec-supervisor", roles=[roles.SUPERVISOR]),
        "administrator": UserFactory(
            username="sec-admin", roles=[roles.ADMINISTRATOR], is_staff=True
        ),
        "billing": UserFactory(username="sec-billing", roles=[roles.BILLING]),
    }
    # Break-glass access is for holders of this permission; the page is
    # checked (and fuzzed) for every role.
    break_glass = Permission.objects.get(content_type__app_label="audit", codename="break_glass")
    for user in users.values():
        user.user_permissions.add(break_glass)
    a = users["counselor_a"]
    now = timezone.now()
    today = timezone.localdate()

    main = EpisodeFactory(
        client=ClientFactory(legal_first_name="Ingrid", legal_last_name="Mainworld"),
        primary_counselor=a,
    ).client
    episode = main.episodes.get()
    outsider = EpisodeFactory(
        client=ClientFactory(legal_first_name="Zebulon", legal_last_name="Outsiderfield"),
        primary_counselor=users["counselor_b"],
    ).client

    appointment = appointment_schedule(
        actor=a,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=now - datetime.timedelta(hours=2),
        counselor=a,
    )
    signed = appointment_schedule(
        actor=a,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=now - datetime.timedelta(days=1),
        counselor=a,
    )
    note = session_document(
        actor=a,
        appointment=signed,
        status=Appointment.Status.ATTENDED,
        minutes=50,
        data="d",
        assessment="a",
        plan="p",
    )
    session_note_sign(actor=a, note=note)
    diagnosis = diagnosis_add_sud(
        actor=a,
        episode=episode,
        substance_class="alcohol",
        criteria_met=["craving", "cut_down", "time_spent", "tolerance"],
        date_made=today,
    )
    plan = plan_start_draft(actor=a, episode=episode)
    problem = plan_add_problem(actor=a, plan=plan, statement="Daily alcohol use.")
    # A goal, so that the plan page offers the objective form (a target date).
    plan_add_goal(actor=a, problem=problem, statement="Sleep without alcohol.")
    drug_test_record(
        actor=a,
        client=main,
        collected_on=today,
        specimen="urine",
        observed=True,
        results={"cocaine": "negative"},
    )
    medication = medication_add(
        actor=a,
        client=main,
        data={
            "drug": "buprenorphine",
            "dose": "8 mg",
            "schedule": "daily",
            "prescriber_name": "Dr. Okafor",
            "start_date": today - datetime.timedelta(days=30),
        },
    )
    meeting_record(actor=a, client=main, data={"attended_on": today, "kind": "na"})
    member = family_member(main, actor=a)
    consent = consent_for(main, member, actor=a)

    group = RecurringGroupFactory(facilitator=a, track=track_of("rp"))
    EnrollmentFactory(group=group, episode=episode)
    group_session = GroupSessionFactory(group=group)

    in_screening = ClientFactory(legal_first_name="Sofia", legal_last_name="Screenwell")
    EpisodeFactory(
        client=in_screening,
        phase=Episode.Phase.SCREENING,
        admission_date=None,
        level_of_care="",
        primary_counselor=a,
    )
    screening = screening_services.screening_start(
        actor=users["intake"], episode=in_screening.episodes.get()
    )
    screening_services.administration_record(
        actor=users["intake"],
        client=in_screening,
        code="PHQ-9",
        answers=phq9(item9=1),
        screening=screening,
    )
    flag = SafetyFlag.objects.get(client=in_screening)

    aftercare_plan = stepped_down(a, legal_first_name="Arturo", legal_last_name="Aftercarey")
    first = numbered(aftercare_plan, 1)
    record(a, first, missed(first))
    task = OutreachTask.objects.get(check_in=first)
    check_in = numbered(aftercare_plan, 4)

    # Billing: a payer and the main client's coverage, verified once.
    payer = Payer.objects.create(name="Security Health Plan", kind=Payer.Kind.MEDICAID)
    coverage = Coverage.objects.create(
        client=main,
        payer=payer,
        member_id="M-1",
        subscriber_relationship=Coverage.Relationship.SELF,
        order=Coverage.Order.PRIMARY,
        effective_from=today - datetime.timedelta(days=60),
        created_by=users["administrator"],
    )
    # An authorization of it, to review.
    authorization = billing_authorization(coverage)

    # A measure due by link for the main client, and a live link to it.
    due = due_by_link(episode)
    _link, token = issued_link(due)
    # A line of the measurement plan, for its edit and deactivate routes.
    plan_entry = MeasurePlanEntry.objects.create(
        instrument="GAD-7", moment="aftercare", aftercare_month=9, method="link"
    )

    # A registered FHIR API client, for the administrator's pages.
    api_client = register_client(
        name="Security warehouse", created_by=users["administrator"]
    ).client

    values = {
        "api_client_id": api_client.public_id,
        "due_id": due.public_id,
        "token": token,
        "client_id": main.public_id,
        "payer_id": payer.public_id,
        "coverage_id": coverage.public_id,
        "authorization_id": authorization.public_id,
        "side": "front",
        "episode_id": episode.public_id,
        "appointment_id": appointment.public_id,
        "medication_id": medication.public_id,
        "diagnosis_id": diagnosis.public_id,
        "member_id": member.public_id,
        "consent_id": consent.public_id,
        "group_id": group.public_id,
        "session_id": group_session.public_id,
        "part": "problem",
        "screening_id": screening.public_id,
        "flag_id": flag.public_id,
        "code": "PHQ-9",
        "check_in_id": check_in.public_id,
        "task_id": task.public_id,
        "id": users["administrator"].pk,
        "entry_id": plan_entry.pk,
    }
    world = World(
        users=users,
        main=main,
        in_screening=in_screening,
        in_aftercare=aftercare_plan.client,
        outsider=outsider,
        values=values,
    )
    # A signed note is what an addendum or a co-signature addresses.
    world.route_values = {
        name: {"appointment_id": signed.public_id}
        for name in ("clients:note-addendum", "clients:note-cosign")
    }
    world.route_values["dashboard:cosign-read"] = {
        "kind": "session",
        "note_id": str(SessionNote.objects.get(appointment=signed).pk),
    }
    # A section of the chart everyone who opens it sees.
    world.route_values["clients:client-section"] = {"section": "sessions"}
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build()
        yield built
        transaction.set_rollback(True)
