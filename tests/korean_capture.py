"""The command line's share of the Korean-text scan: `axr` runs as a subprocess in many tests (the CLI
mistakes, the docs runner's shell blocks), and what it prints never passes through the in-process app's
renderer that tests/korean_scan.py wraps. At the start of the run this module puts tests/korean_site on
PYTHONPATH for every process the suite starts; its sitecustomize copies each Hangul line an `axr`
process writes to stdout or stderr into the run's capture file. `load` reads that file into the scan:
a process's stdout that is JSON is read as the API's bodies are (its reasons and problem texts), CSV it
was asked for is data and skipped, every other line is read as the Korean sentence it is."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SITE = Path(__file__).resolve().parent / "korean_site"
CAPTURE_VAR, TEST_VAR = "KOREAN_SCAN_CAPTURE", "KOREAN_SCAN_TEST"


def start(output_dir: Path) -> Path:
    """A fresh capture file for this run, and the environment every subprocess inherits."""
    output_dir.mkdir(parents=True, exist_ok=True)
    capture = output_dir / "korean-cli.jsonl"
    capture.unlink(missing_ok=True)
    os.environ[CAPTURE_VAR] = str(capture)
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(SITE)]
    os.environ["PYTHONPATH"] = os.pathsep.join([str(SITE), *paths])
    return capture


def current_test(nodeid: str) -> None:
    os.environ[TEST_VAR] = nodeid


def entries(capture: Path | None = None) -> list[dict[str, Any]]:
    path = capture or Path(os.environ.get(CAPTURE_VAR, ""))
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:  # a line cut by a killed process
            continue
    return out


def _csv(argv: list[str]) -> bool:
    """A command asked for CSV on stdout (axr report kpis --format csv): its lines are records of data."""
    return "--format=csv" in argv or any(a == "--format" and b == "csv" for a, b in zip(argv, argv[1:], strict=False))


def load(collector: Any, capture: Path | None = None) -> int:
    """Add what the `axr` processes printed to `collector`; returns how many lines were read."""
    rows = entries(capture)
    documents = {row.get("pid") for row in rows if row.get("stream") == "stdout-json"}
    documents |= {row.get("pid") for row in rows if _csv(row.get("argv") or [])}  # data records, not sentences
    for row in rows:
        test = row.get("test")
        if row.get("stream") == "stdout-json":  # stdout was one JSON document (axr match, axr report kpis)
            collector.from_json(None, row.get("body"), source="cli stdout", test=test)
        elif row.get("stream") == "stdout" and row.get("pid") in documents:
            continue  # a line of that document
        else:
            try:
                body = json.loads(row.get("text", ""))
            except ValueError:
                body = None
            if isinstance(body, dict | list):  # a JSON line (axr cohort import's report)
                collector.from_json(None, body, source="cli stdout", test=test)
            else:
                collector.add(row.get("text", ""), f"cli {row.get('stream')}",
                              request=" ".join(row.get("argv") or []), test=test)
    return len(rows)
