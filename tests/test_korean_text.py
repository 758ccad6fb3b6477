"""Korean a person reads: particles after a consonant, a vowel and ㄹ; and the scan of every Korean
problem, validation message, match reason and page string that the whole run rendered (collected by
tests/korean_scan.py; this module's last test runs after every other test of the run)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from core.korean import date_ko, datetime_ko, duration_ko, josa, krw
from tests import korean_scan
from tests.conftest import bearer

CODES = korean_scan.internal_codes()


@pytest.mark.parametrize(("word", "p", "expected"), [
    ("2억 원", "이", "2억 원이"), ("파일", "을", "파일을"), ("서울", "으로", "서울로"),  # ㄴ, ㄹ
    ("공장", "로", "공장으로"), ("학교", "로", "학교로"), ("200,000,000원", "를", "200,000,000원을"),
    ("이벤트 120", "가", "이벤트 120이"), ("기업", "와", "기업과"), ("누리비전", "과", "누리비전과"),
    ("지정번호 AXR-2026-7KQM-P3XD-H", "을", "지정번호 AXR-2026-7KQM-P3XD-H를"),
])
def test_particles_follow_the_final_sound(word, p, expected):
    assert josa(word, p) == expected


def test_dates_amounts_and_waits_read_as_korean():
    # 20:14 UTC on 2 September is 05:14 on 3 September in Seoul
    assert datetime_ko(datetime(2029, 9, 2, 20, 14, 20, tzinfo=UTC)) == "2029년 9월 3일 05:14(KST)"
    assert datetime_ko("2029-09-02T20:14:20.655544+00:00") == "2029년 9월 3일 05:14(KST)"
    assert date_ko(date(2026, 3, 1)) == "2026년 3월 1일"
    assert [krw(150_000_000), krw(200_000_000), krw(80_000_000)] == ["1.5억 원", "2억 원", "8,000만 원"]
    assert [duration_ko(45), duration_ko(1011), duration_ko(3600)] == ["45초", "16분 51초", "1시간"]


@pytest.mark.parametrize(("text", "found"), [
    ("기업 abc이(가) 없습니다", "particle placeholder"),
    ("심사 상태가 under_review입니다", "internal code 'under_review'"),
    ("이해충돌: recorded_relation", "internal code 'recorded_relation'"),
    ("수준(intermediate2)이 맞지 않습니다", "internal code 'intermediate2'"),
    ("지정서가 suspended 상태입니다", "internal code 'suspended'"),
    ("가능한 역할: supplier 이외에는 reviewer 역할이 맡습니다", "internal code 'reviewer'"),  # a list, not prose
    ("'under_review' 상태에서는 'submit' 작업을 할 수 없습니다", "internal code 'under_review'"),
    ("갱신은 2029-09-02T20:14:20.655544+00:00부터 가능합니다", "ISO timestamp"),
    ("동의어 사전 오류: `groups` must be a non-empty list", "English inside Korean"),
    ("값이 올바르지 않습니다 (Value error, not a valid business registration number)", "English inside Korean"),
])
def test_the_check_finds_machine_korean(text, found):
    assert any(f.startswith(found) for f in korean_scan.findings(text, CODES)), text


@pytest.mark.parametrize("text", [
    "갱신은 2029년 9월 3일 05:14(KST)부터 가능합니다", "'not_a_number'는 올바른 지정번호가 아닙니다",
    "예산 1.5억 원 이내", "사업자등록번호는 필수 항목입니다", "Reviewer under_review",  # not Korean: not scanned
    "/v1/public/certificates 주소로 확인하세요",
    "알 수 없는 역할입니다: 'boss' (가능한 역할: supplier, sme, reviewer, admin)",  # the option's values, to type
])
def test_the_check_passes_plain_korean(text):
    assert korean_scan.findings(text, CODES) == []


def test_the_collector_sees_what_the_app_renders(client, mint):
    """The hook is live in this run: a problem, a validation message and a page rendered here are collected."""
    r = client.post("/v1/companies", json={"name_ko": "한빛"}, headers=bearer(mint("supplier")))
    assert r.status_code == 422
    assert client.get("/pages/companies?lang=fr").status_code == 200
    assert client.get("/v1/public/certificates/AXR-2026-0000-0000-0").status_code in (404, 422)
    seen = korean_scan.COLLECTOR.strings
    assert "입력값이 올바르지 않습니다" in seen  # a problem title
    assert any(e["detail"] in seen for e in r.json()["errors"])
    assert "제조 AI 전문기업 지정 명단" in seen  # a page string


def test_a_code_quoted_back_from_the_request_path_is_the_callers_input(client, mint):
    """A fuzzer asks for /v1/projects/resume_review: the 404 quotes the caller's id back, which is its input,
    not the registry naming its own state; the same code quoted without coming from the request still fails."""
    r = client.get("/v1/programme/projects/resume_review", headers=bearer(mint("sme")))
    assert r.status_code == 404
    text = " ".join(r.json()["detail"].split())
    assert "'resume_review'" in text
    meta = korean_scan.COLLECTOR.strings[text]
    assert meta["echoed"] == ["resume_review"]
    assert korean_scan.findings(text, CODES, frozenset(meta["echoed"])) == []
    assert korean_scan.findings(text, CODES) == ["internal code 'resume_review'"]


def test_the_collector_sees_match_reasons_of_typed_routes(client, mint):
    """FastAPI writes typed responses as JSON bytes, past JSONResponse: the match reasons are collected too."""
    from tests.api.portal_helpers import designated

    designated(client, mint)
    r = client.post("/v1/match", json={"text": "사출품에 미성형 불량이 자주 나와요", "industry": "C22",
                                       "budget_krw": 150_000_000}, headers=bearer(mint("sme")))
    assert r.status_code == 200
    reasons = r.json()["matches"][0]["reasons_ko"]
    assert reasons
    assert set(reasons) <= set(korean_scan.COLLECTOR.strings)


def test_the_collector_sees_what_the_command_line_prints(settings, tmp_path):
    """`axr` in a subprocess: its Korean lines on stderr, and the reasons in the JSON it prints on stdout,
    reach the scan through the capture file (tests/korean_capture.py); the line keeps its test's name."""
    import os
    import subprocess

    from tests import korean_capture
    from tests.cli.runner import AXR, env_for

    assert os.environ["PYTHONPATH"].split(os.pathsep)[0] == str(korean_capture.SITE)
    bad = tmp_path / "빈파일.csv"
    bad.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AXR_", "LANG", "LC_"))}
    result = subprocess.run([str(AXR), "cohort", "import", str(bad), "--year", "2027"], capture_output=True,
                            text=True, env={**env, **env_for(settings), "LANG": "C.UTF-8"}, timeout=120, check=False)
    assert result.returncode == 1
    line = result.stderr.strip()
    rows = [r for r in korean_capture.entries() if r["text"] == line]
    assert rows
    assert rows[-1]["stream"] == "stderr"
    assert rows[-1]["test"].endswith("test_the_collector_sees_what_the_command_line_prints")
    # a machine-like line printed by a command is found like one an API body carries
    seen = korean_scan.Collector()
    capture = tmp_path / "capture.jsonl"
    capture.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"pid": 1, "stream": "stderr", "text": "오류: 3번째 줄: ksic: String should match pattern", "test": "t"},
        {"pid": 2, "stream": "stdout-json", "text": "", "test": "t",
         "body": {"errors": [{"line": 3, "reasons": ["수준(intermediate2)이 맞지 않습니다"]}]}},
    ]), encoding="utf-8")
    assert korean_capture.load(seen, capture) == 2
    found = {t: korean_scan.findings(t, CODES) for t in seen.strings}
    assert found == {"오류: 3번째 줄: ksic: String should match pattern": ["internal code 'ksic'"],
                     "수준(intermediate2)이 맞지 않습니다": ["internal code 'intermediate2'"]}, found


def test_the_suite_produced_no_machine_korean():
    """Runs last (tests/korean_scan.py orders it): every Korean string the run rendered or an `axr`
    process printed, checked."""
    korean_scan.collect_cli()
    strings = korean_scan.COLLECTOR.strings
    assert len(strings) >= 3, "the collector saw nothing: is tests/korean_scan.py loaded by tests/conftest.py?"
    problems = [{"text": t, **meta, "findings": f} for t, meta in strings.items()
                if (f := korean_scan.findings(t, CODES, frozenset(meta.get("echoed", ()))))]
    report = korean_scan.write_report(problems)
    assert json.loads(report.read_text(encoding="utf-8"))["strings"] == len(strings)
    assert not problems, f"{len(problems)} of {len(strings)} Korean strings read like a machine " \
        f"(all in {report}):\n" + "\n".join(f"{p['findings']}: {p['text'][:160]!r} ({p['test']})"
                                             for p in problems[:40])
