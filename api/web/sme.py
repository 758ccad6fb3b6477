"""The SME's pages: its dashboard (needs and projects), "describe your problem" (a need, then its ranked
matches with their reasons) and a side-by-side comparison of up to three solutions. Each page calls the
service the API router calls (registry.service, programme.service, the matching of api/routers/search)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.deps import SessionDep
from api.routers.search import need_matches
from api.web.render import render
from api.web.session import FormUserDep, WebUser, WebUserDep
from core import clock, i18n
from core.errors import Forbidden, Invalid
from portal import directory
from programme import service as programme_service
from registry import service
from registry.models import Need, Sme, Solution
from registry.reference import CATEGORY_LABELS, LEVEL_LABELS, Region
from registry.schemas import NeedCreate

router = APIRouter(prefix="/web/sme", include_in_schema=False)
COMPARE_MAX = 3
MATCHES_SHOWN = 10
COMPONENT_LABELS = {"text": "내용 일치", "category": "분야", "industry": "업종", "level": "수준", "budget": "예산",
                    "region": "지역", "track_record": "도입 실적", "tips": "TIPS", "readiness": "데이터 준비"}


def sme_user(user: WebUserDep) -> WebUser:
    """The SME pages are for SME accounts; other roles are told so (their screens are elsewhere)."""
    if user.principal.role != "sme":
        raise Forbidden("수요기업 계정으로 로그인해야 볼 수 있는 화면입니다.", "This page is for SME accounts.")
    return user


SmeUser = Annotated[WebUser, Depends(sme_user)]


@router.get("", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep, user: SmeUser) -> HTMLResponse:
    p = user.principal
    smes = service.list_visible(session, Sme, p, cursor=None, limit=5).items
    needs = service.list_visible(session, Need, p, cursor=None, limit=50).items
    projects = programme_service.list_projects(session, p, cursor=None, limit=50).items
    return render(request, "sme_dashboard.html", user=user, smes=smes, needs=needs, projects=projects)


def _form_choices() -> dict[str, Any]:
    return {"categories": [(code, labels[0]) for code, labels in CATEGORY_LABELS.items()],
            "levels": [(code, labels[0]) for code, labels in LEVEL_LABELS.items()],
            "regions": [r.value for r in Region]}


@router.get("/needs/new", response_class=HTMLResponse)
def need_form(request: Request, user: SmeUser) -> HTMLResponse:
    return render(request, "need_form.html", user=user, values={}, errors=[], **_form_choices())


@router.post("/needs", response_class=HTMLResponse)
def create_need(request: Request, session: SessionDep, user: FormUserDep,
                text: Annotated[str, Form(max_length=5000)] = "",
                budget_krw: Annotated[str, Form(max_length=20)] = "",
                smart_factory_level: Annotated[str, Form(max_length=20)] = "",
                region: Annotated[str, Form(max_length=8)] = "",
                categories: Annotated[list[str] | None, Form(max_length=12)] = None) -> Response:
    """The API's NeedCreate and registry.service.create_need; a refused form comes back with Korean errors."""
    sme_user(user)
    budget = budget_krw.replace(",", "").strip()  # a form sends text; the schema wants whole won
    values = {"text": text, "budget_krw": int(budget) if budget.isascii() and budget.isdigit() else budget or None,
              "smart_factory_level": smart_factory_level or None, "region": region or None,
              "categories": categories or []}
    try:
        data = NeedCreate.model_validate(values)
    except ValidationError as exc:
        errors = [i18n.message_ko(dict(e)) for e in exc.errors()]
        return render(request, "need_form.html", 422, user=user, values=values, errors=errors, **_form_choices())
    need = service.create_need(session, data=data, p=user.principal)
    return RedirectResponse(f"/web/sme/needs/{need.id}", status_code=303)


@router.get("/needs/{need_id}", response_class=HTMLResponse)
def need_page(request: Request, session: SessionDep, user: SmeUser,
              need_id: Annotated[str, Path(max_length=36)]) -> HTMLResponse:
    """The need and its ranked matches with the reasons (the API's matching of a stored need)."""
    need = service.get_visible(session, Need, need_id, user.principal)
    matches = need_matches(request, session, need, MATCHES_SHOWN) if "match" in user.principal.scopes else []
    return render(request, "need.html", user=user, need=need, matches=matches, labels=COMPONENT_LABELS,
                  compare_max=COMPARE_MAX, this_year=clock.now().year)


@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request, session: SessionDep, user: SmeUser,
            s: Annotated[list[str] | None, Query(max_length=10)] = None,
            need: Annotated[str | None, Query(max_length=36)] = None) -> HTMLResponse:
    """Up to three solutions side by side: price, level, industries, reference cases, TIPS and the
    supplier's designation with its scope (the catalogue's and the public directory's reads)."""
    chosen = list(dict.fromkeys(x for x in (s or []) if x))
    if not 1 <= len(chosen) <= COMPARE_MAX:
        raise Invalid(f"비교할 솔루션을 1개에서 {COMPARE_MAX}개까지 고르세요. (고른 수: {len(chosen)}개)",
                      f"Choose between 1 and {COMPARE_MAX} solutions to compare.")
    columns = []
    for solution_id in chosen:
        solution = service.get_visible(session, Solution, solution_id, user.principal)
        profile = directory.profile(session, solution.company_id)
        tips = service.list_tips(session, company=profile.company)
        columns.append({"solution": solution, "company": profile.company, "certificate": profile.certificate,
                        "status": profile.status, "tips": tips})
    return render(request, "compare.html", user=user, columns=columns, need_id=need)
