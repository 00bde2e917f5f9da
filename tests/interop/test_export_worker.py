"""Bulk export end to end: a kick-off over HTTP, the job run by a real
Celery worker process (the project's app, through the Redis broker), the
status polled until the manifest, every file downloaded with the token and
every line validated; a group's export holds only its members; a recipient
outside the program receives only the clients whose consent names it, with
a ledger row each."""

import datetime
import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from family.models import Consent, Disclosure
from interop.api.registry import REGISTRY
from interop.models import ApiClient, ExportJob
from iop.audit.models import AuditEvent
from tests.factories import EpisodeFactory, UserFactory
from tests.family.factories import consent_for
from tests.groups.factories import EnrollmentFactory, RecurringGroupFactory
from tests.interop.export_support import downloaded, kickoff, poll, status_path
from tests.interop.support import bearer, register_client, validated

LAKESIDE = "Lakeside Primary Care"


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fhir-export")


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, export_dir):
    """`celery worker` in a process of its own, on the test database."""
    log = export_dir / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "FHIR_EXPORT_DIR": str(export_dir),
    }
    with log.open("wb") as stderr:
        process = subprocess.Popen(  # noqa: S603 - this interpreter, a module of ours
            [
                sys.executable,
                "-m",
                "tests.interop.export_worker",
                django_settings.DATABASES["default"]["NAME"],
            ],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def clinic(transactional_db, worker, settings, export_dir):
    """Four clients in the program, two of them in a Matrix group."""
    settings.FHIR_EXPORT_DIR = str(export_dir)
    group = RecurringGroupFactory(name="Early Recovery Skills Tuesday")
    members = [EnrollmentFactory(group=group).episode.client for _ in range(2)]
    others = [EpisodeFactory().client for _ in range(2)]
    return {"group": group, "members": members, "clients": members + others}


def finished(http, headers, response, worker) -> dict:
    """Poll the job to its manifest, then download every file."""
    status = poll(http, headers, status_path(response), timeout=120)
    assert worker.poll() is None, "the worker process exited"
    assert status.status_code == 200, status.content
    manifest = status.json()
    return downloaded(http, headers, manifest)


def ids(resources) -> set[str]:
    return {r["id"] for r in resources}


def test_a_system_export_runs_in_the_worker_and_every_line_is_valid(client, clinic, worker):
    registered = register_client()
    headers = bearer(client, registered)

    files = finished(client, headers, kickoff(client, headers), worker)

    assert ExportJob.objects.get().types == sorted(REGISTRY)
    assert ids(files["Patient"]) == {str(c.public_id) for c in clinic["clients"]}
    assert ids(files["Group"]) == {str(clinic["group"].public_id)}
    for resources in files.values():
        for resource in resources:
            validated(resource)
    events = AuditEvent.objects.filter(actor_username=f"api:{registered.client.client_id}")
    assert {e.client_id for e in events} == {c.pk for c in clinic["clients"]}


def test_a_group_export_in_the_worker_holds_only_the_members(client, clinic, worker):
    headers = bearer(client, register_client())
    response = kickoff(client, headers, f"Group/{clinic['group'].public_id}/$export")

    files = finished(client, headers, response, worker)

    assert ids(files["Patient"]) == {str(c.public_id) for c in clinic["members"]}
    assert "Group" not in files
    for resources in files.values():
        for resource in resources:
            validated(resource)


def test_an_outside_recipient_gets_only_the_clients_whose_consent_names_it(client, clinic, worker):
    allowed, refused = clinic["members"]
    consent_for(
        allowed,
        actor=UserFactory(),
        recipient_kind=Consent.RecipientKind.OTHER,
        recipient_name="Dr. Ana Ruiz",
        recipient_organization=LAKESIDE,
        scope=Consent.Scope.TPO,
        recorded_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    registered = register_client(
        purpose=ApiClient.Purpose.TREATMENT, organization=LAKESIDE, recipient_kind="other"
    )
    headers = bearer(client, registered)
    response = kickoff(client, headers, f"Group/{clinic['group'].public_id}/$export")

    files = finished(client, headers, response, worker)

    assert ids(files["Patient"]) == {str(allowed.public_id)}
    assert str(refused.public_id) not in str(files)
    [row] = Disclosure.objects.filter(path=Disclosure.Path.API)
    assert row.client == allowed
    assert row.recipient_name == LAKESIDE
