"""Webhook endpoints of portals (`feed:read`): register, list, read, delete, see deliveries.

The router's lifespan starts the embedded delivery thread when `AXR_WORKER_EMBEDDED` is on
(`axr serve` turns it on; `axr worker` runs the same loop in its own process).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Response, status

from api.deps import SessionDep, SettingsDep, scoped
from api.schemas import PROBLEM_RESPONSES
from core.errors import Invalid
from core.principal import Principal
from portal import webhooks
from portal.models import WebhookEndpoint
from portal.schemas import (
    EVENT_TYPE_PATTERN,
    WebhookDeliveryList,
    WebhookDeliveryRead,
    WebhookEndpointCreate,
    WebhookEndpointCreated,
    WebhookEndpointRead,
)


@asynccontextmanager
async def embedded_worker(app: FastAPI) -> AsyncIterator[None]:
    settings = app.state.settings
    if not settings.worker_embedded:
        yield
        return
    from notices import dispatch
    from portal.delivery import start_background

    thread, stop = start_background(app.state.engine, settings)
    notices_thread, notices_stop = dispatch.start_background(app.state.engine, settings)  # inbox and e-mail
    try:
        yield
    finally:
        stop.set()
        notices_stop.set()
        thread.join(timeout=15)
        notices_thread.join(timeout=15)


router = APIRouter(tags=["webhooks"], responses=PROBLEM_RESPONSES, lifespan=embedded_worker)
WebhookOwner = Annotated[Principal, scoped("feed:read")]


def load_endpoint(endpoint_id: Annotated[str, Path(max_length=36)], session: SessionDep,
                  p: WebhookOwner) -> WebhookEndpoint:
    return webhooks.get_endpoint(session, endpoint_id=endpoint_id, p=p)


EndpointDep = Annotated[WebhookEndpoint, Depends(load_endpoint)]


@router.post("/v1/webhooks", status_code=status.HTTP_201_CREATED, response_model=WebhookEndpointCreated,
             operation_id="webhook_create",
             summary="웹훅 등록 / Register a webhook endpoint",
             description="Deliveries are signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, "
                         "`webhook-signature`) and name the feed cursor. URLs pointing at loopback, link-local "
                         "or private addresses, or not http(s), are refused with 422.")
def create_webhook(data: WebhookEndpointCreate, session: SessionDep, settings: SettingsDep,
                   p: WebhookOwner) -> WebhookEndpointCreated:
    for pattern in data.event_types:
        _check_pattern(pattern)
    endpoint = webhooks.register(session, data=data, p=p, allow_private=settings.webhook_allow_private)
    return WebhookEndpointCreated(**WebhookEndpointRead.model_validate(endpoint).model_dump(),
                                  secret=endpoint.secret)


def _check_pattern(pattern: str) -> None:
    if not re.fullmatch(EVENT_TYPE_PATTERN, pattern):
        # the value goes in its own member: in the Korean sentence it would read as an internal code
        raise Invalid("이벤트 유형 형식이 올바르지 않습니다. 자원.동작, 자원.* 또는 * 형태로 씁니다.",
                      f"Event types look like certificate.suspend, certificate.* or *: {pattern}",
                      invalid_event_type=pattern)


@router.get("/v1/webhooks", response_model=list[WebhookEndpointRead], operation_id="webhook_list",
            summary="내 웹훅 목록 / Your webhook endpoints")
def list_webhooks(session: SessionDep, p: WebhookOwner) -> list[WebhookEndpoint]:
    return webhooks.list_endpoints(session, p=p)


@router.get("/v1/webhooks/{endpoint_id}", response_model=WebhookEndpointRead, operation_id="webhook_get",
            summary="웹훅 조회 / A webhook endpoint")
def get_webhook(endpoint: EndpointDep) -> WebhookEndpoint:
    return endpoint


@router.delete("/v1/webhooks/{endpoint_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               operation_id="webhook_delete", summary="웹훅 삭제 / Delete a webhook endpoint")
def delete_webhook(endpoint: EndpointDep, session: SessionDep) -> Response:
    webhooks.delete_endpoint(session, endpoint=endpoint)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/v1/webhooks/{endpoint_id}/deliveries", response_model=WebhookDeliveryList,
            operation_id="webhook_deliveries", summary="전송 내역 / Recent deliveries to an endpoint")
def list_deliveries(endpoint: EndpointDep, session: SessionDep,
                    limit: Annotated[int, Query(ge=1, le=100)] = 50) -> WebhookDeliveryList:
    rows = webhooks.list_deliveries(session, endpoint=endpoint, limit=limit)
    return WebhookDeliveryList(items=[WebhookDeliveryRead.model_validate(r) for r in rows])
