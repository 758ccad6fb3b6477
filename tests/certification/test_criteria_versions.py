"""Eligibility criteria versions as an operator and a supplier live them: a stricter version loaded
over HTTP or with `axr criteria load` leaves earlier screenings alone and applies to applications
submitted once it is in force; a malformed version is refused with every problem listed."""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from certification.rules import DATA_DIR
from core import clock
from tests.api.designation_builders import Desk
from tests.cli.runner import axr_in_process


def criteria(version: str, effective_from: str, min_ai_staff: int) -> dict[str, Any]:
    """v1 with another version name, date and AI-staff minimum (criterion E2)."""
    doc = copy.deepcopy(yaml.safe_load((DATA_DIR / "criteria-v1.yaml").read_text(encoding="utf-8")))
    doc.update(version=version, effective_from=effective_from)
    (e2,) = [c for c in doc["criteria"] if c["code"] == "E2"]
    e2["params"]["min"] = min_ai_staff
    return doc


def submitted(desk: Desk) -> dict[str, Any]:
    """A new supplier with 12 AI staff submits an application; screening runs at once."""
    s, app_id = desk.draft(desk.supplier(ai_staff=12))
    return desk.post(f"/v1/applications/{app_id}/submit", s.token)


def screening_of(desk: Desk, app_id: str) -> tuple[str, str, dict[str, Any]]:
    r = desk.client.get(f"/v1/applications/{app_id}", headers=desk.admin)
    assert r.status_code == 200, r.text
    body = r.json()
    return body["state"], body["criteria_version"], body["screening"]


def e2(app: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in app["screening"]["results"] if r["code"] == "E2")


def test_a_stricter_version_loaded_over_http_applies_only_to_new_applications(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine, n_reviewers=0)
    first = submitted(desk)
    assert (first["state"], first["criteria_version"], e2(first)["outcome"]) == ("under_review", "v1", "pass")
    before = screening_of(desk, first["id"])

    today = clock.now().date().isoformat()
    r = client.post("/v1/admin/criteria", json=criteria("v2", today, 20), headers=desk.admin)
    assert r.status_code == 201, r.text
    assert (r.json()["version"], r.json()["effective_from"]) == ("v2", today)
    assert [c["version"] for c in client.get("/v1/criteria", headers=desk.admin).json()] == ["v1", "v2"]

    assert screening_of(desk, first["id"]) == before  # screened with v1, stays screened with v1

    later = submitted(desk)
    assert later["criteria_version"] == "v2"
    assert later["state"] == "rejected"  # a definite fail stops at screening
    assert e2(later)["outcome"] == "fail"
    assert "AI 전문 인력 12명으로 기준(20명 이상)에 미달" in e2(later)["reason_ko"]
    assert screening_of(desk, first["id"]) == before

    again = client.post("/v1/admin/criteria", json=criteria("v2", today, 25), headers=desk.admin)
    assert again.status_code == 409  # a version is immutable once loaded


def test_a_version_loaded_with_the_cli_takes_effect_on_its_date(client, mint, engine, settings,
                                                               tmp_path: Path) -> None:
    desk = Desk.open(client, mint, engine, n_reviewers=0)
    first = submitted(desk)
    before = screening_of(desk, first["id"])

    starts = clock.now().date() + timedelta(days=30)
    path = tmp_path / "criteria-v3.yaml"
    document = criteria("v3", starts.isoformat(), 30)
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = axr_in_process(settings, "criteria", "load", str(path))
    assert result.exit_code == 0, result.output
    assert "loaded criteria v3" in result.output

    assert screening_of(desk, first["id"]) == before
    not_yet = submitted(desk)
    assert (not_yet["criteria_version"], not_yet["state"]) == ("v1", "under_review")

    clock.advance(timedelta(days=31))
    after = submitted(desk)
    assert (after["criteria_version"], after["state"], e2(after)["outcome"]) == ("v3", "rejected", "fail")
    assert screening_of(desk, first["id"]) == before
    assert screening_of(desk, not_yet["id"])[1] == "v1"


def _malformed() -> dict[str, Any]:
    doc = criteria("v9", "not-a-date", 20)
    doc["criteria"][1]["kind"] = "min_staff"
    doc["criteria"][2]["params"]["min_ratio"] = 5
    return doc


PROBLEMS = ("'effective_from' must be a date", "unknown kind 'min_staff'",
            "param 'min_ratio' has an invalid value")


def test_a_malformed_version_is_refused_with_every_problem(client, mint, engine, settings,
                                                           tmp_path: Path) -> None:
    desk = Desk.open(client, mint, engine, n_reviewers=0)
    listed = client.get("/v1/criteria", headers=desk.admin).json()

    r = client.post("/v1/admin/criteria", json=_malformed(), headers=desk.admin)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"].endswith("/criteria-invalid")
    for problem in PROBLEMS:
        assert any(problem in p for p in body["problems"]), (problem, body["problems"])
    assert len(body["problems"]) == len(PROBLEMS)

    path = tmp_path / "criteria-v9.yaml"
    path.write_text(yaml.safe_dump(_malformed(), allow_unicode=True), encoding="utf-8")
    result = axr_in_process(settings, "criteria", "load", str(path))
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    for problem in PROBLEMS:
        assert problem in text, text

    path.write_text("version: v9\ncriteria: [unclosed\n", encoding="utf-8")
    result = axr_in_process(settings, "criteria", "load", str(path))
    assert result.exit_code == 1
    assert "심사 기준 파일의 YAML 형식이 올바르지 않습니다" in result.output  # one Korean line (cli.errors)

    assert client.get("/v1/criteria", headers=desk.admin).json() == listed
    assert submitted(desk)["criteria_version"] == "v1"
