"""Helpers of the bulk export tests: a kick-off as a Bulk Data client sends
it, polling the status URL, and reading a file's NDJSON lines back."""

import json
import time

from django.conf import settings

ASYNC = {"HTTP_PREFER": "respond-async", "HTTP_ACCEPT": "application/fhir+json"}


def local_path(url: str) -> str:
    """The path of an absolute URL of this server (SITE_URL), for the test client."""
    assert url.startswith(settings.SITE_URL + "/fhir/"), url
    return url.removeprefix(settings.SITE_URL)


def kickoff(http, headers: dict, path: str = "$export", prefer: bool = True, **params):
    extra = {**headers, **(ASYNC if prefer else {})}
    return http.get(f"/fhir/{path}", params, **extra)


def status_path(response) -> str:
    assert response.status_code == 202, response.content
    return local_path(response["Content-Location"])


def poll(http, headers: dict, path: str, timeout: float = 90.0):
    """Poll the status URL until it answers something other than 202."""
    deadline = time.monotonic() + timeout
    while True:
        response = http.get(path, **headers)
        if response.status_code != 202:
            return response
        assert response["X-Progress"]
        assert int(response["Retry-After"]) > 0
        assert time.monotonic() < deadline, "the export did not finish in time"
        time.sleep(0.2)


def ndjson(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.endswith("\n")
    return [json.loads(line) for line in body.splitlines()]


def downloaded(http, headers: dict, manifest: dict) -> dict[str, list[dict]]:
    """Every file of a manifest, fetched with the token: type -> resources."""
    found: dict[str, list[dict]] = {}
    for item in manifest["output"]:
        response = http.get(local_path(item["url"]), **headers)
        assert response.status_code == 200, item
        assert response["Content-Type"] == "application/fhir+ndjson"
        resources = ndjson(response)
        assert len(resources) == item["count"]
        assert {r["resourceType"] for r in resources} == {item["type"]}
        found.setdefault(item["type"], []).extend(resources)
    return found
