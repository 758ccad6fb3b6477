"""Every shell block of README.md and docs/*.md that a reader is told to run runs as written against a
real `axr serve --demo` (on a free port, in a folder laid out like a clone; PostgreSQL when the suite
runs there), and every response the docs show is the response the service gives (tests/docs/runner.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.cli.server import serve
from tests.conftest import ON_POSTGRES, TEST_URL
from tests.docs.runner import ILLUSTRATIVE, ROOT, RUNNABLE, blocks, problems, run, runnable, shapes

SCHEMA = "axr_docs"
DOCS = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]


def _clone_layout(folder: Path) -> None:
    """The repository's tracked top-level entries as links, so `certification/data/...` and `.venv/bin/axr`
    resolve as in a clone, while the database, ./var and whatever the docs write stay in `folder`."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in sorted({line.split("/", 1)[0] for line in tracked.splitlines()} | {".venv"}):
        if (ROOT / name).exists() and not (folder / name).exists():
            (folder / name).symlink_to(ROOT / name)


@contextmanager
def _own_schema() -> Iterator[str | None]:
    """On PostgreSQL, the suite's database with a schema of the docs' own first on the search path: the
    suite empties `public` after every test, and the documents build on each other across tests."""
    if not ON_POSTGRES:
        yield None
        return
    from sqlalchemy import create_engine, text

    eng = create_engine(TEST_URL)
    with eng.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    try:
        yield TEST_URL + ("&" if "?" in TEST_URL else "?") + f"options=-csearch_path%3D{SCHEMA}"
    finally:
        with eng.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        eng.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("docs")
    _clone_layout(folder)
    with _own_schema() as database_url, serve(folder, "--demo", database_url=database_url, timeout=180) as s:
        yield s


@pytest.mark.parametrize("doc", DOCS)
def test_the_blocks_of_a_document_run_and_answer_as_documented(server, doc: str) -> None:
    env = {**server.env, "API": server.url}
    env.pop("AXR_DATA_DIR")  # the docs run from the server's folder, with its ./var and ./axr.db
    if not ON_POSTGRES:
        env.pop("AXR_DATABASE_URL")
    health = httpx.get(server.url + "/v1/health", timeout=60).json()
    assert health["database"] == ("postgresql" if ON_POSTGRES else "sqlite")
    outcome = run(doc, server.folder, env)
    out = outcome.output
    assert outcome.result.returncode == 0, out[-6000:]
    assert out.rstrip().endswith("=== done"), out[-6000:]
    found = problems(doc, outcome)
    assert not found, "\n".join(found) + "\n---\n" + out[-3000:]


def test_every_block_is_run_or_listed() -> None:
    """A new shell, python or json block is run (json: checked as the response shape of the shell block
    before it) unless it joins ILLUSTRATIVE with a reason; a listed block that is gone is removed."""
    present = {(b.doc, b.first_line) for d in DOCS for b in blocks(d)}
    assert set(ILLUSTRATIVE) <= present, set(ILLUSTRATIVE) - present
    assert all(reason.strip() for reason in ILLUSTRATIVE.values())
    for d in DOCS:
        for b in blocks(d):
            if b.lang == "json" and not b.illustrative:
                assert b.after_shell is not None, f"{d} block {b.index}: a json block that follows no shell block"
    counted = {d: (len(runnable(d)), len(shapes(d))) for d in DOCS}
    assert counted["README.md"][1] >= 5, counted
    assert counted["docs/designation.md"][1] >= 5, counted
    assert all(b.lang in RUNNABLE for d in DOCS for b in runnable(d))
