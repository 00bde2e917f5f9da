from tests.factories import EpisodeFactory
from tests.interop.support import bearer, fhir_get, register_client, resources_of


def test_internal_client_reads_patients(client, db):
    patient = EpisodeFactory().client
    registered = register_client()
    headers = bearer(client, registered)
    bundle, response = fhir_get(client, "Patient", headers)
    assert response.status_code == 200, bundle
    [found] = resources_of(bundle, "Patient")
    assert found["id"] == str(patient.public_id)
    resource, response = fhir_get(client, f"Patient/{patient.public_id}", headers)
    assert response.status_code == 200, resource
