"""Encounter (US Core Encounter 6.1.0): the services a client was scheduled
for or received. Two tables: individual, conjoint, orientation and
assessment appointments (with their note's service code), and each client's
line of a group session. Every appointment is published with its status
(planned, finished, or cancelled for a cancellation or no-show: R4 has no
"no-show" status); every attendance line too (finished when present or
late, cancelled when absent, excused or the session was cancelled), since
attendance is the record a recipient of this category asks for.

Codes, checked:
- class: AMB (ambulatory), v3 ActCode, in the v3 ActEncounterCode value
  set US Core binds (HL7 Terminology, ValueSet v3-ActAmbulatoryEncounterCode).
- type: the service's procedure code as billing codes it (billing.codes,
  billing.drafting.plan): HCPCS Level II (H0001 assessment, H0004 counseling,
  H0005 group counseling), system http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets
  (HL7 Terminology CodeSystem hcpcs-Level-II; its url is http, not https),
  and CPT 90847 for a family (conjoint) session, system
  http://www.ama-assn.org/go/cpt (FHIR "Using CPT with FHIR").
- participant.type: PPRF primary and SPRF secondary performer, v3
  ParticipationType (R4 value set encounter-participant-type).
"""

from datetime import timedelta

from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Greatest

from groups.models import Attendance, GroupSession
from interop.api import params
from interop.api.registry import Include, ResourceType, SearchParam, Source, reference, register
from interop.resources.local import (
    local_system,
    period_q,
    practitioner_reference,
    program_reference,
)
from iop.clients.models import Appointment, ServiceCode

PROFILE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter"
CATEGORY = "attendance"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
CPT = "http://www.ama-assn.org/go/cpt"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
APPOINTMENT_ID_PATH = "sid/appointment"
ATTENDANCE_ID_PATH = "sid/group-attendance"
AMBULATORY = {"system": ACT_CODE, "code": "AMB", "display": "ambulatory"}

# code -> (system, display in our words: CPT descriptors are licensed).
SERVICE_CODES = {
    "H0001": (HCPCS, "Alcohol and/or drug assessment"),
    "H0004": (HCPCS, "Behavioral health counseling and therapy, per 15 minutes"),
    "H0005": (HCPCS, "Alcohol and/or drug services; group counseling"),
    "90847": (CPT, "Family psychotherapy with the patient"),
}
APPOINTMENT_STATUS = {
    Appointment.Status.SCHEDULED: "planned",
    Appointment.Status.ATTENDED: "finished",
    Appointment.Status.NO_SHOW: "cancelled",
    Appointment.Status.CANCELLED_CLIENT: "cancelled",
    Appointment.Status.CANCELLED_PROGRAM: "cancelled",
}


def _coded_type(code: str, text: str) -> dict:
    system, display = SERVICE_CODES[code]
    return {"coding": [{"system": system, "code": code, "display": display}], "text": text}


def _participant(user, kind: str, period: dict) -> dict | None:
    individual = practitioner_reference(user)
    if individual is None:
        return None
    display = "primary performer" if kind == "PPRF" else "secondary performer"
    return {
        "type": [{"coding": [{"system": PARTICIPATION_TYPE, "code": kind, "display": display}]}],
        "period": period,
        "individual": individual,
    }


def _encounter(*, id_path, id_value, status, type_, client, episode, start, end, people) -> dict:
    period = {"start": start.isoformat(), "end": end.isoformat()}
    participants = [_participant(user, kind, period) for user, kind in people if user]
    resource = {
        "identifier": [{"use": "usual", "system": local_system(id_path), "value": id_value}],
        "status": status,
        "class": AMBULATORY,
        "type": [type_],
        "subject": {"reference": f"Patient/{client.public_id}"},
        "period": period,
        "serviceProvider": program_reference(),
        "episodeOfCare": [{"reference": f"EpisodeOfCare/{episode.public_id}"}],
    }
    if participants:
        resource["participant"] = participants
    return resource


# --- individual sessions ----------------------------------------------------


def _note(appointment: Appointment):
    try:
        return appointment.note
    except Appointment.note.RelatedObjectDoesNotExist:
        return None


def appointment_code(appointment: Appointment) -> str:
    """The service code billing would draft from (billing.drafting.plan):
    a conjoint session is family psychotherapy, an assessment H0001,
    otherwise the note's code, H0004 before a note is written."""
    if appointment.kind == Appointment.Kind.CONJOINT:
        return "90847"
    note = _note(appointment)
    if appointment.kind == Appointment.Kind.ASSESSMENT:
        return "H0001"
    return note.service_code if note else ServiceCode.H0004


# The Q of each code's appointments, mirroring appointment_code.
APPOINTMENT_CODE_Q = {
    "90847": Q(kind=Appointment.Kind.CONJOINT),
    "H0001": ~Q(kind=Appointment.Kind.CONJOINT)
    & (Q(kind=Appointment.Kind.ASSESSMENT) | Q(note__service_code=ServiceCode.H0001)),
    "H0004": ~Q(kind__in=[Appointment.Kind.CONJOINT, Appointment.Kind.ASSESSMENT])
    & (Q(note__isnull=True) | Q(note__service_code=ServiceCode.H0004)),
}


def appointment_to_fhir(appointment: Appointment) -> dict:
    return _encounter(
        id_path=APPOINTMENT_ID_PATH,
        id_value=str(appointment.public_id),
        status=APPOINTMENT_STATUS.get(appointment.status, "unknown"),
        type_=_coded_type(appointment_code(appointment), appointment.get_kind_display()),
        client=appointment.client,
        episode=appointment.episode,
        start=appointment.starts_at,
        end=appointment.starts_at + timedelta(minutes=appointment.duration_minutes),
        people=[(appointment.counselor, "PPRF")],
    )


def _ends(start: str, minutes: str) -> ExpressionWrapper:
    length = ExpressionWrapper(F(minutes) * Value(timedelta(minutes=1)), DurationField())
    return ExpressionWrapper(F(start) + length, output_field=DateTimeField())


def appointments():
    return Appointment.objects.select_related("client", "episode", "counselor", "note").annotate(
        _start=F("starts_at"),
        _end=_ends("starts_at", "duration_minutes"),
        # The appointment has no change time of its own; its note has.
        _changed=Greatest("created_at", "note__updated_at"),
    )


def _appointment_type(queryset, value):
    q = Q(pk__in=[])
    for one in value.split(","):
        system, code = params.token(one)
        if code in APPOINTMENT_CODE_Q and system in (None, SERVICE_CODES[code][0]):
            q |= APPOINTMENT_CODE_Q[code]
    return queryset.filter(q)


def _appointment_status(queryset, value):
    wanted = set(params.token_in("status", value, APPOINTMENT_STATUS))
    return queryset.filter(status__in=wanted)


# --- group sessions, per client ---------------------------------------------


def attendance_id(line: Attendance) -> str:
    """The session's and the client's random ids side by side (64 hex
    digits, the longest FHIR id): distinct from an appointment's id, and
    no more guessable than either."""
    return line.session.public_id.hex + line.client.public_id.hex


def attendance_id_q(value: str) -> Q | None:
    if len(value) != 64:
        return None
    session, client = (
        params.id_q(value[:32], "session__public_id"),
        params.id_q(value[32:], "client__public_id"),
    )
    return session & client if session is not None and client is not None else None


def attendance_status(line: Attendance) -> str:
    if line.session.status == GroupSession.Status.CANCELLED:
        return "cancelled"
    return "finished" if line.attended else "cancelled"


def attendance_to_fhir(line: Attendance) -> dict:
    session, group = line.session, line.session.group
    return _encounter(
        id_path=ATTENDANCE_ID_PATH,
        id_value=attendance_id(line),
        status=attendance_status(line),
        type_=_coded_type("H0005", f"Group session: {group.track.name}"),
        client=line.client,
        episode=line.episode,
        start=session.starts_at,
        end=session.starts_at + timedelta(minutes=session.duration_minutes),
        people=[(group.facilitator, "PPRF"), (group.co_facilitator, "SPRF")],
    )


def attendance_lines():
    return Attendance.objects.select_related(
        "client",
        "episode",
        "session__group__track",
        "session__group__facilitator",
        "session__group__co_facilitator",
    ).annotate(
        _start=F("session__starts_at"),
        _end=_ends("session__starts_at", "session__duration_minutes"),
    )


def _attendance_type(queryset, value):
    for one in value.split(","):
        system, code = params.token(one)
        if code == "H0005" and system in (None, HCPCS):
            return queryset
    return queryset.none()


ATTENDED_Q = Q(status__in=Attendance.ATTENDED) & ~Q(session__status=GroupSession.Status.CANCELLED)


def _attendance_status(queryset, value):
    q = Q(pk__in=[])
    for one in value.split(","):
        code = params.token(one)[1]
        if code == "finished":
            q |= ATTENDED_Q
        elif code == "cancelled":
            q |= ~ATTENDED_Q
    return queryset.filter(q)


# --- what both take ----------------------------------------------------------


def _date(queryset, value):
    return queryset.filter(period_q("date", value, "_start", "_end"))


def _class(queryset, value):
    for one in value.split(","):
        system, code = params.token(one)
        if code == "AMB" and system in (None, ACT_CODE):
            return queryset
    return queryset.none()


def _identifier(id_path: str, id_filter):
    def narrowed(queryset, value):
        system, code = params.token(value)
        found = id_filter(code) if system in (None, local_system(id_path)) else None
        return queryset.filter(found) if found is not None else queryset.none()

    return narrowed


def _participants(resource: dict) -> list[str]:
    return [ref for p in resource.get("participant", []) for ref in reference(p.get("individual"))]


ENCOUNTER = register(
    ResourceType(
        name="Encounter",
        profiles=[PROFILE],
        sources=[
            Source(
                queryset=appointments,
                client_path="client_id",
                category=CATEGORY,
                id_of=lambda appointment: str(appointment.public_id),
                id_filter=params.id_q,
                to_fhir=appointment_to_fhir,
                updated_field="_changed",
                order=("-starts_at", "-id"),
                filters={
                    "patient": params.patient_filter("client"),
                    "date": _date,
                    "class": _class,
                    "type": _appointment_type,
                    "status": _appointment_status,
                    "identifier": _identifier(APPOINTMENT_ID_PATH, params.id_q),
                },
            ),
            Source(
                queryset=attendance_lines,
                client_path="client_id",
                category=CATEGORY,
                id_of=attendance_id,
                id_filter=attendance_id_q,
                to_fhir=attendance_to_fhir,
                updated_field="updated_at",
                order=("-session__starts_at", "-id"),
                filters={
                    "patient": params.patient_filter("client"),
                    "date": _date,
                    "class": _class,
                    "type": _attendance_type,
                    "status": _attendance_status,
                    "identifier": _identifier(ATTENDANCE_ID_PATH, attendance_id_q),
                },
            ),
        ],
        params=[
            SearchParam("patient", "reference", "The client (Patient/<id>)."),
            SearchParam("date", "date", "When the encounter's period falls."),
            SearchParam("class", "token", "AMB (v3 ActCode): every service here is ambulatory."),
            SearchParam("type", "token", "The service code: HCPCS H0001, H0004, H0005; CPT 90847."),
            SearchParam("status", "token", "planned | finished | cancelled"),
            SearchParam("identifier", "token", "The encounter's identifier."),
        ],
        includes=[
            Include("patient", "Patient", lambda r: reference(r.get("subject"))),
            Include("practitioner", "Practitioner", _participants),
            Include(
                "episode-of-care",
                "EpisodeOfCare",
                lambda r: [ref for e in r.get("episodeOfCare", []) for ref in reference(e)],
            ),
        ],
    )
)
