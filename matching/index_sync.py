"""Keeping the search index in step with the database: documents from rows, the outbox consumer,
and the full rebuild behind `axr reindex`.

The index holds published solutions that were designated when indexed (supplier actively designated,
category within its certificate's scope); every query checks designation again against the database,
so a lagging index never shows a supplier that lost its designation or a field outside its scope.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from sqlalchemy import Exists, Select, bindparam, exists, func, select, update
from sqlalchemy.orm import Session

from core import clock
from core.db import core_reader, vacuum
from core.outbox import OutboxEvent
from matching.documents import SearchDoc
from matching.engine import SearchIndex
from registry.models import Company, Solution, TipsLinkage
from registry.reference import TipsStage

# (supplier id, category) pairs -> those an active certificate covers now (certification/scope.py)
Designated = Callable[[set[tuple[str, str]]], set[tuple[str, str]]]
SEARCH_RESOURCES = ("solution", "company", "certificate")
_STAGES = [s.value for s in TipsStage]
_apply_lock = threading.Lock()
VACUUM_AFTER = 1_000  # events marked in one go (a bulk import) after which the outbox is vacuumed
# Events per batch of a catch-up (the apply lock is released between batches; a bulk import of 100k
# solutions is about 300k events, so a few index commits).
CATCH_UP_BATCH = 50_000


# Where confirmed programme outcomes come from: (session, company ids) -> {company id: 0..1}. Set by
# the process that builds the search service (api/search_runtime.py), so matching never imports programme.
TrackRecordSource = Callable[[Session, Iterable[str]], dict[str, float]]
_track_record_source: TrackRecordSource | None = None


def set_track_record_source(source: TrackRecordSource | None) -> None:
    global _track_record_source
    _track_record_source = source


def track_record(measured_cases: int, confirmed: float | None = None) -> float:
    """0..1: reference cases with measured outcomes (three or more count fully) plus confirmed programme
    outcomes (`confirmed`, already on that scale), so each confirmed project raises the record."""
    own = min(1.0, measured_cases / 3)
    return min(1.0, own + confirmed) if confirmed else own


def _confirmed(session: Session, company_ids: set[str]) -> dict[str, float]:
    source = _track_record_source
    return source(session, company_ids) if source is not None and company_ids else {}


def _later_stage(a: str | None, b: str | None) -> str | None:
    """The further of two TIPS stages (None: no linkage)."""
    if a is None or (b is not None and _STAGES.index(b) > _STAGES.index(a)):
        return b
    return a


_DOC_COLUMNS = (Solution.id, Solution.ref, Solution.status, Solution.title_ko, Solution.title_en,
                Solution.description_ko, Solution.description_en, Solution.category, Solution.industries,
                Solution.min_level, Solution.price_min_krw, Solution.price_max_krw, Solution.deployment_mode,
                Company.id.label("company_id"), Company.name_ko, Company.region,
                TipsLinkage.stage.label("tips_stage"))


def _load_statement(columns: tuple[Any, ...]) -> Select[Any]:
    """Built once: composing a statement costs about as much as running it on a page of ids."""
    return (select(*columns).join(Company, Company.id == Solution.company_id)
            .outerjoin(TipsLinkage, TipsLinkage.company_id == Company.id)
            .where(Solution.id.in_(bindparam("ids", expanding=True))))


_LOAD = {True: _load_statement((*_DOC_COLUMNS, Solution.reference_cases)), False: _load_statement(_DOC_COLUMNS)}


def _load(session: Session, ids: list[str], *, track_records: bool = True) -> dict[str, tuple[SearchDoc, str]]:
    """(SearchDoc, status) per solution id: plain column rows (no ORM identity map), one query per 500
    ids (a row per TIPS linkage of the supplier; the furthest stage counts), and one more for confirmed
    programme outcomes unless `track_records` is False (then `track_record` is None)."""
    out: dict[str, tuple[SearchDoc, str]] = {}
    for chunk in _chunks(ids, 500):
        rows = core_reader(session).execute(_LOAD[track_records], {"ids": chunk}).all()
        stage: dict[str, str | None] = {}
        for r in rows:
            stage[r.id] = _later_stage(stage.get(r.id), r.tips_stage)
        confirmed = _confirmed(session, {r.company_id for r in rows}) if track_records else {}
        for r in rows:
            if r.id in out:
                continue
            record: float | None = None
            if track_records:
                measured = sum(1 for case in r.reference_cases or () if case.get("outcomes"))
                record = track_record(measured, confirmed.get(r.company_id))
            doc = SearchDoc(
                id=r.id, ref=r.ref, supplier_id=r.company_id, supplier_name=r.name_ko, title_ko=r.title_ko,
                title_en=r.title_en or "", description_ko=r.description_ko, description_en=r.description_en or "",
                category=r.category, industries=list(r.industries), min_level=r.min_level,
                price_min_krw=r.price_min_krw, price_max_krw=r.price_max_krw, region=r.region,
                deployment_mode=r.deployment_mode, tips_stage=stage[r.id], track_record=record)
            out[r.id] = (doc, r.status)
    return out


def load_docs(session: Session, ids: list[str], *, track_records: bool = True) -> dict[str, SearchDoc]:
    """SearchDocs for solution ids, read from the database (the source of truth). Plain search shows
    no track record and passes `track_records=False`, which saves reading reference cases."""
    return {i: doc for i, (doc, _status) in _load(session, ids, track_records=track_records).items()}


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _affected_solutions(session: Session, events: Sequence[Any]) -> set[str]:
    solution_ids = {e.resource_id for e in events if e.resource == "solution"}
    company_ids = {e.resource_id for e in events if e.resource == "company"}
    company_ids |= {str(e.payload["company_id"]) for e in events
                    if e.resource == "certificate" and e.payload.get("company_id")}
    for chunk in _chunks(sorted(company_ids), 500):
        solution_ids |= set(session.scalars(select(Solution.id).where(Solution.company_id.in_(chunk))))
    return solution_ids


def refresh(session: Session, index: SearchIndex, solution_ids: Iterable[str], is_active: Designated,
            *, batch: int = 2000) -> None:
    """Upsert the ids that are published by an active supplier, delete the rest (idempotent). More
    than one batch (a bulk import) is applied as one bulk commit."""
    ids = list(solution_ids)
    with bulk(index) if len(ids) > batch else nullcontext():
        _refresh(session, index, ids, is_active, batch)


def bulk(index: SearchIndex) -> AbstractContextManager[Any]:
    """The index's bulk load (one commit, large segments) when it has one, else nothing special."""
    method = getattr(index, "bulk", None)
    return method() if method is not None else nullcontext()


def _refresh(session: Session, index: SearchIndex, ids: list[str], is_active: Designated,
             batch: int) -> None:
    for chunk in _chunks(ids, batch):
        loaded = _load(session, chunk)
        active = is_active({(d.supplier_id, d.category) for d, _ in loaded.values()})
        keep = [d for d, status in loaded.values() if (d.supplier_id, d.category) in active
                and status == "published"]
        kept = {d.id for d in keep}
        gone = [i for i in chunk if i not in kept]
        apply = getattr(index, "apply", None)
        if apply is not None:
            apply(keep, gone)  # one index commit per batch
        else:
            index.upsert(keep)
            index.delete(gone)


def apply_outbox(session: Session, index: SearchIndex, is_active: Designated, *,
                 batch: int = CATCH_UP_BATCH, max_events: int | None = None, wait: float | None = None) -> int:
    """Apply pending search-relevant outbox events to the index and mark them; returns how many.

    Events are taken `batch` at a time, each batch under the apply lock taken afresh, so the lock is
    never held for more than one batch: the solutions a batch touches are refreshed once each (a bulk
    import's company, certificate and solution events name the same solutions), from the database as it
    is now, then every pending search event up to the last one read is marked. Seqs are commit order, so
    no event below that one can still appear. `max_events` stops after about that many (the rest stays
    pending); `wait` gives up (returning what was applied) when another thread has held the lock that
    long, as a query does rather than wait behind a catch-up."""
    done = 0
    while max_events is None or done < max_events:
        if not _apply_lock.acquire(timeout=-1 if wait is None else wait):
            return done
        try:
            take = batch if max_events is None else max(1, min(batch, max_events - done))
            after = cursor(session, index)
            events = session.execute(
                select(OutboxEvent.seq, OutboxEvent.resource, OutboxEvent.resource_id, OutboxEvent.payload)
                .where(OutboxEvent.seq > after, OutboxEvent.resource.in_(SEARCH_RESOURCES))
                .order_by(OutboxEvent.seq).limit(take)).all()
            if not events:
                if done >= VACUUM_AFTER:
                    session.commit()  # no snapshot of ours holds the dead versions back
                    vacuum(session.get_bind().engine, OutboxEvent.__tablename__)
                return done
            refresh(session, index, sorted(_affected_solutions(session, events)), is_active)
            index.mark_applied(events[-1].seq)  # after the index committed what the events changed
            _end_reads(session)
            _mark_shared(session, events[-1].seq)
            session.commit()
            done += len(events)
        finally:
            _apply_lock.release()
    return done


def cursor(session: Session, index: SearchIndex) -> int:
    """The last event applied to this index: its own record; for an index without one yet (a folder of
    before per-index records, a Meilisearch index after a restart) the shared marking of the rows, every
    event before the first unmarked one. Each index keeping its own place is what lets several instances,
    each with an index of its own, follow one database: one instance's applying hides nothing from another."""
    seq = index.applied_seq()
    if seq is not None:
        return seq
    first = session.scalar(select(func.min(OutboxEvent.seq)).where(
        OutboxEvent.indexed_at.is_(None), OutboxEvent.resource.in_(SEARCH_RESOURCES)))
    if first is not None:
        return int(first) - 1
    return int(session.scalar(select(func.max(OutboxEvent.seq))) or 0)


def _mark_shared(session: Session, upto: int) -> None:
    """Mark the rows up to `upto` as applied by some index (the start of an index that keeps no record of
    its own, and the outbox's vacuum); no index reads its pending events from this marking."""
    session.execute(update(OutboxEvent).where(OutboxEvent.indexed_at.is_(None), OutboxEvent.seq <= upto,
                                              OutboxEvent.resource.in_(SEARCH_RESOURCES))
                    .values(indexed_at=clock.now()))


def busy() -> bool:
    """Whether some thread of this process is applying events or rebuilding now."""
    return _apply_lock.locked()


def pending_query(after: int | None = None) -> Exists:
    """Whether search-relevant outbox events after `after` (an index's place) wait to be applied, as an
    EXISTS expression (a primary-key range); None: any row no index has marked yet."""
    if after is None:
        return exists().where(OutboxEvent.indexed_at.is_(None), OutboxEvent.resource.in_(SEARCH_RESOURCES))
    return exists().where(OutboxEvent.seq > after, OutboxEvent.resource.in_(SEARCH_RESOURCES))


def _end_reads(session: Session) -> None:
    """End the reading transaction before marking events, so the marking starts a transaction of its own
    that waits for the write lock. SQLite refuses at once (no busy wait) to turn a read transaction into
    a write once another connection has committed since it began, as the webhook worker may have while
    the index was being filled. Marking by seq stays exact: seqs are commit order, so no event at or
    below the last one read can still appear."""
    session.commit()


def pending_over(session: Session, index: SearchIndex, limit: int) -> bool:
    """Whether more than `limit` search-relevant events wait for `index` (counts at most limit + 1 rows)."""
    rows = (select(OutboxEvent.seq).where(OutboxEvent.seq > cursor(session, index),
                                          OutboxEvent.resource.in_(SEARCH_RESOURCES))
            .limit(limit + 1).subquery())
    return (session.scalar(select(func.count()).select_from(rows)) or 0) > limit


def has_pending(session: Session, index: SearchIndex | None = None) -> bool:
    """Whether events wait for `index` (None: events no index has applied yet)."""
    return bool(session.scalar(select(pending_query(None if index is None else cursor(session, index)))))


def rebuild(session: Session, index: SearchIndex, is_active: Designated,
            progress: Callable[[int, int], Any] | None = None, batch: int = 2000) -> int:
    """Drop everything and index every published solution of an active supplier (`axr reindex`)."""
    with _apply_lock:
        upto = session.scalar(select(func.max(OutboxEvent.seq))) or 0
        ids = list(session.scalars(select(Solution.id).where(Solution.status == "published").order_by(Solution.id)))
        total = 0
        with bulk(index):  # the old contents stay searchable (and stay, if this fails) until the end
            index.clear()
            for chunk in _chunks(ids, batch):
                docs = load_docs(session, chunk)
                active = is_active({(d.supplier_id, d.category) for d in docs.values()})
                index.upsert([d for d in docs.values() if (d.supplier_id, d.category) in active])
                total += len(chunk)
                if progress:
                    progress(total, len(ids))
        # Events after `upto` were not seen by this rebuild; the next apply_outbox takes them.
        index.mark_applied(upto)
        _end_reads(session)
        _mark_shared(session, upto)
        session.commit()
        return index.count()
