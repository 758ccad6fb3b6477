"""The HTTP half of the speed bench: the API in its own uvicorn process on the bench database, timed
through httpx, and that process's memory. Used by bench/speed.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> dict[str, float]:
    """Resident set (now and peak) of a process from /proc, in MB."""
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


@contextmanager
def server(env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """uvicorn on a free 127.0.0.1 port, one worker, same database and data dir as the bench."""
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--log-level", "warning", "--no-access-log"]
    log = open(Path(env["AXR_DATA_DIR"]) / "uvicorn.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start; see {log.name}")
            time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def mint_token(data_dir: Path) -> str:
    """An SME token (catalogue:read + match) from the server's own signing key."""
    from api.auth.tokens import TokenService
    from core.keys import signing_key
    from core.settings import get_settings

    s = get_settings()
    svc = TokenService(key=signing_key(data_dir / "signing-key.json"), issuer=s.token_issuer,
                       audience=s.token_audience, ttl=s.token_ttl_seconds)
    token, _ = svc.mint(sub="bench:speed", role="sme", org="org_bench", scopes=None, ttl=86_400)
    return str(token)


def search_params(q: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {"q": q["q"], "limit": 20}
    if "category" in q:
        params["category"] = q["category"]
    if "level" in q:
        params["level"] = q["level"]
    return params


def match_body(n: dict[str, Any]) -> dict[str, Any]:
    return {"text": n["text"], "industry": n.get("industry"), "smart_factory_level": n.get("smart_factory_level"),
            "budget_krw": int(n["budget_million_krw"] * 1_000_000) if n.get("budget_million_krw") else None,
            "region": n.get("region"), "limit": 10}


def run(env: dict[str, str], queries: dict[str, Any], n: int, warmup: int) -> dict[str, Any]:
    """Latencies (seconds) of GET /v1/search and POST /v1/match, and the server's memory after."""
    token = mint_token(Path(env["AXR_DATA_DIR"]))
    headers = {"Authorization": f"Bearer {token}"}
    searches, needs = queries["search"], queries["match"]
    with server(env) as (base, proc), httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        t0 = time.perf_counter()
        r = client.get("/v1/search", params={"q": "불량 검출"})  # builds the search service: Kiwi, index
        r.raise_for_status()
        first = time.perf_counter() - t0
        rss_loaded = rss_mb(proc.pid)
        for i in range(warmup):
            client.get("/v1/search", params=search_params(searches[-1 - i % len(searches)])).raise_for_status()
            client.post("/v1/match", json=match_body(needs[-1 - i % len(needs)])).raise_for_status()
        lat_s, lat_m = [], []
        for q in searches[:n]:
            t = time.perf_counter()
            client.get("/v1/search", params=search_params(q)).raise_for_status()
            lat_s.append(time.perf_counter() - t)
        for need in needs[:n]:
            t = time.perf_counter()
            resp = client.post("/v1/match", json=match_body(need))
            lat_m.append(time.perf_counter() - t)
            resp.raise_for_status()
        mem = rss_mb(proc.pid)
    return {"search": lat_s, "match": lat_m, "first_request_s": first, "rss_mb": mem["VmRSS"],
            "peak_rss_mb": mem["VmHWM"], "rss_after_first_mb": rss_loaded["VmRSS"]}
