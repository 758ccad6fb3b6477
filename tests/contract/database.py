"""The contract run on one database, in-process: the app of `axr serve --demo` under schemathesis's engine.

The database is migrated and loaded with the demo data exactly as `axr serve --demo` does; then, for each role,
schemathesis's engine (the one behind `schemathesis run`) runs the examples, coverage, fuzzing and stateful
phases with every check against the ASGI app, with that role's token. What it saw is written as JSON for
tests/contract/run.py to judge and print.

    .venv/bin/python -m tests.contract.database --database-url URL --out FILE [--role R ...] [--examples N]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LOGINS = {"admin": ("admin", "demo-password-admin"), "supplier": ("supplier01", "demo-password-s01"),
          "sme": ("sme01", "demo-password-m01"), "reviewer": ("reviewer01", "demo-password-r01")}
ROLES = ["admin", "supplier", "sme", "reviewer"]
PHASES = ["examples", "coverage", "fuzzing", "stateful"]
SAMPLES_PER_FAILURE = 3


def _environment(database_url: str, workdir: Path) -> None:
    """What `axr serve` would be started with, before any settings are read."""
    os.environ.update({
        "AXR_DATABASE_URL": database_url, "AXR_DATA_DIR": str(workdir / "data"),
        # tens of thousands of requests from one client: keep the per-IP and per-client limits out of the way,
        "AXR_RATE_LIMIT_PUBLIC": "100000000", "AXR_RATE_LIMIT_CLIENT": "100000000",
        # and the failed-login limits: fuzzing the token endpoint would lock the client out of logging in
        "AXR_LOGIN_MAX_FAILURES": "100000000", "AXR_LOGIN_MAX_FAILURES_IP": "100000000",
        "AXR_LOGIN_MAX_FAILURES_ACCOUNT": "100000000",
        "AXR_WORKER_EMBEDDED": "false", "AXR_TOKEN_TTL_SECONDS": "86400"})
    os.environ.pop("AXR_REDIS_URL", None)


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class ServerLog(logging.Handler):
    """The app's own log: tracebacks (an error nobody handled) and refusals the database made for the app."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.tracebacks: list[str] = []
        self.refusals: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info or record.levelno >= logging.ERROR:
            self.tracebacks.append(message[:300])
        elif message.startswith(("integrity error on", "data error on")):
            self.refusals[message.split(":", 1)[0][:160] + ": " + message.split(":", 1)[-1].strip()[:120]] += 1


def finite_inputs(spec: dict[str, Any], path: str, method: str) -> int | None:
    """How many distinct requests the schema allows for an operation when that is a small finite number
    (no parameters, or only enums and booleans); None when it is unbounded."""
    item = spec["paths"][path]
    op = item[method.lower()]
    if "requestBody" in op:
        return None
    total = 1
    for param in [*item.get("parameters", []), *op.get("parameters", [])]:
        if param.get("in") == "header" and param.get("name") == "If-Match":
            continue  # always `*` (config.py)
        schema = param.get("schema", {})
        values = len(schema["enum"]) if "enum" in schema else 2 if schema.get("type") == "boolean" else None
        if values is None:
            return None
        total *= values + (0 if param.get("required") else 1)
    return total


def _login(client: Any, role: str) -> str:
    username, password = LOGINS[role]
    r = client.post("/v1/oauth/token", data={"grant_type": "password", "username": username, "password": password})
    r.raise_for_status()
    return str(r.json()["access_token"])


def _config(path: Path, *, token: str, seed: int, examples: int) -> Any:
    """`schemathesis run --checks all --phases examples,coverage,fuzzing,stateful --max-examples N --seed S
    --continue-on-failure --suppress-health-check all -H 'Authorization: Bearer ...'` with our toml."""
    from schemathesis.config import HealthCheck, SchemathesisConfig

    config = SchemathesisConfig.from_path(path)
    config.update(suppress_health_check=[HealthCheck.all], seed=seed, max_failures=None, max_time=None, color=False)
    override = config.projects.override
    override.update(headers={"Authorization": f"Bearer {token}"}, workers=1, continue_on_failure=True,
                    request_timeout=60)
    override.phases.update(phases=PHASES)
    override.checks.update(included_check_names=["all"])
    override.generation.update(max_examples=examples)
    return config


def _describe(case: Any) -> str:
    query = "&".join(f"{k}={v!r}" for k, v in (case.query or {}).items())
    body = "" if type(case.body).__name__ == "NotSet" else " " + json.dumps(case.body, ensure_ascii=False,
                                                                             default=repr)[:240]
    return f"{case.method.upper()} {case.formatted_path}{'?' + query if query else ''}{body}"


def _only(schema: Any, path_regex: str) -> None:
    import inspect

    defaults = {name: () if "tuple" in str(p.annotation) else False if p.annotation == "bool" else None
                for name, p in inspect.signature(schema.config.operations.create_filter_set).parameters.items()}
    schema.filter_set = schema.config.operations.create_filter_set(**{**defaults, "include_path_regex": path_regex})


def run_role(app: Any, config_path: Path, *, role: str, token: str, seed: int, examples: int,
             include: str | None = None, budget: float = 0) -> dict[str, Any]:
    """One engine run as `role`: cases per operation and phase, failing checks with samples, engine errors."""
    import schemathesis
    from schemathesis.engine import Status, events, from_schema

    schema = schemathesis.openapi.from_asgi("/openapi.json", app,
                                            config=_config(config_path, token=token, seed=seed, examples=examples))
    if include:
        _only(schema, include)
    per_operation: Counter[str] = Counter()
    stateful_per_operation: Counter[str] = Counter()
    by_phase: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    samples: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    statuses: dict[tuple[str, str, str], set[int | None]] = {}
    errors: list[str] = []
    started = time.monotonic()
    stream = from_schema(schema).execute()
    stopped = False
    for event in stream:
        if budget and not stopped and time.monotonic() - started > budget:
            stream.stop()  # a safety net for CI's clock: the engine finishes the case in hand and reports
            stopped = True
        if isinstance(event, events.ScenarioFinished):
            phase = str(getattr(event.phase, "value", event.phase)).replace("stateful_testing", "stateful")
            recorder = event.recorder
            roots = [node.value for node in recorder.cases.values() if node.parent_id is None]
            if not event.is_final:
                by_phase[phase] += len(recorder.cases) if phase == "stateful" else len(roots)
                if phase == "stateful":
                    stateful_per_operation.update(node.value.operation.label for node in recorder.cases.values())
                else:
                    per_operation[recorder.label] += len(roots)
            for case_id, checks in recorder.checks.items():
                for check in checks:
                    if check.status != Status.FAILURE or check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    node = recorder.cases.get(case_id)
                    label = node.value.operation.label if node is not None else recorder.label
                    failures[check.name] += 1
                    bucket = samples.setdefault((check.name, label, failure.title), [])
                    interaction = recorder.interactions.get(case_id)
                    response = interaction.response if interaction is not None else None
                    statuses.setdefault((check.name, label, failure.title), set()).add(
                        response.status_code if response else None)
                    if len(bucket) < SAMPLES_PER_FAILURE:
                        bucket.append({"phase": phase, "status": response.status_code if response else None,
                                       "message": failure.message[:400],
                                       "request": _describe(node.value) if node is not None else ""})
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.title}: {event.info.message[:300]}")
        elif isinstance(event, events.EngineFinished):
            for failure in event.failures:
                failures[f"after_run:{failure.title}"] += 1
    return {"seconds": round(time.monotonic() - started, 1), "by_phase": dict(by_phase), "stopped": stopped,
            "per_operation": dict(per_operation), "stateful_per_operation": dict(stateful_per_operation),
            "failures": dict(failures), "errors": errors,
            "samples": [{"check": c, "operation": o, "title": t, "cases": s,
                         "statuses": sorted(statuses[(c, o, t)], key=lambda x: x or 0)}
                        for (c, o, t), s in samples.items()]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="sqlite (a new file) or a PostgreSQL URL (emptied)")
    parser.add_argument("--name", default=None)
    parser.add_argument("--role", action="append", choices=ROLES, default=None)
    parser.add_argument("--examples", type=int, default=100, help="hypothesis examples per operation and role")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--role-seconds", type=float, default=0, help="stop a role's run after this long (0: never)")
    parser.add_argument("--include", default=None, help="only operations whose path matches this regex (debugging)")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    roles = args.role or ROLES
    name = args.name or ("sqlite" if args.database_url == "sqlite" else "postgresql")
    workdir = Path(tempfile.mkdtemp(prefix=f"axr-contract-{name}-"))
    url = f"sqlite:///{workdir}/contract.db" if args.database_url == "sqlite" else args.database_url
    if url.startswith("postgresql"):
        _reset_postgres(url)
    _environment(url, workdir)
    os.chdir(workdir)  # nothing the app writes lands in the checkout
    sys.path.insert(0, str(ROOT))

    from schemathesis.python.asgi import get_client

    from api.app import create_app
    from cli.demo import load_demo
    from core import migrate
    from core.settings import get_settings
    from tests.contract.config import collect_cursors, collect_ids, write_config
    from tests.contract.speed import memoize_regex_strategies

    started = time.monotonic()
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.database_url)  # what `axr serve --demo` does before it serves
    demo = load_demo(only_if_empty=True)
    app = create_app()
    memoize_regex_strategies()
    log = ServerLog()
    logging.getLogger().addHandler(log)
    with get_client(app) as client:
        admin = _login(client, "admin")
        spec = client.get("/openapi.json").json()
        config_path = write_config(spec, collect_ids(client, admin), collect_cursors(client, admin),
                                   workdir / "schemathesis.toml")
        tokens = {role: _login(client, role) for role in roles}
    # As `axr serve` does at start-up and a load balancer waits for (/v1/health/ready answers 503 until then):
    # Kiwi and the index loaded and caught up before the first case.
    from api.routers.search import start_warm_up

    start_warm_up(app)
    if not app.state.search_warmed.wait(600) or not getattr(app.state, "search_ready", False):
        raise SystemExit(f"[{name}] search did not warm up: {app.state.search_warm_error}")
    operations = {f"{method.upper()} {path}": finite_inputs(spec, path, method)
                  for path, item in spec["paths"].items() for method in item
                  if method in ("get", "put", "post", "patch", "delete", "head", "options", "trace")}
    result: dict[str, Any] = {"name": name, "demo": demo, "setup_seconds": round(time.monotonic() - started, 1),
                              "operations": operations, "examples": args.examples, "roles": {}}
    print(f"[{name}] {demo}; {len(operations)} operations; set up in {result['setup_seconds']} s", flush=True)
    for index, role in enumerate(roles):
        # Each role its own seed, so the four runs do not send the same inputs with four tokens.
        outcome = run_role(app, config_path, role=role, token=tokens[role], seed=args.seed + index,
                           examples=args.examples, include=args.include, budget=args.role_seconds)
        result["roles"][role] = outcome
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")  # a partial view
        print(f"[{name}] {role}: {sum(outcome['by_phase'].values())} cases {outcome['by_phase']}, failed checks "
              f"{outcome['failures'] or 'none'}, {len(outcome['errors'])} errors, {outcome['seconds']} s", flush=True)
    result["tracebacks"] = log.tracebacks
    result["refusals"] = dict(log.refusals)
    result["seconds"] = round(time.monotonic() - started, 1)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
