"""Validation errors in plain Korean: pydantic's error types and our own validators' messages as Korean
sentences that name the field by its Korean name (사업자등록번호는 형식이 올바르지 않습니다), with no
English or internal codes inside. English keeps pydantic's own message. Used by the API's problems and
by the domain's own reports of refused input (a cohort CSV's rows)."""

from __future__ import annotations

from typing import Any

from core.korean import josa

# Fields as a Korean form labels them; a field not listed is "입력값" (the pointer still names it).
FIELD_KO = {
    "business_number": "사업자등록번호", "name_ko": "국문 이름", "name_en": "영문 이름", "name": "이름",
    "region": "지역", "regions": "지역", "ksic": "업종(KSIC)", "industry": "업종", "industries": "업종",
    "smart_factory_level": "스마트공장 수준", "min_level": "최소 스마트공장 수준", "max_level": "최대 스마트공장 수준",
    "target_level": "목표 스마트공장 수준", "assessed_level": "진단 수준", "size_class": "기업 규모",
    "title_ko": "국문 제목", "title_en": "영문 제목", "title": "제목", "description_ko": "국문 설명",
    "description_en": "영문 설명", "description": "설명", "text": "내용", "note": "메모", "reason": "사유",
    "comments": "의견", "message": "메시지", "answer": "답변", "category": "분야", "categories": "분야",
    "deployment_mode": "배포 방식", "deployment_modes": "배포 방식", "price_min_krw": "최저 가격",
    "price_max_krw": "최고 가격", "max_price_krw": "최고 가격", "budget_krw": "예산", "budget_gov_krw": "정부지원 예산",
    "budget_own_krw": "자부담 예산", "amount_krw": "금액", "revenue_krw": "매출액", "rnd_krw": "연구개발비",
    "government_amount_krw": "정부지원금", "private_amount_krw": "민간 투자금", "lead_time_weeks": "도입 기간",
    "website": "홈페이지", "url": "주소(URL)", "contact_email": "담당자 이메일", "contact_phone": "담당자 전화번호",
    "representative": "대표자", "employees": "직원 수", "ai_staff": "AI 인력 수", "founded_on": "설립일",
    "year": "연도", "cohort_year": "선정 연도", "number": "지정번호", "certificate": "지정서",
    "valid_from": "유효기간 시작일", "valid_until": "유효기간 종료일", "deadline": "마감일", "on_date": "기준일",
    "started_on": "시작일", "completed_on": "완료일", "spent_on": "집행일", "selected_on": "선정일",
    "company_id": "기업", "sme_id": "수요기업", "solution_id": "솔루션", "need_id": "수요", "project_id": "과제",
    "consultant_id": "컨설턴트", "reviewer_sub": "심사위원", "scores": "점수", "rating": "평가 점수",
    "decision": "결정", "action": "동작", "stage": "단계", "program": "사업", "operator": "운영사",
    "source": "재원", "metric": "지표", "unit": "단위", "before": "도입 전 값", "after": "도입 후 값",
    "items": "항목", "event_types": "이벤트 종류", "secret": "비밀값", "version": "버전", "kind": "종류",
    "limit": "조회 개수", "cursor": "커서", "offset": "시작 위치", "page": "쪽", "q": "검색어", "lang": "언어",
    "tree_size": "트리 크기", "leaf_index": "위치", "capacity": "수용 인원", "priority_needs": "우선 수요",
    "reference_cases": "도입 사례", "outcomes": "성과", "evaluation_ko": "국문 평가", "statement_ko": "국문 진술",
    "role": "역할", "scope": "권한 범위", "client_id": "클라이언트", "email": "이메일", "password": "비밀번호",
    "body": "요청 본문", "expenditures": "집행 내역", "budget_lines": "예산 항목", "stage_plan": "단계 계획",
}

# pydantic's error types as the end of a Korean sentence ("... 필수 항목입니다").
TYPE_KO = {
    "missing": "필수 항목입니다", "extra_forbidden": "허용되지 않는 항목입니다",
    "string_too_long": "{max_length}자 이하로 입력하세요", "string_too_short": "{min_length}자 이상 입력하세요",
    "string_type": "문자열이어야 합니다", "int_type": "정수여야 합니다", "int_parsing": "정수여야 합니다",
    "int_from_float": "정수여야 합니다", "float_type": "숫자여야 합니다", "float_parsing": "숫자여야 합니다",
    "greater_than_equal": "{ge} 이상이어야 합니다", "greater_than": "{gt}보다 커야 합니다",
    "less_than_equal": "{le} 이하여야 합니다", "less_than": "{lt}보다 작아야 합니다",
    "enum": "허용된 값 중 하나여야 합니다 ({expected})", "literal_error": "허용된 값 중 하나여야 합니다 ({expected})",
    "date_from_datetime_parsing": "날짜 형식(예: 2026-03-01)이 아닙니다",
    "date_parsing": "날짜 형식(예: 2026-03-01)이 아닙니다", "date_type": "날짜 형식(예: 2026-03-01)이 아닙니다",
    "datetime_parsing": "날짜·시각 형식(예: 2026-03-01T09:00:00+09:00)이 아닙니다",
    "datetime_from_date_parsing": "날짜·시각 형식(예: 2026-03-01T09:00:00+09:00)이 아닙니다",
    "timezone_aware": "시간대를 포함해야 합니다 (예: +09:00)",
    "string_pattern_mismatch": "형식이 올바르지 않습니다", "list_type": "목록이어야 합니다",
    "too_long": "항목이 너무 많습니다 (최대 {max_length}개)", "too_short": "항목이 너무 적습니다 (최소 {min_length}개)",
    "value_error": "값이 올바르지 않습니다", "assertion_error": "값이 올바르지 않습니다",
    "model_type": "객체여야 합니다", "model_attributes_type": "객체여야 합니다", "dict_type": "객체여야 합니다",
    "bool_type": "참/거짓 값이어야 합니다", "bool_parsing": "참/거짓 값이어야 합니다",
    "json_invalid": "JSON 형식이 올바르지 않습니다", "url_parsing": "주소(URL) 형식이 올바르지 않습니다",
    "url_scheme": "http 또는 https 주소여야 합니다", "url_type": "주소(URL)여야 합니다",
    "uuid_parsing": "식별자 형식이 올바르지 않습니다", "uuid_type": "식별자 형식이 올바르지 않습니다",
    "value_error.email": "이메일 형식이 올바르지 않습니다", "set_type": "목록이어야 합니다",
    "decimal_parsing": "숫자여야 합니다", "multiple_of": "{multiple_of}의 배수여야 합니다",
}

# pydantic's error types as short Korean phrases without the field (the CLI names the field itself).
PLAIN_KO = {
    "missing": "필수 항목입니다",
    "extra_forbidden": "허용되지 않는 필드입니다",
    "string_too_long": "너무 깁니다",
    "string_too_short": "너무 짧습니다",
    "string_type": "문자열이어야 합니다",
    "int_type": "정수여야 합니다",
    "int_parsing": "정수여야 합니다",
    "float_parsing": "숫자여야 합니다",
    "greater_than_equal": "값이 너무 작습니다",
    "less_than_equal": "값이 너무 큽니다",
    "enum": "허용된 값 중 하나여야 합니다",
    "literal_error": "허용된 값 중 하나여야 합니다",
    "date_from_datetime_parsing": "날짜 형식(YYYY-MM-DD)이 아닙니다",
    "date_parsing": "날짜 형식(YYYY-MM-DD)이 아닙니다",
    "string_pattern_mismatch": "형식이 올바르지 않습니다",
    "list_type": "배열이어야 합니다",
    "too_long": "항목이 너무 많습니다",
    "too_short": "항목이 너무 적습니다",
    "value_error": "값이 올바르지 않습니다",
    "model_type": "객체여야 합니다",
    "dict_type": "객체여야 합니다",
    "bool_type": "참/거짓 값이어야 합니다",
    "bool_parsing": "참/거짓 값이어야 합니다",
    "json_invalid": "JSON 형식이 올바르지 않습니다",
}

# Our own validators' ValueError texts (pydantic prefixes "Value error, "), by a phrase they contain.
VALUE_KO = (
    ("business registration number", "형식이 올바르지 않습니다 (000-00-00000, 국세청 검증 숫자 포함)"),
    ("KSIC", "한국표준산업분류(10차) 중분류 코드가 아닙니다 (예: C22)"),
    ("forbidden character", "쓸 수 없는 문자가 들어 있습니다"), ("lone surrogate", "쓸 수 없는 문자가 들어 있습니다"),
    ("must not be blank", "비어 있을 수 없습니다"), ("single line", "한 줄로 입력하세요"),
    ("must not be null", "null일 수 없습니다: 바꾸지 않으려면 항목을 빼세요"),
    ("price_min_krw must not exceed", "최저 가격보다 작을 수 없습니다"),
    ("pre-consulting records", "사전 컨설팅에는 진단한 스마트공장 수준이 필요합니다"),
    ("post-consulting records", "사후 컨설팅에는 평가가 필요합니다"),
    ("is recorded in", "지표의 단위가 맞지 않습니다"),
    ("certificate number", "올바른 지정번호가 아닙니다"),
    ("email", "이메일 형식이 올바르지 않습니다"),
    ("invalid cursor", "커서가 올바르지 않습니다: 이전 응답의 next 값을 그대로 쓰세요"),
)
_LEVELS_KO = {"basic": "기초", "intermediate1": "중간1", "intermediate2": "중간2", "advanced": "고도화"}


def field_ko(loc: tuple[Any, ...]) -> str:
    """The Korean name of the field at `loc` (its last named part), or 입력값."""
    for part in reversed(loc):
        if isinstance(part, str) and part in FIELD_KO:
            return FIELD_KO[part]
        if isinstance(part, str) and part not in ("body", "query", "path", "header"):
            break
    return "입력값"


def _expected(ctx: dict[str, Any]) -> str | None:
    """The allowed values when each reads as Korean (the levels); codes stay out of a Korean sentence."""
    text = str(ctx.get("expected", ""))
    for code, ko in _LEVELS_KO.items():
        text = text.replace(f"'{code}'", ko)
    text = text.replace(" or ", ", ")
    return None if any(ch.isascii() and ch.isalpha() for ch in text) else text


def message_ko(err: dict[str, Any], name: str | None = None) -> str:
    """One validation error as a Korean sentence: the field's Korean name (or `name`, as a file's column
    header calls it), then what is wrong."""
    kind = str(err.get("type", "value_error"))
    ctx = dict(err.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        msg = str(err.get("msg", ""))
        tail = next((ko for phrase, ko in VALUE_KO if phrase in msg), TYPE_KO["value_error"])
    else:
        template = TYPE_KO.get(kind, TYPE_KO["value_error"])
        expected = _expected(ctx)
        if expected:
            ctx["expected"] = expected
        else:
            template = template.replace(" ({expected})", "")
        try:
            tail = template.format(**{k: (f"{v:,}" if isinstance(v, int) else v) for k, v in ctx.items()})
        except (KeyError, IndexError, ValueError):
            tail = template.split(" (")[0].split("{")[0].strip() or TYPE_KO["value_error"]
    return f"{josa(name or field_ko(tuple(err.get('loc', ()))), '은')} {tail}"
