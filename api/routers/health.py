"""/v1/health: liveness and a database round trip, no auth."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str
    version: str


@router.get("/v1/health", response_model=Health, summary="상태 확인 / Liveness")
def health(request: Request) -> Health:
    with request.app.state.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return Health(status="ok", database=request.app.state.engine.dialect.name, version=request.app.version)
