"""Idempotency-Key on creating POSTs (IETF httpapi-idempotency-key-header draft).

The first request with a key reserves it, in a short transaction of its own, for a lease
(`idempotency_lease_seconds`). The route's transaction is not committed by `get_session` then: it is
handed over here and committed together with the stored response, before the response is sent. So the
record says `done` exactly when the effect committed: a crash before that commit loses both (the lease
runs out and a retry runs again), a crash after it loses neither (a retry replays the response).

A second request with the same key and body while the first runs gets 409, after it finishes the stored
response replayed (`Idempotent-Replayed: true`), with another body 422. A 5xx is not stored and its
transaction is rolled back, so the client may retry. Stored bodies are encrypted (core.idempotency).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.asgi import english, problem, read_body, run_sync, send_problem
from core import clock
from core.db import writer
from core.idempotency import IdempotencyRecord, Unreadable, okp_private_bytes, replay_key, seal, unseal

log = logging.getLogger("axr.api")
STORED_HEADERS = {b"content-type", b"location", b"etag"}
_STATE = "idempotency"  # the request state's attribute holding the reservation


@dataclass
class _Pending:
    """A reserved key and, once get_session hands it over, the request's uncommitted transaction."""

    principal: str
    key: str
    reserved_at: datetime  # tells this reservation from a later one of the same key
    session: Session | None = None


async def hand_over(scope: Scope, session: Session) -> bool:
    """For get_session: give the request's transaction to the Idempotency-Key middleware, which commits it
    with the stored response. False (commit it yourself) when the request holds no reserved key."""
    pending = (scope.get("state") or {}).get(_STATE)
    if not isinstance(pending, _Pending) or pending.session is not None:
        return False
    await run_sync(session.flush)  # a rule the changes break is still the route's error, raised here
    pending.session = session
    return True


def _in_flight(scope: Scope) -> tuple[int, bytes]:
    return problem(409, "idempotency-in-flight", "같은 키의 요청을 처리 중입니다",
                   "A request with this key is still in progress", scope)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, *, state: Any) -> None:
        self.app = app
        self.state = state  # the FastAPI app.state, holding engine, tokens and settings
        self._secret: bytes | None = None

    @property
    def secret(self) -> bytes:
        if self._secret is None:
            self._secret = replay_key(okp_private_bytes(self.state.tokens.key.as_dict(private=True)["d"]))
        return self._secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        key = headers.get(b"idempotency-key")
        if scope["type"] != "http" or scope["method"] != "POST" or key is None:
            await self.app(scope, receive, send)
            return
        principal = await run_sync(self._principal, headers.get(b"authorization", b""))
        if principal is None or not (0 < len(key) <= 255):
            await self.app(scope, receive, send)  # the route answers 401 / the key is ignored
            return
        body = await read_body(receive)
        fingerprint = hashlib.sha256(scope["path"].encode() + b"\n" + body).hexdigest()
        key_text = key.decode("latin-1")
        outcome = await run_sync(self._reserve, principal, key_text, fingerprint)
        if outcome == "conflict":
            await send_problem(send, *_in_flight(scope))
            return
        if outcome == "mismatch":
            await send_problem(send, *problem(422, "idempotency-key-reused",
                                              "같은 Idempotency-Key가 다른 요청에 쓰였습니다",
                                              "This Idempotency-Key was used with a different request", scope))
            return
        if isinstance(outcome, IdempotencyRecord):
            await self._replay(scope, send, outcome)
            return
        await self._run_and_store(scope, body, send, _Pending(principal, key_text, outcome))

    async def _replay(self, scope: Scope, send: Send, record: IdempotencyRecord) -> None:
        try:
            body = unseal(self.secret, record.principal, record.key, record.body)
        except Unreadable:
            await send_problem(send, *problem(
                409, "idempotency-record-unreadable", "이 키로 저장된 응답을 읽을 수 없습니다",
                "The response stored for this key cannot be read", scope,
                detail="The server's key was replaced since; send the request with a new Idempotency-Key."
                if english(scope) else "서버 키가 바뀌었습니다. 새 Idempotency-Key로 보내 주세요."))
            return
        await send({"type": "http.response.start", "status": record.status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in record.headers]
                    + [(b"idempotent-replayed", b"true")]})
        await send({"type": "http.response.body", "body": body})

    async def _run_and_store(self, scope: Scope, body: bytes, send: Send, pending: _Pending) -> None:
        scope.setdefault("state", {})[_STATE] = pending
        start: Message | None = None
        chunks: list[bytes] = []
        finished = False
        delivered = False

        async def replay_receive() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def capture_send(message: Message) -> None:
            # The response is held until the transaction and the record are committed: a client never
            # sees a 201 whose record a crash could still lose.
            nonlocal start, finished
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or finished or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            finished = True
            content = b"".join(chunks)
            refusal = await run_sync(self._finish, scope, pending, start, content)
            if refusal is not None:
                await send_problem(send, *refusal)
                return
            await send(start)
            await send({"type": "http.response.body", "body": content})

        try:
            await self.app(scope, replay_receive, capture_send)
        finally:
            if not finished:
                await run_sync(self._abandon, pending)

    def _principal(self, authorization: bytes) -> str | None:
        if not authorization.lower().startswith(b"bearer "):
            return None
        try:
            p = self.state.tokens.verify(authorization[7:].decode("latin-1").strip())
            # a disabled or deleted account gets no replay either (the route then answers 401)
            self.state.account_gate.admit(p)
        except Exception:  # noqa: BLE001 - an invalid token or refused account is the route's to reject
            return None
        return f"{p.role}:{p.org or ''}:{p.sub}"

    def _reserve(self, principal: str, key: str, fingerprint: str) -> str | IdempotencyRecord | datetime:
        """The new reservation's time, the stored record to replay, or "conflict" / "mismatch"."""
        now = clock.now()
        lease = timedelta(seconds=self.state.settings.idempotency_lease_seconds)
        with Session(writer(self.state.engine), expire_on_commit=False) as s:
            with s.begin():  # a finished record past its TTL, or a reservation past its lease, is free again
                s.execute(delete(IdempotencyRecord).where(IdempotencyRecord.principal == principal,
                                                          IdempotencyRecord.key == key,
                                                          IdempotencyRecord.expires_at < now))
            try:
                with s.begin():
                    s.add(IdempotencyRecord(principal=principal, key=key, fingerprint=fingerprint,
                                            created_at=now, expires_at=now + lease))
                return now
            except IntegrityError:
                pass
            existing = s.scalars(select(IdempotencyRecord).where(
                IdempotencyRecord.principal == principal, IdempotencyRecord.key == key)).one_or_none()
            if existing is None:
                return "conflict"
            if existing.fingerprint != fingerprint:
                return "mismatch"
            return existing if existing.state == "done" else "conflict"

    def _finish(self, scope: Scope, pending: _Pending, start: Message, body: bytes
                ) -> tuple[int, bytes, list[tuple[bytes, bytes]]] | None:
        """Commit the request's transaction with the stored response; a problem to send instead if the
        effect could not be committed, else None (send the response)."""
        status = start["status"]
        if status >= 500:
            self._abandon(pending)
            return None
        headers = [(k.decode("latin-1"), v.decode("latin-1"))
                   for k, v in start.get("headers", []) if k.lower() in STORED_HEADERS]
        ttl = timedelta(hours=self.state.settings.idempotency_ttl_hours)
        store = (update(IdempotencyRecord)
                 .where(IdempotencyRecord.principal == pending.principal, IdempotencyRecord.key == pending.key,
                        IdempotencyRecord.state == "in_flight", IdempotencyRecord.created_at == pending.reserved_at)
                 .values(state="done", status=status, headers=headers, expires_at=pending.reserved_at + ttl,
                         body=seal(self.secret, pending.principal, pending.key, body))
                 .execution_options(synchronize_session=False))
        session, pending.session = pending.session, None
        if session is None:  # nothing of this request to commit (refused, or a read-only POST)
            with Session(writer(self.state.engine)) as s, s.begin():
                s.execute(store)
            return None
        try:
            if session.execute(store).rowcount != 1:  # type: ignore[attr-defined]
                # the lease ran out and a retry took the key over: its outcome stands, this one is undone
                session.rollback()
                return (*_in_flight(scope), [])
            session.commit()
        except DBAPIError:
            log.exception("commit with the idempotency record failed on %s", scope.get("path"))
            session.rollback()
            session.close()
            self._release(pending)
            return (*problem(503, "unavailable", "일시적으로 처리할 수 없습니다", "Temporarily unavailable", scope),
                    [(b"retry-after", b"1")])
        finally:
            session.close()
        return None

    def _abandon(self, pending: _Pending) -> None:
        """The request failed or died before its response: undo its transaction, free the key."""
        session, pending.session = pending.session, None
        if session is not None:
            session.rollback()  # first: on SQLite it holds the write lock the release needs
            session.close()
        self._release(pending)

    def _release(self, pending: _Pending) -> None:
        with Session(writer(self.state.engine)) as s, s.begin():
            s.execute(delete(IdempotencyRecord).where(
                IdempotencyRecord.principal == pending.principal, IdempotencyRecord.key == pending.key,
                IdempotencyRecord.state == "in_flight", IdempotencyRecord.created_at == pending.reserved_at))
