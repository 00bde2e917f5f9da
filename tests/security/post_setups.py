"""The state some POSTs of test_post_audit.py need before they can succeed
(a signed note to co-sign, an active plan to review, a completed screening
to add to...), made through the services in the test's savepoint over the
module's populated program (tests/security/conftest.py). Each takes the
world and the signed-in test client and returns a dict of state; "url" in
it holds URL values of its own."""

import datetime
import time
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from aftercare.services import episode_discharge_with_summary
from billing.models import Claim, ClaimBatch, Coverage, Posting
from billing.services.claims import batch_build
from billing.services.payments import client_payment_record
from family.models import Consent
from groups.models import Enrollment, GroupSession
from groups.services.sessions import Line, session_lines_save, session_sign
from iop.accounts.mfa.services import REAUTH_SESSION_KEY
from iop.clients.models import Appointment, Episode, SessionNote, TreatmentPlan
from iop.clients.services import appointment_schedule, episode_discharge
from iop.clients.services.diagnoses import diagnosis_add_code
from iop.clients.services.plans import plan_add_goal, plan_add_objective, plan_sign
from screening import services as screening_services
from screening.models import SafetyFlag, Screening
from tests.billing.authorization_factories import payment_consent as billing_payment_consent
from tests.billing.factories import ChargeFactory, CoverageFactory
from tests.factories import UserFactory
from tests.family.factories import consent_for, family_member, family_session
from tests.groups.factories import RecurringGroupFactory, track
from tests.screening.helpers import RATINGS_2_1, ratings


def signed_note_of(world) -> SessionNote:
    public_id = world.route_values["clients:note-addendum"]["appointment_id"]
    return SessionNote.objects.get(appointment__public_id=public_id)


def draft_of(world) -> TreatmentPlan:
    return TreatmentPlan.objects.get(client=world.main, status=TreatmentPlan.Status.DRAFT)


def draft_with_objective(world, browser):
    actor, plan = world.users["counselor_a"], draft_of(world)
    goal = plan_add_goal(actor=actor, problem=plan.problems.get(), statement="Stay sober.")
    objective = plan_add_objective(
        actor=actor,
        goal=goal,
        statement="Two meetings a week.",
        target_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    return {"objective": objective}


def active_plan(world, browser):
    draft_with_objective(world, browser)
    plan_sign(
        actor=world.users["counselor_a"],
        plan=draft_of(world),
        client_agreed_on=timezone.localdate(),
    )
    return {}


def no_draft(world, browser):
    TreatmentPlan.objects.filter(client=world.main, status=TreatmentPlan.Status.DRAFT).update(
        status=TreatmentPlan.Status.SUPERSEDED
    )
    return {}


def cosign_due(world, browser):
    SessionNote.objects.filter(pk=signed_note_of(world).pk).update(cosign_required=True)
    return {}


def cosign_read(world, browser):
    """A note awaiting a co-signature, read by the supervisor in the queue."""
    cosign_due(world, browser)
    note = signed_note_of(world)
    browser.get(reverse("dashboard:cosign-read", args=["session", note.pk]))
    return {"key": f"session:{note.pk}"}


def screening_of(world) -> Screening:
    return Screening.objects.get(public_id=world.values["screening_id"])


def screening_ready(world, browser):
    intake = world.users["intake"]
    screening_services.screening_rate_dimensions(
        actor=intake, screening=screening_of(world), ratings=ratings(*RATINGS_2_1)
    )
    screening_services.safety_flag_address(
        actor=intake,
        flag=SafetyFlag.objects.get(public_id=world.values["flag_id"]),
        action="same_day_evaluation",
        note="Seen by the crisis team.",
    )
    return {}


REFERRAL_OUT = {
    "decision": "refer",
    "decided_level": "3.5",
    "reason": "Needs a residential setting.",
    "referred_to": "Riverside Residential",
}


def screening_completed(world, browser):
    screening_ready(world, browser)
    screening_services.screening_complete(
        actor=world.users["intake"], screening=screening_of(world), decision=REFERRAL_OUT
    )
    return {}


def screening_cosign_due(world, browser):
    screening_completed(world, browser)
    Screening.objects.filter(pk=screening_of(world).pk).update(cosign_required=True)
    return {}


def no_draft_screening(world, browser):
    # The visit in progress ends (as a referral out would): a new one can start.
    Screening.objects.filter(pk=screening_of(world).pk).update(
        status=Screening.Status.COMPLETED,
        decision=Screening.Decision.REFER,
        signed_at=timezone.now(),
    )
    return {}


def lines_saved(world, browser, *, sign=False, in_training=False):
    facilitator = world.users["counselor_a"]
    if in_training:
        # A copy: the world's user stays as it was for the other tests.
        facilitator = type(facilitator).objects.get(pk=facilitator.pk)
        facilitator.in_training = True
    session = GroupSession.objects.get(public_id=world.values["session_id"])
    session_lines_save(
        actor=facilitator,
        session=session,
        summary="Triggers at work; everyone spoke.",
        lines={world.main.pk: Line(status="present", participation="active", remark="Spoke up.")},
    )
    if sign:
        session_sign(actor=facilitator, session=session)
    return {}


def signed_by_a_trainee(world, browser):
    return lines_saved(world, browser, sign=True, in_training=True)


def other_group(world, browser):
    group = RecurringGroupFactory(
        facilitator=world.users["counselor_a"], track=track("rp"), weekday=4
    )
    enrollment = Enrollment.objects.get(episode__client=world.main, group__isnull=False)
    return {"enrollment": enrollment, "group": group}


def member_of(world):
    return world.main.family_links.get().member


def other_family(world, browser):
    return {"member": family_member(world.in_aftercare, actor=world.users["counselor_a"])}


def event_consent(world, browser):
    consent = consent_for(
        world.main,
        member_of(world),
        actor=world.users["counselor_a"],
        expires_on=None,
        expiry_event="Discharge from the program",
    )
    return {"url": {"consent_id": consent.public_id}}


def conjoint_session(world, browser):
    """A conjoint session that has just started, under the world's consent
    (a consent covers what is disclosed after it was recorded: the world's
    was recorded moments ago, so it is dated back to midnight here)."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    Consent.objects.filter(client=world.main).update(recorded_at=midnight)
    counselor = world.users["counselor_a"]
    appointment = appointment_schedule(
        actor=counselor,
        episode=world.main.episodes.get(),
        kind=Appointment.Kind.CONJOINT,
        starts_at=timezone.now(),
        counselor=counselor,
    )
    return {"url": {"appointment_id": appointment.public_id}}


def education_session(world, browser):
    session = family_session(world.users["counselor_a"], [world.main])
    return {"url": {"session_id": session.public_id}}


def discharged(world, browser):
    episode_discharge(
        actor=world.users["supervisor"],
        episode=world.in_aftercare.episodes.get(phase=Episode.Phase.AFTERCARE),
        discharge_date=timezone.localdate(),
        reason=Episode.DischargeReason.COMPLETED,
    )
    return {}


def texting(world, browser):
    type(world.main).objects.filter(pk=world.main.pk).update(
        phone="+1 (555) 555-0100", sms_consent=True
    )
    return {}


# PHQ-9 as a client posts it through a link: all "not at all".
PHQ9_LINK_ANSWERS = {f"item-{number}": "0" for number in range(1, 10)}


def link_verified(world, browser):
    """The client confirmed their date of birth on the world's link."""
    response = browser.post(
        reverse("selfreport:open", args=[world.values["token"]]),
        {"date_of_birth": world.main.date_of_birth.isoformat()},
    )
    assert response.status_code == 302
    return {}


def reauthenticated(world, browser):
    session = browser.session
    session[REAUTH_SESSION_KEY] = int(time.time())
    session.save()
    return {}


def discharge_summary(world, browser):
    """Counselor A discharges the aftercare client with a signed summary."""
    summary = episode_discharge_with_summary(
        actor=world.users["counselor_a"],
        episode=world.in_aftercare.episodes.get(phase=Episode.Phase.AFTERCARE),
        discharge_date=timezone.localdate(),
        reason=Episode.DischargeReason.COMPLETED,
        summary={"summary": "Completed the program."},
    )
    return {"url": {"summary_id": summary.public_id}}


def licensed_supervisor(world, browser):
    supervisor = world.users["supervisor"]
    supervisor.licensed_to_diagnose = True
    supervisor.save(update_fields=["licensed_to_diagnose"])
    return {}


def secondary_diagnosis(world, browser):
    secondary = diagnosis_add_code(
        actor=world.users["counselor_a"],
        episode=world.main.episodes.get(),
        icd10_code="F41.1",
        date_made=timezone.localdate(),
    )
    return {"url": {"diagnosis_id": secondary.public_id}}


def main_discharged(world, browser):
    episode = world.main.episodes.get()
    episode_discharge(
        actor=world.users["supervisor"],
        episode=episode,
        discharge_date=timezone.localdate(),
        reason=Episode.DischargeReason.COMPLETED,
    )
    return {"url": {"episode_id": episode.public_id}}


def _charge_of_main(world, **fields):
    coverage = CoverageFactory(client=world.main)
    charge = ChargeFactory(coverage=coverage, **fields)
    return {"url": {"charge_id": charge.public_id}}


def charge_of_main(world, browser):
    return _charge_of_main(world)


def held_charge_of_main(world, browser):
    return _charge_of_main(world, status="held", hold_reason="manual", hold_detail="Checking.")


def ready_charge_of_main(world, browser):
    return _charge_of_main(world, status="ready")


def ready_claimable_of_main(world, browser):
    """A ready charge of the main client whose clinician has an NPI."""
    clinician = UserFactory(username="claims-clinician")
    clinician.npi = "1245319599"
    clinician.save(update_fields=["npi"])
    coverage = CoverageFactory(client=world.main)
    ChargeFactory(coverage=coverage, status="ready", rendering_clinician=clinician)
    return {}


def batch_of_main(world, browser):
    ready_claimable_of_main(world, browser)
    batch = batch_build(actor=world.users["administrator"]).batch
    return {"url": {"batch_id": batch.public_id}}


def sent_claim_of_main(world, browser):
    """A claim of the main client, sent, whose payer claim number is known."""
    batch_id = batch_of_main(world, browser)["url"]["batch_id"]
    ClaimBatch.objects.filter(public_id=batch_id).update(status=ClaimBatch.Status.SENT)
    claim = Claim.objects.get(batch__public_id=batch_id)
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.SENT, payer_claim_number="P-1")
    return {"url": {"claim_id": claim.public_id}}


def payment_consent(world, browser):
    """The main client's consent to their health plan for treatment,
    payment and health care operations (a utilization review needs it)."""
    coverage = Coverage.objects.get(public_id=world.values["coverage_id"])
    billing_payment_consent(world.main, coverage.payer, actor=world.users["counselor_a"])
    return {}


def client_balance_of_main(world, browser):
    """A sent charge of the main client with 50.00 of it the client's to pay."""
    coverage = CoverageFactory(client=world.main)
    charge = ChargeFactory(coverage=coverage, status="exported")
    Posting.objects.create(
        charge=charge,
        client=world.main,
        payer=charge.payer,
        kind=Posting.Kind.PATIENT_RESPONSIBILITY,
        amount="50.00",
        group_code="PR",
        reason_code="2",
        posted_on=timezone.localdate(),
    )
    return {}


def client_payment_of_main(world, browser):
    """A 20.00 payment of the main client, to reverse."""

    client_balance_of_main(world, browser)
    (row,) = client_payment_record(
        actor=world.users["billing"],
        client=world.main,
        amount=Decimal("20.00"),
        received_on=timezone.localdate(),
        method="cash",
    )
    return {"number": row.note.split()[1]}


# Files received, remittances and denials: claims of the main client and
# the payer's files about them (devdata.billing_payer).


def _claim_of_main(world):
    from tests.billing.claim_factories import sent_claim

    return sent_claim(coverage=CoverageFactory(client=world.main))


def _receive_835(claim, outcome):
    from billing.models import InboundFile
    from billing.services.inbound import inbound_receive
    from devdata.billing_payer import payer_835

    text = payer_835(payer=claim.payer, claims=[outcome], trace=f"SEC{claim.pk}")
    return inbound_receive(name="sec.835", content=text, via=InboundFile.Via.UPLOAD)


def remittance_for_main(world, browser):
    """A sent claim of the main client and the 835 that pays it, to upload."""
    from devdata.billing_payer import claim_paid, line_paid, payer_835

    claim = _claim_of_main(world)
    outcome = claim_paid(claim, [line_paid(claim.lines.get(), paid="100")])
    return {"content": payer_835(payer=claim.payer, claims=[outcome], trace=f"UP{claim.pk}")}


def held_payment_for_main(world, browser):
    """A payment held (its claim number unknown) and the main client's claim it is for."""
    from billing.models import ClaimPayment
    from devdata.billing_payer import claim_paid, line_paid

    claim = _claim_of_main(world)
    outcome = claim_paid(claim, [line_paid(claim.lines.get(), paid="100")])
    outcome.patient_control_number = f"UNKNOWN{claim.pk}"
    inbound = _receive_835(claim, outcome)
    payment = ClaimPayment.objects.get(remittance__inbound_file=inbound)
    return {"url": {"payment_id": payment.public_id}, "claim": claim}


def denial_of_main(world, browser):
    """A denied line of the main client's claim (no authorization)."""
    from billing.models import Denial
    from devdata.billing_payer import claim_paid, line_denied

    claim = _claim_of_main(world)
    _receive_835(claim, claim_paid(claim, [line_denied(claim.lines.get(), reason="197")]))
    return {"url": {"denial_id": Denial.objects.get(claim=claim).public_id}}


def kiosk_of_main(world, browser):
    """Counselor A handed this device to the main client for the GAD-7: the
    device's session is now the kiosk's (no one signed in)."""
    browser.force_login(world.users["counselor_a"])
    browser.post(
        reverse("outcomes:kiosk-start", args=[world.main.public_id]),
        {"instrument": "GAD-7", "language": "en"},
    )
    return {}
