"""Run the shell blocks of the project's docs as a reader would: one terminal per document, in a folder
beside a running `axr serve --demo`, the blocks in order (variables one block defines, the next uses).

A block runs under `set -euo pipefail` with `curl` failing on an HTTP error (`--fail-with-body`), so a
call that answers 4xx/5xx stops the document; a block that documents an error answer (`# -> 422`) runs
with plain curl and its status is checked instead. Blocks that are not meant to be run are listed in
ILLUSTRATIVE with the reason."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)
EXPECTED = re.compile(r"#\s*->\s*(\d{3})\b")

# (document, the block's first line) -> why it is not run
ILLUSTRATIVE: dict[tuple[str, str], str] = {
    ("README.md", "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/axr serve --demo"):
        "installs and starts the service: the runner starts `axr serve --demo` itself, on a free port",
    ("README.md", "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"):
        "runs this test suite (the runner is part of it)",
    ("README.md", "pip install openapi-python-client"):
        "downloads a package; tests/api/test_generated_client.py generates and runs the client",
}


@dataclass(frozen=True)
class Block:
    doc: str
    index: int
    code: str

    @property
    def first_line(self) -> str:
        return self.code.strip().splitlines()[0].strip()

    @property
    def expected_status(self) -> int | None:
        found = EXPECTED.search(self.code)
        status = int(found.group(1)) if found else None
        return status if status is not None and status >= 400 else None


def blocks(doc: str) -> list[Block]:
    text = (ROOT / doc).read_text(encoding="utf-8")
    return [Block(doc, i, m.group(1)) for i, m in enumerate(FENCE.finditer(text))]


def runnable(doc: str) -> list[Block]:
    return [b for b in blocks(doc) if (b.doc, b.first_line) not in ILLUSTRATIVE]


def script(doc: str) -> str:
    """The document's runnable blocks as one bash script; each block's last HTTP status is kept."""
    parts = ["set -euo pipefail", "exec 2>&1"]
    for b in runnable(doc):
        parts.append(f"echo '=== {b.doc} block {b.index}: {b.first_line[:80].replace(chr(39), '')}'")
        if b.expected_status:
            parts.append('curl() { command curl -w "\\nHTTP %{http_code}\\n" "$@"; }')
        else:
            parts.append('curl() { command curl --fail-with-body -w "\\n" "$@"; }')
        parts.append(b.code)
    parts.append("echo '=== done'")
    return "\n".join(parts) + "\n"


def run(doc: str, folder: Path, env: dict[str, str], timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", script(doc)], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
