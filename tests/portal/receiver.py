"""A real webhook receiver for tests: an http.server on 127.0.0.1 in a thread that checks signatures
with the README's code, fails the first `fail_first` deliveries with 500, then accepts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from core import clock


def verify_webhook(secret: str, headers: Any, body: bytes, now: int | None = None, tolerance: int = 300) -> dict:
    """Return the event if the delivery is genuine; raise ValueError otherwise. `body` is the raw bytes."""
    msg_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    if abs((now or int(time.time())) - int(timestamp)) > tolerance:
        raise ValueError("timestamp outside the tolerance")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in headers["webhook-signature"].split():
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return json.loads(body)
    raise ValueError("no valid signature")


@dataclass
class Received:
    id: str
    timestamp: str
    cursor: str | None
    body: bytes
    status: int
    verified: bool


@dataclass
class Receiver:
    fail_first: int = 0
    secret: str | None = None
    requests: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/axr"

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.requests if r.status == 204]

    def __enter__(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                verified = False
                if receiver.secret:
                    try:
                        verify_webhook(receiver.secret, self.headers, body, int(clock.now().timestamp()))
                        verified = True
                    except (ValueError, KeyError):
                        verified = False
                status = 500 if len(receiver.requests) < receiver.fail_first else 204
                if receiver.secret and not verified:
                    status = 401
                receiver.requests.append(Received(self.headers["webhook-id"], self.headers["webhook-timestamp"],
                                                  self.headers.get("axr-feed-cursor"), body, status, verified))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
