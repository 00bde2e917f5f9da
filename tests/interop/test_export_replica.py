"""The bulk export with a read replica: the resources are read from the
replica, while the consents that gate them, the disclosure ledger and the
job itself stay on the primary (iop/replica.py)."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from interop.export import writer
from interop.models import ExportJob
from iop.replica import REPLICA
from tests.factories import EpisodeFactory
from tests.interop.export_support import downloaded, kickoff, poll, status_path
from tests.interop.support import bearer, register_client
from tests.replica_support import caught_up

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.FHIR_EXPORT_DIR = str(tmp_path / "exports")


def _sql(queries) -> str:
    return " ".join(query["sql"] for query in queries)


def test_a_bulk_export_reads_its_resources_from_the_replica(client, replica):
    patients = [EpisodeFactory().client for _ in range(3)]
    headers = bearer(client, register_client())
    status = status_path(kickoff(client, headers, "$export", _type="Patient"))
    job = ExportJob.objects.get(public_id=status.rsplit("/", 1)[1])
    caught_up()

    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as standby,
    ):
        assert writer.export_run(str(job.public_id)) == ExportJob.Status.COMPLETE

    assert 'FROM "clients_client"' in _sql(standby)
    # The job's own state is the primary's, and nothing is written to the replica.
    assert 'UPDATE "interop_exportjob"' in _sql(primary)
    assert 'FROM "interop_' not in _sql(standby) and "UPDATE" not in _sql(standby)
    manifest = poll(client, headers, status).json()
    files = downloaded(client, headers, manifest)
    assert {r["id"] for r in files["Patient"]} == {str(p.public_id) for p in patients}
