"""Bulk import of candidates: Korean headers, UTF-8 or CP949, bad rows reported and good rows kept."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from core.errors import Invalid
from core.principal import Principal
from programme import cohorts
from programme.models import CohortMember
from programme.schemas import CohortCreate
from registry.bizno import with_check_digit
from registry.models import Sme
from tests.cli.runner import axr, axr_in_process

ADMIN = Principal(sub="test-admin", role="admin", org="ministry")
GOOD1, GOOD2 = with_check_digit("301810001"), with_check_digit("301810002")
CSV = ("사업자등록번호,기업명,업종,지역,스마트공장수준\n"
       f"{GOOD1},가온정밀 주식회사,C25,경남,기초\n"
       "123-45-67890,번호오류 주식회사,C99,서울,최고\n"
       f"{GOOD2},다올식품 주식회사,C10,전북,intermediate1\n")


def test_cp949_import_reports_the_bad_row_and_keeps_the_rest(session):
    cohort = cohorts.create_cohort(session, data=CohortCreate(year=2026, capacity=2, name_ko="2026년 기수"))
    report = cohorts.import_candidates(session, cohort=cohort, raw=CSV.encode("cp949"), p=ADMIN)
    assert report.encoding == "cp949"
    assert (report.rows, report.imported) == (3, 2)
    assert [e.line for e in report.errors] == [3]
    # Korean, naming each column by its header and the levels by the names the file takes
    assert report.errors[0].reasons == [
        "사업자등록번호는 형식이 올바르지 않습니다 (000-00-00000, 국세청 검증 숫자 포함)",
        "업종은 한국표준산업분류(10차) 중분류 코드가 아닙니다 (예: C22)",
        "스마트공장수준은 허용된 값 중 하나여야 합니다 (기초, 중간1, 중간2, 고도화)"]
    assert [r.split(":")[0] for r in report.errors[0].reasons_en] == [
        "business number", "industry (KSIC)", "smart-factory level"]
    sme = session.scalars(select(Sme).where(Sme.business_number == GOOD1)).one()
    assert (sme.name_ko, sme.smart_factory_level, sme.status) == ("가온정밀 주식회사", "basic", "candidate")
    again = cohorts.import_candidates(session, cohort=cohort, raw=CSV.encode("utf-8-sig"), p=ADMIN)
    assert (again.encoding, again.imported, again.already_candidates) == ("utf-8-sig", 0, 2)
    assert session.scalar(select(func.count()).select_from(CohortMember)) == 2


def test_selection_stops_at_capacity(session):
    cohort = cohorts.create_cohort(session, data=CohortCreate(year=2026, capacity=1, name_ko="2026년 기수"))
    cohorts.import_candidates(session, cohort=cohort, raw=CSV.encode(), p=ADMIN)
    first, second = [m.sme_id for m in cohorts.members(session, cohort)]
    member = cohorts.change_member(session, cohort=cohort, sme_id=first, action="select", p=ADMIN, reason=None)
    assert member.state == "selected"
    assert member.selected_on is not None
    assert session.get(Sme, first).status == "selected"
    assert session.get(Sme, first).cohort_year == 2026
    from programme.errors import CohortFull

    with pytest.raises(CohortFull):
        cohorts.change_member(session, cohort=cohort, sme_id=second, action="select", p=ADMIN, reason=None)


def test_missing_columns_refuse_the_file(session):
    cohort = cohorts.create_cohort(session, data=CohortCreate(year=2026, capacity=1, name_ko="2026년 기수"))
    with pytest.raises(Invalid):
        cohorts.import_candidates(session, cohort=cohort, raw="기업명,지역\n가온,경남\n".encode(), p=ADMIN)


def test_cli_import_with_progress(settings, engine, tmp_path):
    path = tmp_path / "후보.csv"
    path.write_bytes(CSV.encode("cp949"))
    result = axr_in_process(settings, "cohort", "import", str(path), "--year", "2027")
    assert result.exit_code == 1  # one row refused
    report = json.loads(result.stdout)
    assert (report["imported"], [e["line"] for e in report["errors"]]) == (2, [3])
    assert "100%" in result.stderr  # the bar ends full although a row was refused


def test_cli_import_says_the_refused_rows_in_korean_and_in_english_when_asked(settings, engine, tmp_path):
    path = tmp_path / "후보.csv"
    path.write_bytes(CSV.encode("cp949"))
    korean = axr(settings, "cohort", "import", str(path), "--year", "2027", lang="C.UTF-8")
    assert korean.returncode == 1
    lines = korean.stderr.splitlines()
    assert ("후보.csv 3번째 줄 123-45-67890: 사업자등록번호는 형식이 올바르지 않습니다 (000-00-00000, 국세청 "
            "검증 숫자 포함); 업종은 한국표준산업분류(10차) 중분류 코드가 아닙니다 (예: C22); "
            "스마트공장수준은 허용된 값 중 하나여야 합니다 (기초, 중간1, 중간2, 고도화)") in lines, korean.stderr
    assert lines[-1] == "등록 2건, 이미 후보 0건, 거부 1건 (인코딩 CP949)"
    for lang, args in (("en_US.UTF-8", ()), ("C.UTF-8", ("--lang", "en"))):
        english = axr(settings, *args, "cohort", "import", str(path), "--year", "2027", lang=lang)
        assert english.returncode == 1
        lines = english.stderr.splitlines()
        refused = next(line for line in lines if "line 3" in line)
        assert refused.startswith("후보.csv, line 3 123-45-67890: business number: "), refused
        assert "smart-factory level: must be one of" in refused
        assert "사업자등록번호" not in english.stderr
        assert lines[-1] == "0 imported, 2 already candidates, 1 refused (CP949)"
