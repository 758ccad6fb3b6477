"""The contract run: schemathesis over every operation of the served spec, as admin, supplier, sme and reviewer,
on SQLite and PostgreSQL, with every check and the stateful phase; it prints a summary and judges it.

Each database runs in a process of its own (tests/contract/database.py), in parallel: the app of
`axr serve --demo` in-process under schemathesis's engine, at least `--examples` (100) generated examples per
operation and role where the schema allows that many distinct requests, plus the examples and coverage
phases and the stateful phase (links inferred from the responses and the spec's dependencies).

    .venv/bin/python -m tests.contract.run [--database-url URL ...] [--examples N] [--role ROLE ...]

A PostgreSQL database given here is emptied first (its public schema is dropped). What fails the run: a server
error, a response that breaks its documented schema, a traceback in the app's log, an engine error, any other
check's failure that is not one of the known false positives below (each explained), operations with fewer than
`--examples` generated examples where the schema allows more (a role stopped by --role-seconds fails the run),
and with --strict also untriaged findings of the two data-acceptance checks (ADVISORY).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.contract.database import ROLES

ROOT = Path(__file__).resolve().parents[2]

# Failures of a check that are not defects of the registry, each with its reason: (check, operation regex,
# failure-title regex, the response statuses it may have, reason). A failure group is known only when every
# failing response had one of those statuses; anything else that fails, fails the run.
KNOWN: list[tuple[str, str, str, set[int], str]] = [
    # negative_data_rejection sends a body that breaks the schema and expects a 4xx "bad input" status. On an
    # update with If-Match (a version the resource no longer has: the coverage phase writes its own header
    # values), 412 comes first: RFC 9110 13.2.1 evaluates preconditions before the request content is
    # processed, so the answer to a stale If-Match is 412 whatever the body holds (tests/api/test_etag.py).
    ("negative_data_rejection", r"^PATCH ", r"", {412},
     "RFC 9110 13.2.1: a stale If-Match is answered 412 before the body is read"),
    # ensure_resource_availability follows a create link (POST a group, then POST to its members) and reads a
    # 404 as "the group just made is gone". The 404 names the SME the body refers to (`sme_id`): an unknown id
    # and an SME one may not see answer alike, so ids cannot be probed (tests/api/test_programme_groups.py).
    ("ensure_resource_availability", r"^POST /v1/programme/groups/\{group_id\}/(members|resources)$", r"", {404},
     "the 404 names the id in the body (an unknown SME or solution), not the group just created"),
]


# The two checks that compare what the spec allows with what the server accepts. A finding of theirs is a
# question about the spec (a rule the schema does not state, a type read laxly) or a business rule no JSON
# Schema can state (an SME not yet selected opens no project); each is printed "to triage", with its request,
# and fails the run only with --strict until it is triaged: fixed at the cause (two were: the NUL refusal is in
# the spec, a measure is a number) or listed in config.UNSTATABLE / KNOWN with its reason. Every other check
# (server errors, response schemas, statuses, headers, content types, auth ignored, use after free, resource
# availability, unsupported methods, Allow) fails the run on any failure.
ADVISORY = ("positive_data_acceptance", "negative_data_rejection")


def _known(check: str, operation: str, title: str, statuses: list[int | None] | None = None) -> str | None:
    for name, op_rx, title_rx, allowed, reason in KNOWN:
        if name == check and re.search(op_rx, operation) and re.search(title_rx, title) \
                and all(status in allowed for status in (statuses or [None])):
            return reason
    return None


def _statuses(sample: dict[str, Any]) -> list[int | None]:
    return sample.get("statuses") or [case.get("status") for case in sample["cases"]]


def _fmt_examples(counts: list[int]) -> str:
    return f"min {min(counts)} / median {int(statistics.median(counts))}" if counts else "none"


def summarise(result: dict[str, Any], examples: int, *, strict: bool = False) -> tuple[list[str], list[str]]:
    """Summary lines for one database, and the reasons it fails (empty: it passes)."""
    name = result["name"]
    lines: list[str] = []
    bad: list[str] = []
    operations: dict[str, int | None] = result["operations"]
    total = 0
    for role, run in result["roles"].items():
        cases = sum(run["by_phase"].values())
        total += cases
        counts = {op: run["per_operation"].get(op, 0) for op in operations}
        small = {op: n for op, n in counts.items() if n < examples}
        finite = {op: n for op, n in small.items() if operations[op] is not None and n >= operations[op]}
        short = {op: n for op, n in small.items() if op not in finite}
        covered = sum(1 for n in counts.values() if n > 0)
        phases = ", ".join(f"{k} {v}" for k, v in run["by_phase"].items())
        failed: dict[str, int] = {}
        for sample in run["samples"]:
            reason = _known(sample["check"], sample["operation"], sample["title"], _statuses(sample))
            key = sample["check"] + (" (known)" if reason else "")
            failed[key] = failed.get(key, 0) + 1
        failed_text = ", ".join(f"{k} on {v} operation(s)" for k, v in sorted(failed.items())) or "none"
        lines.append(f"{name}/{role}: {covered}/{len(operations)} operations, {cases} cases ({phases}); examples "
                     f"per operation {_fmt_examples(list(counts.values()))}; failed checks: {failed_text}; "
                     f"engine errors: {len(run['errors'])}; {run['seconds']:.0f} s")
        if run.get("stopped"):
            lines.append("    STOPPED at the time budget of a role (--role-seconds): operations not reached got fewer "
                         "examples (listed below)")
        if finite:
            lines.append(f"    fewer than {examples} because the schema allows no more distinct requests: "
                         + ", ".join(f"{op} ({n} of {operations[op]})" for op, n in sorted(finite.items())))
        if short:
            lines.append(f"    fewer than {examples} examples: "
                         + ", ".join(f"{op} ({n})" for op, n in sorted(short.items())))
            bad.append(f"{name}/{role}: {len(short)} operations below {examples} examples")
        for sample in run["samples"]:
            reason = _known(sample["check"], sample["operation"], sample["title"], _statuses(sample))
            first = sample["cases"][0] if sample["cases"] else {}
            text = (f"{sample['check']} on {sample['operation']}: {sample['title']} (status {first.get('status')}, "
                    f"{first.get('phase')}) {first.get('request', '')[:200]} -> {first.get('message', '')[:200]}")
            if reason:
                lines.append(f"    known, not a defect ({reason}): {text}")
            elif sample["check"] in ADVISORY and not strict:
                lines.append(f"    to triage: {text}")
            else:
                lines.append(f"    FAILED {text}")
                bad.append(f"{name}/{role}: {sample['check']} on {sample['operation']}")
        for error in run["errors"]:
            lines.append(f"    engine error: {error}")
            bad.append(f"{name}/{role}: engine error")
    tracebacks = result.get("tracebacks", [])
    lines.append(f"{name}: {total} cases for {len(result['roles'])} roles in {result.get('seconds', 0):.0f} s (set-up "
                 f"{result['setup_seconds']:.0f} s); server tracebacks logged: {len(tracebacks)}")
    for line in tracebacks[:10]:
        lines.append(f"    traceback: {line}")
    if tracebacks:
        bad.append(f"{name}: {len(tracebacks)} server tracebacks")
    for refusal, count in sorted(result.get("refusals", {}).items()):
        lines.append(f"    database refusal answered 409/422 ({count}x): {refusal}")
    return lines, bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", action="append", default=None,
                        help="sqlite (a new file) or a PostgreSQL URL; repeat for several; default sqlite")
    parser.add_argument("--role", action="append", choices=ROLES, default=None)
    parser.add_argument("--examples", type=int, default=100, help="generated examples per operation and role")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "contract")
    parser.add_argument("--role-seconds", type=float, default=0,
                        help="a safety net: stop a role's run after this long; the summary says so (0: never)")
    parser.add_argument("--strict", action="store_true",
                        help="also fail on untriaged positive/negative data findings")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    children = []
    for url in args.database_url or ["sqlite"]:
        name = "sqlite" if url.startswith("sqlite") else "postgresql" if url.startswith("postgresql") else url
        out = args.out / f"{name}.json"
        out.unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "tests.contract.database", "--database-url", url, "--name", name,
               "--out", str(out), "--examples", str(args.examples), "--seed", str(args.seed),
               "--role-seconds", str(args.role_seconds)]
        for role in args.role or ROLES:
            cmd += ["--role", role]
        # One process per database, side by side: each is one core's work (the engine and the app share a GIL).
        children.append((name, out, subprocess.Popen(cmd, cwd=ROOT)))
    summary: list[str] = []
    failing: list[str] = []
    for name, out, child in children:
        rc = child.wait()
        if rc != 0 or not out.exists():
            summary.append(f"{name}: the run did not finish (exit {rc})")
            failing.append(f"{name}: exit {rc}")
            continue
        lines, bad = summarise(json.loads(out.read_text(encoding="utf-8")), args.examples, strict=args.strict)
        summary += lines
        failing += bad
    summary.append(f"contract run: {'FAILED: ' + '; '.join(failing[:20]) if failing else 'passed'} "
                   f"({time.monotonic() - started:.0f} s wall; JSON in {args.out})")
    print("\n== schemathesis summary")
    for line in summary:
        print(line)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
