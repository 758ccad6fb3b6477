"""The supplier edits its company profile and its solutions (Korean and English fields), with a preview of the
solution's card exactly as the public company page shows it, in both languages. The forms go through the API's
schemas (CompanyUpdate, SolutionCreate, SolutionUpdate) and its edit functions (api/routers/companies.edit_listed,
api/routers/solutions.add_listed and edit_listed: an edit of a designated company waits for a reviewer); the
form's hidden ETag is checked as If-Match is, so an edit over a newer one is refused (412) in Korean."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.deps import SessionDep, etag_of
from api.routers import companies, solutions
from api.routers.pages import solution_preview
from api.web.render import render
from api.web.session import FormUserDep, WebUser
from api.web.supplier import SOLUTION_STATUS_KO, SupplierUser, own_company, supplier_user
from api.web.supplier_apply import refused
from core.errors import AppError, NotFound
from portal import directory
from registry import service
from registry.models import Company, Solution
from registry.reference import CATEGORY_LABELS, LEVEL_LABELS, DeploymentMode, Region
from registry.schemas import CompanyUpdate, SolutionCreate, SolutionUpdate

router = APIRouter(prefix="/web/supplier", include_in_schema=False)
IdPath = Annotated[str, Path(max_length=36)]
COMPANY_FIELDS = ("name_ko", "name_en", "representative", "region", "employees", "revenue_krw", "rnd_krw",
                  "ai_staff", "contact_email", "contact_phone", "website")
SOLUTION_FIELDS = ("title_ko", "title_en", "description_ko", "description_en", "category", "industries",
                   "min_level", "deployment_mode", "price_min_krw", "price_max_krw", "lead_time_weeks", "status")
NUMBERS = frozenset({"employees", "revenue_krw", "rnd_krw", "ai_staff", "price_min_krw", "price_max_krw",
                     "lead_time_weeks"})
DEPLOYMENT_KO = {"on_premise": "구축형(온프레미스)", "cloud": "클라우드", "hybrid": "하이브리드"}


async def form_fields(request: Request) -> dict[str, str]:
    """The form's text fields (already parsed for the CSRF check)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and len(k) <= 40}


FieldsDep = Annotated[dict[str, str], Depends(form_fields)]


def _values(fields: dict[str, str], names: tuple[str, ...]) -> dict[str, Any]:
    """The form as the JSON body the API takes: empty is null, whole numbers without commas, industries a list."""
    out: dict[str, Any] = {}
    for name in names:
        raw = fields.get(name, "").strip()
        if name in NUMBERS:
            plain = raw.replace(",", "")
            out[name] = int(plain) if plain.isascii() and plain.isdigit() else raw or None
        elif name == "industries":
            out[name] = [x for x in re.split(r"[,\s]+", raw) if x] or None
        else:
            out[name] = raw or None
    return out


def _company(session: Session, user: WebUser) -> Company:
    company = own_company(session, user.principal)
    if company is None:
        raise NotFound("등록된 공급기업이 없습니다.", "No company is registered for this organisation.")
    return company


# ---- the company profile ---------------------------------------------------------------------------
def _company_page(request: Request, user: WebUser, company: Company, status_code: int = 200,
                  error: str | None = None, values: dict[str, Any] | None = None) -> HTMLResponse:
    shown = values if values is not None else {name: getattr(company, name) for name in COMPANY_FIELDS}
    return render(request, "supplier/company.html", status_code, user=user, company=company, values=shown,
                  error=error, etag=etag_of(company), regions=[r.value for r in Region])


@router.get("/company", response_class=HTMLResponse)
def company_form(request: Request, session: SessionDep, user: SupplierUser) -> HTMLResponse:
    return _company_page(request, user, _company(session, user))


@router.post("/company", response_class=HTMLResponse)
def update_company(request: Request, session: SessionDep, user: FormUserDep, fields: FieldsDep) -> Response:
    supplier_user(user)
    company = _company(session, user)
    values = _values(fields, COMPANY_FIELDS)
    try:
        data = CompanyUpdate.model_validate(values)
        companies.edit_listed(session, company, data, user.principal, fields.get("etag"))
    except (AppError, ValidationError) as exc:
        status, message = refused(session, exc)
        return _company_page(request, user, _company(session, user), status, message, values)
    return RedirectResponse("/web/supplier?saved=company", status_code=303)


# ---- solutions -------------------------------------------------------------------------------------
def _solution_page(request: Request, session: Session, user: WebUser, company: Company,
                   solution: Solution | None, status_code: int = 200, error: str | None = None,
                   values: dict[str, Any] | None = None, preview_of: Any = None) -> HTMLResponse:
    stored = {n: getattr(solution, n) for n in SOLUTION_FIELDS} if solution else {"status": "draft"}
    shown = values if values is not None else stored
    target = preview_of or solution
    profile = directory.profile(session, company.id)
    previews = {lang: solution_preview(request, target, profile, lang) for lang in ("ko", "en")} if target else {}
    return render(request, "supplier/solution.html", status_code, user=user, solution=solution, values=shown,
                  error=error, etag=etag_of(solution) if solution else "", previews=previews,
                  unsaved=preview_of is not None, statuses=SOLUTION_STATUS_KO, deployments=DEPLOYMENT_KO,
                  categories=[(c, ko) for c, (ko, _) in CATEGORY_LABELS.items()],
                  levels=[(c, ko) for c, (ko, _) in LEVEL_LABELS.items()],
                  modes=[m.value for m in DeploymentMode])


def _own_solution(session: Session, user: WebUser, solution_id: str) -> Solution:
    """The solution if the caller may edit it: another company's, published or not, reads as missing."""
    solution = service.get_visible(session, Solution, solution_id, user.principal)
    return solutions.require_editable(session, solution, user.principal)


@router.get("/solutions/new", response_class=HTMLResponse)
def new_solution(request: Request, session: SessionDep, user: SupplierUser) -> HTMLResponse:
    return _solution_page(request, session, user, _company(session, user), None)


@router.get("/solutions/{solution_id}", response_class=HTMLResponse)
def solution_form(request: Request, session: SessionDep, user: SupplierUser, solution_id: IdPath) -> HTMLResponse:
    solution = _own_solution(session, user, solution_id)
    return _solution_page(request, session, user, _company(session, user), solution)


def _preview(solution: Solution | None, data: SolutionCreate | SolutionUpdate) -> SimpleNamespace:
    """What the card would show with the form's values, nothing saved."""
    base = {n: getattr(solution, n) for n in SOLUTION_FIELDS} if solution else {}
    return SimpleNamespace(**{**base, **data.model_dump(exclude_unset=True, mode="json")})


def _save(request: Request, session: Session, user: WebUser, fields: dict[str, str],
          solution: Solution | None) -> Response:
    company = _company(session, user)
    values = _values(fields, SOLUTION_FIELDS)
    try:
        if solution is None:
            data: SolutionCreate | SolutionUpdate = SolutionCreate.model_validate(
                {**values, "company_id": company.id, "status": values["status"] or "draft"})
        else:
            data = SolutionUpdate.model_validate(values)
        if fields.get("action") == "preview":
            return _solution_page(request, session, user, company, solution, values=values,
                                  preview_of=_preview(solution, data))
        if isinstance(data, SolutionCreate):
            solution = solutions.add_listed(session, data, user.principal)
        else:
            assert solution is not None
            solutions.edit_listed(session, solution, data, user.principal, fields.get("etag"))
    except (AppError, ValidationError) as exc:
        status, message = refused(session, exc)
        fresh = _own_solution(session, user, solution.id) if solution else None
        return _solution_page(request, session, user, company, fresh, status, message, values)
    return RedirectResponse(f"/web/supplier/solutions/{solution.id}", status_code=303)


@router.post("/solutions", response_class=HTMLResponse)
def create_solution(request: Request, session: SessionDep, user: FormUserDep, fields: FieldsDep) -> Response:
    """The API's POST /v1/solutions (SolutionCreate, add_listed); a draft unless published is chosen."""
    supplier_user(user)
    return _save(request, session, user, fields, None)


@router.post("/solutions/{solution_id}", response_class=HTMLResponse)
def update_solution(request: Request, session: SessionDep, user: FormUserDep, fields: FieldsDep,
                    solution_id: IdPath) -> Response:
    """The API's PATCH /v1/solutions/{id} (SolutionUpdate, edit_listed, the hidden ETag as If-Match)."""
    supplier_user(user)
    return _save(request, session, user, fields, _own_solution(session, user, solution_id))
