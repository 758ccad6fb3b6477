"""The search and matching service of one process: its index, thesaurus and weights, kept in step
with the database through the outbox before every query (read-your-writes in the embedded default).

Designation is checked at query time through `is_active`, which the caller backs with the database: a
(supplier, category) pair counts when an active certificate of the supplier covers the category.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from matching import index_sync, matcher, thesaurus_store
from matching.documents import NeedQuery, SearchFilters
from matching.engine import IndexBusy, SearchIndex, TantivyIndex
from matching.scoring import Match
from matching.thesaurus import Thesaurus, default_thesaurus
from matching.weights import MatchWeights

Pairs = Iterable[tuple[str, str]]
Designated = Callable[[set[tuple[str, str]]], set[tuple[str, str]]]
# What `sync` asks before every query: the newest thesaurus version, and whether index work waits.
# A query applies a backlog up to this many events itself (its own writes: read-your-writes) and waits
# at most this long for another thread's batch; a longer backlog is caught up in the background.
QUERY_EVENTS = 500
QUERY_WAIT = 0.25
log = logging.getLogger("axr.search")


@dataclass
class SearchService:
    index: SearchIndex
    engine: Engine
    designated: Callable[[Session, Pairs], set[tuple[str, str]]]
    thesaurus: Thesaurus = field(default_factory=default_thesaurus)
    weights: MatchWeights = field(default_factory=MatchWeights)
    thesaurus_seq: int = 0  # 0: the shipped thesaurus; otherwise the database version in use
    follower: bool = False  # another process writes this index: reload before each query instead
    _catch_up_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _catching_up: threading.Thread | None = field(default=None, repr=False)
    _full_syncs: int = field(default=0, repr=False)  # threads in `sync()` now (warm-up, catch-up, reindex)

    @classmethod
    def embedded(cls, engine: Engine, directory: Path | None,
                 designated: Callable[[Session, Pairs], set[tuple[str, str]]],
                 weights: MatchWeights | None = None) -> SearchService:
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
        index = TantivyIndex(str(directory) if directory else None)
        return cls(index, engine, designated, weights=weights or MatchWeights.from_env())

    def sync(self) -> int:
        """Pick up a newer thesaurus and apply every pending outbox event to the index, waiting for a
        catch-up another thread runs (the warm-up, `axr reindex`, a test); cheap when idle.

        An index created empty (a new folder, or one of an older schema discarded) is first filled
        from the database, as `axr reindex` does."""
        with self._catch_up_lock:
            self._full_syncs += 1
        try:
            return self._sync(query=False)
        finally:
            with self._catch_up_lock:
                self._full_syncs -= 1

    def sync_for_request(self) -> int:
        """A request's sync: its own recent writes are applied when the backlog is short, and it never waits
        behind a catch-up (see `_sync`)."""
        return self._sync(query=True)

    def _sync(self, *, query: bool) -> int:
        """`query`: a query's sync, which never waits behind a catch-up. It applies a backlog of up to
        QUERY_EVENTS inline (a request's own writes, so it reads them), waits at most QUERY_WAIT seconds
        for the apply lock, and hands a longer backlog to a background catch-up; meanwhile the query is
        answered from what the index has, designation still checked against the database."""
        if self.follower:
            self.index.reload()
        after = self.index.applied_seq()  # this index's own place in the outbox
        with self.engine.connect() as conn:  # one cheap round trip when nothing changed
            if after is None and not self.index.needs_rebuild:  # an index of before such records
                with Session(bind=conn) as probe:
                    after = index_sync.cursor(probe, self.index)
            state = select(thesaurus_store.latest_seq_query(), index_sync.pending_query(after))
            seq, pending = conn.execute(state).one()
        if (seq or 0) == self.thesaurus_seq and not pending and not self.index.needs_rebuild:
            return 0
        with Session(self.engine, expire_on_commit=False) as session:
            if (seq or 0) != self.thesaurus_seq:
                self.thesaurus_seq, self.thesaurus = thesaurus_store.current(session)
                self.index.use_thesaurus(self.thesaurus)
            if not pending and not self.index.needs_rebuild:
                return 0
            if not query:
                self.thesaurus.compile()  # before the backlog: the queries meanwhile find it ready
            if query and self._full_syncs:
                return 0  # another thread is applying the whole backlog: answer from what the index has
            try:
                if self.index.needs_rebuild:
                    if query and index_sync.busy():
                        return 0  # the warm-up or a reindex is filling it: answer from what it has
                    return index_sync.rebuild(session, self.index, self._checker(session))
                if not query:
                    return index_sync.apply_outbox(session, self.index, self._checker(session))
                if index_sync.pending_over(session, self.index, QUERY_EVENTS):
                    # a bulk import or a restart's backlog: not this request's own writes, and seconds of
                    # analysis; the background catch-up applies it and the query answers from the index
                    session.rollback()
                    self._catch_up()
                    return 0
                done = index_sync.apply_outbox(session, self.index, self._checker(session),
                                               max_events=QUERY_EVENTS, wait=QUERY_WAIT)
                if done >= QUERY_EVENTS or (done == 0 and index_sync.busy()):
                    self._catch_up()
                return done
            except IndexBusy:
                # A running server holds this index folder (a CLI `axr match` beside it): that server
                # applies the events; this process reads what it has committed. Designation is still
                # checked against the database on every query.
                session.rollback()
                self.follower = True
                self.index.reload()
                return 0

    def _catch_up(self) -> None:
        """Apply the rest of a long backlog in a background thread (one at a time per service)."""
        with self._catch_up_lock:
            if self._catching_up is not None and self._catching_up.is_alive():
                return

            def run() -> None:
                try:
                    self.sync()
                except Exception:  # noqa: BLE001 - the next query starts another catch-up
                    log.exception("search index catch-up failed")

            self._catching_up = threading.Thread(target=run, name="axr-index-catch-up", daemon=True)
            self._catching_up.start()

    def rebuild(self, progress: Callable[[int, int], object] | None = None) -> int:
        with Session(self.engine, expire_on_commit=False) as session:
            return index_sync.rebuild(session, self.index, self._checker(session), progress)

    def _checker(self, session: Session) -> Designated:
        return lambda pairs: self.designated(session, pairs)

    def match(self, session: Session, need: NeedQuery, *, limit: int = 50,
              requirements: matcher.RequirementLoader | None = None) -> list[Match]:
        self._sync(query=True)
        return matcher.match(need, index=self.index, docs=lambda ids: index_sync.load_docs(session, ids),
                             is_active=self._checker(session), thesaurus=self.thesaurus, weights=self.weights,
                             limit=limit, requirements=requirements,
                             texts=lambda ids: index_sync.load_docs(session, ids, track_records=False))

    def search(self, session: Session, text: str, *, filters: SearchFilters | None = None, limit: int = 20,
               cursor: str | None = None) -> matcher.SearchResults:
        self._sync(query=True)
        return matcher.search(text, index=self.index,
                              docs=lambda ids: index_sync.load_docs(session, ids, track_records=False),
                              is_active=self._checker(session), filters=filters, limit=limit, cursor=cursor,
                              thesaurus=self.thesaurus, weights=self.weights)
