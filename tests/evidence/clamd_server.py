"""A real clamd for the virus-scan tests: started in the foreground on a temporary unix socket with a
database of one signature written here (no virus database download), stopped after the session.

The signature is a marker string of our own, not EICAR: a file in the repository that real scanners flag
would be quarantined on a developer's machine. Any file holding the marker is "infected".
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from evidence.scan import Clamd

MARKER = b"AXR-CLAMD-TEST-SIGNATURE-5f1c9e2b"
SIGNATURE = "AXR.Test.Marker"
STREAM_MAX_BYTES = 256 * 1024  # StreamMaxLength: a larger upload is refused by clamd (413 to the client)


def _binary() -> str | None:
    return shutil.which("clamd") or next((p for p in ("/usr/sbin/clamd",) if Path(p).exists()), None)


@dataclass(frozen=True)
class ClamdServer:
    socket: str
    signature: str  # as clamd reports it: a signature from a database of our own gets ".UNOFFICIAL"


@pytest.fixture(scope="session")
def clamd_server() -> Iterator[ClamdServer]:
    binary = _binary()
    if binary is None:
        pytest.skip("clamd is not installed (apt-get install clamav-daemon): the virus-scan tests need a real clamd")
    root = Path(tempfile.mkdtemp(prefix="axr-clamd-"))  # short: a unix socket path has at most 107 bytes
    db = root / "db"
    db.mkdir()
    (db / "axr-test.ndb").write_text(f"{SIGNATURE}:0:*:{MARKER.hex()}\n", encoding="ascii")
    sock = root / "clamd.sock"
    conf = root / "clamd.conf"
    conf.write_text("\n".join([
        "Foreground yes", f"LocalSocket {sock}", f"DatabaseDirectory {db}", f"TemporaryDirectory {root}",
        f"LogFile {root / 'clamd.log'}", f"PidFile {root / 'clamd.pid'}", f"StreamMaxLength {STREAM_MAX_BYTES}",
        "SelfCheck 0", ""]), encoding="ascii")
    proc = subprocess.Popen([binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not (sock.exists() and Clamd(str(sock), 2).ping()):
            if proc.poll() is not None or time.monotonic() > deadline:
                log = (root / "clamd.log").read_text(errors="replace") if (root / "clamd.log").exists() else ""
                raise RuntimeError(f"clamd did not answer PING (exit {proc.poll()}):\n{log[-2000:]}")
            time.sleep(0.05)
        yield ClamdServer(str(sock), f"{SIGNATURE}.UNOFFICIAL")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(root, ignore_errors=True)
