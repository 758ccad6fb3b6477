"""The change feed for portals (`feed:read`): public changes in commit order behind an opaque cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from api.deps import SessionDep, SettingsDep, scoped
from api.ratelimit import public_rate_limit
from api.schemas import PROBLEM_RESPONSES
from core.errors import Invalid
from core.principal import Principal
from portal import feed
from portal.schemas import FeedPage

router = APIRouter(tags=["feed"], responses={**PROBLEM_RESPONSES, 429: PROBLEM_RESPONSES[400]})
FeedReader = Annotated[Principal, scoped("feed:read")]


@router.get("/v1/feed/changes", response_model=FeedPage, operation_id="feed_changes",
            dependencies=[Depends(public_rate_limit)],
            summary="변경 피드 / The change feed (companies, solutions, certificates, public datasets)",
            description="Every public change in commit order. Start without `cursor`, then follow `next` "
                        "(or pass the last `cursor` you stored): no event is skipped or repeated, even across "
                        "restarts. An empty page still carries the cursor to poll with.")
def changes(request: Request, session: SessionDep, settings: SettingsDep, _: FeedReader,
            cursor: Annotated[str | None, Query(max_length=200, description="`cursor` of the last page")] = None,
            limit: Annotated[int, Query(ge=1, le=500, description="Events per page (max 500)")] = 100,
            resource: Annotated[list[str] | None, Query(
                max_length=10, description="Only these resource types (company, solution, certificate, dataset)",
                examples=[["certificate"]])] = None) -> FeedPage:
    for r in resource or ():
        if r not in feed.RESOURCE_TYPES:
            raise Invalid(f"알 수 없는 resource: {r}", f"Unknown resource: {r}",
                          allowed=list(feed.RESOURCE_TYPES))
    events, next_seq, more = feed.read(session, after=feed.decode_cursor(cursor), limit=limit,
                                       resources=resource, base_url=settings.public_base_url)
    next_cursor = feed.encode_cursor(next_seq)
    params: dict[str, object] = {"cursor": next_cursor, "limit": limit}
    url = request.url.remove_query_params(["cursor", "limit"]).include_query_params(**params)
    return FeedPage(items=events, cursor=next_cursor, next=str(url), has_more=more)
