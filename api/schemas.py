"""Response envelopes shared by the routers."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

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
    errors: list[dict[str, Any]] | None = Field(
        None, description="Validation errors: `pointer` (JSON Pointer into the body) or `parameter` and `in`, "
                          "with `detail` and `code`")


def _problem(description: str) -> dict[str, object]:
    return {"model": Problem, "description": description,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


PROBLEM_RESPONSES: dict[int | str, dict[str, object]] = {
    code: _problem(desc)
    for code, desc in {400: "Bad request", 401: "No or invalid token", 403: "Forbidden",
                       404: "Not found", 422: "Invalid input"}.items()
}
# Creating POSTs: a duplicate, or the same Idempotency-Key still in flight; bodies over the size limit.
CREATE_RESPONSES: dict[int | str, dict[str, object]] = {
    409: _problem("Already registered, or a request with this Idempotency-Key is still in progress"),
    413: _problem("Request body too large"),
}
# Updates need If-Match with the current ETag.
UPDATE_RESPONSES: dict[int | str, dict[str, object]] = {
    412: _problem("If-Match does not match the current ETag"),
    413: _problem("Request body too large"),
    428: _problem("If-Match header required"),
}
