"""Bulk export (FHIR Bulk Data Access 2.0, http://hl7.org/fhir/uv/bulkdata/):
the kick-off's checks and the job it starts (kickoff), the worker that writes
one NDJSON file per resource type through the consent gate (writer), the
status manifest (manifest), and the files' retention (retention)."""
