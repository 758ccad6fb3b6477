"""The contract run: schemathesis (CLI) over every operation of the served spec, against the real server.

For each database it starts `axr serve --demo` on a free loopback port, logs in as admin, supplier, sme and
reviewer, collects the ids of real objects (so path parameters hit them, not only 404s) and runs
`schemathesis run --checks all` once per role with the examples, coverage, fuzzing and stateful phases.
It prints one summary line per run and exits non-zero when any check failed (a server error, a response
that does not match its schema, an undocumented status, ...).

    .venv/bin/python -m tests.contract.run [--database-url URL ...] [--max-examples N] [--role ROLE ...]

A PostgreSQL database given here is emptied first (its public schema is dropped).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOGINS = {"admin": ("admin", "demo-password-admin"), "supplier": ("supplier01", "demo-password-s01"),
          "sme": ("sme01", "demo-password-m01"), "reviewer": ("reviewer01", "demo-password-r01")}
# path parameter -> (collection to read as admin, field holding the value)
ID_SOURCES = {
    "company_id": ("/v1/companies", "id"), "solution_id": ("/v1/solutions", "id"), "sme_id": ("/v1/smes", "id"),
    "need_id": ("/v1/needs", "id"), "app_id": ("/v1/applications", "id"), "number": ("/v1/certificates", "number"),
    "group_id": ("/v1/programme/groups", "id"), "project_id": ("/v1/programme/projects", "id"),
    "year": ("/v1/programme/cohorts", "year"), "endpoint_id": ("/v1/webhooks", "id"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class Server:
    """`axr serve --demo` in a child process, on its own data folder and port."""

    def __init__(self, database_url: str | None, workdir: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "server.log"
        env = {**os.environ, "AXR_DATA_DIR": str(workdir / "data"),
               "AXR_DATABASE_URL": database_url or f"sqlite:///{workdir}/contract.db",
               # the run makes tens of thousands of requests from one address: keep the limits out of its way
               "AXR_RATE_LIMIT_PUBLIC": "100000000", "AXR_RATE_LIMIT_CLIENT": "100000000",
               # and the failed-login limits: fuzzing the token endpoint would lock 127.0.0.1 out of logging in
               "AXR_LOGIN_MAX_FAILURES": "100000000", "AXR_LOGIN_MAX_FAILURES_IP": "100000000",
               "AXR_LOGIN_MAX_FAILURES_ACCOUNT": "100000000",
               "AXR_WORKER_EMBEDDED": "false"}
        env.pop("AXR_REDIS_URL", None)
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen([str(BIN / "axr"), "serve", "--demo", "--port", str(self.port)],
                                         cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited ({self.proc.returncode}):\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError("the server did not start within 10 minutes")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def server_errors(self) -> list[str]:
        return [line for line in self.log.read_text(errors="replace").splitlines() if "Traceback" in line]


def _token(url: str, role: str) -> str:
    username, password = LOGINS[role]
    r = httpx.post(url + "/v1/oauth/token", data={"grant_type": "password", "username": username,
                                                  "password": password}, timeout=30)
    r.raise_for_status()
    return str(r.json()["access_token"])


def _ids(url: str, admin: str) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    headers = {"Authorization": f"Bearer {admin}"}
    for name, (path, field) in ID_SOURCES.items():
        r = httpx.get(url + path, headers=headers, timeout=60)
        if r.status_code != 200:
            continue
        body = r.json()
        items = body["items"] if isinstance(body, dict) else body
        values = [item[field] for item in items if item.get(field) is not None][:20]
        if values:
            found[name] = values
    return found


def _cursors(url: str, admin: str) -> dict[str, list[str]]:
    """Real cursors of each kind (a cursor is opaque: one the server did not make is a 400 by design)."""
    headers = {"Authorization": f"Bearer {admin}"}
    found: dict[str, list[str]] = {}
    for kind, path, params in (("cursor_keyset", "/v1/companies", {"limit": 1}),
                               ("cursor_keyset", "/v1/solutions", {"limit": 1}),
                               ("cursor_search", "/v1/search", {"q": "불량", "limit": 1}),
                               ("cursor_feed", "/v1/feed/changes", {"limit": 1})):
        body = httpx.get(url + path, params=params, headers=headers, timeout=120).json()
        cursor = body.get("cursor") or (httpx.URL(body["next"]).params.get("cursor") if body.get("next") else None)
        if cursor:
            found.setdefault(kind, []).append(cursor)
    return found


POSITIVE = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # schemathesis's default for valid input
# Rules a JSON Schema cannot state, each answered with its own problem type; for these operations a
# schema-valid request may get that status (every other check still applies to them).
UNSTATABLE: list[tuple[str, str, list[str]]] = [
    (r"^/v1/(public/)?certificates/\{number\}", "the certificate number's check character", ["422"]),
    (r"^/v1/public/audit/(inclusion|consistency)$", "a proof request beyond the current tree size", ["422"]),
    (r"^/v1/(companies|smes|programme/consultants)$", "the NTS check digit of a business number", ["422"]),
    (r"^/v1/solutions(/\{solution_id\})?$", "price_min_krw <= price_max_krw", ["422"]),
    (r"^/v1/admin/criteria$", "the eligibility rules' own language (rules as data)", ["422"]),
    (r"^/v1/admin/thesaurus$", "the thesaurus's own format", ["422"]),
    (r"^/v1/programme/groups$", "an admin names the lead firm (lead_org), a lead firm does not", ["422"]),
    (r"^/v1/programme/groups/\{group_id\}/members$", "only an admin sets `share` (the SME chooses on accepting)",
     ["422"]),
    (r"^/v1/programme/cohorts/\{year\}/candidates$", "the columns of the uploaded CSV file", ["422"]),
    (r"^/v1/programme/projects/\{project_id\}/(budget-lines|expenditures)$",
     "the approved budget and the government cap per SME and year (budget-rule)", ["422"]),
    (r"^/v1/programme/projects/\{project_id\}/(consultations|outcomes)$",
     "fields required by the kind of record (diagnosis level, the unit of each metric)", ["422"]),
]


def _config(spec: dict[str, Any], ids: dict[str, list[Any]], cursors: dict[str, list[str]], path: Path) -> Path:
    """A schemathesis.toml: real ids as dictionaries for half of the generated path parameters, real cursors
    for the `cursor` query parameters, If-Match `*` (412 and 428 have tests of their own), 428 as the answer
    to a missing If-Match (RFC 6585), and the statuses of UNSTATABLE rules."""
    import re

    lines = [f"[dictionaries.{name}]\nvalues = {json.dumps(values)}\n" for name, values in {**ids, **cursors}.items()]
    lines.append('[dictionaries.etag]\nvalues = ["*"]\n')
    lines.append('[checks.missing_required_header]\nexpected-statuses = [400, 401, 403, 406, 415, 422, 428]\n')
    lines.append("[parameters]")
    lines += [f'"path.{name}" = {{ dictionary = "{name}", probability = 0.5 }}' for name in ids]
    lines.append('"header.If-Match" = { dictionary = "etag", probability = 1.0 }')
    for route, item in spec["paths"].items():
        extra = [status for rx, _, statuses in UNSTATABLE if re.search(rx, route) for status in statuses]
        params = {p.get("name") for op in item.values() for p in op.get("parameters", ())}
        block = [f'\n[[operations]]\ninclude-path = "{route}"']
        if "cursor" in params:
            extra.append("400")  # a cursor is opaque: one the server did not make is refused (bad-cursor)
            kind = "cursor_search" if route == "/v1/search" else "cursor_feed" if route.startswith("/v1/feed") \
                else "cursor_keyset"
            if kind in cursors:
                block.append(f'parameters = {{ "query.cursor" = {{ dictionary = "{kind}", probability = 1.0 }} }}')
        if "If-Match" in params:
            extra.append("412")  # an If-Match other than `*` names another version
        if extra:
            block.append(f"checks.positive_data_acceptance.expected-statuses = {json.dumps(POSITIVE + extra)}")
        if len(block) > 1:
            lines += block
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


FATAL = ("not_a_server_error", "response_schema_conformance")


def _schemathesis(url: str, token: str, config: Path, report: Path, args: argparse.Namespace) -> int:
    cmd = [str(BIN / "schemathesis"), "--config-file", str(config), "run", url + "/openapi.json",
           "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful",
           "--max-examples", str(args.max_examples), "--workers", str(args.workers), "--seed", str(args.seed),
           "--header", f"Authorization: Bearer {token}",
           "--request-timeout", "30", "--suppress-health-check", "all", "--no-color",
           "--report", "ndjson", "--report-ndjson-path", str(report)]
    if args.max_failures:
        cmd += ["--max-failures", str(args.max_failures)]
    if args.max_time:
        cmd += ["--max-time", str(args.max_time)]
    return subprocess.call(cmd, cwd=report.parent, stdout=None if args.verbose else subprocess.DEVNULL)


def _summarise(report: Path) -> dict[str, Any]:
    """Counts from the ndjson event stream: cases run, failures per check, operations with a failure."""
    cases = 0
    failures: dict[str, int] = {}
    failed_ops: set[str] = set()
    errors: list[str] = []
    for raw in report.read_text(encoding="utf-8").splitlines():
        try:
            event = json.loads(raw)
        except ValueError:
            continue
        for kind, data in event.items():
            if kind == "ScenarioFinished":
                recorder = data.get("recorder", {})
                cases += len(recorder.get("cases", {}))
                for checks in recorder.get("checks", {}).values():
                    for check in checks:
                        if check.get("status") == "failure":
                            name = check.get("name", "?")
                            failures[name] = failures.get(name, 0) + 1
                            failed_ops.add(str(recorder.get("label")))
            elif kind == "NonFatalError":
                errors.append(str(data.get("label") or data.get("info", {}).get("title")))
    return {"cases": cases, "failures": failures, "failed_operations": sorted(failed_ops), "errors": errors}


def run_database(name: str, database_url: str | None, args: argparse.Namespace, out_dir: Path) -> list[str]:
    workdir = Path(tempfile.mkdtemp(prefix=f"axr-contract-{name}-"))
    if database_url and database_url.startswith("postgresql"):
        _reset_postgres(database_url)
    started = time.monotonic()
    server = Server(database_url, workdir)
    lines = []
    try:
        tokens = {role: _token(server.url, role) for role in args.role}
        admin = tokens.get("admin") or _token(server.url, "admin")
        spec = httpx.get(server.url + "/openapi.json", timeout=60).json()
        config = _config(spec, _ids(server.url, admin), _cursors(server.url, admin), workdir / "schemathesis.toml")
        for role in args.role:
            t0 = time.monotonic()
            tokens[role] = _token(server.url, role)  # fresh: API tokens live 15 minutes
            report = out_dir / f"{name}-{role}.ndjson"
            rc = _schemathesis(server.url, tokens[role], config, report, args)
            s = _summarise(report)
            failed = ", ".join(f"{k} {v}" for k, v in sorted(s["failures"].items())) or "none"
            lines.append(f"{name}/{role}: {s['cases']} cases, failed checks: {failed}; errors: {len(s['errors'])} "
                         f"(exit {rc}, {time.monotonic() - t0:.0f} s)")
            if s["failed_operations"]:
                lines.append("    operations with a failure: " + "; ".join(s["failed_operations"]))
            if s["errors"]:
                lines.append("    errors: " + "; ".join(s["errors"][:10]))
            print(lines[-1] if not s["failed_operations"] else "\n".join(lines[-2:]), flush=True)
        tracebacks = server.server_errors()
        lines.append(f"{name}: server tracebacks logged: {len(tracebacks)}; {time.monotonic() - started:.0f} s "
                     f"with start-up (log: {out_dir / (name + '-server.log')})")
    finally:
        server.stop()
        shutil.copy(server.log, out_dir / f"{name}-server.log")
        shutil.rmtree(workdir, ignore_errors=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", action="append", default=None,
                        help="sqlite (a new file) or a PostgreSQL URL; repeat for several; default sqlite")
    parser.add_argument("--role", action="append", choices=sorted(LOGINS), default=None)
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--max-failures", type=int, default=0)
    parser.add_argument("--max-time", type=int, default=0,
                        help="seconds per role and database (schemathesis --max-time); 0: no limit")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "contract")
    parser.add_argument("--verbose", action="store_true", help="show schemathesis's own output")
    args = parser.parse_args(argv)
    args.role = args.role or ["admin", "supplier", "sme", "reviewer"]
    args.out.mkdir(parents=True, exist_ok=True)
    summary = []
    for url in args.database_url or ["sqlite"]:
        name = "sqlite" if url == "sqlite" else "postgresql" if url.startswith("postgresql") else url
        summary += run_database(name, None if url == "sqlite" else url, args, args.out)
    print("\n== schemathesis summary")
    for line in summary:
        print(line)
    # What fails the run: a server error, a response that breaks its documented schema, a traceback in the
    # server log. Other checks (a refused input the spec allows, a status the spec does not list) are
    # printed in the summary for the next reader, but they are findings about the spec, not outages.
    bad = [line for line in summary if any(f"{check} " in line for check in FATAL)
           or ("server tracebacks logged:" in line and "logged: 0;" not in line)]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
