"""Virus scanning of uploaded documents through clamd (AXR_CLAMD_SOCKET): the bytes are streamed with the
INSTREAM protocol and the answer is clean, infected (a signature name) or no answer at all.

The client is written here (about 60 lines of protocol) rather than taken from PyPI: `clamd` (last release
2014) and `pyclamd` (2017) are unmaintained, and `clamav-client`, the maintained one, scans files by path
and folds "could not scan" into its result, where an upload needs to tell a refused stream (too large), an
infection and an absent daemon apart. The protocol (clamd(8)): `zINSTREAM\\0`, chunks each prefixed by its
length as 4 bytes big-endian, a zero-length chunk to end; the reply is `stream: OK`, `stream: <name> FOUND`
or `... ERROR` (`INSTREAM size limit exceeded` past the daemon's StreamMaxLength).
"""

from __future__ import annotations

import select
import socket
import struct
from dataclasses import dataclass
from datetime import datetime

from core import clock

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd is configured but did not give a verdict (no socket, refused, timed out, an ERROR reply)."""


class StreamTooLarge(Exception):
    """clamd refused the stream as over its StreamMaxLength."""


@dataclass(frozen=True)
class Verdict:
    signature: str | None  # the signature found, None when clean
    scanner: str  # clamd's VERSION line, e.g. "ClamAV 1.4.6/27480/..."


@dataclass(frozen=True)
class ScanRecord:
    """What the document row keeps: "clean" only when clamd said so, else "not_scanned"."""

    status: str
    scanned_at: datetime | None = None
    scanner: str | None = None


NOT_SCANNED = ScanRecord("not_scanned")


class Clamd:
    """A clamd daemon at a unix socket path, or `tcp://host:port` / `host:port`."""

    def __init__(self, address: str, timeout: float = 30.0) -> None:
        self.address = address
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        addr = self.address.removeprefix("tcp://")
        try:
            if "/" in addr:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(self.timeout)
                sock.connect(addr)
            else:
                host, _, port = addr.rpartition(":")
                sock = socket.create_connection((host or "127.0.0.1", int(port)), timeout=self.timeout)
        except (OSError, ValueError) as exc:
            raise ScannerUnavailable(f"cannot connect to clamd at {self.address}: {exc}") from exc
        return sock

    @staticmethod
    def _reply(sock: socket.socket) -> str:
        data = b""
        while not data.endswith(b"\0"):
            part = sock.recv(4096)
            if not part:
                break
            data += part
        return data.rstrip(b"\0").decode("utf-8", "replace").strip()

    def _command(self, name: str) -> str:
        try:
            with self._connect() as sock:
                sock.sendall(f"z{name}\0".encode())
                return self._reply(sock)
        except OSError as exc:
            raise ScannerUnavailable(f"clamd {name} failed: {exc}") from exc

    def ping(self) -> bool:
        try:
            return self._command("PING") == "PONG"
        except ScannerUnavailable:
            return False

    def version(self) -> str:
        return self._command("VERSION")

    def instream(self, content: bytes) -> str | None:
        """The signature clamd found in the bytes, or None when it answered OK."""
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                try:
                    for i in range(0, len(content), CHUNK):
                        # clamd answers early (and closes) when the stream passes its limit: stop sending
                        if select.select([sock], [], [], 0)[0]:
                            break
                        chunk = content[i:i + CHUNK]
                        sock.sendall(struct.pack(">I", len(chunk)) + chunk)
                    else:
                        sock.sendall(struct.pack(">I", 0))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the reply that explains it is read below
                reply = self._reply(sock)
        except OSError as exc:
            raise ScannerUnavailable(f"clamd INSTREAM failed: {exc}") from exc
        if "size limit exceeded" in reply:
            raise StreamTooLarge(reply)
        if reply == "stream: OK":
            return None
        if reply.startswith("stream: ") and reply.endswith(" FOUND"):
            return reply.removeprefix("stream: ").removesuffix(" FOUND")
        raise ScannerUnavailable(f"clamd answered {reply!r}")

    def scan(self, content: bytes) -> Verdict:
        return Verdict(self.instream(content), self.version())


def record(verdict: Verdict) -> ScanRecord:
    return ScanRecord("clean", clock.now(), verdict.scanner)
