"""The POSTs test_post_audit.py makes: for each route that takes one, a
valid payload, the member of the cast who posts it and whose record it
changes (POSTS); and the routes that take a POST but change no client
record, with the reason (EXEMPT)."""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from twilio.request_validator import RequestValidator

from billing.models import Payer
from family.models import Consent
from iop.audit.models import EmergencyAccess
from tests.aftercare.factories import PLAN_TEXT
from tests.interop.support import ec_key, jwks_of
from tests.outcomes.helpers import install_default_rules
from tests.screening.helpers import RATINGS_2_1, phq9
from tests.security import post_setups as setups

TWILIO_TOKEN = "post-audit-test-token"  # noqa: S105 -- a test value, signed and checked here
SMS_URL = "http://testserver/reminders/sms/inbound/"


def _today() -> str:
    return timezone.localdate().isoformat()


def _in(days: int = 3) -> str:
    """A wall-clock time `days` from now, as a datetime-local field posts it."""
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=10, minute=0).strftime("%Y-%m-%dT%H:%M")


def _main(world, state):
    return world.main


def _subject_client(world, state):
    return state["subject"]


@dataclass(frozen=True)
class Post:
    """A valid POST of a route and whose record it changes.

    role: the member of the cast who posts (None: an anonymous caller);
    data: (world, state) -> the body;
    client: (world, state) -> the client the audit event must name, read
    after the POST (a client it creates); None where the route changes a
    staff account or a group's schedule, audited without a client;
    prepare: (world, browser) -> a dict of state the POST needs (made in the
    test's savepoint), with "url" holding URL values of its own;
    headers: (data) -> extra request headers.
    """

    role: str | None
    data: Callable = lambda world, state: {}
    client: Callable | None = _subject_client
    prepare: Callable | None = None
    headers: Callable = field(default=lambda data: {})


# --- the payloads ------------------------------------------------------------------------

MEMBER_FORM = {
    "first_name": "Rosa",
    "last_name": "Alvarez",
    "relationship": "parent",
    "phone": "+15555550111",
    "preferred_language": "es",
    "sms_consent": "on",
}


def _session_form(world, state):
    key = world.main.pk
    return {
        "summary": "Boredom and planning the week.",
        "action": "save",
        f"status_{key}": "present",
        f"minutes_{key}": "90",
        f"participation_{key}": "active",
        f"remark_{key}": "Named two triggers of their own.",
    }


POSTS = {
    # accounts: a staff account, audited without a client
    "accounts:login": Post(
        None,
        data=lambda w, s: {
            "username": "sec-counselor-a",
            "password": "correct-horse-battery-staple",
        },
        client=None,
    ),
    "accounts:logout": Post("counselor_a", client=None),
    "accounts:lockout-unlock": Post(
        "administrator",
        data=lambda w, s: {"username": "someone", "ip_address": "10.0.0.7"},
        client=None,
    ),
    "accounts:email-change": Post(
        "counselor_a",
        data=lambda w, s: {"email": "counselor.a@example.org"},
        client=None,
        prepare=setups.reauthenticated,
    ),
    # clients
    "clients:client-create": Post(
        "supervisor",
        data=lambda w, s: {
            "legal_first_name": "Nadia",
            "legal_last_name": "Newcombe",
            "date_of_birth": "1985-03-02",
            "sex": "female",
            "preferred_language": "en",
        },
        client=lambda w, s: type(w.main).objects.get(legal_last_name="Newcombe"),
    ),
    "clients:client-update": Post(
        "supervisor",
        data=lambda w, s: {
            "legal_first_name": w.main.legal_first_name,
            "legal_last_name": w.main.legal_last_name,
            "date_of_birth": w.main.date_of_birth.isoformat(),
            "sex": w.main.sex,
            "preferred_language": w.main.preferred_language,
            "city": "Austin",
        },
    ),
    "clients:demographics-edit": Post(
        "supervisor",
        data=lambda w, s: {"race": ["white", "asian"], "ethnicity": "declined"},
    ),
    "clients:episode-assign": Post(
        "supervisor",
        data=lambda w, s: {"counselor": w.users["counselor_b"].pk, "reason": "Caseload balance"},
    ),
    "clients:appointment-new": Post(
        "counselor_a",
        data=lambda w, s: {
            "kind": "individual",
            "starts_at": _in(),
            "duration_minutes": "50",
            "counselor": w.users["counselor_a"].pk,
            "mode": "in_person",
        },
    ),
    "clients:session-document": Post(
        "counselor_a",
        data=lambda w, s: {
            "status": "attended",
            "data": "Talked about the weekend.",
            "assessment": "Engaged.",
            "plan": "Meet next week.",
            "service_code": "H0004",
            "minutes": "50",
            "action": "save",
        },
    ),
    "clients:appointment-cancel": Post(
        "counselor_a", data=lambda w, s: {"reason": "cancelled_client", "confirm": "yes"}
    ),
    "clients:note-cosign": Post("supervisor", prepare=setups.cosign_due),
    "dashboard:cosign-bulk": Post(
        "supervisor",
        data=lambda w, s: {"note": [s["key"]]},
        client=_main,
        prepare=setups.cosign_read,
    ),
    "clients:note-addendum": Post(
        "counselor_a", data=lambda w, s: {"text": "The client called after the session."}
    ),
    "clients:plan-start": Post("counselor_a", prepare=setups.no_draft),
    "clients:plan-add": Post("counselor_a", data=lambda w, s: {"statement": "Cannabis at night."}),
    "clients:plan-objective-status": Post(
        "counselor_a",
        data=lambda w, s: {"objective": s["objective"].pk, "status": "met"},
        prepare=setups.draft_with_objective,
    ),
    "clients:plan-sign": Post(
        "counselor_a",
        data=lambda w, s: {"client_agreed_on": _today(), "confirm": "yes"},
        prepare=setups.draft_with_objective,
    ),
    "clients:plan-review": Post(
        "counselor_a",
        data=lambda w, s: {"note": "Reviewed with the client: no changes."},
        prepare=setups.active_plan,
    ),
    "clients:drug-test-new": Post(
        "counselor_a",
        data=lambda w, s: {
            "collected_on": _today(),
            "specimen": "urine",
            "observed": "on",
            "random_selection": "on",
            "result_cocaine": "negative",
        },
    ),
    "clients:medication-new": Post(
        "counselor_a",
        data=lambda w, s: {
            "drug": "naltrexone_oral",
            "dose": "50 mg",
            "schedule": "daily",
            "prescriber_name": "Dr. Lee",
            "start_date": _today(),
        },
    ),
    "clients:medication-stop": Post("counselor_a", data=lambda w, s: {"stop_date": _today()}),
    "clients:diagnosis-add-sud": Post(
        "counselor_a",
        data=lambda w, s: {
            "substance_class": "cannabis",
            "criteria_met": ["craving", "cut_down"],
            "date_made": _today(),
        },
    ),
    "clients:diagnosis-add-code": Post(
        "counselor_a", data=lambda w, s: {"icd10_code": "F32.1", "date_made": _today()}
    ),
    "clients:diagnosis-confirm": Post("supervisor", prepare=setups.licensed_supervisor),
    "clients:diagnosis-primary": Post("counselor_a", prepare=setups.secondary_diagnosis),
    "clients:diagnosis-resolve": Post("counselor_a", data=lambda w, s: {"date_resolved": _today()}),
    "clients:discharge-diagnosis": Post(
        "supervisor",
        data=lambda w, s: {"diagnosis": str(w.values["diagnosis_id"])},
        prepare=setups.main_discharged,
    ),
    "clients:meeting-new": Post(
        "counselor_a",
        data=lambda w, s: {"attended_on": _today(), "kind": "aa", "meeting_name": "Tuesday AA"},
    ),
    # audit: break the glass on counselor B's client
    "audit:emergency-access": Post(
        "counselor_a",
        data=lambda w, s: {
            "mrn": w.outsider.mrn,
            "date_of_birth": w.outsider.date_of_birth.isoformat(),
            "category": EmergencyAccess.Category.CLINICAL_EMERGENCY,
            "reason": "Client called in crisis; their counselor is away.",
            "confirm": "on",
        },
        client=lambda w, s: w.outsider,
    ),
    # screening (the client in screening)
    "screening:referral-create": Post(
        "intake",
        data=lambda w, s: {
            "client-legal_first_name": "Ada",
            "client-legal_last_name": "Quillfeather",
            "client-date_of_birth": "1980-05-01",
            "client-sex": "female",
            "client-preferred_language": "en",
            "referral-source": "justice",
            "referral-source_detail": "County DUI court",
            "referral-prior_episodes": "1",
            "referral-veteran": "unknown",
            "referral-pregnant": "false",
            "substance1-substance": "alcohol",
            "substance1-route": "oral",
            "substance1-frequency": "daily",
            "substance1-age_first_use": "16",
        },
        client=lambda w, s: type(w.main).objects.get(legal_last_name="Quillfeather"),
    ),
    "screening:screening-start": Post("intake", prepare=setups.no_draft_screening),
    "screening:screening-dimensions": Post(
        "intake",
        data=lambda w, s: {
            key: value
            for number, rating in enumerate(RATINGS_2_1, start=1)
            for key, value in (
                (f"D{number}_rating", str(rating)),
                (f"D{number}_justification", "Seen today."),
            )
        },
    ),
    "screening:screening-complete": Post(
        "intake",
        data=lambda w, s: {**setups.REFERRAL_OUT, "confirm": "yes"},
        prepare=setups.screening_ready,
    ),
    "screening:screening-addendum": Post(
        "intake",
        data=lambda w, s: {"text": "The referral source was the drug court."},
        prepare=setups.screening_completed,
    ),
    "screening:screening-cosign": Post("supervisor", prepare=setups.screening_cosign_due),
    "screening:screening-administer": Post(
        "intake", data=lambda w, s: {f"item_{k}": str(v) for k, v in phq9().items()}
    ),
    "screening:administer": Post(
        "intake", data=lambda w, s: {f"item_{k}": str(v) for k, v in phq9().items()}
    ),
    "screening:flag-address": Post(
        "intake",
        data=lambda w, s: {"action": "same_day_evaluation", "note": "Seen by the crisis team."},
    ),
    # outcomes: a link sent now (the client agreed to texts); the client's
    # own date of birth and answers through the world's live link
    "outcomes:link-send": Post("counselor_a", prepare=setups.texting),
    "selfreport:open": Post(
        None, data=lambda w, s: {"date_of_birth": w.main.date_of_birth.isoformat()}, client=_main
    ),
    "selfreport:form": Post(
        None, data=lambda w, s: setups.PHQ9_LINK_ANSWERS, client=_main, prepare=setups.link_verified
    ),
    # reminders: a STOP from the client's number, signed by Twilio
    "reminders:sms-inbound": Post(
        None,
        data=lambda w, s: {
            "MessageSid": "SM" + "1" * 32,
            "AccountSid": "AC" + "0" * 32,
            "From": "5555550100",
            "To": "+15550000000",
            "Body": "STOP",
        },
        client=_main,
        prepare=setups.texting,
        headers=lambda data: {
            "HTTP_X_TWILIO_SIGNATURE": RequestValidator(TWILIO_TOKEN).compute_signature(
                SMS_URL, data
            )
        },
    ),
    # groups (counselor A's group; the main client is on its roster)
    "groups:session-add": Post(
        # A group's schedule: audited without a client (groups/services/schedule.py).
        "counselor_a",
        data=lambda w, s: {"starts_at": _in(days=9)},
        client=None,
    ),
    "groups:session-detail": Post("counselor_a", data=_session_form, client=_main),
    "groups:attendance-toggle": Post(
        "counselor_a",
        data=lambda w, s: {"client": w.main.pk, "status": "present"},
        client=_main,
    ),
    "groups:session-drop-in": Post(
        "counselor_a",
        data=lambda w, s: {"client": w.in_aftercare.pk},
        client=lambda w, s: w.in_aftercare,
    ),
    "groups:session-remove": Post(
        "counselor_a",
        data=lambda w, s: {"client": str(w.main.public_id)},
        client=_main,
        prepare=setups.lines_saved,
    ),
    "groups:session-move": Post(
        "counselor_a", data=lambda w, s: {"starts_at": _in(days=2)}, client=None
    ),
    "groups:session-cancel": Post(
        "counselor_a", data=lambda w, s: {"reason": "Facilitator ill"}, client=None
    ),
    "groups:session-addendum": Post(
        "counselor_a",
        data=lambda w, s: {"text": "A client called after the group."},
        client=_main,
        prepare=lambda w, b: setups.lines_saved(w, b, sign=True),
    ),
    "groups:session-cosign": Post("supervisor", client=_main, prepare=setups.signed_by_a_trainee),
    "groups:client-groups": Post(
        "supervisor",
        data=lambda w, s: {
            "enrollment": s["enrollment"].pk,
            f"e{s['enrollment'].pk}-group": s["group"].pk,
        },
        prepare=setups.other_group,
    ),
    # family
    "family:member-new": Post("counselor_a", data=lambda w, s: MEMBER_FORM),
    "family:member-link": Post(
        "counselor_a",
        data=lambda w, s: {"member": s["member"].public_id, "relationship": "parent"},
        prepare=setups.other_family,
    ),
    "family:member-edit": Post("counselor_a", data=lambda w, s: MEMBER_FORM),
    "family:consent-new": Post(
        "counselor_a",
        data=lambda w, s: {
            "recipient_kind": Consent.RecipientKind.FAMILY,
            "recipient_member": str(setups.member_of(w).public_id),
            "discloser": "OpenIOP (the program's clinical staff)",
            "categories": ["attendance", "progress"],
            "description": "Dates attended and a summary of progress.",
            "purpose": "To support the client's recovery at home.",
            "revocation_instructions": "Tell any staff member, orally or in writing.",
            "expires_on": (timezone.localdate() + datetime.timedelta(days=180)).isoformat(),
            "signed_on": _today(),
            "signature_name": "Ingrid Mainworld",
            "signature_method": "confirmed",
            "signature_confirmed": "on",
        },
    ),
    "family:consent-revoke": Post(
        "counselor_a", data=lambda w, s: {"note": "The client revoked it by phone."}
    ),
    "family:consent-event": Post("counselor_a", prepare=setups.event_consent),
    "family:release-export": Post("counselor_a"),
    "family:conjoint-attendees": Post(
        "counselor_a",
        data=lambda w, s: {"members": [setups.member_of(w).public_id]},
        prepare=setups.conjoint_session,
    ),
    "family:education-attendance": Post(
        "counselor_a",
        data=lambda w, s: {
            "member": setups.member_of(w).public_id,
            "client": w.main.public_id,
            "status": "present",
        },
        client=_main,
        prepare=setups.education_session,
    ),
    # aftercare (the client in aftercare; step-down is the main client's)
    "aftercare:step-down": Post(
        "counselor_a", data=lambda w, s: {"started_on": _today(), **PLAN_TEXT}
    ),
    "aftercare:check-in": Post(
        "counselor_a",
        data=lambda w, s: {
            "contacted_on": _today(),
            "mode": "phone",
            "outcome": "completed",
            "days_of_use": "0",
            "mutual_help_meetings": "2",
            "employment": "employed",
            "housing": "stable",
            "risk_level": "low",
            "note": "Doing well.",
            "confirm": "yes",
        },
    ),
    "aftercare:outreach-attempt": Post(
        "counselor_a",
        data=lambda w, s: {"method": "phone", "outcome": "left_message", "note": "Voicemail."},
    ),
    "aftercare:discharge": Post(
        "counselor_a",
        data=lambda w, s: {
            "discharge_date": _today(),
            "reason": "1",
            "employment": "full_time",
            "living_arrangement": "independent",
            "mutual_help": "4_7",
            "summary": "Completed the program and a year of aftercare.",
            "confirm": "yes",
        },
    ),
    "aftercare:readmit": Post("supervisor", prepare=setups.discharged),
    # The discharging counselor, within the recent-discharge period.
    "aftercare:summary-addendum": Post(
        "counselor_a",
        data=lambda w, s: {"text": "Called a week after discharge: doing well."},
        prepare=setups.discharge_summary,
    ),
    # billing: a charge of the main client, acted on by an administrator
    "billing:charge-hold": Post(
        "administrator",
        data=lambda w, s: {"detail": "Checking the member ID."},
        client=_main,
        prepare=setups.charge_of_main,
    ),
    "billing:charge-release": Post(
        "administrator", client=_main, prepare=setups.held_charge_of_main
    ),
    "billing:charge-void": Post(
        "administrator",
        data=lambda w, s: {"reason": "Billed twice.", "confirm": "yes"},
        client=_main,
        prepare=setups.charge_of_main,
    ),
    "billing:charges-mark-exported": Post(
        "administrator",
        data=lambda w, s: {"client": w.main.mrn, "confirm": "yes"},
        client=_main,
        prepare=setups.ready_charge_of_main,
    ),
    # billing: claims of the main client's ready charge
    "billing:batch-build": Post(
        "administrator", client=_main, prepare=setups.ready_claimable_of_main
    ),
    "billing:batch-discard": Post(
        "administrator",
        data=lambda w, s: {"confirm": "yes"},
        client=_main,
        prepare=setups.batch_of_main,
    ),
    "billing:claim-replace": Post(
        "administrator",
        data=lambda w, s: {"confirm": "yes"},
        client=_main,
        prepare=setups.sent_claim_of_main,
    ),
    "billing:claim-void": Post(
        "administrator",
        data=lambda w, s: {"confirm": "yes"},
        client=_main,
        prepare=setups.sent_claim_of_main,
    ),
    # billing: an authorization of the main client's coverage, a review of one
    "billing:client-authorizations": Post(
        "administrator",
        data=lambda w, s: {
            "coverage": str(w.values["coverage_id"]),
            "number": "PA-POST-1",
            "service_codes": ["H0015"],
            "units_authorized": "20",
            "starts_on": _today(),
            "ends_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        },
        client=_main,
    ),
    "billing:authorization-review": Post(
        "administrator",
        data=lambda w, s: {
            "reviewed_on": _today(),
            "reviewer": "Payer reviewer",
            "categories_sent": ["attendance"],
            "information_sent": "Attendance for the period.",
            "decision": "pending",
        },
        client=_main,
        prepare=setups.payment_consent,
    ),
}


def _payer_pk(world, state=None) -> int:
    return Payer.objects.get(name="Security Health Plan").pk


PAYER_FORM = {
    "name": "Security Health Plan",
    "kind": "medicaid",
    "electronic_payer_id": "SHP01",
    "claim_filing_indicator": "MC",
    "pays_per_diem": "on",
    "per_diem_minutes": "180",
    "per_diem_days_per_week": "3",
    "group_code": "H0005",
    "individual_code_basis": "H0004",
    "claim_span": "day",
    "timely_filing_days": "90",
    "active": "on",
}

POSTS.update(
    {
        "billing:coverage-add": Post(
            "billing",
            data=lambda w, s: {
                "payer": _payer_pk(w),
                "order": "2",
                "subscriber_relationship": "18",
                "member_id": "S-2",
                "effective_from": _today(),
            },
        ),
        "billing:coverage-end": Post("billing", data=lambda w, s: {"ends_on": _today()}),
        "billing:verification-add": Post(
            "billing",
            data=lambda w, s: {"verified_on": _today(), "method": "portal", "result": "active"},
        ),
        "billing:payer-create": Post(
            "administrator",
            data=lambda w, s: {**PAYER_FORM, "name": "Second Health Plan"},
            client=None,
        ),
        "billing:payer-edit": Post(
            "administrator",
            data=lambda w, s: {**PAYER_FORM, "electronic_payer_id": "SHP02"},
            client=None,
        ),
        "billing:fee-add": Post(
            "administrator",
            data=lambda w, s: {
                "payer": _payer_pk(w),
                "code": "H0015",
                "amount": "215.00",
                "effective_from": _today(),
            },
            client=None,
        ),
        "billing:client-payment-add": Post(
            "billing",
            data=lambda w, s: {"amount": "20.00", "received_on": _today(), "method": "cash"},
            client=_main,
            prepare=setups.client_balance_of_main,
        ),
        "billing:client-payment-reverse": Post(
            "billing",
            data=lambda w, s: {"number": s["number"], "reason": "Recorded twice."},
            client=_main,
            prepare=setups.client_payment_of_main,
        ),
    }
)

# Files received, remittances and denials: an 835 paying the main
# client's claim, a held payment matched to it, a denial of it resolved.
POSTS.update(
    {
        "billing:inbound-upload": Post(
            "billing",
            data=lambda w, s: {
                "file": SimpleUploadedFile("remit.835", s["content"].encode(), "text/plain")
            },
            client=_main,
            prepare=setups.remittance_for_main,
        ),
        "billing:claim-payment-match": Post(
            "billing",
            data=lambda w, s: {"claim": str(s["claim"].public_id)},
            client=_main,
            prepare=setups.held_payment_for_main,
        ),
        "billing:denial-resolve": Post(
            "billing",
            data=lambda w, s: {"action_taken": "appeal", "resolution": "Appealed."},
            client=_main,
            prepare=setups.denial_of_main,
        ),
    }
)

# The not-on-track rules: a threshold changed, audited without a client.
POSTS["outcomes:rules"] = Post(
    "administrator",
    data=lambda w, s: {
        "rule": "bam-risk-rising",
        "label": "BAM risk rising",
        "points": "5",
        "active": "on",
    },
    client=None,
    prepare=lambda world, browser: install_default_rules() or {},
)
# Outcomes: the measurement plan (program data, audited without a client),
# a measure asked for now, and the clinic tablet (started, then answered).
PLAN_FORM = {
    "instrument": "PHQ-9",
    "moment": "aftercare",
    "aftercare_month": "9",
    "method": "link",
    "window_days": "7",
}
POSTS.update(
    {
        "outcomes:plan-add": Post("administrator", data=lambda w, s: PLAN_FORM, client=None),
        "outcomes:plan-edit": Post(
            "administrator",
            data=lambda w, s: {**PLAN_FORM, "instrument": "GAD-7", "method": "phone"},
            client=None,
        ),
        "outcomes:plan-deactivate": Post("administrator", client=None),
        "outcomes:measure-request": Post(
            "counselor_a", data=lambda w, s: {"instrument": "PHQ-9", "method": "kiosk"}
        ),
        "outcomes:kiosk-start": Post(
            "counselor_a", data=lambda w, s: {"instrument": "BAM", "language": "en"}
        ),
        # The device's kiosk session: nobody signed in.
        "outcomes:kiosk": Post(
            None,
            data=lambda w, s: {str(f"item_{key}"): "0" for key in range(1, 8)},
            client=_main,
            prepare=setups.kiosk_of_main,
        ),
    }
)

# The FHIR API's clients: registered and revoked by an administrator,
# program data audited without a client.
POSTS.update(
    {
        "interop:client-register": Post(
            "administrator",
            data=lambda w, s: {
                "name": "Lakeside EHR",
                "organization": "Lakeside Primary Care",
                "recipient_kind": "prescriber",
                "purpose": "treatment",
                "scopes": ["system/*.rs"],
                "jwks": json.dumps(jwks_of(ec_key(), "lakeside-1", "ES384")),
                "contact": "it@lakeside.example.org",
            },
            client=None,
        ),
        "interop:client-revoke": Post(
            "administrator", data=lambda w, s: {"confirm": "yes"}, client=None
        ),
    }
)

# Routes that take a POST and change no client record.
MFA = "one's own second factor, no client record; audited and tested in tests/accounts/"
PAGE = "a page: its view answers a POST as it answers a GET, and changes nothing"
EXEMPT = {
    "billing:batch-send": (
        "needs the clearinghouse channel, off here; the send and its audit are tested "
        "with a fake clearinghouse in tests/billing/test_claims_services.py"
    ),
    "accounts:mfa-verify": MFA,
    "accounts:mfa-enroll": MFA,
    "accounts:mfa-recovery-codes": MFA,
    "accounts:mfa-remove": MFA,
    "accounts:reauth": "confirms one's own password: only the session changes",
    "accounts:session-keepalive": "keeps one's own session alive: only the session changes",
    "reminders:notification-mark-read": "marks one's own notifications read",
    "dashboard:home": PAGE,
    "dashboard:system-status": PAGE,
    "accounts:lockout-list": PAGE,
    "clients:client-list": PAGE,
    "clients:plan-detail": PAGE,
    "audit:event-list": PAGE,
    "screening:worklist": PAGE,
    "screening:screening-detail": PAGE,
    "screening:referral-letter": PAGE,
    "reminders:notification-list": PAGE,
    "interop:token": (
        "issues an access token to an API client (its own trail, ApiRequest rows); "
        "changes no client record; tested in tests/interop/"
    ),
    "interop:search": "the FHIR API is read-only: a POST is refused (401 without a token)",
    "interop:read": "the FHIR API is read-only: a POST is refused (401 without a token)",
    # Bulk export: started with GET, cancelled with DELETE (no client record
    # changes); a POST is refused (401 without a token, 405 with one).
    "interop:export": "a bulk export starts with GET: a POST is refused",
    "interop:group-export": "a bulk export starts with GET: a POST is refused",
    "interop:export-status": "polled with GET, cancelled with DELETE: a POST is refused",
    "interop:export-file": "downloaded with GET: a POST is refused",
}
