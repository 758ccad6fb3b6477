"""ASGI middleware: request size limits (413) and Idempotency-Key handling on creating POSTs.

Idempotency: the first request with a key reserves it in its own short transaction; a second with the
same key and body while the first runs gets 409, after it finishes gets the stored response replayed,
and with another body gets 422. Responses of 5xx are not stored, so the client may retry.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core import clock
from core.db import writer
from core.errors import PROBLEM_BASE
from core.idempotency import IdempotencyRecord

STORED_HEADERS = {b"content-type", b"location", b"etag"}


def _english(scope: Scope) -> bool:
    headers = dict(scope.get("headers") or [])
    return headers.get(b"accept-language", b"").decode("latin-1").lower().startswith("en")


def _problem(status: int, type_: str, title_ko: str, title_en: str, scope: Scope,
             **extra: Any) -> tuple[int, bytes]:
    body = {"type": PROBLEM_BASE + type_, "title": title_en if _english(scope) else title_ko, "status": status,
            "instance": scope.get("path"), **extra}
    return status, json.dumps(body, ensure_ascii=False).encode()


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


async def _send_problem(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] = ()) -> None:  # type: ignore[assignment]
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    pass


class LimitsMiddleware:
    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):  # no database stores NUL
            await _send_problem(send, *_problem(400, "bad-request", "잘못된 요청입니다", "Bad request", scope))
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _send_problem(send, *_problem(413, "too-large", "요청 본문이 너무 큽니다",
                                                "Request body too large", scope))
            return
        json_body = b"json" in dict(scope["headers"]).get(b"content-type", b"").lower()
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and (length is None or json_body):
            # A body without Content-Length (chunked) is read here, up to the limit: FastAPI would turn an
            # error raised while it reads the body into a 400. A JSON body is read here to be checked.
            try:
                body = await _read_body(_limited(receive, self.max_body))
            except BodyTooLarge:
                await _send_problem(send, *_problem(413, "too-large", "요청 본문이 너무 큽니다",
                                                    "Request body too large", scope))
                return
            pointer = unencodable_text(body) if json_body else None
            if pointer is not None:
                await _send_problem(send, *_problem(
                    422, "validation", "입력값이 올바르지 않습니다", "Invalid input", scope,
                    errors=[{"pointer": pointer, "code": "string_unicode",
                             "detail": _UNENCODABLE[_english(scope)]}]))
                return
            receive = _replay(body, receive)
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
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
                await _send_problem(send, *_problem(413, "too-large", "요청 본문이 너무 큽니다",
                                                    "Request body too large", scope))


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, *, state: Any) -> None:
        self.app = app
        self.state = state  # the FastAPI app.state, holding engine, tokens and settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        key = headers.get(b"idempotency-key")
        if scope["type"] != "http" or scope["method"] != "POST" or key is None:
            await self.app(scope, receive, send)
            return
        principal = self._principal(headers.get(b"authorization", b""))
        if principal is None or not (0 < len(key) <= 255):
            await self.app(scope, receive, send)  # the route answers 401 / the key is ignored
            return
        body = await _read_body(receive)
        fingerprint = hashlib.sha256(scope["path"].encode() + b"\n" + body).hexdigest()
        outcome = await _run_sync(self._reserve, principal, key.decode("latin-1"), fingerprint)
        if outcome == "conflict":
            await _send_problem(send, *_problem(409, "idempotency-in-flight", "같은 키의 요청을 처리 중입니다",
                                                "A request with this key is still in progress", scope))
            return
        if outcome == "mismatch":
            await _send_problem(send, *_problem(422, "idempotency-key-reused",
                                                "같은 Idempotency-Key가 다른 요청에 쓰였습니다",
                                                "This Idempotency-Key was used with a different request", scope))
            return
        if isinstance(outcome, IdempotencyRecord):
            await send({"type": "http.response.start", "status": outcome.status,
                        "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in outcome.headers]
                        + [(b"idempotent-replayed", b"true")]})
            await send({"type": "http.response.body", "body": outcome.body or b""})
            return
        await self._run_and_store(scope, body, send, principal, key.decode("latin-1"))

    async def _run_and_store(self, scope: Scope, body: bytes, send: Send, principal: str, key: str) -> None:
        captured: dict[str, Any] = {"status": 500, "headers": [], "body": b""}
        delivered = False

        async def replay_receive() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def capture_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = [(k.decode("latin-1"), v.decode("latin-1"))
                                       for k, v in message.get("headers", []) if k.lower() in STORED_HEADERS]
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, replay_receive, capture_send)
        finally:
            if captured["status"] < 500:
                await _run_sync(self._complete, principal, key, captured)
            else:
                await _run_sync(self._release, principal, key)

    def _principal(self, authorization: bytes) -> str | None:
        if not authorization.lower().startswith(b"bearer "):
            return None
        try:
            p = self.state.tokens.verify(authorization[7:].decode("latin-1").strip())
        except Exception:  # noqa: BLE001 - an invalid token is the route's to reject
            return None
        return f"{p.role}:{p.org or ''}:{p.sub}"

    def _reserve(self, principal: str, key: str, fingerprint: str) -> str | IdempotencyRecord | None:
        now = clock.now()
        ttl = timedelta(hours=self.state.settings.idempotency_ttl_hours)
        with Session(writer(self.state.engine), expire_on_commit=False) as s:
            with s.begin():
                s.execute(delete(IdempotencyRecord).where(IdempotencyRecord.principal == principal,
                                                          IdempotencyRecord.key == key,
                                                          IdempotencyRecord.expires_at < now))
            try:
                with s.begin():
                    s.add(IdempotencyRecord(principal=principal, key=key, fingerprint=fingerprint,
                                            expires_at=now + ttl))
                return None
            except IntegrityError:
                pass
            existing = s.scalars(select(IdempotencyRecord).where(
                IdempotencyRecord.principal == principal, IdempotencyRecord.key == key)).one_or_none()
            if existing is None:
                return "conflict"
            if existing.fingerprint != fingerprint:
                return "mismatch"
            return existing if existing.state == "done" else "conflict"

    def _complete(self, principal: str, key: str, captured: dict[str, Any]) -> None:
        with Session(writer(self.state.engine)) as s, s.begin():
            record = s.get(IdempotencyRecord, (principal, key))
            if record is not None:
                record.state, record.status = "done", captured["status"]
                record.headers, record.body = captured["headers"], captured["body"]

    def _release(self, principal: str, key: str) -> None:
        with Session(writer(self.state.engine)) as s, s.begin():
            s.execute(delete(IdempotencyRecord).where(IdempotencyRecord.principal == principal,
                                                      IdempotencyRecord.key == key))


def _limited(receive: Receive, max_body: int) -> Receive:
    seen = 0

    async def limited_receive() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > max_body:
                raise BodyTooLarge
        return message

    return limited_receive


def _replay(body: bytes, receive: Receive) -> Receive:
    delivered = False

    async def replay_receive() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()  # after the body: wait for the disconnect
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay_receive


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


async def _run_sync(fn: Any, *args: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)
