"""A real `axr serve` on a free port, in a data folder of its own, for tests that use the service as a
reader of the docs would: through its command line and HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.cli.runner import AXR


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    port: int
    env: dict[str, str]
    folder: Path
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def axr(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(AXR), *args], env=self.env, cwd=self.folder, input=stdin, capture_output=True,
                              text=True, timeout=120, check=False)


@contextmanager
def serve(folder: Path, *args: str, env: dict[str, str] | None = None, database_url: str | None = None,
          timeout: float = 90.0) -> Iterator[Server]:
    """`axr serve --port P ARGS` run from `folder` (its ./var and ./axr.db unless `database_url`); yields
    once /v1/health answers, and stops the server after."""
    port = free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith("AXR_")}
    run_env = {**base, "AXR_DATA_DIR": str(folder / "var"),
               "AXR_DATABASE_URL": database_url or f"sqlite:///{folder}/axr.db", **(env or {})}
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(AXR), "serve", "--port", str(port), *args], env=run_env, cwd=folder,
                                   stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise AssertionError(f"axr serve exited {process.returncode}: {log.read_text(errors='replace')}")
            try:
                if httpx.get(url + "/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"axr serve did not start: {log.read_text(errors='replace')}")
            time.sleep(0.3)
        yield Server(url=url, port=port, env=run_env, folder=folder, log=log, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
