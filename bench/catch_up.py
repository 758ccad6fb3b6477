"""Catch-up bench: a server killed (SIGKILL) while indexing a bulk import comes back, and while its index
catches up it answers searches at once from what the index has; /v1/health/ready says 503 until done.

    .venv/bin/python bench/catch_up.py --size 10000 [--db URL] [--kill-after 5]

Steps: generate the catalogue (bench/gen_catalogue.py, seeded) unless it is there; an empty database and
index; `import_catalogue` writes every row and its outbox events, no index work; a server (uvicorn, one
worker, AXR_SEARCH_WARM=1) starts catching up and is killed with SIGKILL after --kill-after seconds; a
second server starts on the same folder. One client searches in a closed loop from its start until
/v1/health/ready answers 200 (polled every 0.5 s by another thread), then 200 more searches as the
baseline. Prints the time to ready, search latency during the catch-up (p50/p95/p99/max) against the
baseline after it, the statuses seen, and whether the index then holds what the database says is
searchable.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import gen_catalogue  # noqa: E402
import speed  # noqa: E402
import speed_http  # noqa: E402


def searchable(url: str) -> int:
    """Published solutions within a live certificate's scope, counted from the database."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from api.search_runtime import designated
    from core.db import get_engine
    from registry.models import Solution

    with Session(get_engine(url)) as session:
        rows = session.execute(select(Solution.company_id, Solution.category)
                               .where(Solution.status == "published")).all()
        pairs = {(r.company_id, r.category) for r in rows}
        active = designated(session, pairs)
        return sum(1 for r in rows if (r.company_id, r.category) in active)


def closed_loop(base: str, token: str, queries: list[dict[str, Any]], stop: threading.Event,
                out: list[tuple[float, int]]) -> None:
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as c:
        i = 0
        while not stop.is_set():
            q = queries[i % len(queries)]
            t0 = time.perf_counter()
            try:
                status = c.get("/v1/search", params=speed_http.search_params(q)).status_code
            except httpx.HTTPError:
                status = 0
            out.append((time.perf_counter() - t0, status))
            i += 1


def run(args: argparse.Namespace) -> dict[str, Any]:
    cat_path = Path(args.data) / f"catalogue-{args.size}.json"
    q_path = Path(args.data) / f"queries-{args.size}.json"
    if not cat_path.exists() or not q_path.exists():
        gen_catalogue.write(args.size, args.seed, Path(args.data))
    queries = json.loads(q_path.read_text(encoding="utf-8"))["search"]
    tmp = Path(tempfile.mkdtemp(prefix=f"axr-catch-up-{args.size}-"))
    url = speed.fresh_database(args.db, tmp)
    env = speed.configure(url, tmp / "var")
    from cli.catalogue import import_catalogue

    t0 = time.perf_counter()
    import_catalogue(cat_path)
    res: dict[str, Any] = {"size": args.size, "db": "sqlite" if url.startswith("sqlite") else "postgresql",
                           "import_db_s": time.perf_counter() - t0, "load_before": os.getloadavg()[0]}
    env = {**env, "AXR_SEARCH_WARM": "1"}
    with speed_http.server(env) as (_, proc):  # the first server starts catching up ...
        time.sleep(args.kill_after)
        proc.send_signal(signal.SIGKILL)  # ... and dies mid-way (the context's terminate is then a no-op)
        proc.wait()
    token = speed_http.mint_token(tmp / "var")
    during: list[tuple[float, int]] = []
    ready_statuses: list[int] = []
    with speed_http.server(env) as (base, proc):
        start = time.perf_counter()
        stop = threading.Event()
        loop = threading.Thread(target=closed_loop, args=(base, token, queries, stop, during))
        loop.start()
        while True:
            status = httpx.get(base + "/v1/health/ready", timeout=30).status_code
            ready_statuses.append(status)
            if status == 200:
                break
            time.sleep(0.5)
        res["ready_s"] = time.perf_counter() - start
        stop.set()
        loop.join()
        after: list[tuple[float, int]] = []
        stop_after = threading.Event()
        counter = threading.Thread(target=closed_loop, args=(base, token, queries, stop_after, after))
        counter.start()
        while len(after) < args.baseline:
            time.sleep(0.05)
        stop_after.set()
        counter.join()
        indexed = httpx.get(base + "/v1/health/ready", timeout=30).json()["indexed"]
        res["rss_mb"] = speed_http.rss_mb(proc.pid)
    slowest = max(range(len(during)), key=lambda i: during[i][0])
    res["during"] = speed.summary([t for t, _ in during]) | {"max": during[slowest][0] * 1000,
                                                            "max_at": slowest + 1,
                                                            "first": during[0][0] * 1000}
    res["after"] = speed.summary([t for t, _ in after])
    res["statuses_during"] = sorted({s for _, s in during})
    res["ready_statuses"] = sorted(set(ready_statuses))
    res["indexed"], res["searchable"] = indexed, searchable(url)
    return res


def report(r: dict[str, Any]) -> str:
    d, a = r["during"], r["after"]
    return "\n".join([
        f"catch-up after SIGKILL: {r['size']} solutions on {r['db']} (load before {r['load_before']:.2f})",
        f"  ready after {r['ready_s']:.1f} s; /v1/health/ready answered {r['ready_statuses']}",
        f"  search during catch-up: n={d['n']} p50 {d['p50']:.1f} p95 {d['p95']:.1f} p99 {d['p99']:.1f} "
        f"max {d['max']:.1f} ms (search {d['max_at']:,}; the first took {d['first']:.1f} ms); "
        f"statuses {r['statuses_during']}",
        f"  search after ready (baseline): n={a['n']} p50 {a['p50']:.1f} p95 {a['p95']:.1f} p99 {a['p99']:.1f} ms",
        f"  ratio p95 during / after: {d['p95'] / a['p95']:.2f}",
        f"  index holds {r['indexed']}, the database says {r['searchable']} are searchable: "
        f"{'equal' if r['indexed'] == r['searchable'] else 'DIFFERENT'}",
        f"  server RSS {r['rss_mb']}",
    ])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--db", default=None, help="a PostgreSQL URL (default: SQLite in a temporary folder)")
    ap.add_argument("--kill-after", type=float, default=5.0, help="seconds the first server runs")
    ap.add_argument("--baseline", type=int, default=200, help="searches after ready")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--data", default=str(ROOT / "var" / "bench"), help="where generated catalogues are kept")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    res = run(args)
    print(report(res))
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2), encoding="utf-8")
    return 0 if res["indexed"] == res["searchable"] else 1


if __name__ == "__main__":
    sys.exit(main())
