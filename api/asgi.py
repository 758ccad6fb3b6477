"""Small ASGI helpers shared by the middleware: problem+json answers and reading or replaying a body."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from core.errors import PROBLEM_BASE


def english(scope: Scope) -> bool:
    headers = dict(scope.get("headers") or [])
    return headers.get(b"accept-language", b"").decode("latin-1").lower().startswith("en")


def problem(status: int, type_: str, title_ko: str, title_en: str, scope: Scope,
            **extra: Any) -> tuple[int, bytes]:
    body = {"type": PROBLEM_BASE + type_, "title": title_en if english(scope) else title_ko, "status": status,
            "instance": scope.get("path"), **extra}
    return status, json.dumps(body, ensure_ascii=False).encode()


async def send_problem(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] = ()) -> None:  # type: ignore[assignment]
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    pass


def limited(receive: Receive, max_body: int) -> Receive:
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


def replay(body: bytes, receive: Receive) -> Receive:
    delivered = False

    async def replay_receive() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()  # after the body: wait for the disconnect
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay_receive


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


async def run_sync(fn: Any, *args: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)
