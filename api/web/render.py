"""Rendering the web application's pages (Korean; the public pages' templates folder) with the helpers
its templates use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from core import i18n
from core.errors import AppError
from core.korean import date_ko, datetime_ko, josa, krw
from programme.errors import RuleViolation
from programme.kpis import STATE_KO
from registry.reference import CATEGORY_LABELS, LEVEL_LABELS

templates = Jinja2Templates(directory=Path(__file__).resolve().parents[1] / "templates")
ROLE_LABELS = {"sme": "수요기업", "supplier": "공급기업", "reviewer": "심사위원", "admin": "관리자",
               "consultant": "컨설턴트"}
TIPS_PROGRAMS = {"tips": "TIPS", "deep_tech_tips": "딥테크 TIPS", "post_tips": "포스트 TIPS",
                 "scale_up_tips": "스케일업 TIPS"}
TIPS_STAGES = {"none": "해당 없음", "recommended": "추천", "selected": "선정", "funded": "투자 유치",
               "graduated": "졸업"}
STATUS_LABELS = {"active": "유효", "suspended": "효력 정지", "revoked": "지정 취소", "expired": "기간 만료",
                 None: "지정 이력 없음"}


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    helpers = {
        "won": krw, "day": date_ko, "moment": datetime_ko, "josa": josa,
        "category_label": lambda c: CATEGORY_LABELS.get(c, (c, c))[0],
        "level_label": lambda lv: LEVEL_LABELS.get(lv or "", (lv or "-", ""))[0],
        "tips_program": lambda x: TIPS_PROGRAMS.get(x, x), "tips_stage": lambda x: TIPS_STAGES.get(x, x),
        "project_state": lambda x: STATE_KO.get(x, x),
        "role_label": lambda r: ROLE_LABELS.get(r, r), "status_label": lambda s: STATUS_LABELS.get(s, s),
    }
    response = templates.TemplateResponse(request, "web/" + template, {**helpers, **context},
                                          status_code=status_code, headers={
                                              "Content-Language": "ko", "Cache-Control": "no-store",
                                              "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"})
    return response


def refusal_messages(exc: Exception) -> list[str]:
    """A refusal as the Korean sentences the form shows: each rule's reason, each field's message."""
    if isinstance(exc, ValidationError):
        return [i18n.message_ko(dict(e)) for e in exc.errors()]
    if isinstance(exc, RuleViolation):
        return [ko for ko, _ in exc.reasons]
    if isinstance(exc, AppError):
        return [exc.detail_ko or exc.title_ko]
    raise exc
