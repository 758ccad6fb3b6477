"""The public page of open calls for applications (공고), Korean first, `?lang=en`; the same service as
GET /v1/public/calls."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.ratelimit import page_rate_limit
from api.routers.calls import read
from api.routers.pages import Lang, _render
from certification import calls

router = APIRouter(dependencies=[Depends(page_rate_limit)], include_in_schema=False)
TEXT = {
    "ko": {"title": "제조 AI 전문기업 지정 공고",
           "intro": "지금 지정 신청을 받는 공고입니다. 신청은 공고의 접수 기간에만 제출할 수 있습니다.",
           "none": "지금 접수 중인 공고가 없습니다.", "open": "접수 중", "window": "접수 기간",
           "criteria": "자격 기준 버전", "quotas": "분야별 접수 한도", "quota": "{n}건 (현재 {s}건 접수)"},
    "en": {"title": "Calls for designation", "intro": "Calls now taking applications for designation. An application "
                                                     "is submitted within its call's window only.",
           "none": "No call is open now.", "open": "Open", "window": "Window", "criteria": "Criteria version",
           "quotas": "Quotas by field", "quota": "{n} ({s} submitted so far)"},
}


@router.get("/pages/calls", response_class=HTMLResponse)
def calls_page(request: Request, session: SessionDep, lang: Lang) -> HTMLResponse:
    items = [read(session, c) for c in calls.listed(session, "open")]
    return _render(request, "pages/calls.html", lang, calls=items, c=TEXT[lang])
