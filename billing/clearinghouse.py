"""The clearinghouse channel: a small HTTP client, off while
CLEARINGHOUSE_URL is empty (batches are then downloaded and uploaded by
hand). No real clearinghouse is contacted by the tests: they run
tests/billing/fake_clearinghouse.py, a local server speaking this protocol.

Protocol (every request carries "Authorization: Bearer <CLEARINGHOUSE_TOKEN>"):

    POST   {url}/claims          body: the 837P text,
                                 Content-Type: application/edi-x12
                                 -> 201, JSON {"id": "<the upload's id>"}
    GET    {url}/responses       -> 200, JSON [{"id": "...", "name": "..."}]
                                 (999, 277CA and 835 files waiting)
    GET    {url}/responses/<id>  -> 200, the file's X12 text
    DELETE {url}/responses/<id>  -> 200 or 204: receipt acknowledged, the
                                 file is not listed again

Any other status, a timeout or a refused connection raises ChannelError;
the caller decides whether to retry (a send is never retried here, so a
file is never posted twice by this module)."""

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings


class ChannelError(Exception):
    """The clearinghouse could not be reached or refused the request."""


def enabled() -> bool:
    return bool(settings.CLEARINGHOUSE_URL)


def _request(method: str, path: str, body: bytes | None = None, content_type: str = ""):
    if not enabled():
        raise ChannelError("no clearinghouse channel is configured")
    url = settings.CLEARINGHOUSE_URL.rstrip("/") + path
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ChannelError("CLEARINGHOUSE_URL must be an http or https URL")
    headers = {"Authorization": f"Bearer {settings.CLEARINGHOUSE_TOKEN}"}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(  # noqa: S310 (scheme checked above)
            request, timeout=settings.CLEARINGHOUSE_TIMEOUT_SECONDS
        ) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        raise ChannelError(f"the clearinghouse answered {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise ChannelError(f"the clearinghouse could not be reached ({error})") from error


def send_claims(text: str) -> str:
    """POST an 837P; the clearinghouse's id for it."""
    status, body = _request("POST", "/claims", text.encode(), "application/edi-x12")
    if status != 201:
        raise ChannelError(f"the clearinghouse answered {status}")
    try:
        return str(json.loads(body)["id"])
    except (ValueError, KeyError, TypeError) as error:
        raise ChannelError("the clearinghouse's answer had no id") from error


def fetch_responses() -> list[tuple[str, str, str]]:
    """Every waiting response file as (id, name, X12 text)."""
    _status, body = _request("GET", "/responses")
    try:
        listing = [(str(item["id"]), str(item.get("name", ""))) for item in json.loads(body)]
    except (ValueError, KeyError, TypeError) as error:
        raise ChannelError("the clearinghouse's list of responses is not valid") from error
    files = []
    for ident, name in listing:
        _status, text = _request("GET", "/responses/" + urllib.parse.quote(ident, safe=""))
        files.append((ident, name, text.decode("utf-8", errors="replace")))
    return files


def acknowledge(ident: str) -> None:
    """Tell the clearinghouse a response file was received."""
    _request("DELETE", "/responses/" + urllib.parse.quote(ident, safe=""))
