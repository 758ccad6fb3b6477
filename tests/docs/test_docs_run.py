"""Every shell block of README.md and docs/*.md that a reader is told to run runs as written against a
real `axr serve --demo` (on a free port, its own folder; PostgreSQL when the suite runs there)."""

from __future__ import annotations

import pytest

from tests.cli.server import serve
from tests.conftest import ON_POSTGRES, TEST_URL
from tests.docs.runner import ROOT, blocks, run, runnable

DOCS = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]
NOT_YET = {  # documents whose examples are still being fixed: each fails until it runs (strict xfail)
    "docs/designation.md": "reviewers never registered, a decision after one review, criteria-v2.json, $APP",
    "docs/programme.md": "$NEED and $SME_ID never defined, the SME is not selected, candidates-2027.csv",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    if ON_POSTGRES:
        request.getfixturevalue("engine")  # the schema made (and emptied after) by the suite's fixture
    folder = tmp_path_factory.mktemp("docs")
    (folder / ".venv").symlink_to(ROOT / ".venv")  # the docs call .venv/bin/axr, as in a clone
    with serve(folder, "--demo", database_url=TEST_URL if ON_POSTGRES else None, timeout=180) as s:
        yield s


@pytest.mark.parametrize("doc", [pytest.param(d, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[d]))
                                 if d in NOT_YET else d for d in DOCS])
def test_the_shell_blocks_of_a_document_run(server, doc: str) -> None:
    env = {**server.env, "API": server.url}
    env.pop("AXR_DATA_DIR")  # the docs run from the server's folder, with its ./var and ./axr.db
    if not ON_POSTGRES:
        env.pop("AXR_DATABASE_URL")
    result = run(doc, server.folder, env)
    out = result.stdout
    assert result.returncode == 0, out[-4000:]
    assert out.rstrip().endswith("=== done"), out[-4000:]
    for block in runnable(doc):
        if block.expected_status:
            part = out.split(f"=== {doc} block {block.index}:", 1)[1].split("\n=== ", 1)[0]
            assert f"HTTP {block.expected_status}" in part, part


def test_every_block_is_run_or_listed() -> None:
    """A new block is run unless it joins ILLUSTRATIVE with a reason; a listed block that is gone is removed."""
    from tests.docs.runner import ILLUSTRATIVE

    present = {(b.doc, b.first_line) for d in DOCS for b in blocks(d)}
    assert set(ILLUSTRATIVE) <= present, set(ILLUSTRATIVE) - present
    assert all(reason.strip() for reason in ILLUSTRATIVE.values())
