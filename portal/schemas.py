"""Pydantic schemas of the portal integration: feed pages, webhook endpoints and deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

EVENT_TYPE_PATTERN = r"^(\*|[a-z_]{1,40}\.(\*|[a-z_]{1,40}))$"


class FeedEvent(BaseModel):
    seq: int = Field(description="Position in the feed; increases in commit order")
    cursor: str = Field(description="Resume after this event: pass it as `cursor`")
    type: str = Field(description="`{resource}.{action}`", examples=["certificate.suspend"])
    resource: str = Field(examples=["certificate"])
    resource_id: str
    action: str = Field(examples=["suspend"])
    occurred_at: datetime
    link: str | None = Field(None, description="The resource in the API")
    page: str | None = Field(None, description="The resource's public HTML page, when it has one")
    data: dict[str, Any] = Field(default_factory=dict, description="For certificates: number, status, company_id",
                                 examples=[{"number": "AXR-2026-7KQM-P3XD-H", "status": "suspended"}])


class FeedPage(BaseModel):
    items: list[FeedEvent]
    cursor: str = Field(description="Cursor after the last event of this page (or the head when it is empty)")
    next: str = Field(description="URL of the next page; poll it again when `has_more` is false")
    has_more: bool = Field(description="True when more events are already waiting")


class WebhookEndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2000, examples=["https://portal.gyeongnam.kr/hooks/axr"])
    event_types: list[str] = Field(min_length=1, max_length=50, examples=[["certificate.*", "company.updated"]],
                                   description="`resource.action`, `resource.*`, or `*` for every event")
    description: str | None = Field(None, max_length=500, examples=["경남 스마트공장 포털 동기화"])


class WebhookEndpointRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    url: str
    event_types: list[str]
    description: str | None
    active: bool
    created_at: datetime


class WebhookEndpointCreated(WebhookEndpointRead):
    secret: str = Field(description="Standard Webhooks signing secret `whsec_...`; shown once",
                        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])


class WebhookDeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="The `webhook-id` header, the same on every attempt")
    seq: int
    event_type: str
    status: str = Field(description="pending, delivered or failed (retries exhausted)")
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None


class WebhookDeliveryList(BaseModel):
    items: list[WebhookDeliveryRead]
