"""ASGI middleware: request size limits (413), text no database can store (422), and (in api.idempotency)
Idempotency-Key handling on creating POSTs."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.asgi import BodyTooLarge, english, limited, problem, read_body, replay, send_problem
from api.idempotency import IdempotencyMiddleware

__all__ = ["IdempotencyMiddleware", "LimitsMiddleware", "unencodable_text"]

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_UNENCODABLE = {False: "UTF-8로 나타낼 수 없는 문자(짝 없는 서로게이트)가 있습니다",
                True: "The text holds a character UTF-8 cannot encode (a lone surrogate)"}


def unencodable_text(body: bytes) -> str | None:
    """The JSON pointer of the first string (or key) in a JSON body that UTF-8 cannot encode, else None.

    JSON may escape half of a surrogate pair alone ("\\ud800"); Python decodes it into a str that no
    database, log or index can store. Only a body holding such an escape is parsed here."""
    if not _SURROGATE_ESCAPE.search(body):
        return None
    try:
        doc = json.loads(body)
    except ValueError:
        return None  # malformed JSON: the route's parser answers 400
    return _first_unencodable(doc, "#")


def _first_unencodable(node: Any, pointer: str) -> str | None:
    if isinstance(node, str):
        return None if _encodable(node) else pointer
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        step = pointer + "/" + str(k).encode("utf-8", "replace").decode().replace("~", "~0").replace("/", "~1")
        if isinstance(k, str) and not _encodable(k):
            return step
        found = _first_unencodable(v, step)
        if found is not None:
            return found
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Evidence uploads (multipart) may be larger than any JSON body; the service refuses a file over its own
# limit with a precise 413, the slack here is for the multipart framing around it.
UPLOAD_PATH = re.compile(r"^/v1/applications/[^/]+/documents$")
MULTIPART_SLACK = 64 * 1024


class LimitsMiddleware:
    def __init__(self, app: ASGIApp, max_body: int, upload_max: int | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.upload_max = upload_max

    def _limit(self, scope: Scope) -> int:
        if self.upload_max is not None and scope["method"] == "POST" and UPLOAD_PATH.match(scope["path"]):
            return max(self.max_body, self.upload_max + MULTIPART_SLACK)
        return self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_body = self._limit(scope)
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):  # no database stores NUL
            await send_problem(send, *problem(400, "bad-request", "잘못된 요청입니다", "Bad request", scope))
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body):
            await send_problem(send, *problem(413, "too-large", "요청 본문이 너무 큽니다",
                                                "Request body too large", scope))
            return
        json_body = b"json" in dict(scope["headers"]).get(b"content-type", b"").lower()
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and (length is None or json_body):
            # A body without Content-Length (chunked) is read here, up to the limit: FastAPI would turn an
            # error raised while it reads the body into a 400. A JSON body is read here to be checked.
            try:
                body = await read_body(limited(receive, max_body))
            except BodyTooLarge:
                await send_problem(send, *problem(413, "too-large", "요청 본문이 너무 큽니다",
                                                    "Request body too large", scope))
                return
            pointer = unencodable_text(body) if json_body else None
            if pointer is not None:
                await send_problem(send, *problem(
                    422, "validation", "입력값이 올바르지 않습니다", "Invalid input", scope,
                    errors=[{"pointer": pointer, "code": "string_unicode",
                             "detail": _UNENCODABLE[english(scope)]}]))
                return
            receive = replay(body, receive)
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_body:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started |= message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await send_problem(send, *problem(413, "too-large", "요청 본문이 너무 큽니다",
                                                    "Request body too large", scope))
