"""openapi.yaml at the repository root is the contract portals generate clients from: it must equal the served spec."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_openapi_yaml_equals_served_spec(app):
    committed = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    served = app.openapi()
    assert committed == served, "openapi.yaml drifted from the app: run `axr openapi` and commit the result"


def test_spec_carries_korean_examples(app):
    text = yaml.safe_dump(app.openapi(), allow_unicode=True)
    assert "딥비전랩" in text
    assert "사출" in text
