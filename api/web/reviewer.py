"""The reviewer's pages: the queue of applications they are seated on, and an application's page, where the
conflict-of-interest declaration comes first (nothing else of the application is shown until it is made),
then the screening results beside the frozen facts and their documents, the scoring form of the rubric,
the supplement request and the decision. Every action calls the service the API's routes call
(certification.service, api/routers/designation.py); a refusal of the service (quorum, pass mark,
four-eyes, state) is shown on the page in Korean with nothing written."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.deps import SessionDep, SettingsDep
from api.routers.documents import document_response
from api.web.render import render
from api.web.session import FormUserDep, WebUser, role_gate
from certification import business_status, calls, lifecycle, panel, scope, service
from certification.errors import STATE_KO
from certification.models import Application, PanelSeat
from core.errors import AppError, NotFound
from core.korean import josa, quoted
from evidence import service as evidence
from registry.reference import CATEGORY_LABELS

router = APIRouter(prefix="/web/reviewer", include_in_schema=False)
IdPath = Annotated[str, Path(max_length=36)]
OUTCOME_KO = {"pass": "충족", "fail": "미충족", "needs_judgement": "심사위원 판단 필요"}
KIND_KO = {"initial": "신규 지정", "renewal": "갱신", "scope_change": "지정 분야 추가"}
BUSINESS_KO = {"active": "계속사업자", "suspended": "휴업자", "closed": "폐업자"}  # business_status.STATUSES
FACT_LABELS = {"business_number": "사업자등록번호", "name_ko": "기업명", "employees": "임직원 수",
               "revenue_krw": "매출액", "rnd_krw": "연구개발비", "ai_staff": "AI 인력(명)"}


# The reviewer pages are for reviewer accounts with the API's review scope.
reviewer_user = role_gate("reviewer", "designation:review", "심사위원 계정으로 로그인해야 볼 수 있는 화면입니다.",
                          "This page is for reviewer accounts.")


ReviewerUser = Annotated[WebUser, Depends(reviewer_user)]


def _not_found(app_id: str) -> NotFound:
    """The service's own 404 (certification.service.load), so an application of another panel reads as a
    missing one."""
    return NotFound(f"신청 {josa(quoted(app_id), '을')} 찾을 수 없습니다.", f"Application {app_id} was not found.")


def _assigned(session: Session, app_id: str, user: WebUser, *, lock: bool = False) -> tuple[Application, PanelSeat]:
    """The application if this reviewer is seated on its panel (the service's visibility, then the seat)."""
    app = service.load(session, app_id, user.principal, lock=lock)
    seat = service.seat_of(session, app, user.principal.sub)
    if seat is None:  # visible through an appeal panel only: not this queue's
        raise _not_found(app_id)
    return app, seat


@router.get("", response_class=HTMLResponse)
def queue(request: Request, session: SessionDep, user: ReviewerUser) -> HTMLResponse:
    rows = [{"app": app, "seat": seat, "company": (app.facts or {}).get("company", {}).get("name_ko", app.company_id),
             "state": STATE_KO.get(app.state, app.state), "kind": KIND_KO.get(app.kind, app.kind)}
            for app, seat in service.panel_queue(session, user.principal)]
    return render(request, "reviewer/queue.html", user=user, rows=rows)


def _page(request: Request, session: Session, user: WebUser, app: Application, seat: PanelSeat,
          status_code: int = 200, error: str | None = None, values: dict[str, Any] | None = None) -> HTMLResponse:
    """The application page; before the declaration only the declaration form (and the state)."""
    p = user.principal
    context: dict[str, Any] = {"user": user, "app": app, "seat": seat, "error": error, "values": values or {},
                               "state": STATE_KO.get(app.state, app.state), "kind": KIND_KO.get(app.kind, app.kind)}
    if seat.declared_at is None or seat.removed:
        return render(request, "reviewer/declare.html", status_code, **context)
    rubric = panel.builtin_rubric(calls.rubric_version(session, app))
    docs = evidence.for_application(session, app)
    screening = [{**r, "outcome_ko": OUTCOME_KO.get(r["outcome"], r["outcome"]),
                  "documents": [d for d in docs if d.purpose == "criterion" and d.criterion == r["code"]]}
                 for r in (app.screening or {}).get("results", [])]
    reviews = service.reviews_for(session, app=app, p=p)
    own = next((r for r in reviews if r.reviewer_sub == p.sub), None)
    result = service.panel_result(session, app)
    allowed = lifecycle.allowed_actions(lifecycle.MachineKind.application, app.state, "reviewer")
    asked = scope.applied_for(session, app)  # the fields the approval may grant (the service's reading)
    return render(request, "reviewer/application.html", status_code, **context, rubric=rubric,
                  screening=screening, facts=service.facts(session, app), fact_labels=FACT_LABELS,
                  other_documents=[d for d in docs if d.purpose != "criterion" or not d.criterion],
                  reviews=reviews, own=own, result=result, allowed=allowed,
                  mean=None if own is None or result.mean is None else str(panel.display(result.mean)),
                  pass_mark=str(panel.display(result.pass_mark)),
                  scope=[CATEGORY_LABELS.get(c, (c, c))[0] for c in asked],
                  scope_choices=[(c, CATEGORY_LABELS.get(c, (c, c))[0]) for c in asked],
                  business_check=(app.screening or {}).get("business_check"), business_status_ko=BUSINESS_KO)


@router.get("/applications/{app_id}", response_class=HTMLResponse)
def application(request: Request, session: SessionDep, user: ReviewerUser, app_id: IdPath) -> HTMLResponse:
    app, seat = _assigned(session, app_id, user)
    return _page(request, session, user, app, seat)


def _act(request: Request, session: Session, user: WebUser, app_id: str, action: Any,
         values: dict[str, Any] | None = None) -> Response:
    """Run one service call on the row-locked application; a refusal rolls back and comes back on the page."""
    reviewer_user(user)
    app, seat = _assigned(session, app_id, user, lock=True)
    try:
        action(app)
    except AppError as exc:
        session.rollback()
        app, seat = _assigned(session, app_id, user)
        message = exc.title_ko + (f": {exc.detail_ko}" if exc.detail_ko else "")
        return _page(request, session, user, app, seat, exc.status, error=message, values=values)
    return RedirectResponse(f"/web/reviewer/applications/{app_id}", status_code=303)


@router.post("/applications/{app_id}/declaration", response_class=HTMLResponse)
def declare(request: Request, session: SessionDep, user: FormUserDep, app_id: IdPath,
            has_conflict: Annotated[str, Form(max_length=3)] = "",
            note: Annotated[str, Form(max_length=500)] = "") -> Response:
    """The API's declaration (certification.service.declare); a declared conflict removes the seat."""
    def run(app: Application) -> None:
        if has_conflict not in ("yes", "no"):
            raise AppError("이해충돌이 있는지 없는지 골라 주세요.", "Choose whether you have a conflict.")
        service.declare(session, app=app, p=user.principal, has_conflict=has_conflict == "yes",
                        note=note.strip() or None)
    return _act(request, session, user, app_id, run, {"note": note})


async def score_fields(request: Request) -> dict[str, str]:
    """The scoring form's `score_<criterion>` fields (the form is already parsed for the CSRF check)."""
    form = await request.form()
    return {k.removeprefix("score_"): v for k, v in form.items()
            if k.startswith("score_") and isinstance(v, str) and len(k) <= 60}


@router.post("/applications/{app_id}/reviews", response_class=HTMLResponse)
def submit_review(request: Request, session: SessionDep, user: FormUserDep, app_id: IdPath,
                  fields: Annotated[dict[str, str], Depends(score_fields)],
                  comments: Annotated[str, Form(max_length=5000)] = "") -> Response:
    """The API's scoring (certification.service.submit_review): every rubric criterion, with comments."""
    scores = {k: int(v) for k, v in fields.items() if v.isascii() and v.isdigit() and len(v) < 3}

    def run(app: Application) -> None:
        service.submit_review(session, app=app, p=user.principal, scores=scores, comments=comments.strip() or None)
    return _act(request, session, user, app_id, run, {"scores": scores, "comments": comments})


@router.post("/applications/{app_id}/supplement", response_class=HTMLResponse)
def request_supplement(request: Request, session: SessionDep, user: FormUserDep, app_id: IdPath,
                       message: Annotated[str, Form(max_length=5000)] = "") -> Response:
    """The API's supplement request (certification.service.request_supplement)."""
    def run(app: Application) -> None:
        if not message.strip():
            raise AppError("보완 요청 내용을 적어 주세요.", "Write what to supplement.")
        service.request_supplement(session, app=app, p=user.principal, message=message.strip())
    return _act(request, session, user, app_id, run, {"message": message})


@router.post("/applications/{app_id}/business-status", response_class=HTMLResponse)
def confirm_business_status(request: Request, session: SessionDep, user: FormUserDep, app_id: IdPath,
                            status: Annotated[str, Form(max_length=20)] = "",
                            note: Annotated[str, Form(max_length=500)] = "") -> Response:
    """The API's E1 confirmation (certification.business_status.confirm): the facts are screened again."""
    def run(app: Application) -> None:
        if status not in BUSINESS_KO or not note.strip():
            raise AppError("확인한 사업자 상태와, 어디서 언제 확인했는지 적어 주세요.",
                           "Choose the status you confirmed and say where and when.")
        business_status.confirm(session, app=app, p=user.principal, status=status, note=note.strip())
    return _act(request, session, user, app_id, run, {"status": status, "note": note})


@router.post("/applications/{app_id}/decision", response_class=HTMLResponse)
def decide(request: Request, session: SessionDep, user: FormUserDep, settings: SettingsDep, app_id: IdPath,
           decision: Annotated[str, Form(max_length=10)] = "",
           reason: Annotated[str, Form(max_length=500)] = "",
           fields: Annotated[list[str] | None, Form(max_length=20)] = None) -> Response:
    """The API's decision (certification.service.decide: quorum, pass mark, four-eyes; an approval grants the
    fields ticked, within those applied for; the form ticks them all)."""
    def run(app: Application) -> None:
        if decision not in ("approve", "reject"):
            raise AppError("승인 또는 반려를 골라 주세요.", "Choose approve or reject.")
        if decision == "approve" and not fields:
            raise AppError("승인할 지정 분야를 하나 이상 골라 주세요.", "Tick at least one field to designate.")
        service.decide(session, app=app, p=user.principal, approve=decision == "approve",
                       reason=reason.strip() or None, certificate_years=settings.certificate_years,
                       fields=list(fields) if decision == "approve" and fields else None)
    return _act(request, session, user, app_id, run, {"reason": reason, "fields": fields or []})


@router.get("/documents/{doc_id}")
def document(session: SessionDep, user: ReviewerUser, settings: SettingsDep, doc_id: IdPath) -> Response:
    """A document of an application this reviewer has declared on, through the API's download."""
    doc = evidence.load(session, doc_id, user.principal)
    app_id = doc.application_id or ""
    try:
        _, seat = _assigned(session, app_id, user)
    except NotFound:
        seat = None
    if seat is None or seat.declared_at is None or seat.removed:
        raise NotFound(f"문서 {josa(quoted(doc_id), '를')} 찾을 수 없습니다.", f"Document {doc_id} was not found.")
    return document_response(session, doc_id, user.principal, settings)
