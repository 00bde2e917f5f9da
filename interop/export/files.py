"""Where an export's files live (FHIR_EXPORT_DIR/<job public id>/<Type>.ndjson)
and the URLs they are fetched at."""

import re
import shutil
from pathlib import Path

from django.conf import settings
from django.urls import reverse

# A file name the download route accepts: a resource type, maybe a part number.
FILE_NAME = re.compile(r"^[A-Z][A-Za-z]{0,59}(-\d{1,4})?\.ndjson$")
NDJSON = "application/fhir+ndjson"


def absolute(route: str, **kwargs) -> str:
    """The absolute URL of a route: the manifest and Content-Location name
    this server as its configured public address, not the request's Host."""
    return settings.SITE_URL + reverse(route, kwargs=kwargs)


def job_dir(job_public_id) -> Path:
    return Path(settings.FHIR_EXPORT_DIR) / str(job_public_id)


def file_path(job_public_id, name: str) -> Path | None:
    """The path of one of a job's files, or None for a name that is not one."""
    if not FILE_NAME.match(name):
        return None
    return job_dir(job_public_id) / name


def file_url(job_public_id, name: str) -> str:
    return absolute("interop:export-file", job_id=job_public_id, name=name)


def files_delete(job_public_id) -> None:
    shutil.rmtree(job_dir(job_public_id), ignore_errors=True)
