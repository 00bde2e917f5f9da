"""A local clearinghouse for the tests, speaking billing/clearinghouse.py's
protocol over real HTTP (http.server in a thread on a free port). It
records what it received and serves the response files it is given."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeClearinghouse:
    def __init__(self, token="test-token"):  # noqa: S107 (a test server)
        self.token = token
        self.received: list[dict] = []
        self.responses: dict[str, tuple[str, str]] = {}
        self.acknowledged: list[str] = []
        self.fail_with: int | None = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def add_response(self, name: str, text: str) -> str:
        ident = uuid.uuid4().hex
        self.responses[ident] = (name, text)
        return ident

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, body=b"", content_type="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _authorized(self):
                if self.headers.get("Authorization") != f"Bearer {fake.token}":
                    self._reply(401)
                    return False
                return True

            def do_POST(self):
                if not self._authorized():
                    return
                if fake.fail_with:
                    return self._reply(fake.fail_with)
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                ident = f"upload-{len(fake.received) + 1}"
                fake.received.append(
                    {
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type"),
                        "body": body,
                        "id": ident,
                    }
                )
                self._reply(201, json.dumps({"id": ident}).encode())

            def do_GET(self):
                if not self._authorized():
                    return
                if self.path == "/responses":
                    listing = [{"id": k, "name": v[0]} for k, v in fake.responses.items()]
                    return self._reply(200, json.dumps(listing).encode())
                ident = self.path.rsplit("/", 1)[-1]
                if ident in fake.responses:
                    return self._reply(200, fake.responses[ident][1].encode(), "text/plain")
                self._reply(404)

            def do_DELETE(self):
                if not self._authorized():
                    return
                ident = self.path.rsplit("/", 1)[-1]
                if fake.responses.pop(ident, None) is None:
                    return self._reply(404)
                fake.acknowledged.append(ident)
                self._reply(204)

        return Handler
