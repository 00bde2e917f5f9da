"""The export's writer and its retention, called as the worker calls them:
what the files hold (every line a valid resource, Part 2 labels, _since,
the group's members only, consents per recipient with ledger rows), the
queries it makes, cancelling, failing and expiring."""

import datetime

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from family.models import Consent, Disclosure
from interop.api.labels import part2_meta
from interop.export import writer
from interop.export.retention import exports_expire
from interop.models import ApiClient, ApiRequest, ExportJob, UsedAssertion
from interop.resources.patients import PATIENT
from interop.tasks import expire_exports, run_export
from iop.audit.models import AuditEvent
from iop.celery import app
from iop.clients.models import Client
from tests.factories import EpisodeFactory, UserFactory
from tests.family.factories import consent_for
from tests.groups.factories import EnrollmentFactory, RecurringGroupFactory
from tests.interop.export_support import (
    downloaded,
    kickoff,
    local_path,
    ndjson,
    poll,
    status_path,
)
from tests.interop.support import bearer, register_client, validated

pytestmark = pytest.mark.django_db

LAKESIDE = "Lakeside Primary Care"


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.FHIR_EXPORT_DIR = str(tmp_path / "exports")
    return tmp_path / "exports"


def run(http, headers, path="$export", **params) -> str:
    """Kick off, run the job as the worker does; the status URL's path."""
    status = status_path(kickoff(http, headers, path, **params))
    job = ExportJob.objects.get(public_id=status.rsplit("/", 1)[1])
    assert writer.export_run(str(job.public_id)) == ExportJob.Status.COMPLETE
    return status


def exported(http, headers, path="$export", **params) -> tuple[dict, dict]:
    status = run(http, headers, path, **params)
    response = poll(http, headers, status)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Expires"]
    manifest = response.json()
    return manifest, downloaded(http, headers, manifest)


def ids(resources) -> set[str]:
    return {r["id"] for r in resources}


def test_a_system_export_writes_every_patient_valid_and_labelled(client):
    patients = [EpisodeFactory().client for _ in range(3)]
    group = RecurringGroupFactory(name="Early Recovery Skills Tuesday")
    headers = bearer(client, register_client())

    manifest, files = exported(client, headers, _type="Patient,Group")

    assert manifest["requiresAccessToken"] is True
    assert manifest["request"].endswith("/fhir/$export?_type=Patient%2CGroup")
    assert manifest["error"] == []
    transaction_time = datetime.datetime.fromisoformat(manifest["transactionTime"])
    assert transaction_time <= timezone.now()
    assert {item["type"] for item in manifest["output"]} == {"Patient", "Group"}
    assert ids(files["Patient"]) == {str(p.public_id) for p in patients}
    for resource in files["Patient"] + files["Group"]:
        validated(resource)
    for patient in files["Patient"]:
        # Part 2: whose record is in an SUD program is itself protected.
        assert patient["meta"]["security"] == part2_meta({})["security"]
    [group_resource] = files["Group"]
    assert group_resource["id"] == str(group.public_id)
    assert "security" not in group_resource["meta"]


def test_a_type_without_data_has_no_output_item(client):
    EpisodeFactory()
    headers = bearer(client, register_client())

    manifest, _ = exported(client, headers, _type="Patient,Group")

    assert [item["type"] for item in manifest["output"]] == ["Patient"]


def test_since_exports_only_what_changed_after_it(client):
    old, recent = EpisodeFactory().client, EpisodeFactory().client
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Client.objects.filter(pk=old.pk).update(updated_at=an_hour_ago - datetime.timedelta(days=1))
    Client.objects.filter(pk=recent.pk).update(
        updated_at=an_hour_ago + datetime.timedelta(minutes=1)
    )
    headers = bearer(client, register_client())

    _, files = exported(
        client, headers, _type="Patient", _since=an_hour_ago.isoformat(timespec="seconds")
    )

    assert ids(files["Patient"]) == {str(recent.public_id)}


def test_a_group_export_holds_only_the_groups_members_now(client):
    group = RecurringGroupFactory()
    members = [EnrollmentFactory(group=group).episode.client for _ in range(2)]
    EnrollmentFactory(group=group, status="ended", end_date=timezone.localdate())
    EnrollmentFactory()  # another group's member
    EpisodeFactory()  # in no group
    headers = bearer(client, register_client())

    manifest, files = exported(client, headers, f"Group/{group.public_id}/$export")

    assert ids(files["Patient"]) == {str(m.public_id) for m in members}
    assert "Group" not in files
    assert manifest["request"].endswith(f"/fhir/Group/{group.public_id}/$export")


def test_the_group_read_counts_members_and_lists_none(client):
    group = RecurringGroupFactory(name="Relapse Prevention Monday")
    for _ in range(2):
        EnrollmentFactory(group=group)
    headers = bearer(client, register_client())

    resource = client.get(f"/fhir/Group/{group.public_id}", **headers).json()

    validated(resource)
    assert resource["quantity"] == 2
    assert resource["type"] == "person" and resource["actual"] is True
    assert resource["name"] == "Relapse Prevention Monday"
    assert "member" not in resource
    found = client.get("/fhir/Group", {"name": "relapse prev"}, **headers).json()
    assert [e["resource"]["id"] for e in found["entry"]] == [str(group.public_id)]
    assert client.get("/fhir/Group", {"name": "nothing like it"}, **headers).json()["total"] == 0


def consent(patient, staff, organization=LAKESIDE, **overrides):
    return consent_for(
        patient,
        actor=staff,
        recipient_kind=Consent.RecipientKind.OTHER,
        recipient_name="Dr. Ana Ruiz",
        recipient_organization=organization,
        scope=Consent.Scope.TPO,
        recorded_at=timezone.now() - datetime.timedelta(minutes=1),
        **overrides,
    )


def test_an_outside_recipient_gets_only_consented_clients_and_one_ledger_row_each(client):
    staff = UserFactory()
    allowed, elsewhere, none = (EpisodeFactory().client for _ in range(3))
    consent(allowed, staff)
    consent(elsewhere, staff, organization="Hillside Clinic")
    registered = register_client(
        purpose=ApiClient.Purpose.TREATMENT, organization=LAKESIDE, recipient_kind="other"
    )
    headers = bearer(client, registered)

    manifest, files = exported(client, headers, _type="Patient")

    assert ids(files["Patient"]) == {str(allowed.public_id)}
    job = ExportJob.objects.get()
    [row] = Disclosure.objects.filter(path=Disclosure.Path.API)
    assert row.client == allowed
    assert row.recipient_name == LAKESIDE
    assert row.reference == f"{job.public_id}:{allowed.pk}"
    assert str(job.public_id) in row.description
    events = AuditEvent.objects.filter(actor_username=f"api:{registered.client.client_id}")
    assert set(events.values_list("client", flat=True)) == {allowed.pk}
    assert events.get().action == AuditEvent.Action.EXPORT


def test_an_internal_export_is_audited_per_client_without_ledger_rows(client):
    patients = [EpisodeFactory().client for _ in range(2)]
    registered = register_client()
    headers = bearer(client, registered)

    exported(client, headers, _type="Patient")

    assert not Disclosure.objects.exists()
    events = AuditEvent.objects.filter(actor_username=f"api:{registered.client.client_id}")
    assert {e.client_id for e in events} == {p.pk for p in patients}
    assert {e.action for e in events} == {AuditEvent.Action.VIEW}


def _export_queries(http, headers, clients: int) -> int:
    for _ in range(clients):
        EnrollmentFactory()
    status = status_path(kickoff(http, headers, _type="Patient,Group"))
    job = ExportJob.objects.get(public_id=status.rsplit("/", 1)[1])
    with CaptureQueriesContext(connection) as queries:
        assert writer.export_run(str(job.public_id)) == ExportJob.Status.COMPLETE
    ExportJob.objects.all().delete()
    return len(queries)


def test_the_exports_queries_do_not_grow_with_the_clinic(client):
    headers = bearer(client, register_client())

    assert _export_queries(client, headers, 3) == _export_queries(client, headers, 30)


def test_a_second_delivery_of_the_task_does_nothing(client):
    EpisodeFactory()
    headers = bearer(client, register_client())
    status = run(client, headers, _type="Patient")
    job_id = status.rsplit("/", 1)[1]

    assert writer.export_run(job_id) == "not claimed"


def test_a_type_that_fails_is_reported_in_the_error_list_and_the_others_delivered(
    client, monkeypatch
):
    patient = EpisodeFactory().client
    RecurringGroupFactory()
    registered = register_client()
    headers = bearer(client, registered)

    def broken(row):
        raise ValueError("a bug in one resource module")

    monkeypatch.setattr(PATIENT.sources[0], "to_fhir", broken)
    manifest, files = exported(client, headers, _type="Patient,Group")

    assert [item["type"] for item in manifest["output"]] == ["Group"]
    [error] = manifest["error"]
    assert error["type"] == "OperationOutcome" and error["count"] == 1
    response = client.get(local_path(error["url"]), **headers)
    [outcome] = ndjson(response)
    validated(outcome)
    assert "Patient" in outcome["issue"][0]["diagnostics"]
    assert "bug" not in str(outcome)
    # Nothing of the patient was handed out: nothing audited as returned.
    assert not AuditEvent.objects.filter(client=patient).exists()


def test_a_failure_marks_the_job_failed_and_the_status_answers_an_operation_outcome(
    client, monkeypatch, export_dir
):
    EpisodeFactory()
    headers = bearer(client, register_client())
    status = status_path(kickoff(client, headers, _type="Patient"))
    job = ExportJob.objects.get()

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(writer, "rendered", broken)
    assert writer.export_run(str(job.public_id)) == ExportJob.Status.FAILED

    response = client.get(status, **headers)
    assert response.status_code == 500
    outcome = response.json()
    validated(outcome)
    assert outcome["issue"][0]["code"] == "exception"
    assert "server closed" not in response.content.decode()
    assert not (export_dir / str(job.public_id)).exists()
    assert not Disclosure.objects.exists()


def test_delete_after_completion_deletes_the_files(
    client, export_dir, django_capture_on_commit_callbacks
):
    EpisodeFactory()
    headers = bearer(client, register_client())
    status = run(client, headers, _type="Patient")
    job = ExportJob.objects.get()
    file_url = f"/fhir/$export-file/{job.public_id}/Patient.ndjson"
    assert (export_dir / str(job.public_id) / "Patient.ndjson").exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(status, **headers).status_code == 202

    assert not (export_dir / str(job.public_id)).exists()
    assert client.get(status, **headers).status_code == 404
    assert client.get(file_url, **headers).status_code == 404


def test_a_cancel_during_the_run_stops_the_writer(client, monkeypatch, export_dir):
    EpisodeFactory()
    headers = bearer(client, register_client())
    status_path(kickoff(client, headers, _type="Patient"))
    job = ExportJob.objects.get()
    real = writer._still_running

    def cancelled_meanwhile(running_job):
        ExportJob.objects.filter(pk=running_job.pk).update(status=ExportJob.Status.CANCELLED)
        real(running_job)

    monkeypatch.setattr(writer, "_still_running", cancelled_meanwhile)

    assert writer.export_run(str(job.public_id)) == ExportJob.Status.CANCELLED
    assert not (export_dir / str(job.public_id)).exists()
    assert ExportJob.objects.get().status == ExportJob.Status.CANCELLED


def test_files_are_fetched_only_by_their_client_with_a_scope_for_their_type(client):
    EpisodeFactory()
    registered = register_client(scopes=("system/Patient.rs", "system/Group.rs"))
    headers = bearer(client, registered, scope="system/Patient.rs")
    run(client, headers, _type="Patient")
    job = ExportJob.objects.get()
    file_path = f"/fhir/$export-file/{job.public_id}/Patient.ndjson"

    other = bearer(client, register_client(organization="Other warehouse"))
    group_only = bearer(client, registered, scope="system/Group.rs")

    assert client.get(file_path, **other).status_code == 404
    assert client.get(file_path, **group_only).status_code == 403
    assert client.get(file_path).status_code == 401
    assert (
        client.get(f"/fhir/$export-file/{job.public_id}/Group.ndjson", **headers).status_code == 404
    )
    assert (
        client.get(f"/fhir/$export-file/{job.public_id}/..%2Fx.ndjson", **headers).status_code
        == 404
    )
    response = client.get(file_path, **headers)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    # The download's trail row names what it handed out: a count, not ids.
    record = ApiRequest.objects.filter(path=file_path, status=200).get()
    assert record.returned == [f"Patient x1 (export {job.public_id})"]
    assert record.client == registered.client


def test_retention_deletes_the_files_and_expires_the_job(client, export_dir, settings):
    EpisodeFactory()
    registered = register_client()
    headers = bearer(client, registered)
    status = run(client, headers, _type="Patient")
    job = ExportJob.objects.get()
    file_path = f"/fhir/$export-file/{job.public_id}/Patient.ndjson"
    assert job.expires_at == job.finished_at + datetime.timedelta(
        hours=settings.FHIR_EXPORT_RETENTION_HOURS
    )
    UsedAssertion.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=5))

    before = exports_expire(now=job.expires_at - datetime.timedelta(seconds=1))
    assert before == {"expired": 0, "interrupted": 0, "assertions_forgotten": 1}
    assert not UsedAssertion.objects.filter(client=registered.client).exists()
    assert (export_dir / str(job.public_id)).exists()
    later = job.expires_at + datetime.timedelta(seconds=1)
    counts = exports_expire(now=later)

    assert counts["expired"] == 1
    assert not (export_dir / str(job.public_id)).exists()
    assert ExportJob.objects.get().status == ExportJob.Status.EXPIRED
    headers = bearer(client, registered)
    assert client.get(status, **headers).status_code == 410
    assert client.get(file_path, **headers).status_code == 410
    assert exports_expire(now=later)["expired"] == 0


def test_retention_fails_a_job_whose_worker_was_lost(client, export_dir):
    headers = bearer(client, register_client())
    status_path(kickoff(client, headers, _type="Patient"))
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    ExportJob.objects.update(status=ExportJob.Status.RUNNING, started_at=long_ago)

    assert exports_expire()["interrupted"] == 1
    assert ExportJob.objects.get().status == ExportJob.Status.FAILED


def test_the_tasks_are_registered_and_the_retention_runs_hourly():
    entry = app.conf.beat_schedule["expire-fhir-exports"]
    assert entry["task"] == expire_exports.name == "interop.tasks.expire_exports"
    assert entry["schedule"].minute == {5}
    assert run_export.name in app.tasks and expire_exports.name in app.tasks


def test_an_export_never_started_is_enqueued_again_by_the_hourly_task(client, monkeypatch):
    headers = bearer(client, register_client())
    status_path(kickoff(client, headers, _type="Patient"))
    job = ExportJob.objects.get()
    enqueued = []
    monkeypatch.setattr(run_export, "delay", enqueued.append)

    assert expire_exports()["enqueued_again"] == 0
    ExportJob.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=11))
    assert expire_exports()["enqueued_again"] == 1

    assert enqueued == [str(job.public_id)]
