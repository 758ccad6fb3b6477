"""The one error base of the service: each error has an HTTP status, a stable type URI and bilingual text."""

from __future__ import annotations

from typing import Any, ClassVar

PROBLEM_BASE = "https://axr.go.kr/problems/"


class AppError(Exception):
    """A domain or request error that the API renders as RFC 9457 problem+json."""

    status: ClassVar[int] = 400
    type: ClassVar[str] = PROBLEM_BASE + "bad-request"
    title_ko: ClassVar[str] = "잘못된 요청입니다"
    title_en: ClassVar[str] = "Bad request"

    def __init__(self, detail_ko: str | None = None, detail_en: str | None = None, **extra: Any) -> None:
        super().__init__(detail_en or detail_ko or self.title_en)
        self.detail_ko = detail_ko
        self.detail_en = detail_en
        self.extra = extra


class NotFound(AppError):
    status = 404
    type = PROBLEM_BASE + "not-found"
    title_ko = "찾을 수 없습니다"
    title_en = "Not found"


class Forbidden(AppError):
    status = 403
    type = PROBLEM_BASE + "forbidden"
    title_ko = "권한이 없습니다"
    title_en = "Forbidden"


class Unauthorized(AppError):
    status = 401
    type = PROBLEM_BASE + "unauthorized"
    title_ko = "인증이 필요합니다"
    title_en = "Authentication required"


class Conflict(AppError):
    status = 409
    type = PROBLEM_BASE + "conflict"
    title_ko = "현재 상태와 충돌합니다"
    title_en = "Conflict with the current state"


class Invalid(AppError):
    """A request that is well-formed but breaks a domain rule."""

    status = 422
    type = PROBLEM_BASE + "validation"
    title_ko = "입력값이 올바르지 않습니다"
    title_en = "Invalid input"


class PreconditionFailed(AppError):
    status = 412
    type = PROBLEM_BASE + "precondition-failed"
    title_ko = "다른 사용자가 먼저 수정했습니다"
    title_en = "The resource was changed by someone else"


class PreconditionRequired(AppError):
    status = 428
    type = PROBLEM_BASE + "precondition-required"
    title_ko = "If-Match 헤더가 필요합니다"
    title_en = "If-Match header required"
