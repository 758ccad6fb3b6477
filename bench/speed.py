"""Speed bench: import, index size, search and match latency, memory, against Kiwi and the raw engine.

    .venv/bin/python bench/speed.py --size 1000 --size 10000 [--db URL] [--queries 300] [--json out.json]
    .venv/bin/python bench/speed.py --size 100000 --db postgresql+psycopg://postgres@127.0.0.1:5432/axr_bench

For each size: generates the catalogue (bench/gen_catalogue.py, seeded) unless it is there, starts
from an empty database (SQLite file in a temporary directory by default; the PostgreSQL database is
created if missing and its public schema dropped), then measures, in one process:

  kiwi     Kiwi alone tokenising every title and description text the indexer analyses (the
           floor for import, same threads as the indexer: Kiwi's default, one per core)
  import   `axr import-catalogue` (cli.catalogue.import_catalogue) + the first outbox sync that
           indexes everything, as a server does; then `axr reindex` (SearchService.rebuild) alone
  size     index folder on disk, database size
  latency  SearchService.search / .match in-process, and GET /v1/search, POST /v1/match through
           uvicorn (own process, same database and index, httpx), p50/p95/p99 after warm-up
  floor    the engine calls those queries made, replayed on TantivyIndex.search, and a bare
           tantivy-py boolean query over the same weighted tokens (top-k only, no filters, no docs)
  memory   VmRSS/VmHWM of the API server process after the run, and of this process

Prints a table per size with the ratios (ours / engine, import / Kiwi) and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import gen_catalogue  # noqa: E402
import speed_http  # noqa: E402


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))] if s else float("nan")


def summary(xs: list[float]) -> dict[str, float]:
    return {"p50": pct(xs, 50) * 1000, "p95": pct(xs, 95) * 1000, "p99": pct(xs, 99) * 1000, "n": len(xs)}


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6 if path.exists() else 0.0


def wait_for_low_load(limit: float, max_wait: float) -> None:
    t0 = time.monotonic()
    while os.getloadavg()[0] > limit and time.monotonic() - t0 < max_wait:
        print(f"load {os.getloadavg()[0]:.2f} > {limit}: waiting", file=sys.stderr, flush=True)
        time.sleep(60)


# --- setup -------------------------------------------------------------------------------------

def fresh_database(url: str | None, tmp: Path) -> str:
    if not url or url.startswith("sqlite"):
        return f"sqlite:///{tmp}/axr.db"
    import psycopg
    from sqlalchemy import make_url

    u = make_url(url)
    admin = u.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (u.database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{u.database}"')
    with psycopg.connect(u.set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return url


def configure(url: str, data_dir: Path) -> dict[str, str]:
    from core import migrate
    from core.db import get_engine
    from core.settings import get_settings

    env = {"AXR_DATABASE_URL": url, "AXR_DATA_DIR": str(data_dir)}
    os.environ.update(env)
    get_settings.cache_clear()
    get_engine.cache_clear()
    migrate.upgrade(url)
    return env


def db_size_mb(url: str, tmp: Path) -> float:
    if url.startswith("sqlite"):
        return sum(p.stat().st_size for p in tmp.glob("axr.db*")) / 1e6
    from sqlalchemy import text

    from core.db import get_engine

    with get_engine(url).connect() as conn:
        return float(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()) / 1e6


# --- measurements ------------------------------------------------------------------------------

def kiwi_alone(solutions: list[dict[str, Any]]) -> float:
    from matching.analysis import kiwi

    texts = [f"{s['title']['ko']}\n{s['title'].get('en') or ''}" for s in solutions] + [
        f"{s['description']['ko']}\n{s['description'].get('en') or ''}" for s in solutions]
    k = kiwi()
    k.tokenize("워밍업 문장입니다")
    t0 = time.perf_counter()
    for _ in k.tokenize(texts):
        pass
    return time.perf_counter() - t0


class Recorder:
    """Wraps the service's index and keeps the engine calls each query made, to replay them raw:
    ("search", terms, options) or ("search_each", terms, variants, options)."""

    def __init__(self, index: Any) -> None:
        self.inner, self.calls, self.current = index, [], None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def search(self, terms: Any, **kw: Any) -> Any:
        if self.current is not None:
            self.current.append(("search", dict(terms), kw))
        return self.inner.search(terms, **kw)

    def search_each(self, terms: Any, variants: Any, **kw: Any) -> Any:
        if self.current is not None:
            self.current.append(("search_each", dict(terms), list(variants), kw))
        return self.inner.search_each(terms, variants, **kw)

    def begin(self) -> None:
        self.current = []
        self.calls.append(self.current)


def engine_searches(call: tuple[Any, ...]) -> list[tuple[dict[str, float], dict[str, Any]]]:
    """The single searches (terms, options) an engine call stands for."""
    if call[0] == "search":
        return [(call[1], call[2])]
    _kind, terms, variants, kw = call
    return [(terms, {**kw, "filters": f, "limit": n}) for f, n in variants]


def in_process(search: Any, queries: dict[str, Any], n: int, warmup: int) -> dict[str, Any]:
    from sqlalchemy.orm import Session

    from matching.documents import NeedQuery, SearchFilters

    def one_search(q: dict[str, Any]) -> None:
        f = SearchFilters(categories=[q["category"]] if "category" in q else None, max_level=q.get("level"))
        with Session(search.engine) as s:
            search.search(s, q["q"], filters=f, limit=20)

    def one_match(m: dict[str, Any]) -> None:
        need = NeedQuery(text=m["text"], industry=m.get("industry"), smart_factory_level=m.get("smart_factory_level"),
                         budget_krw=int(m["budget_million_krw"] * 1_000_000), region=m.get("region"))
        with Session(search.engine) as s:
            search.match(s, need, limit=10)

    for i in range(warmup):
        one_search(queries["search"][-1 - i])
        one_match(queries["match"][-1 - i])
    out: dict[str, Any] = {}
    for kind, fn in (("search", one_search), ("match", one_match)):
        rec = Recorder(search.index)
        search.index = rec
        lat = []
        for q in queries[kind][:n]:
            rec.begin()
            t = time.perf_counter()
            fn(q)
            lat.append(time.perf_counter() - t)
        search.index = rec.inner
        out[kind], out[kind + "_calls"] = lat, rec.calls
    return out


def engine_floor(index: Any, calls: list[list[tuple[Any, ...]]]) -> list[float]:
    """TantivyIndex replaying each query's calls (same terms, filters, limits; `search_each` as such,
    so its searches run side by side as in the service)."""
    lat = []
    for query_calls in calls:
        t = time.perf_counter()
        for call in query_calls:
            if call[0] == "search":
                index.search(call[1], **call[2])
            else:
                index.search_each(call[1], call[2], **call[3])
        lat.append(time.perf_counter() - t)
    return lat


def tantivy_floor(index: Any, calls: list[list[tuple[Any, ...]]]) -> list[float]:
    """Bare tantivy-py, one search after another: OR of boosted term queries over title and body,
    top-k addresses only (no filters, facets, facts or threads)."""
    import tantivy

    schema, searcher = index._schema, index._index.searcher()
    lat = []
    for query_calls in calls:
        t = time.perf_counter()
        for call in query_calls:
            for terms, kw in engine_searches(call):
                clauses = []
                for tok, w in terms.items():
                    for field, boost in (("title", 2.0), ("body", 1.0)):
                        clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(
                            tantivy.Query.term_query(schema, field, tok), w * boost)))
                if clauses:
                    searcher.search(tantivy.Query.boolean_query(clauses), kw.get("limit", 20), count=False).hits  # noqa: B018
        lat.append(time.perf_counter() - t)
    return lat


def rss_self() -> dict[str, float]:
    return speed_http.rss_mb(os.getpid())


def run_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    cat_path = Path(args.data) / f"catalogue-{size}.json"
    q_path = Path(args.data) / f"queries-{size}.json"
    if not cat_path.exists() or not q_path.exists():
        gen_catalogue.write(size, args.seed, Path(args.data))
    solutions = json.loads(cat_path.read_text(encoding="utf-8"))["solutions"]
    queries = json.loads(q_path.read_text(encoding="utf-8"))
    again = Path(args.latency_of) if args.latency_of else None  # a kept folder of an earlier run
    tmp = again or Path(tempfile.mkdtemp(prefix=f"axr-speed-{size}-"))
    url = f"sqlite:///{tmp}/axr.db" if again else fresh_database(args.db, tmp)
    env = configure(url, tmp / "var")
    res: dict[str, Any] = {"size": size, "db": "sqlite" if url.startswith("sqlite") else "postgresql",
                           "load_before": os.getloadavg(), "folder": str(tmp)}
    print(f"== {size} solutions on {res['db']} in {tmp} (load {res['load_before'][0]:.2f})", file=sys.stderr,
          flush=True)
    from api.search_runtime import build_search_service

    if again:
        search = build_search_service()
        search.sync()
        res["indexed"] = search.index.count()
        return _latency(res, search, queries, env, tmp, url, args)
    res["kiwi_s"] = kiwi_alone(solutions)
    del solutions
    from cli.catalogue import import_catalogue

    # As in service: the server is up (its index folder created, empty) before the catalogue is
    # imported, then its next query applies the import's outbox events.
    search = build_search_service()
    search.sync()
    t0 = time.perf_counter()
    counts = import_catalogue(cat_path)
    res["import_db_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    res["events"] = search.sync()
    res["sync_s"] = time.perf_counter() - t0
    res["import_s"] = res["import_db_s"] + res["sync_s"]
    res["indexed"], res["counts"] = search.index.count(), counts
    if not args.no_rebuild:
        t0 = time.perf_counter()
        search.rebuild()
        res["rebuild_s"] = time.perf_counter() - t0
    print(f"   kiwi {res['kiwi_s']:.1f}s import {res['import_db_s']:.1f}+{res['sync_s']:.1f}s", file=sys.stderr)
    return _latency(res, search, queries, env, tmp, url, args)


def _latency(res: dict[str, Any], search: Any, queries: dict[str, Any], env: dict[str, str], tmp: Path, url: str,
             args: argparse.Namespace) -> dict[str, Any]:
    res["index_mb"] = du_mb(tmp / "var" / "index")
    res["db_mb"] = db_size_mb(url, tmp)
    res["segments"] = search.index._searcher().num_segments
    inproc = in_process(search, queries, args.queries, args.warmup)
    res["inproc_search"], res["inproc_match"] = summary(inproc["search"]), summary(inproc["match"])
    raw = search.index
    for kind in ("search", "match"):
        engine_floor(raw, inproc[kind + "_calls"][: args.warmup])  # warm
        res[f"engine_{kind}"] = summary(engine_floor(raw, inproc[kind + "_calls"]))
        res[f"tantivy_{kind}"] = summary(tantivy_floor(raw, inproc[kind + "_calls"]))
    res["bench_rss_mb"] = rss_self()
    if not args.no_http:
        # The server opens the same index folder; this process keeps its reader, drops its writer.
        raw._writer = None
        http = speed_http.run(env, queries, args.queries, args.warmup)
        res["http_search"], res["http_match"] = summary(http["search"]), summary(http["match"])
        res["server"] = {k: v for k, v in http.items() if k not in ("search", "match")}
    res["load_after"] = os.getloadavg()
    from core.db import get_engine

    get_engine(url).dispose()
    return res


# --- report ------------------------------------------------------------------------------------

def report(r: dict[str, Any]) -> str:
    head = f"### {r['size']:,} solutions, {r['db']} (load {r['load_before'][0]:.2f} -> {r['load_after'][0]:.2f})"
    if "kiwi_s" not in r:  # --latency-of: the kept folder of an earlier run, latency and memory only
        return "\n".join([head + f", latency of {r['folder']}", ""] + _latency_lines(r))
    lines = [head, "", "| step | seconds | ratio |", "| --- | ---: | ---: |",
             f"| Kiwi alone ({2 * r['size']:,} texts) | {r['kiwi_s']:.1f} | 1.00 |",
             f"| import-catalogue (database) | {r['import_db_s']:.1f} | {r['import_db_s'] / r['kiwi_s']:.2f} |",
             f"| first sync (outbox -> index, {r['events']:,} events) | {r['sync_s']:.1f} | "
             f"{r['sync_s'] / r['kiwi_s']:.2f} |",
             f"| **import total** | **{r['import_s']:.1f}** | **{r['import_s'] / r['kiwi_s']:.2f}** |"]
    if "rebuild_s" in r:
        lines.append(f"| axr reindex (rebuild) | {r['rebuild_s']:.1f} | {r['rebuild_s'] / r['kiwi_s']:.2f} |")
    return "\n".join(lines + [""] + _latency_lines(r))


def _latency_lines(r: dict[str, Any]) -> list[str]:
    lines = [f"indexed {r['indexed']:,} of {r['size']:,} (designated suppliers only); "
             f"index {r['index_mb']:.1f} MB in {r['segments']} segment(s), "
             f"database {r['db_mb']:.1f} MB", "",
             "| latency (ms) | p50 | p95 | p99 | p50 / engine | p95 / engine | p50 / tantivy |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for kind in ("search", "match"):
        eng, tan = r[f"engine_{kind}"], r[f"tantivy_{kind}"]
        rows = [("in-process", r[f"inproc_{kind}"])] + ([("HTTP", r[f"http_{kind}"])] if f"http_{kind}" in r else [])
        for label, s in rows:
            lines.append(f"| {kind} {label} | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | "
                         f"{s['p50'] / eng['p50']:.1f} | {s['p95'] / eng['p95']:.1f} | {s['p50'] / tan['p50']:.0f} |")
        lines.append(f"| {kind}: TantivyIndex.search floor | {eng['p50']:.2f} | {eng['p95']:.2f} | "
                     f"{eng['p99']:.2f} | 1.0 | 1.0 | |")
        lines.append(f"| {kind}: bare tantivy-py floor | {tan['p50']:.2f} | {tan['p95']:.2f} | "
                     f"{tan['p99']:.2f} | | | 1 |")
    if "server" in r:
        s = r["server"]
        lines += ["", f"API server RSS after the run {s['rss_mb']:.0f} MB (peak {s['peak_rss_mb']:.0f} MB, "
                  f"{s['rss_after_first_mb']:.0f} MB after the first search; "
                  f"first request {s['first_request_s']:.1f} s); "
                  f"bench process RSS {r['bench_rss_mb']['VmRSS']:.0f} MB (peak {r['bench_rss_mb']['VmHWM']:.0f} MB)"]
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, action="append", help="solutions (repeatable; default 1k and 10k)")
    p.add_argument("--db", default=None, help="SQLAlchemy URL of a PostgreSQL database (default: a new SQLite file)")
    p.add_argument("--queries", type=int, default=300, help="timed queries of each kind")
    p.add_argument("--warmup", type=int, default=30)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--data", default=str(ROOT / "var" / "bench"), help="where generated catalogues are kept")
    p.add_argument("--json", default=None, help="append the results as JSON lines to this file")
    p.add_argument("--no-http", action="store_true")
    p.add_argument("--no-rebuild", action="store_true")
    p.add_argument("--latency-of", metavar="FOLDER",
                   help="latency and memory only, on the folder an earlier run printed (its database and index)")
    p.add_argument("--wait-load", type=float, default=None, help="wait until the 1-min load is below this")
    p.add_argument("--wait-max", type=float, default=1200)
    args = p.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores; {_cpu_model()}", flush=True)
    for size in args.size or [1_000, 10_000]:
        if args.wait_load:
            wait_for_low_load(args.wait_load, args.wait_max)
        r = run_size(size, args)
        print(report(r) + "\n", flush=True)
        if args.json:
            with open(args.json, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return 0


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "?"


if __name__ == "__main__":
    raise SystemExit(main())
