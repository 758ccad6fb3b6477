"""The API in a server process of its own on a loopback port, which a test can kill with SIGKILL (a crash:
no `finally`, no shutdown) and start again on the same database and data directory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
SERVE = ("import sys, uvicorn; from api.app import create_app; "
         "uvicorn.run(create_app(), host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')")


class ServerProcess:
    def __init__(self, settings, **env: str) -> None:
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "AXR_DATABASE_URL": settings.database_url,
                    "AXR_DATA_DIR": str(settings.data_dir), "AXR_SEARCH_WARM": "false", **env}
        self.cwd = settings.data_dir  # no .env file there
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.proc = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], env=self.env, cwd=self.cwd)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.url + "/v1/health", timeout=1).status_code < 500:
                    return self.url
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server process did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: the process ends where it stands, as in a crash or an OOM kill."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None


@contextmanager
def server_process(settings, **env: str) -> Iterator[ServerProcess]:
    server = ServerProcess(settings, **env)
    try:
        yield server
    finally:
        if server.proc is not None:
            server.kill()
