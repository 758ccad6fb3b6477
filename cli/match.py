"""`axr match`: one need as JSON on stdin, the API's matches on stdout.

The need is the API's `AdHocNeed` (POST /v1/match) with one addition, the evaluation format's
`budget_million_krw` (the budget in millions of won, instead of `budget_krw`). Each match carries the
API's fields (`solution_id`, `ref`, `title_ko`, `title_en`, `supplier_name`, `company_id`, `score`,
`breakdown`, `reasons_ko`, `reasons_en`) and `reasons`, the Korean reasons again, the name scripts use."""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field, ValidationError

from cli.errors import CliError, Where, validation_error
from cli.jobs import job
from matching.schemas import AdHocNeed, MatchOut


class CliNeed(AdHocNeed):
    budget_million_krw: float | None = Field(None, ge=0, le=10_000_000,
                                             description="The budget in millions of won (the eval format)")

    def budget(self) -> int | None:
        if self.budget_million_krw is not None:
            return int(round(self.budget_million_krw * 1_000_000))
        return self.budget_krw


def read_need(text: str) -> CliNeed:
    if not text.strip():
        raise CliError("표준 입력이 비어 있습니다. 수요를 JSON으로 넣으세요 (예: {\"text\": \"불량 검출\"})",
                       'nothing on stdin: give the need as JSON (e.g. {"text": "defect detection"})',
                       where=Where(file="stdin"))
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError("JSON 형식이 올바르지 않습니다", f"not valid JSON ({exc.msg})",
                       where=Where(file="stdin", line=exc.lineno, column=exc.colno)) from exc
    if isinstance(raw, dict) and raw.get("budget_krw") is not None and raw.get("budget_million_krw") is not None:
        raise CliError("예산은 'budget_krw'(원)와 'budget_million_krw'(백만 원) 중 하나만 적습니다",
                       "give the budget as budget_krw (won) or budget_million_krw (millions of won), not both",
                       where=Where(file="stdin", field="budget_million_krw"))
    try:
        return CliNeed.model_validate_json(text)
    except ValidationError as exc:
        raise validation_error(exc, file="stdin") from exc


def match(text: str, limit: int | None) -> dict[str, Any]:
    from api.search_runtime import build_search_service
    from matching.documents import NeedQuery
    from matching.matcher import shown_docs

    need = read_need(text)
    query = NeedQuery(text=need.text, industry=need.industry, smart_factory_level=need.smart_factory_level,
                      budget_krw=need.budget(), region=need.region,
                      categories=[c.value for c in need.categories] if need.categories else None)
    count = limit or (need.limit if "limit" in need.model_fields_set else 50)
    search = build_search_service()
    with job() as session:
        matches = search.match(session, query, limit=count)
        docs = shown_docs(matches)
    out = [MatchOut(solution_id=m.doc_id, ref=docs[m.doc_id].ref, title_ko=docs[m.doc_id].title_ko,
                    title_en=docs[m.doc_id].title_en, supplier_name=docs[m.doc_id].supplier_name,
                    company_id=docs[m.doc_id].supplier_id, score=m.score, breakdown=m.breakdown,
                    reasons_ko=m.reasons_ko, reasons_en=m.reasons_en) for m in matches if m.doc_id in docs]
    return {"matches": [{**o.model_dump(mode="json"), "reasons": o.reasons_ko} for o in out]}
