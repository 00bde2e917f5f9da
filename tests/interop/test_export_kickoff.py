"""The bulk export's kick-off (Bulk Data Access 2.0): 202 and a status URL
for a good request; an OperationOutcome for every bad one, audited; a job's
URLs answer only the client that started it."""

import datetime
import uuid

import pytest
from django.utils import timezone

from interop.api.registry import REGISTRY
from interop.export.kickoff import MAX_IN_PROGRESS
from interop.models import ApiRequest, ExportJob
from tests.groups.factories import RecurringGroupFactory
from tests.interop.export_support import kickoff, status_path
from tests.interop.support import bearer, register_client, validated

pytestmark = pytest.mark.django_db


def refused(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = response.json()
    validated(outcome)
    assert outcome["resourceType"] == "OperationOutcome"
    if code:
        assert outcome["issue"][0]["code"] == code
    return outcome


def test_a_system_kickoff_is_accepted_with_a_status_url(client, headers, settings):
    response = kickoff(client, headers, _type="Patient", _outputFormat="application/fhir+ndjson")

    path = status_path(response)
    job = ExportJob.objects.get()
    assert path == f"/fhir/$export-status/{job.public_id}"
    assert response["Content-Location"].startswith(settings.SITE_URL)
    assert job.kind == ExportJob.Kind.SYSTEM
    assert job.types == ["Patient"]
    assert job.status == ExportJob.Status.ACCEPTED
    assert job.request_url.endswith(
        "/fhir/$export?_type=Patient&_outputFormat=application%2Ffhir%2Bndjson"
    )
    record = ApiRequest.objects.get(path="/fhir/$export")
    assert record.status == 202
    assert record.scope == "system/*.rs"


def test_the_output_format_abbreviations_are_accepted(client, headers):
    for value in ("application/ndjson", "ndjson"):
        assert kickoff(client, headers, _outputFormat=value).status_code == 202
        ExportJob.objects.all().delete()


def test_without_type_every_served_type_the_scopes_allow_is_exported(client):
    registered = register_client(scopes=("system/Patient.rs", "system/Group.rs"))
    headers = bearer(client, registered, scope="system/Patient.rs system/Group.rs")

    status_path(kickoff(client, headers))

    assert ExportJob.objects.get().types == sorted({"Patient", "Group"} & set(REGISTRY))


def test_a_full_scope_exports_every_registered_type(client, headers):
    status_path(kickoff(client, headers))

    assert ExportJob.objects.get().types == sorted(REGISTRY)


def test_without_prefer_respond_async_is_a_400(client, headers):
    refused(kickoff(client, headers, prefer=False), 400, "invalid")
    assert not ExportJob.objects.exists()
    assert ApiRequest.objects.get(path="/fhir/$export").status == 400


def test_an_unknown_type_is_a_400(client, headers):
    outcome = refused(kickoff(client, headers, _type="Patient,Nonsense"), 400, "not-supported")
    assert "Nonsense" in outcome["issue"][0]["diagnostics"]
    assert not ExportJob.objects.exists()


def test_a_type_the_scopes_do_not_allow_is_a_403(client):
    registered = register_client(scopes=("system/Patient.rs", "system/Group.rs"))
    headers = bearer(client, registered, scope="system/Group.rs")

    refused(kickoff(client, headers, _type="Patient"), 403, "forbidden")
    assert not ExportJob.objects.exists()


def test_a_read_only_scope_does_not_allow_an_export(client):
    registered = register_client(scopes=("system/Patient.r",))
    headers = bearer(client, registered, scope="system/Patient.r")

    refused(kickoff(client, headers), 403, "forbidden")


@pytest.mark.parametrize(
    "since",
    [
        "2026-13-01T00:00:00Z",
        "yesterday",
        "2026-01-01",
        "2026-01-01T10:00:00",
        "1850-01-01T00:00:00Z",
    ],
)
def test_an_unreadable_since_is_a_400(client, headers, since):
    refused(kickoff(client, headers, _since=since), 400, "invalid")


def test_a_since_in_the_future_is_a_400(client, headers):
    future = (timezone.now() + datetime.timedelta(minutes=5)).isoformat()
    outcome = refused(kickoff(client, headers, _since=future), 400, "invalid")
    assert "future" in outcome["issue"][0]["diagnostics"]


def test_a_since_in_the_past_is_kept_on_the_job(client, headers):
    status_path(kickoff(client, headers, _since="2026-01-31T08:00:00+00:00"))

    assert ExportJob.objects.get().since == datetime.datetime(2026, 1, 31, 8, tzinfo=datetime.UTC)


def test_an_unknown_output_format_or_parameter_is_a_400(client, headers):
    refused(kickoff(client, headers, _outputFormat="text/csv"), 400, "not-supported")
    refused(kickoff(client, headers, _typeFilter="Patient?gender=female"), 400, "not-supported")


def test_a_post_kickoff_is_refused(client, headers):
    response = client.post("/fhir/$export", {}, HTTP_PREFER="respond-async", **headers)
    refused(response, 405)


def test_a_kickoff_without_a_token_is_a_401(client):
    refused(kickoff(client, {}), 401, "login")


def test_a_group_kickoff_names_the_group(client, headers):
    group = RecurringGroupFactory()

    status_path(kickoff(client, headers, f"Group/{group.public_id}/$export"))

    job = ExportJob.objects.get()
    assert job.kind == ExportJob.Kind.GROUP
    assert job.group_public_id == group.public_id
    # Only what is a member's record: not the Group type itself.
    assert "Group" not in job.types
    assert "Patient" in job.types


@pytest.mark.parametrize("group_id", [str(uuid.uuid4()), "not-a-uuid"])
def test_an_unknown_group_is_a_404(client, headers, group_id):
    refused(kickoff(client, headers, f"Group/{group_id}/$export"), 404, "not-found")
    assert not ExportJob.objects.exists()


def test_a_group_export_of_a_type_that_is_not_client_data_is_a_400(client, headers):
    group = RecurringGroupFactory()
    refused(kickoff(client, headers, f"Group/{group.public_id}/$export", _type="Group"), 400)


def test_another_clients_status_url_is_a_404_as_if_it_did_not_exist(client, headers):
    path = status_path(kickoff(client, headers))
    other = bearer(client, register_client(organization="Other warehouse"))

    outsider = client.get(path, **other)
    missing = client.get(f"/fhir/$export-status/{uuid.uuid4()}", **other)
    deleting = client.delete(path, **other)

    assert outsider.status_code == missing.status_code == deleting.status_code == 404
    assert outsider.content == missing.content
    assert ExportJob.objects.get().status == ExportJob.Status.ACCEPTED
    assert client.get(path, **headers).status_code == 202


def test_an_accepted_job_answers_202_with_progress(client, headers):
    response = client.get(status_path(kickoff(client, headers)), **headers)

    assert response.status_code == 202
    assert response["X-Progress"] == "accepted"
    assert response["Retry-After"] == "5"


def test_the_status_url_needs_a_token(client, headers):
    path = status_path(kickoff(client, headers))
    refused(client.get(path), 401, "login")


def test_more_exports_in_progress_than_allowed_is_a_429_with_retry_after(client, headers):
    for _ in range(MAX_IN_PROGRESS):
        status_path(kickoff(client, headers))

    response = kickoff(client, headers)

    refused(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert ExportJob.objects.count() == MAX_IN_PROGRESS


def test_delete_cancels_a_job_and_its_status_is_then_a_404(client, headers):
    path = status_path(kickoff(client, headers))

    response = client.delete(path, **headers)

    assert response.status_code == 202
    assert ExportJob.objects.get().status == ExportJob.Status.CANCELLED
    refused(client.get(path, **headers), 404, "not-found")
    refused(client.delete(path, **headers), 404)


def test_a_file_url_of_a_job_not_complete_is_a_404(client, headers):
    path = status_path(kickoff(client, headers))
    job_id = path.rsplit("/", 1)[1]

    refused(client.get(f"/fhir/$export-file/{job_id}/Patient.ndjson", **headers), 404)
