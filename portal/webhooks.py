"""Webhook endpoints of portals: register, list, read, delete, and the deliveries made to each."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.korean import josa, quoted
from core.principal import Principal
from portal import feed, signing, ssrf
from portal.models import WebhookDelivery, WebhookEndpoint
from portal.schemas import WebhookEndpointCreate


def owner_of(p: Principal) -> str:
    """Endpoints belong to the caller's organisation, or to its token subject when it has none."""
    return p.org or p.sub


def matches(event_type: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(event_type, pattern) for pattern in patterns)


def register(session: Session, *, data: WebhookEndpointCreate, p: Principal, allow_private: bool) -> WebhookEndpoint:
    """Register an endpoint for events committed from now on; refuses URLs the SSRF guard rejects."""
    ssrf.check_url(data.url, allow_private=allow_private)
    endpoint = WebhookEndpoint(owner=owner_of(p), url=data.url, event_types=sorted(set(data.event_types)),
                               description=data.description, secret=signing.new_secret(),
                               start_after_seq=feed.head(session))
    session.add(endpoint)
    session.flush()
    return endpoint


def list_endpoints(session: Session, *, p: Principal) -> list[WebhookEndpoint]:
    stmt = select(WebhookEndpoint).order_by(WebhookEndpoint.id)
    if p.role != "admin":
        stmt = stmt.where(WebhookEndpoint.owner == owner_of(p))
    return list(session.scalars(stmt))


def get_endpoint(session: Session, *, endpoint_id: str, p: Principal) -> WebhookEndpoint:
    """Someone else's endpoint is reported as not found."""
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or (p.role != "admin" and endpoint.owner != owner_of(p)):
        raise NotFound(f"웹훅 {josa(quoted(endpoint_id), '을')} 찾을 수 없습니다.",
                       f"Webhook {endpoint_id} was not found.")
    return endpoint


def delete_endpoint(session: Session, *, endpoint: WebhookEndpoint) -> None:
    session.delete(endpoint)
    session.flush()


def list_deliveries(session: Session, *, endpoint: WebhookEndpoint, limit: int) -> list[WebhookDelivery]:
    stmt = (select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
            .order_by(WebhookDelivery.seq.desc()).limit(limit))
    return list(session.scalars(stmt))
