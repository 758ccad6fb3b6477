"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and can be told to refuse."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest


@dataclass
class Inbox:
    url: str
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: bool = False  # answer 451 to every message (a server that is down for mail)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        if self.inbox.refuse:
            return "451 4.3.0 try again later"
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.inbox.messages.append(msg)  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    controller_mod = pytest.importorskip("aiosmtpd.controller", reason="pip install -e '.[test]' (aiosmtpd)")
    port = _free_port()
    inbox = Inbox(url=f"smtp://127.0.0.1:{port}")
    controller = controller_mod.Controller(_Handler(inbox), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
