"""EpisodeOfCare and Encounter through the API: status and history, level
of care, service codes, labels, every search parameter (a match and a
miss), _include, errors and constant query counts."""

import datetime

import pytest
from django.utils import timezone

from groups.models import Attendance, GroupSession
from interop.api.labels import is_part2_labelled
from interop.models import ApiClient
from interop.resources.encounters import CPT, HCPCS
from interop.resources.episodes import level_of_care_system
from interop.resources.local import program_id
from iop.clients.models import Appointment, Episode, ServiceCode
from tests.billing.factories import CoverageFactory
from tests.factories import EpisodeFactory
from tests.family.factories import consent_for
from tests.groups.factories import AttendanceFactory, GroupSessionFactory, RecurringGroupFactory
from tests.interop.core_data import (
    appointment,
    at,
    bad_request,
    codings,
    counselor,
    diagnosis,
    ids,
    internal_headers,
    queries_of,
    search,
)
from tests.interop.support import bearer, fhir_get, register_client

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


# --- EpisodeOfCare ----------------------------------------------------------


def test_an_admitted_episode_is_active_with_its_history_level_and_care_manager(client):
    staff = counselor()
    episode = EpisodeFactory(primary_counselor=staff)
    [found] = search(client, internal_headers(client), "EpisodeOfCare", "EpisodeOfCare")
    assert found["id"] == str(episode.public_id)
    assert found["meta"]["profile"] == ["http://hl7.org/fhir/StructureDefinition/EpisodeOfCare"]
    assert found["status"] == "active"
    assert [h["status"] for h in found["statusHistory"]] == ["planned", "active"]
    assert found["statusHistory"][0]["period"] == {
        "start": episode.referral_date.isoformat(),
        "end": episode.admission_date.isoformat(),
    }
    assert found["period"] == {"start": episode.admission_date.isoformat()}
    assert codings(found["type"][0]) == {(level_of_care_system(), "2.1")}
    assert found["patient"]["reference"] == f"Patient/{episode.client.public_id}"
    assert found["careManager"]["reference"] == f"Practitioner/{staff.public_id}"
    assert found["managingOrganization"]["reference"] == f"Organization/{program_id()}"
    assert is_part2_labelled(found)


def test_episode_statuses_follow_the_phase(client):
    screening = EpisodeFactory(phase=Episode.Phase.SCREENING, admission_date=None)
    finished = EpisodeFactory(phase=Episode.Phase.DISCHARGED, discharge_date=_days(1))
    cancelled = EpisodeFactory(
        phase=Episode.Phase.DISCHARGED, admission_date=None, discharge_date=_days(2)
    )
    found = {
        r["id"]: r
        for r in search(client, internal_headers(client), "EpisodeOfCare", "EpisodeOfCare")
    }
    assert found[str(screening.public_id)]["status"] == "planned"
    assert found[str(finished.public_id)]["status"] == "finished"
    assert [h["status"] for h in found[str(finished.public_id)]["statusHistory"]] == [
        "planned",
        "active",
        "finished",
    ]
    assert found[str(finished.public_id)]["period"]["end"] == _days(1).isoformat()
    assert found[str(cancelled.public_id)]["status"] == "cancelled"


def test_episode_search_parameters_match_and_miss(client):
    active = EpisodeFactory(admission_date=_days(20))
    finished = EpisodeFactory(
        phase=Episode.Phase.DISCHARGED,
        referral_date=_days(210),
        admission_date=_days(200),
        discharge_date=_days(150),
    )
    headers = internal_headers(client)
    month_ago = _days(30).isoformat()
    for params, expected in (
        ({"patient": f"Patient/{active.client.public_id}"}, {active}),
        ({"patient": f"Patient/{program_id()}"}, set()),
        ({"status": "active"}, {active}),
        ({"status": "finished,planned"}, {finished}),
        ({"status": "cancelled"}, set()),
        ({"date": f"ge{month_ago}"}, {active}),
        ({"date": f"lt{month_ago}"}, {finished}),
        ({"date": _days(1000).isoformat()[:4]}, set()),
        ({"_id": str(finished.public_id)}, {finished}),
    ):
        found = search(client, headers, "EpisodeOfCare", "EpisodeOfCare", **params)
        assert ids(found) == {str(e.public_id) for e in expected}, params


def test_episode_includes_its_care_manager(client):
    staff = counselor()
    EpisodeFactory(primary_counselor=staff)
    bundle, _response = fhir_get(
        client, "EpisodeOfCare", internal_headers(client), _include="EpisodeOfCare:care-manager"
    )
    practitioners = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Practitioner"
    ]
    assert [p["id"] for p in practitioners] == [str(staff.public_id)]
    assert not is_part2_labelled(practitioners[0])


def test_episode_bad_parameters_are_400(client):
    headers = internal_headers(client)
    bad_request(client, headers, "EpisodeOfCare", date="last-week")
    bad_request(client, headers, "EpisodeOfCare", patient="Patient/12")
    bad_request(client, headers, "EpisodeOfCare", code="x")


def test_an_episode_page_costs_the_same_queries_for_ten_times_the_episodes(client):
    EpisodeFactory(primary_counselor=counselor())
    headers = internal_headers(client)
    include = "EpisodeOfCare:care-manager"
    once = queries_of(client, headers, "EpisodeOfCare", _include=include)
    for _ in range(10):
        EpisodeFactory(primary_counselor=counselor())
    assert queries_of(client, headers, "EpisodeOfCare", _include=include) == once


# --- Encounter --------------------------------------------------------------


def _group_line(episode, **fields) -> Attendance:
    session = GroupSessionFactory(
        group=RecurringGroupFactory(co_facilitator=counselor()),
        starts_at=fields.pop("starts_at", at(2, 18)),
    )
    return AttendanceFactory(session=session, episode=episode, **fields)


def test_an_attended_session_is_a_finished_us_core_encounter_with_its_service_code(client):
    staff = counselor()
    made = appointment(staff=staff, note_code=ServiceCode.H0004)
    [found] = search(client, internal_headers(client), "Encounter", "Encounter")
    assert found["id"] == str(made.public_id)
    assert found["meta"]["profile"] == [
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter"
    ]
    assert found["status"] == "finished"
    assert found["class"] == {
        "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
        "code": "AMB",
        "display": "ambulatory",
    }
    assert codings(found["type"][0]) == {(HCPCS, "H0004")}
    assert found["identifier"][0]["value"] == str(made.public_id)
    assert found["subject"]["reference"] == f"Patient/{made.client.public_id}"
    [participant] = found["participant"]
    assert participant["individual"]["reference"] == f"Practitioner/{staff.public_id}"
    assert codings(participant["type"][0]) == {
        ("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PPRF")
    }
    assert datetime.datetime.fromisoformat(found["period"]["start"]) == made.starts_at
    assert found["serviceProvider"]["reference"] == f"Organization/{program_id()}"
    assert found["episodeOfCare"] == [{"reference": f"EpisodeOfCare/{made.episode.public_id}"}]
    assert is_part2_labelled(found)


def test_service_codes_and_statuses_of_individual_sessions(client):
    assessment = appointment(kind=Appointment.Kind.ASSESSMENT)
    conjoint = appointment(kind=Appointment.Kind.CONJOINT, note_code=ServiceCode.H0004)
    no_show = appointment(status=Appointment.Status.NO_SHOW)
    planned = appointment(status=Appointment.Status.SCHEDULED, starts_at=at(-2))
    found = {r["id"]: r for r in search(client, internal_headers(client), "Encounter", "Encounter")}
    assert codings(found[str(assessment.public_id)]["type"][0]) == {(HCPCS, "H0001")}
    assert codings(found[str(conjoint.public_id)]["type"][0]) == {(CPT, "90847")}
    assert found[str(no_show.public_id)]["status"] == "cancelled"
    assert found[str(planned.public_id)]["status"] == "planned"


def test_a_group_session_is_an_encounter_per_client(client):
    episode = EpisodeFactory()
    present = _group_line(episode)
    absent = _group_line(episode, status=Attendance.Status.ABSENT)
    found = {
        r["id"]: r
        for r in search(
            client,
            internal_headers(client),
            "Encounter",
            "Encounter",
            patient=f"Patient/{episode.client.public_id}",
        )
    }
    line_id = present.session.public_id.hex + episode.client.public_id.hex
    assert len(line_id) == 64
    assert set(found) == {line_id, absent.session.public_id.hex + episode.client.public_id.hex}
    group = found[line_id]
    assert group["status"] == "finished"
    assert codings(group["type"][0]) == {(HCPCS, "H0005")}
    assert [codings(p["type"][0]).pop()[1] for p in group["participant"]] == ["PPRF", "SPRF"]
    assert is_part2_labelled(group)
    assert found[absent.session.public_id.hex + episode.client.public_id.hex]["status"] == (
        "cancelled"
    )
    read, response = fhir_get(client, f"Encounter/{line_id}", internal_headers(client))
    assert response.status_code == 200 and read["id"] == line_id


def test_a_cancelled_group_session_is_a_cancelled_encounter(client):
    line = _group_line(EpisodeFactory())
    GroupSession.objects.filter(pk=line.session_id).update(status=GroupSession.Status.CANCELLED)
    [found] = search(client, internal_headers(client), "Encounter", "Encounter")
    assert found["status"] == "cancelled"


def test_encounter_search_parameters_match_and_miss(client):
    episode = EpisodeFactory()
    session = appointment(episode, note_code=ServiceCode.H0004, starts_at=at(3))
    line = _group_line(episode, starts_at=at(10, 18))
    other = appointment(status=Appointment.Status.CANCELLED_CLIENT, starts_at=at(40))
    headers = internal_headers(client)
    group_id = line.session.public_id.hex + episode.client.public_id.hex
    patient = f"Patient/{episode.client.public_id}"
    three_days_ago = _days(3).isoformat()
    for params, expected in (
        ({"patient": patient}, {str(session.public_id), group_id}),
        ({"patient": f"Patient/{program_id()}"}, set()),
        ({"patient": patient, "date": three_days_ago}, {str(session.public_id)}),
        ({"patient": patient, "date": f"lt{three_days_ago}"}, {group_id}),
        ({"date": f"ge{_days(5).isoformat()}"}, {str(session.public_id)}),
        ({"date": "2001"}, set()),
        ({"class": "AMB"}, {str(session.public_id), group_id, str(other.public_id)}),
        ({"class": "IMP"}, set()),
        ({"type": f"{HCPCS}|H0005"}, {group_id}),
        ({"type": "H0004"}, {str(session.public_id), str(other.public_id)}),
        ({"type": f"{CPT}|H0004"}, set()),
        ({"status": "cancelled"}, {str(other.public_id)}),
        ({"status": "finished"}, {str(session.public_id), group_id}),
        ({"status": "in-progress"}, set()),
        ({"identifier": str(session.public_id)}, {str(session.public_id)}),
        ({"identifier": group_id}, {group_id}),
        ({"identifier": "unknown"}, set()),
        ({"_id": f"{session.public_id},{group_id}"}, {str(session.public_id), group_id}),
    ):
        found = search(client, headers, "Encounter", "Encounter", **params)
        assert ids(found) == expected, params


def test_encounter_includes_patient_and_practitioners(client):
    staff = counselor()
    made = appointment(staff=staff)
    bundle, response = fhir_get(
        client,
        "Encounter",
        internal_headers(client),
        _include=["Encounter:patient", "Encounter:practitioner"],
    )
    assert response.status_code == 200, bundle
    included = {(e["resource"]["resourceType"], e["resource"]["id"]) for e in bundle["entry"]}
    assert ("Patient", str(made.client.public_id)) in included
    assert ("Practitioner", str(staff.public_id)) in included


def test_encounter_bad_parameters_are_400(client):
    headers = internal_headers(client)
    bad_request(client, headers, "Encounter", date="2026-13-45")
    bad_request(client, headers, "Encounter", patient="Patient/1")
    bad_request(client, headers, "Encounter", reason="x")
    bad_request(client, headers, "Encounter", _include="Encounter:location")


def test_an_encounter_page_costs_the_same_queries_for_ten_times_the_sessions(client):
    episode = EpisodeFactory()
    appointment(episode, note_code=ServiceCode.H0004)
    _group_line(episode)
    headers = internal_headers(client)
    includes = {"_include": ["Encounter:practitioner", "Encounter:patient"]}
    once = queries_of(client, headers, "Encounter", **includes)
    for _ in range(10):
        other = EpisodeFactory()
        appointment(other, note_code=ServiceCode.H0004)
        _group_line(other)
    assert queries_of(client, headers, "Encounter", **includes) == once


def test_a_patient_search_revincludes_its_episodes_encounters_conditions_and_coverage(client):
    episode = EpisodeFactory()
    appointment(episode)
    _group_line(episode)
    diagnosis(episode)
    CoverageFactory(client=episode.client)
    revincludes = [f"{kind}:patient" for kind in ("EpisodeOfCare", "Encounter", "Condition")]
    bundle, response = fhir_get(
        client,
        "Patient",
        internal_headers(client),
        _id=str(episode.client.public_id),
        _revinclude=[*revincludes, "Coverage:patient"],
    )
    assert response.status_code == 200, bundle
    kinds = sorted(e["resource"]["resourceType"] for e in bundle["entry"])
    assert kinds == [
        "Condition",
        "Coverage",
        "Encounter",
        "Encounter",
        "EpisodeOfCare",
        "Patient",
    ]


def test_a_recipient_outside_the_program_gets_only_what_a_consent_covers(client):
    staff = counselor()
    consented, other = EpisodeFactory(primary_counselor=staff), EpisodeFactory()
    for episode in (consented, other):
        appointment(episode, staff=staff)
        diagnosis(episode, made_by=staff)
        CoverageFactory(client=episode.client)
    consent_for(
        consented.client,
        actor=staff,
        recipient_kind="other",
        recipient_name="Records desk",
        recipient_organization="Partner Clinic",
        categories=["attendance"],
        scope="tpo",
    )
    registered = register_client(
        purpose=ApiClient.Purpose.TREATMENT, organization="Partner Clinic", recipient_kind="other"
    )
    headers = bearer(client, registered)
    patient = str(consented.client.public_id)
    for kind, expected in (
        ("Encounter", {patient}),
        ("EpisodeOfCare", {patient}),
        ("Coverage", {patient}),  # who insures the client: identity
        ("Condition", set()),  # a treatment-plan category the consent leaves out
    ):
        found = search(client, headers, kind, kind)
        subjects = {
            (r.get("subject") or r.get("patient") or r.get("beneficiary"))["reference"]
            for r in found
        }
        assert subjects == {f"Patient/{p}" for p in expected}, kind
        assert all(is_part2_labelled(r) for r in found)
    assert ids(search(client, headers, "Practitioner", "Practitioner")) == {str(staff.public_id)}
