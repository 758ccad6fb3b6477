"""`axr match` takes what POST /v1/match takes (the API's AdHocNeed), and the evaluation format's
`budget_million_krw` instead of `budget_krw`, and answers with the API's fields (plus `reasons`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching.schemas import MatchOut
from tests.cli.test_errors import catalogue, run

NEED = {"text": "사출품에 미성형 불량이 자주 나와요. 카메라로 자동 검사하고 싶습니다", "industry": "C22",
        "smart_factory_level": "basic", "region": "경기"}


def test_the_cli_takes_the_apis_need_and_the_eval_budget_alike(settings, engine, tmp_path: Path) -> None:
    cat = tmp_path / "cat.json"
    cat.write_text(json.dumps(catalogue(), ensure_ascii=False), encoding="utf-8")
    env = {"AXR_INDEX_DIR": str(tmp_path / "index")}
    imported = run(settings, "import-catalogue", str(cat), env=env)
    assert imported.returncode == 0, imported.stderr

    api = run(settings, "match", stdin=json.dumps({**NEED, "budget_krw": 150_000_000, "limit": 5}), env=env)
    assert api.returncode == 0, api.stderr
    evalfmt = run(settings, "match", stdin=json.dumps({**NEED, "budget_million_krw": 150}), env=env)
    assert evalfmt.returncode == 0, evalfmt.stderr

    matches = json.loads(api.stdout)["matches"]
    assert [m["ref"] for m in matches] == ["T01"]
    assert json.loads(evalfmt.stdout)["matches"] == matches  # the same budget, said two ways
    (m,) = matches
    assert set(m) == set(MatchOut.model_fields) | {"reasons"}
    assert m["reasons"] == m["reasons_ko"]
    assert any("1.5억 원" in r for r in m["reasons_ko"]), m["reasons_ko"]
    assert m["score"] == pytest.approx(sum(m["breakdown"].values()))  # as the API documents it
