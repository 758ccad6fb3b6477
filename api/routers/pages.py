"""Public HTML pages (Korean first, `?lang=en`, any other `lang` is Korean): designated companies, a
company, certificate verification, and the pages' own errors (404, 422, 429 with the wait) as pages.

Server-rendered with Jinja2, no script; rate limited in a bucket of their own, higher than the API's.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.deps import SessionDep
from api.ratelimit import copy_headers, page_rate_limit
from api.routers.public import verification
from api.routers.search import search_service
from core.errors import AppError
from core.korean import date_ko, datetime_ko, duration_en, duration_ko, josa, krw, kst
from matching.documents import NeedQuery
from portal import directory
from registry.reference import CATEGORY_LABELS, REGION_EN, Region

router = APIRouter(dependencies=[Depends(page_rate_limit)], include_in_schema=False)
templates = Jinja2Templates(directory=FsPath(__file__).resolve().parents[1] / "templates")


def page_lang(lang: Annotated[str | None, Query(description="en for English; anything else is Korean")] = None
              ) -> str:
    return "en" if (lang or "").lower().startswith("en") else "ko"


Lang = Annotated[str, Depends(page_lang)]
PAGE_SIZE = 30
DIRECTORY_HITS = 50  # solutions matched for a directory query
DIRECTORY_CUT = 0.5  # a company is listed when its solution scores at least this share of the best

TEXT: dict[str, dict[str, str]] = {
    "ko": {"site": "AX 레지스트리", "nav_list": "지정기업 명단", "nav_verify": "지정서 진위 확인",
           "footer": "제조 AI 전문기업 지정·매칭 등록부 · 공개 정보", "list_title": "제조 AI 전문기업 지정 명단",
           "search": "검색", "search_placeholder": "기업명 또는 솔루션 (예: 비전 검사)", "region": "지역",
           "category": "분야", "all_regions": "전체 지역", "all_categories": "전체 분야", "results": "{n}개 기업",
           "no_results": "조건에 맞는 지정기업이 없습니다.", "prev": "이전", "next": "다음", "certificate": "지정번호",
           "certificate_status": "지정 상태", "validity": "유효기간", "business_number": "사업자등록번호",
           "website": "홈페이지", "solutions": "솔루션", "no_solutions": "공개된 솔루션이 없습니다.",
           "outside_scope": "지정 분야 밖 (지정 솔루션 아님)", "price": "가격",
           "lead_time": "도입 기간 {n}주", "verify_title": "지정서 진위 확인", "number": "지정번호", "verify": "확인",
           "company": "기업", "checked_at": "확인 시각",
           "statement_help": "아래 서명 문서(JWS)는 등록부 공개키(JWKS)로 누구나 검증할 수 있습니다.",
           "download_jws": "서명된 확인서 내려받기 (.jws)", "error_title": "페이지를 표시할 수 없습니다",
           "active": "유효", "suspended": "효력 정지", "revoked": "지정 취소", "expired": "기간 만료",
           "none": "지정 이력 없음", "not_found_title": "페이지를 찾을 수 없습니다",
           "not_found": "주소가 바뀌었거나 없는 페이지입니다.", "invalid_title": "입력값이 올바르지 않습니다",
           "limited_title": "요청이 너무 많습니다", "retry": "{n} 후에 다시 시도하세요.",
           "not_designated_title": "지정기업이 아닙니다",
           "not_designated": "{name} 현재 지정기업 명단에 없습니다.", "status_now": "지정 상태: {status}",
           "history": "지정서 이력 확인", "home": "지정기업 명단으로 돌아가기",
           "validity_was": "당초 유효기간", "not_in_force_since": "효력 상실일", "status_reason": "사유",
           "scope": "지정 분야"},
    "en": {"site": "AX Registry", "nav_list": "Designated companies", "nav_verify": "Verify a certificate",
           "footer": "National registry of designated manufacturing-AI suppliers · public information",
           "list_title": "Designated manufacturing-AI companies", "search": "Search",
           "search_placeholder": "Company or solution (e.g. vision inspection)", "region": "Region",
           "category": "Category", "all_regions": "All regions", "all_categories": "All categories",
           "results": "{n} companies", "no_results": "No designated company matches.", "prev": "Previous",
           "next": "Next", "certificate": "Certificate", "certificate_status": "Designation",
           "validity": "Valid", "business_number": "Business registration no.", "website": "Website",
           "solutions": "Solutions", "no_solutions": "No published solutions.",
           "outside_scope": "Outside the designated fields (not designated)", "price": "Price",
           "lead_time": "{n} weeks to deploy", "verify_title": "Verify a certificate", "number": "Certificate number",
           "verify": "Verify", "company": "Company", "checked_at": "Checked at",
           "statement_help": "Anyone can check the signed statement (JWS) below with the registry's public "
                             "keys (JWKS).",
           "download_jws": "Download the signed statement (.jws)", "error_title": "This page cannot be shown",
           "active": "Active", "suspended": "Suspended", "revoked": "Revoked", "expired": "Expired",
           "none": "Never designated", "not_found_title": "Page not found",
           "not_found": "The address has changed or the page does not exist.", "invalid_title": "Invalid input",
           "limited_title": "Too many requests", "retry": "Please try again in {n}.",
           "not_designated_title": "Not a designated company",
           "not_designated": "{name} is not on the list of designated companies.",
           "status_now": "Designation: {status}", "history": "Check the certificate history",
           "home": "Back to the designated companies", "validity_was": "Was valid", "scope": "Designated fields",
           "not_in_force_since": "Not in force since", "status_reason": "Reason"},
}


def _render(request: Request, template: str, lang: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    t = TEXT[lang]
    en = lang == "en"

    def won(value: int) -> str:
        return f"KRW {value / 1_000_000:,.0f}m" if en else krw(value)

    def day(value: date | datetime) -> str:  # a calendar day on Korean time
        if en:
            return (kst(value).date() if isinstance(value, datetime) else value).isoformat()
        return date_ko(value)

    def moment(value: datetime) -> str:
        return f"{kst(value):%Y-%m-%d %H:%M} KST" if en else datetime_ko(value)

    helpers = {
        "t": t, "lang": lang, "lang_q": "?lang=en" if en else "", "lang_amp": "&lang=en" if en else "",
        "alt_ko": str(request.url.remove_query_params("lang")),
        "alt_en": str(request.url.include_query_params(lang="en")),
        "name": lambda c: c.name_en if en and c.name_en else c.name_ko,
        "region_label": lambda r: REGION_EN.get(r, r) if en else r,
        "category_label": lambda c: CATEGORY_LABELS.get(c, (c, c))[1 if en else 0],
        "status_label": lambda s: t.get(s or "none", s or ""), "won": won, "day": day, "moment": moment,
        "josa": josa,
    }
    response = templates.TemplateResponse(request, template, {**helpers, **context}, status_code=status_code,
                                          headers={"Content-Language": lang})
    return copy_headers(request, response)


def _error(request: Request, lang: str, exc: AppError) -> HTMLResponse:
    return problem_page(request, status=exc.status, title=(exc.title_ko, exc.title_en),
                        detail=(exc.detail_ko, exc.detail_en))


def problem_page(request: Request, *, status: int, title: tuple[str, str], detail: tuple[str | None, str | None],
                 headers: dict[str, str] | None = None, errors: list[dict[str, Any]] | None = None) -> HTMLResponse:
    """An error on the public pages as a page in the page's language (api/problems.py sends them here)."""
    lang = page_lang(request.query_params.get("lang"))
    t, en = TEXT[lang], lang == "en"
    heading = {404: t["not_found_title"], 422: t["invalid_title"], 429: t["limited_title"]}.get(
        status, title[1] if en else title[0])
    text = (detail[1] or detail[0]) if en else (detail[0] or detail[1])
    retry = (headers or {}).get("Retry-After")
    if status == 429 and retry:
        text = t["retry"].format(n=duration_en(int(retry)) if en else duration_ko(int(retry)))
    elif status == 404 and not text:
        text = t["not_found"]
    messages = [e["detail"] for e in errors or [] if e.get("detail")]
    response = _render(request, "pages/error.html", lang, status, heading=heading, error=text, messages=messages)
    response.headers.update(headers or {})
    return response


@router.get("/")
def home(request: Request) -> RedirectResponse:
    return RedirectResponse("/pages/companies" + (f"?{request.url.query}" if request.url.query else ""),
                            status_code=302)


def solution_preview(request: Request, solution: Any, profile: directory.CompanyProfile, lang: str) -> str:
    """A solution's card exactly as the public company page shows it in `lang` (the supplier's editor
    previews an edit with it, api/web/supplier_profile.py)."""
    return bytes(_render(request, "pages/_solution_card.html", lang, s=solution, p=profile).body).decode()


@router.get("/pages/companies", response_class=HTMLResponse)
def companies_page(request: Request, session: SessionDep, lang: Lang,
                   q: Annotated[str | None, Query(max_length=100)] = None,
                   region: Annotated[str | None, Query(max_length=8)] = None,
                   category: Annotated[str | None, Query(max_length=40)] = None,
                   page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> HTMLResponse:
    ranked = None
    if q and q.strip():  # the matcher, as the API's: Kiwi, the catalogue-learned kind, designated suppliers only
        matches = search_service(request).match(session, NeedQuery(text=q.strip()), limit=DIRECTORY_HITS)
        best = matches[0].score if matches else 0.0
        ranked = [m.doc.supplier_id for m in matches if m.doc is not None and m.score >= DIRECTORY_CUT * best]
    listings, more = directory.designated(session, q=q, ranked=ranked, region=region or None,
                                          category=category or None, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    en = lang == "en"
    regions = [(r.value, REGION_EN[r.value] if en else r.value) for r in Region]
    categories = [(code, labels[1 if en else 0]) for code, labels in CATEGORY_LABELS.items()]
    prev_url = str(request.url.include_query_params(page=page - 1)) if page > 1 else None
    next_url = str(request.url.include_query_params(page=page + 1)) if more else None
    return _render(request, "pages/companies.html", lang, listings=listings, more=more, q=q, region=region,
                   category=category, regions=regions, categories=categories, prev_url=prev_url, next_url=next_url)


@router.get("/pages/companies/{company_id}", response_class=HTMLResponse)
def company_page(request: Request, session: SessionDep, company_id: Annotated[str, Path(max_length=64)],
                 lang: Lang) -> HTMLResponse:
    try:
        profile = directory.profile(session, company_id)
    except AppError as exc:
        return _error(request, lang, exc)
    if profile.status != "active":  # under the designated list only while designated; the history is public
        return _render(request, "pages/not_designated.html", lang, 404, p=profile)
    return _render(request, "pages/company.html", lang, p=profile)


@router.get("/pages/verify", response_class=HTMLResponse)
def verify_page(request: Request, session: SessionDep, lang: Lang,
                number: Annotated[str | None, Query(max_length=40)] = None) -> HTMLResponse:
    cert, error, status = None, None, 200
    if number and number.strip():
        try:
            cert = verification(session, request, number.strip())
        except AppError as exc:
            status = exc.status
            error = (exc.detail_en or exc.title_en) if lang == "en" else (exc.detail_ko or exc.title_ko)
    return _render(request, "pages/verify.html", lang, status, cert=cert, error=error, number=number)


@router.get("/pages/certificates/{number}/statement.jws")
def statement_download(request: Request, session: SessionDep,
                       number: Annotated[str, Path(max_length=40)]) -> Response:
    """The signed status statement as a file: a compact JWS (typ axr-certificate-status+jws)."""
    cert = verification(session, request, number)
    return copy_headers(request, Response(cert.statement, media_type="application/jose", headers={
        "Content-Disposition": f'attachment; filename="{cert.number}.jws"'}))
