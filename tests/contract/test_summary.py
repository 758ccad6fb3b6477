"""How the contract run judges what schemathesis saw: what fails CI, what is only reported."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract import run
from tests.contract.database import finite_inputs


def _result(per_operation: dict[str, int], samples: list[dict[str, Any]] | None = None,
            operations: dict[str, int | None] | None = None, tracebacks: list[str] | None = None) -> dict[str, Any]:
    return {"name": "sqlite", "seconds": 10.0, "setup_seconds": 1.0, "tracebacks": tracebacks or [],
            "operations": operations or {op: None for op in per_operation},
            "roles": {"admin": {"by_phase": {"fuzzing": sum(per_operation.values())}, "per_operation": per_operation,
                                "samples": samples or [], "errors": [], "seconds": 9.0}}}


def _sample(check: str, operation: str = "POST /v1/companies", title: str = "Server error") -> dict[str, Any]:
    return {"check": check, "operation": operation, "title": title,
            "cases": [{"status": 500, "phase": "fuzzing", "request": "POST /v1/companies {}", "message": "boom"}]}


def test_a_clean_run_passes_and_reports_examples_per_operation() -> None:
    lines, bad = run.summarise(_result({"GET /v1/companies": 150, "POST /v1/companies": 120}), 100)
    assert bad == []
    assert "2/2 operations" in lines[0]
    assert "min 120 / median 135" in lines[0]


def test_a_server_error_or_any_unlisted_check_failure_fails_the_run() -> None:
    for check in ("not_a_server_error", "response_schema_conformance", "use_after_free", "ignored_auth"):
        _, bad = run.summarise(_result({"POST /v1/companies": 150}, [_sample(check)]), 100)
        assert bad == [f"sqlite/admin: {check} on POST /v1/companies"]


def test_an_untriaged_data_acceptance_finding_is_printed_and_fails_only_when_strict() -> None:
    result = _result({"POST /v1/companies": 150}, [_sample("positive_data_acceptance")])
    lines, bad = run.summarise(result, 100)
    assert bad == []
    assert any(line.startswith("    to triage: positive_data_acceptance on POST /v1/companies") for line in lines)
    _, bad = run.summarise(result, 100, strict=True)
    assert bad == ["sqlite/admin: positive_data_acceptance on POST /v1/companies"]


def test_a_known_false_positive_is_printed_with_its_reason_and_does_not_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "KNOWN", [("negative_data_rejection", r"^POST /v1/companies$", "", {500}, "the reason")])
    lines, bad = run.summarise(_result({"POST /v1/companies": 150}, [_sample("negative_data_rejection")]), 100)
    assert bad == []
    assert any("known, not a defect (the reason)" in line for line in lines)
    # the same check answered with a status the reason does not explain is a failure
    other = {**_sample("negative_data_rejection"), "statuses": [500, 200]}
    _, bad = run.summarise(_result({"POST /v1/companies": 150}, [other]), 100, strict=True)
    assert bad == ["sqlite/admin: negative_data_rejection on POST /v1/companies"]


def test_too_few_examples_are_printed_and_fail_unless_the_schema_allows_no_more() -> None:
    ops = {"GET /v1/health": 1, "GET /v1/companies": None}
    result = _result({"GET /v1/health": 3, "GET /v1/companies": 40}, operations=ops)
    lines, bad = run.summarise(result, 100)
    assert any("allows no more distinct requests: GET /v1/health (3 of 1)" in line for line in lines)
    assert any("fewer than 100 examples: GET /v1/companies (40)" in line for line in lines)
    assert bad == ["sqlite/admin: 1 operations below 100 examples"]
    _, bad = run.summarise(_result({"GET /v1/health": 3, "GET /v1/companies": 140}, operations=ops), 100)
    assert bad == []


def test_a_traceback_in_the_app_log_fails_the_run() -> None:
    _, bad = run.summarise(_result({"GET /v1/companies": 150}, tracebacks=["unhandled error on /v1/x"]), 100)
    assert bad == ["sqlite: 1 server tracebacks"]


def test_finite_inputs_counts_enums_and_booleans_and_gives_up_on_free_values() -> None:
    spec = {"paths": {
        "/a": {"get": {}},
        "/b": {"get": {"parameters": [{"in": "query", "name": "f", "schema": {"enum": ["json", "csv"]}},
                                      {"in": "query", "name": "all", "schema": {"type": "boolean"}}]}},
        "/c": {"get": {"parameters": [{"in": "query", "name": "q", "schema": {"type": "string"}}]}},
        "/d": {"post": {"requestBody": {}}}}}
    assert finite_inputs(spec, "/a", "GET") == 1
    assert finite_inputs(spec, "/b", "GET") == 9  # (2 + absent) x (2 + absent)
    assert finite_inputs(spec, "/c", "GET") is None
    assert finite_inputs(spec, "/d", "POST") is None
