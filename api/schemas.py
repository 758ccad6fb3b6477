"""Response envelopes shared by the routers."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    next: str | None = Field(description="URL of the next page, or null on the last page")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(examples=["https://axr.go.kr/problems/validation"])
    title: str = Field(examples=["입력값이 올바르지 않습니다"])
    status: int = Field(examples=[422])
    detail: str | None = None
    instance: str | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": Problem, "content": {"application/problem+json": {}}, "description": desc}
    for code, desc in {400: "Bad request", 401: "No or invalid token", 403: "Forbidden",
                       404: "Not found", 422: "Invalid input"}.items()
}
