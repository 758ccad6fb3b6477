"""Run the shell blocks of the project's docs as a reader would: one terminal per document, in a folder
laid out like a clone beside a running `axr serve --demo`, the blocks in order (variables one block
defines, the next uses), and check every response the docs show against the response the service gave.

How a document states what comes back (docs/README for authors, kept here beside the code that reads it):

* `# -> STATUS [MEDIA-TYPE] [SHAPE]` on a comment line of a shell block, after a command, is about the
  last HTTP call made before it: `# -> 201 {"id": "...", "name_ko": "딥비전랩 주식회사", ...}`. The shape
  may go on over the following comment lines until its brackets close (`#  "reasons_ko": [...]}`), or
  start on the next comment line after `# -> 422 application/problem+json`. Text after the shape is prose.
* A ```json block right after a shell block (prose between is fine) is the shape of that block's last
  HTTP call.
* A shape is JSON with elisions: `...` as a value is anything; `...` as the last member of an object or
  item of an array means "and more" (without it the keys, or the number of items, must be exactly those
  shown); a string containing `...` is a pattern (`"AXR-..."`); any other string must be equal; numbers,
  booleans and null must be of the same type (their values vary between runs). Each item shown in an
  array must match a different item of the real array, in any order.
* Every call that answers 4xx or 5xx must be documented by a marker with that status; an undocumented
  error stops the document (`curl` fails as with `--fail-with-body`).

Blocks that are not meant to be run are listed in ILLUSTRATIVE with the reason; a ```json block that
is not a response shape is listed there too."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.docs.shapes import match, parse_shape

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)
SHELL = {"bash", "sh"}
RUNNABLE = SHELL | {"python"}  # python blocks are listed illustrative (each with the test that runs it)
MARKER = re.compile(r"^\s*#\s*->\s*(?:(\d{3})\b)?\s*(?:([a-z]+/[\w.+-]+))?\s*(.*)$")

# (document, the block's first line) -> why it is not run
ILLUSTRATIVE: dict[tuple[str, str], str] = {
    ("README.md", "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/axr serve --demo"):
        "installs and starts the service: the runner starts `axr serve --demo` itself, on a free port",
    ("README.md", "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"):
        "runs this test suite (the runner is part of it); .ci/run runs this exact command",
    ("README.md", "pip install openapi-python-client"):
        "downloads a package; tests/api/test_generated_client.py generates the client from openapi.yaml",
    ("README.md", "import httpx"):
        "a loop for a portal's own code, defining follow(); the feed page it reads is the curl call after it, "
        "run and checked against its shape",
    ("README.md", "import base64, hashlib, hmac, json, time"):
        "a function for a webhook receiver; tests/portal/test_signing.py runs this block from the README "
        "against real signatures",
    ("README.md", "from axr_client import AuthenticatedClient, Client"):
        "needs the generated client; tests/api/test_generated_client.py generates it and runs this flow",
    ("docs/benchmarks.md", "# catalogues and query sets (seeded; written to var/bench/, 105 MB for 100k)"):
        "the benchmarks: tens of minutes at 100k on an otherwise idle machine, not a test run",
    ("docs/benchmarks.md", "# session 4: 100k, then latency and memory again on the folder the run printed"):
        "the session-4 benchmark commands: tens of minutes at 100k, not a test run",
    ("docs/benchmarks.md", "PYTHONPATH=$PWD .venv/bin/python bench/web_pages.py --n 50"):
        "the web pages benchmark: minutes of timed requests against a server of its own, not a test run",
    ("docs/benchmarks.md", "# SQLite: a new database file"):
        "the selection benchmark: generates 70,000 SMEs into an empty database of its own, not a test run",
    ("docs/programme.md", '{"year": 2027, "capacity": 12000, "waitlist_max": 2000,'):
        "a rule file's content, not a response; tests/programme/test_selection.py loads rules of this form",
    ("docs/programme.md", "# 선정 규칙 등록과 선정 실행 (관리자 = 사업 담당관) / load the rule, run the selection"):
        "needs a population with confirmed levels and sales (bench/gen_programme.py writes one into an empty "
        "database), and a run would re-decide the demo's 2027 round (cli/demo_population.py); "
        "tests/programme/test_selection.py runs these steps, over HTTP too, on a hand-computed population",
    ("docs/meilisearch.md", "# a local server (Docker); pin the version you deploy"):
        "needs Docker and a Meilisearch server, which cannot run here (see the page)",
}


@dataclass(frozen=True)
class Marker:
    """A documented response: of the last HTTP call before `line` of the block (or of the block's last)."""
    label: str
    status: int | None
    media_type: str | None
    shape: str | None
    line: int  # index of the block's line after which the marker is checked


@dataclass(frozen=True)
class Block:
    doc: str
    index: int
    lang: str
    code: str
    after_shell: int | None = None  # for a json block: the shell block before it

    @property
    def first_line(self) -> str:
        return self.code.strip().splitlines()[0].strip()

    @property
    def illustrative(self) -> bool:
        return (self.doc, self.first_line) in ILLUSTRATIVE

    def markers(self) -> list[Marker]:
        lines = self.code.splitlines()
        out: list[Marker] = []
        i = 0
        while i < len(lines):
            m = MARKER.match(lines[i])
            if not m:
                i += 1
                continue
            status = int(m.group(1)) if m.group(1) else None
            rest, end = m.group(3).strip(), i
            if not rest.startswith(("{", "[")) and i + 1 < len(lines) and \
                    lines[i + 1].lstrip().lstrip("#").strip().startswith(("{", "[")):
                end, rest = i + 1, lines[i + 1].lstrip().lstrip("#").strip()
            shape = None
            if rest.startswith(("{", "[")):
                text = rest
                while _depth(text) > 0 and end + 1 < len(lines) and lines[end + 1].lstrip().startswith("#"):
                    end += 1
                    text += "\n" + lines[end].lstrip().lstrip("#")
                shape = text[:_balanced_end(text)]
            out.append(Marker(f"{self.index}.{len(out)}", status, m.group(2), shape, end))
            i = end + 1
        return out


def _scan(text: str) -> tuple[int, int]:
    """(depth of brackets outside strings at the end, offset just after the first top-level value closes)."""
    depth, in_str, esc, close = 0, False, False, -1
    for k, ch in enumerate(text):
        if in_str:
            esc, in_str = (False, in_str) if esc else (ch == "\\", ch != '"')
            continue
        if ch == '"':
            in_str = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0 and close < 0:
                close = k + 1
    return depth, close


def _depth(text: str) -> int:
    return _scan(text)[0]


def _balanced_end(text: str) -> int:
    close = _scan(text)[1]
    return close if close > 0 else len(text)


def blocks(doc: str) -> list[Block]:
    text = (ROOT / doc).read_text(encoding="utf-8")
    out: list[Block] = []
    last_shell: int | None = None
    for i, m in enumerate(FENCE.finditer(text)):
        lang = m.group(1) or ""
        after = last_shell if lang == "json" and out and out[-1].lang in SHELL else None
        block = Block(doc, i, lang, m.group(2), after)
        if lang in SHELL:
            last_shell = i
        out.append(block)
    return out


def runnable(doc: str) -> list[Block]:
    return [b for b in blocks(doc) if b.lang in RUNNABLE and not b.illustrative]


def shapes(doc: str) -> list[tuple[Block, Marker]]:
    """Every documented response of a document: markers inside its shell blocks and json blocks after them."""
    out: list[tuple[Block, Marker]] = []
    run = {b.index for b in runnable(doc)}
    for b in blocks(doc):
        if b.index in run:
            out.extend((b, m) for m in b.markers())
        elif b.lang == "json" and b.after_shell in run and not b.illustrative:
            out.append((b, Marker(f"{b.after_shell}.json", None, None, b.code.strip(), -1)))
    return out


# The wrapper every documented `curl` goes through: the call is made as written (plus -sS), its status,
# media type and body are recorded, the body is printed as curl would, and an error status fails the
# command unless the document says it is expected (checked afterwards against the markers).
PRELUDE = r"""set -euo pipefail
exec 2>&1
: > "$AXR_DOCS_DIR/calls.tsv"; : > "$AXR_DOCS_DIR/marks.tsv"
curl() {
  local body meta rc=0
  body=$(mktemp "$AXR_DOCS_DIR/body.XXXXXX")
  meta=$(command curl -sS -o "$body" -w '%{http_code}\t%{content_type}' "$@") || rc=$?
  printf '%s\t%s\n' "$meta" "$body" >> "$AXR_DOCS_DIR/calls.tsv"
  cat "$body"; echo
  [ "$rc" -eq 0 ] || return "$rc"
  if [ "${meta%%$'\t'*}" -ge 400 ] && [ -z "${AXR_DOCS_ERRORS_DOCUMENTED:-}" ]; then
    echo "(undocumented HTTP ${meta%%$'\t'*})"; return 22
  fi
}
__axr_mark() { printf '%s\t%s\n' "$1" "$(wc -l < "$AXR_DOCS_DIR/calls.tsv")" >> "$AXR_DOCS_DIR/marks.tsv"; }
"""


def script(doc: str) -> str:
    """The document's runnable blocks as one bash script, with a mark after each documented response."""
    parts = [PRELUDE]
    for b in runnable(doc):
        parts.append(f"echo '=== {b.doc} block {b.index}: {b.first_line[:80].replace(chr(39), '')}'")
        parts.append(f"__axr_mark start.{b.index}")
        if b.lang == "python":
            parts.append(f".venv/bin/python - <<'AXR_DOCS_PY'\n{b.code}AXR_DOCS_PY")
            continue
        markers = b.markers()
        errors = any(m.status and m.status >= 400 for m in markers)
        parts.append("export AXR_DOCS_ERRORS_DOCUMENTED=1" if errors else "unset AXR_DOCS_ERRORS_DOCUMENTED")
        lines = b.code.splitlines()
        at = {m.line: m for m in markers}
        for k, line in enumerate(lines):
            parts.append(line)
            if k in at:
                parts.append(f"__axr_mark {at[k].label}")
        parts.append(f"__axr_mark {b.index}.json")
    parts.append("echo '=== done'")
    return "\n".join(parts) + "\n"


@dataclass
class Call:
    status: int
    media_type: str
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Run:
    result: subprocess.CompletedProcess[str]
    calls: list[Call]
    marks: dict[str, int] = field(default_factory=dict)  # label -> number of calls made by then

    @property
    def output(self) -> str:
        return self.result.stdout

    def call_at(self, label: str) -> Call | None:
        n = self.marks.get(label)
        return self.calls[n - 1] if n else None


def run(doc: str, folder: Path, env: dict[str, str], timeout: float = 300) -> Run:
    work = folder / ".docs-run" / doc.replace("/", "_")
    work.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["bash", "-c", script(doc)], cwd=folder, env={**env, "AXR_DOCS_DIR": str(work)},
                            capture_output=True, text=True, timeout=timeout, check=False)
    calls = []
    for row in (work / "calls.tsv").read_text(encoding="utf-8").splitlines():
        status, media, body = row.split("\t")
        calls.append(Call(int(status), media.split(";")[0].strip(),
                          Path(body).read_text(encoding="utf-8", errors="replace")))
    marks = dict((label, int(n)) for label, n in
                 (row.split("\t") for row in (work / "marks.tsv").read_text(encoding="utf-8").splitlines()))
    return Run(result, calls, marks)


def problems(doc: str, outcome: Run) -> list[str]:
    """What the document says and the service did not do: statuses, media types, shapes, undocumented errors."""
    out: list[str] = []
    documented: set[int] = set()
    for block, marker in shapes(doc):
        where = f"{doc} block {block.index} ({block.first_line[:50]}), response {marker.label}"
        n = outcome.marks.get(marker.label)
        start = outcome.marks.get(f"start.{block.after_shell if block.lang == 'json' else block.index}", 0)
        if n is None:
            out.append(f"{where}: not reached")
            continue
        if n <= start:
            out.append(f"{where}: no HTTP call before it in its block")
            continue
        call = outcome.calls[n - 1]
        if marker.status is not None:
            documented.add(n)
            if call.status != marker.status:
                out.append(f"{where}: HTTP {call.status}, documented {marker.status}: {call.body[:300]}")
        if marker.media_type and call.media_type != marker.media_type:
            out.append(f"{where}: {call.media_type}, documented {marker.media_type}")
        if marker.shape is not None:
            try:
                expected = parse_shape(marker.shape)
            except ValueError as exc:
                out.append(f"{where}: the documented shape does not parse: {exc}")
                continue
            try:
                real = call.json()
            except ValueError:
                out.append(f"{where}: the answer is not JSON: {call.body[:200]}")
                continue
            out.extend(f"{where}: {p}" for p in match(expected, real))
    for n, call in enumerate(outcome.calls, 1):
        if call.status >= 400 and n not in documented:
            out.append(f"{doc}: call {n} answered {call.status}, which no marker documents: {call.body[:300]}")
    return out
