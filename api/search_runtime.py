"""Builds the process's search service: the embedded tantivy index (or Meilisearch when configured),
with designation (supplier active, category within its scope) checked against the database at query time."""

from __future__ import annotations

import gc
from collections.abc import Iterable

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from certification import scope
from core.db import get_engine
from core.errors import PROBLEM_BASE, AppError
from core.settings import Settings, get_settings
from matching import index_sync
from matching.service import SearchService
from programme.track_record import confirmed_by_company


def designated(session: Session, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    return scope.designated_pairs(session, pairs)


def build_search_service(settings: Settings | None = None, engine: Engine | None = None) -> SearchService:
    settings = settings or get_settings()
    engine = engine or get_engine(settings.database_url)
    index_sync.set_track_record_source(confirmed_by_company)  # confirmed programme outcomes count
    if settings.meili_url:
        from matching.meili import MeiliIndex

        return SearchService(MeiliIndex(settings.meili_url, settings.meili_key), engine, designated)
    service = SearchService.embedded(engine, settings.search_dir(), designated)
    _freeze_once()
    return service


_frozen = False


def _freeze_once() -> None:
    """The index's facts and vocabulary are a few hundred thousand objects that live as long as the
    process: frozen, the collector stops walking them in its full passes (about 50 ms each, once
    every few hundred queries at 100k solutions, which made the 99th percentile). Once per process:
    a server builds one search service."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


# How long a request waits for the search service another thread is loading (the warm-up) before it
# is answered 503 with Retry-After (issue 17: no request waits behind loading or a catch-up).
REQUEST_WAIT = 0.5


class SearchLoading(AppError):
    status = 503
    type = PROBLEM_BASE + "not-ready"
    title_ko = "아직 준비되지 않았습니다"
    title_en = "Not ready yet"

    def __init__(self) -> None:
        super().__init__("검색 기능을 불러오는 중입니다. 잠시 후 다시 시도해 주세요.",
                         "Search is loading; try again in a moment.", headers={"Retry-After": "5"})
