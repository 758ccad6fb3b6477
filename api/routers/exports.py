"""Public exports, streamed: the designated-company list and the public catalogue as CSV or JSON."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from api.ratelimit import copy_headers, public_rate_limit
from api.schemas import PROBLEM_RESPONSES
from portal import exports

router = APIRouter(tags=["public"], dependencies=[Depends(public_rate_limit)],
                   responses={**PROBLEM_RESPONSES, 429: PROBLEM_RESPONSES[400]})

Format = Annotated[Literal["csv", "json"], Query(description="csv (UTF-8 with BOM, for Excel) or json")]
_CONTENT = {200: {"content": {"text/csv": {"schema": {"type": "string"}},
                              "application/json": {"schema": {"type": "object"}}},
                  "description": "The export, streamed"}}


def _export(request: Request, dataset: str, fmt: str) -> StreamingResponse:
    settings = request.app.state.settings
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    body = exports.stream(request.app.state.engine, dataset, fmt, base_url=settings.public_base_url)
    response = StreamingResponse(body, media_type=media,
                                 headers={"Content-Disposition": f'attachment; filename="axr-{dataset}.{fmt}"'})
    return copy_headers(request, response)


@router.get("/v1/public/exports/designated-companies", response_class=StreamingResponse, responses=_CONTENT,
            operation_id="export_designated_companies",
            summary="지정기업 명단 내려받기 / Download the designated-company list")
def export_designated(request: Request, format: Format = "csv") -> StreamingResponse:
    return _export(request, "designated-companies", format)


@router.get("/v1/public/exports/catalogue", response_class=StreamingResponse, responses=_CONTENT,
            operation_id="export_catalogue",
            summary="공개 카탈로그 내려받기 / Download the public catalogue (solutions of designated suppliers)")
def export_catalogue(request: Request, format: Format = "csv") -> StreamingResponse:
    return _export(request, "catalogue", format)
