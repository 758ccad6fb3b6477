"""The search index port (`SearchIndex`) and its embedded implementation on tantivy.

Documents are analysed in Python (matching.analysis) and indexed as whitespace-joined tokens, so
every engine behind the port sees the same Korean segmentation. Queries arrive as weighted tokens.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import tantivy

from matching import fact_table
from matching.analysis import analyze_many
from matching.documents import LEVELS, SearchDoc, SearchFilters, SolutionFacts
from matching.fuzzy import FuzzyVocabulary

if TYPE_CHECKING:
    from matching.thesaurus import Thesaurus

FACET_FIELDS: tuple[str, ...] = (
    "category", "industry", "min_level", "region", "deployment_mode", "tips_stage")
NO_STAGE = "none"
MAX_TIE_FETCH = 10_000
SCHEMA_VERSION = 4  # bump when the schema or the analysis of its tokens changes: other versions are rebuilt
_MARKER = "axr-index.json"
_CURSOR = "axr-outbox.json"  # the index's place in the outbox: {"seq": N}, written after the commit it records
GRAM_TOKENIZER = "axr_bigram"


class IndexBusy(RuntimeError):
    """Another process holds the index folder's writer: it applies the outbox, this one only reads."""


@dataclass(frozen=True)
class Hit:
    doc_id: str
    score: float
    supplier_id: str
    # the solution's structured facts as indexed, when the engine keeps them (None: read the database)
    facts: SolutionFacts | None = None


@dataclass
class SearchPage:
    hits: list[Hit]
    total: int  # documents matching query and filters (before the designation check)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class SearchIndex(Protocol):
    """What the matcher needs from a search engine; writes are idempotent by document id."""

    def upsert(self, docs: Iterable[SearchDoc]) -> None: ...

    def delete(self, ids: Iterable[str]) -> None: ...

    def search(
        self,
        terms: Mapping[str, float],
        *,
        filters: SearchFilters | None = None,
        limit: int = 50,
        offset: int = 0,
        include_unmatched: bool = False,
        with_facets: bool = False,
        stable_ties: bool = True,
        with_total: bool = True,
        grams: Mapping[str, float] | None = None,
        exact: Mapping[str, float] | None = None,
    ) -> SearchPage:
        """Best-first hits for weighted tokens, ties broken by document id.

        With `include_unmatched` (or no terms) every document passing the filters is a hit,
        scored 0 when no term matches. Without `stable_ties`, which of many documents tied at
        the cut make the page is left to the engine (cheaper; fine for candidate retrieval).
        Without `with_total` (and facets) `total` may be 0: the engine need not visit every
        matching document to find the best ones. `grams` are weighted character bigrams of the
        query's own words (`PreparedQuery.grams`), matched against the raw texts; an engine that
        matches substrings itself may ignore them. `exact` are the query's own words (not synonyms),
        weighted again for titles that carry them: a product name or abbreviation typed alone
        ranks the solutions named so first.
        """
        ...

    def search_each(
        self,
        terms: Mapping[str, float],
        variants: Sequence[tuple[SearchFilters | None, int]],
        *,
        include_unmatched: bool = False,
        stable_ties: bool = True,
        with_total: bool = True,
        grams: Mapping[str, float] | None = None,
        exact: Mapping[str, float] | None = None,
    ) -> list[SearchPage]:
        """`search` once per (filters, limit) variant, in order; an engine may run them concurrently."""
        ...

    def count(self) -> int: ...

    def clear(self) -> None: ...

    def reload(self) -> None:
        """Make what other processes wrote visible to this one's searches."""
        ...

    def use_thesaurus(self, thesaurus: Thesaurus) -> None:
        """The thesaurus in force changed (an admin saved a version): an engine that expands synonyms
        itself takes it; queries reach every engine already expanded by it."""
        ...

    @property
    def needs_rebuild(self) -> bool:
        """True when the index was created empty (or discarded) and must be filled from the database."""
        ...

    def has_term(self, token: str) -> bool: ...

    def similar_terms(self, token: str) -> list[str]: ...

    def applied_seq(self) -> int | None:
        """The last outbox seq applied to this index (its own place in the outbox, so that several
        instances, each with its own index, all follow it), or None when the index keeps no record yet."""
        ...

    def mark_applied(self, seq: int) -> None:
        """Record, after the documents it concerns are committed, that events up to `seq` are applied."""
        ...


def _schema() -> Any:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, fast=True, tokenizer_name="raw")
    sb.add_unsigned_field("key", fast=True)  # `doc_key(id)`: finds a hit's facts without reading the store
    sb.add_text_field("supplier_id", stored=True, fast=True, tokenizer_name="raw")
    sb.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
    # The raw texts again as character bigrams (tantivy's own ngram tokenizer, in Rust): they meet
    # words the analyser segments differently, unknown compounds and inflected forms (GRAM_TOKENIZER).
    sb.add_text_field("title_grams", tokenizer_name=GRAM_TOKENIZER, index_option="freq")
    sb.add_text_field("body_grams", tokenizer_name=GRAM_TOKENIZER, index_option="freq")
    for name in FACET_FIELDS:
        sb.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")
    sb.add_integer_field("level_rank", indexed=True, fast=True)
    sb.add_integer_field("price_min", stored=True, indexed=True, fast=True)
    sb.add_integer_field("price_max", stored=True)
    sb.add_float_field("track_record", stored=True)
    return sb.build()


def _gram_analyzer() -> Any:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(2, 2, False))
            .filter(tantivy.Filter.lowercase()).build())


def _stored_facts(d: Any) -> SolutionFacts:
    stage = d.get_first("tips_stage")
    industries = [i for i in d.get_all("industry")]
    return SolutionFacts(
        id=d.get_first("id"), supplier_id=d.get_first("supplier_id"), category=d.get_first("category"),
        industries=industries, min_level=d.get_first("min_level"), price_min_krw=d.get_first("price_min"),
        price_max_krw=d.get_first("price_max"), region=d.get_first("region"),
        deployment_mode=d.get_first("deployment_mode"), tips_stage=None if stage == NO_STAGE else stage,
        track_record=d.get_first("track_record"))


def _open_or_create(schema: Any, path: str | None) -> tuple[Any, bool]:
    """(index, created): a folder without the marker of this schema version is discarded and recreated.

    The marker is written by the folder's first commit (`TantivyIndex._mark`), not when the folder is made: a
    process stopped during the first fill (a rebuild's one bulk commit) leaves no marker, so the next one
    starts the fill again instead of serving an empty index as if it were complete."""
    if path is None:
        return _with_tokenizers(tantivy.Index(schema)), True
    folder, marker = Path(path), Path(path) / _MARKER
    current = marker.exists() and json.loads(marker.read_text()).get("schema") == SCHEMA_VERSION
    if current and tantivy.Index.exists(path):
        return _with_tokenizers(tantivy.Index.open(path)), False
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return _with_tokenizers(tantivy.Index(schema, path=path)), True


def _mark_filled(path: str | None) -> None:
    if path is not None:
        marker = Path(path) / _MARKER
        tmp = marker.with_suffix(".tmp")
        tmp.write_text(json.dumps({"schema": SCHEMA_VERSION}))
        tmp.replace(marker)


def _with_tokenizers(index: Any) -> Any:
    index.register_tokenizer(GRAM_TOKENIZER, _gram_analyzer())
    return index


def _return_freed_memory() -> None:
    """Give the C heap's free pages back to the system (glibc keeps them otherwise): the bulk writer's heap
    of up to `bulk_heap` is freed when a rebuild or a long catch-up ends, and the resident size stayed at its
    peak (1,020 MB after a 100k catch-up; 55 MB returned at 10k). A no-op where there is no glibc."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class TantivyIndex:
    """Embedded `SearchIndex` on tantivy, on disk at `path` or in memory when `path` is None.

    Besides the tantivy index it keeps, in memory, the structured facts of every document (the
    matcher ranks hundreds of hits per query from them) and the typo vocabulary of its terms."""

    def __init__(self, path: str | None = None, *, title_boost: float = 2.0, writer_heap: int = 64_000_000,
                 bulk_heap: int = 1_000_000_000,
                 max_grams: int = 12) -> None:
        self._schema = _schema()
        self._title_boost = title_boost
        self._max_grams = max_grams
        self._path = path
        self._index, self._needs_rebuild = _open_or_create(self._schema, path)
        self._marked = path is None or not self._needs_rebuild
        self._writer_heap = self._heap = writer_heap
        self._bulk_heap = max(bulk_heap, writer_heap)
        self._bulk_depth = 0
        self._writer: Any = None
        self._lock = threading.Lock()
        self._vocab = FuzzyVocabulary()  # every indexed term, for typo correction
        self._facts = fact_table.FactTable()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._current: Any = None
        self._meta = str(Path(path) / "meta.json") if path else ""
        self._seen = 0
        self._applied: int | None = None if self._needs_rebuild else self._read_cursor()
        self._load_vocabulary()
        self._load_facts()

    def _threads(self) -> ThreadPoolExecutor:
        """Threads for searches that can run side by side (tantivy releases the GIL while searching). Made
        under a lock of their own: a writer holds the index lock for a whole batch and its commit, and the
        first search after a restart waited seconds behind the catch-up for it (bench/catch_up.py)."""
        if self._pool is None:
            with self._pool_lock:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="axr-search")
        return self._pool

    @property
    def needs_rebuild(self) -> bool:
        return self._needs_rebuild

    # --- writes --------------------------------------------------------------------------------

    def _get_writer(self) -> Any:
        if self._writer is None:
            try:
                self._writer = self._index.writer(self._heap, 1)
            except ValueError as exc:
                if "LockBusy" in str(exc):
                    raise IndexBusy("another process (a running server?) is writing to this index folder") from exc
                raise
        return self._writer

    def reload(self) -> None:
        self._reloaded()
        if self._path is not None and not self._needs_rebuild:
            self._applied = self._read_cursor()  # a follower: the writing process's place in the outbox

    def applied_seq(self) -> int | None:
        return self._applied

    def mark_applied(self, seq: int) -> None:
        if self._path is not None:
            cursor = Path(self._path) / _CURSOR
            tmp = cursor.with_suffix(".tmp")
            tmp.write_text(json.dumps({"seq": int(seq)}))
            tmp.replace(cursor)
        self._applied = int(seq)

    def _read_cursor(self) -> int | None:
        """The folder's recorded place in the outbox; None for a folder of before such records."""
        try:
            seq = json.loads((Path(self._path or "") / _CURSOR).read_text()).get("seq")
        except (OSError, ValueError, AttributeError):
            return None
        return seq if isinstance(seq, int) else None

    def _reloaded(self) -> None:
        """Re-open the reader after a commit (ours, or another process's for a follower)."""
        self._index.reload()
        self._current, self._seen = self._index.searcher(), self._meta_stamp()

    def _meta_stamp(self) -> int:
        """When the folder's commit record last changed (0 in memory): another process's commit shows here."""
        try:
            return os.stat(self._meta).st_mtime_ns if self._meta else 0
        except OSError:
            return 0

    def _searcher(self) -> Any:
        """The searcher of the last commit: one snapshot shared by the queries until the next one
        (`Index.searcher()` costs about a millisecond at 100k; a query makes up to five searches). A commit
        by another process (an `axr reindex` holding the folder's writer) is noticed by one stat per call."""
        current = self._current
        if current is None or (self._meta and self._meta_stamp() != self._seen):
            self._reloaded()
            current = self._current
        return current

    def use_thesaurus(self, thesaurus: Thesaurus) -> None:
        pass  # tantivy gets queries the thesaurus has already expanded; it keeps no synonyms

    def upsert(self, docs: Iterable[SearchDoc]) -> None:
        self.apply(docs, ())

    def _commit(self) -> None:
        """Commit the writer's work and show it to searches, unless a `bulk` load commits at its end."""
        if self._bulk_depth:
            return
        self._get_writer().commit()
        self._mark()
        self._reloaded()

    def _mark(self) -> None:
        """After a commit: the folder's first commit writes its marker (see `_open_or_create`)."""
        if not self._marked:
            _mark_filled(self._path)
            self._marked = True

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Many batches as one commit (a rebuild, a large import's outbox): searches see the index as it
        was until the end, and a failure leaves it so. The writer gets `bulk_heap` of memory, so tantivy
        writes a few large segments instead of one per batch: at 100k a search over 1 segment costs about
        half of one over 8 (every query term is looked up in every segment). The large writer is let go
        at the end; later small updates get a writer of `writer_heap`."""
        with self._lock:
            if self._bulk_depth == 0:
                # One writer per folder: the small one goes and the large one comes at once, so that no
                # other process takes the folder's lock in between (this process stays its writer).
                held, self._writer, self._heap = self._writer, None, self._bulk_heap
                try:
                    del held
                    self._get_writer()
                except BaseException:
                    self._heap = self._writer_heap
                    raise
            self._bulk_depth += 1
        ok, needed_rebuild = False, self._needs_rebuild
        try:
            yield
            ok = True
        finally:
            with self._lock:
                self._bulk_depth -= 1
                if self._bulk_depth == 0:
                    try:
                        if self._writer is not None:
                            if ok:
                                self._writer.commit()
                                self._mark()
                            else:
                                self._writer.rollback()
                    finally:
                        self._writer, self._heap = None, self._writer_heap
                        self._get_writer()  # the large writer's memory goes; this process stays the writer
                        _return_freed_memory()
                        self._reloaded()
                        if not ok:  # the facts and vocabulary in memory follow the index as committed
                            self._needs_rebuild = needed_rebuild
                            self._vocab, self._facts = FuzzyVocabulary(), fact_table.FactTable()
                            self._load_vocabulary()
                            self._load_facts()

    def apply(self, docs: Iterable[SearchDoc], delete_ids: Iterable[str]) -> None:
        """Upsert `docs` and delete `delete_ids` in one commit (the outbox consumer's batches)."""
        batch, gone = list(docs), list(delete_ids)
        if not batch and not gone:
            return
        texts = [f"{d.title_ko}\n{d.title_en}" for d in batch] + [
            f"{d.description_ko}\n{d.description_en}" for d in batch]
        analyses = analyze_many(texts)
        titles, bodies = analyses[: len(batch)], analyses[len(batch):]
        new_terms: set[str] = set()
        with self._lock:
            w = self._get_writer()
            for i in gone:
                w.delete_documents_by_term("id", i)
            for i in gone:
                self._facts.drop(i)
            for d, ta, ba in zip(batch, titles, bodies, strict=True):
                w.delete_documents_by_term("id", d.id)
                w.add_document(self._document(d, ta.tokens, ba.tokens))
                self._facts.put(d)
                new_terms.update(ta.tokens)
                new_terms.update(ba.tokens)
            self._commit()
            self._vocab.add(new_terms)

    def _document(self, d: SearchDoc, title: Iterable[str], body: Iterable[str]) -> Any:
        doc = tantivy.Document()
        doc.add_text("id", d.id)
        doc.add_unsigned("key", fact_table.doc_key(d.id))
        doc.add_text("supplier_id", d.supplier_id)
        doc.add_text("title", " ".join(title))
        doc.add_text("body", " ".join(body))
        doc.add_text("title_grams", f"{d.title_ko}\n{d.title_en}")
        doc.add_text("body_grams", f"{d.description_ko}\n{d.description_en}")
        doc.add_text("category", d.category)
        for ind in d.industries or ["*"]:
            doc.add_text("industry", ind)
        doc.add_text("min_level", d.min_level)
        doc.add_text("region", d.region)
        doc.add_text("deployment_mode", d.deployment_mode)
        doc.add_text("tips_stage", d.tips_stage or NO_STAGE)
        doc.add_integer("level_rank", LEVELS.index(d.min_level))
        doc.add_integer("price_min", int(d.price_min_krw))
        doc.add_integer("price_max", int(d.price_max_krw))
        if d.track_record is not None:
            doc.add_float("track_record", float(d.track_record))
        return doc

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        with self._lock:
            w = self._get_writer()
            for i in ids:
                w.delete_documents_by_term("id", i)
                self._facts.drop(i)
            self._commit()

    def clear(self) -> None:
        with self._lock:
            w = self._get_writer()
            w.delete_all_documents()
            self._commit()
            self._vocab = FuzzyVocabulary()
            self._facts = fact_table.FactTable()
            self._needs_rebuild = False

    def count(self) -> int:
        return int(self._searcher().num_docs)

    # --- vocabulary ----------------------------------------------------------------------------

    def _load_vocabulary(self) -> None:
        searcher = self._searcher()
        if searcher.num_docs == 0:
            return
        for fname in ("title", "body"):
            self._vocab.add(t for t, _ in searcher.terms_with_prefix(fname, ""))

    def _load_facts(self) -> None:
        searcher = self._searcher()
        if searcher.num_docs == 0:
            return
        hits = searcher.search(tantivy.Query.all_query(), searcher.num_docs, count=False).hits
        for _score, addr in hits:
            self._facts.put(_stored_facts(searcher.doc(addr)))

    def _hit_facts(self, searcher: Any, addrs: list[Any]) -> list[SolutionFacts]:
        keys = searcher.fast_field_values("key", addrs) if addrs else []
        out = []
        for key, addr in zip(keys, addrs, strict=True):
            f = self._facts.get(key) if key is not None else None
            out.append(f if f is not None else _stored_facts(searcher.doc(addr)))
        return out

    def has_term(self, token: str) -> bool:
        return token in self._vocab

    def similar_terms(self, token: str) -> list[str]:
        return self._vocab.similar(token)

    # --- search --------------------------------------------------------------------------------

    def _text_query(self, terms: Mapping[str, float], grams: Mapping[str, float] | None = None,
                    exact: Mapping[str, float] | None = None) -> Any:
        clauses = []
        for tok, w in (exact or {}).items():
            if w > 0 and tok:
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(
                    tantivy.Query.term_query(self._schema, "title", tok), w)))
        for fields, weighted in ((("title", "body"), terms), (("title_grams", "body_grams"), self._rarest(grams))):
            for tok, w in weighted.items():
                if w <= 0 or not tok:
                    continue
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(
                    tantivy.Query.term_query(self._schema, fields[0], tok), w * self._title_boost)))
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(
                    tantivy.Query.term_query(self._schema, fields[1], tok), w)))
        return tantivy.Query.boolean_query(clauses) if clauses else None

    def _rarest(self, grams: Mapping[str, float] | None) -> Mapping[str, float]:
        """The `max_grams` rarest of the query's bigrams: common ones (니다, 검사) add little to the
        ranking and much to the time (their posting lists are long)."""
        if not grams or len(grams) <= self._max_grams:
            return grams or {}
        searcher = self._searcher()
        df = {g: searcher.doc_freq("body_grams", g) + searcher.doc_freq("title_grams", g) for g in grams}
        keep = sorted((g for g in grams if df[g] > 0), key=lambda g: (df[g], g))[: self._max_grams]
        return {g: grams[g] for g in keep}

    def _filter_queries(self, f: SearchFilters | None) -> list[Any]:
        if f is None:
            return []
        out: list[Any] = []

        def one_of(fname: str, values: list[str] | None) -> None:
            if values:
                out.append(tantivy.Query.term_set_query(self._schema, fname, list(values)))

        one_of("category", f.categories)
        one_of("industry", [*f.industries, "*"] if f.industries else None)
        one_of("region", f.regions)
        one_of("deployment_mode", f.deployment_modes)
        one_of("tips_stage", f.tips_stages)
        if f.max_level is not None:
            out.append(tantivy.Query.range_query(self._schema, "level_rank", tantivy.FieldType.Integer,
                                                 0, LEVELS.index(f.max_level)))
        if f.max_price_krw is not None:
            out.append(tantivy.Query.range_query(self._schema, "price_min", tantivy.FieldType.Integer,
                                                 0, int(f.max_price_krw)))
        return out

    def _query(self, text: Any, filters: SearchFilters | None, include_unmatched: bool) -> Any:
        """The text query (None: browsing) under the filters, as one boolean query."""
        filt = self._filter_queries(filters)
        clauses: list[tuple[Any, Any]] = [
            (tantivy.Occur.Must, tantivy.Query.const_score_query(q, 0.0)) for q in filt]
        if filters is not None:
            for i in filters.exclude_ids:
                clauses.append((tantivy.Occur.MustNot, tantivy.Query.term_query(self._schema, "id", i)))
        if text is None or (include_unmatched and not filt):
            everything = tantivy.Query.const_score_query(tantivy.Query.all_query(), 0.0)
            clauses.append((tantivy.Occur.Must, everything))
        if text is not None:
            clauses.append((tantivy.Occur.Should if include_unmatched else tantivy.Occur.Must, text))
        return tantivy.Query.boolean_query(clauses)

    def search(
        self,
        terms: Mapping[str, float],
        *,
        filters: SearchFilters | None = None,
        limit: int = 50,
        offset: int = 0,
        include_unmatched: bool = False,
        with_facets: bool = False,
        stable_ties: bool = True,
        with_total: bool = True,
        grams: Mapping[str, float] | None = None,
        exact: Mapping[str, float] | None = None,
    ) -> SearchPage:
        return self._search(self._text_query(terms, grams, exact), filters=filters, limit=limit, offset=offset,
                            include_unmatched=include_unmatched, with_facets=with_facets,
                            stable_ties=stable_ties, with_total=with_total)

    def _search(self, text: Any, *, filters: SearchFilters | None, limit: int, offset: int = 0,
                include_unmatched: bool, with_facets: bool = False, stable_ties: bool, with_total: bool
                ) -> SearchPage:
        query = self._query(text, filters, include_unmatched)
        searcher = self._searcher()
        want = offset + limit
        fetch = max(want + 1, 16) if stable_ties else max(want, 1)
        # Counting visits every match; top-k alone lets tantivy skip blocks that cannot make the
        # page (block-max WAND). With facets the total is their category counts (one per document).
        count = with_total and not with_facets
        facets = self._threads().submit(self._facets, searcher, query) if with_facets else None
        unscored = text is None
        while True:
            if unscored:  # browsing: every hit scores 0, so the page is simply the lowest ids
                result = searcher.search(query, max(want, 1), count=count, order_by_field="id",
                                         order=tantivy.Order.Asc)
                raw = [(0.0, addr) for _id, addr in result.hits]
                break
            result = searcher.search(query, fetch, count=count)
            raw = result.hits
            # Fetch past the cut until the score drops, so that documents tied at the cut are
            # ordered by id rather than by their place in the segments.
            if not stable_ties or len(raw) < fetch or want == 0 or raw[-1][0] < raw[want - 1][0]:
                break
            if fetch >= MAX_TIE_FETCH:
                break  # thousands tied at the cut (e.g. unscored browsing): order within is best effort
            fetch *= 2
        facts = self._hit_facts(searcher, [addr for _score, addr in raw])
        hits = [Hit(f.id, float(score), f.supplier_id, f) for (score, _addr), f in zip(raw, facts, strict=True)]
        hits.sort(key=lambda h: (-h.score, h.doc_id))
        page = SearchPage(hits=hits[offset:want], total=int(result.count or 0) if count else 0)
        if facets is not None:
            page.facets = facets.result()
            page.total = sum(page.facets["category"].values())
        return page

    def search_each(
        self,
        terms: Mapping[str, float],
        variants: Sequence[tuple[SearchFilters | None, int]],
        *,
        include_unmatched: bool = False,
        stable_ties: bool = True,
        with_total: bool = True,
        grams: Mapping[str, float] | None = None,
        exact: Mapping[str, float] | None = None,
    ) -> list[SearchPage]:
        text = self._text_query(terms, grams, exact)  # built once, searched under each variant's filters

        def one(variant: tuple[SearchFilters | None, int]) -> SearchPage:
            return self._search(text, filters=variant[0], limit=variant[1], include_unmatched=include_unmatched,
                                stable_ties=stable_ties, with_total=with_total)

        if len(variants) <= 1:
            return [one(v) for v in variants]
        later = [self._threads().submit(one, v) for v in variants[1:]]
        return [one(variants[0])] + [f.result() for f in later]

    def _facets(self, searcher: Any, query: Any) -> dict[str, dict[str, int]]:
        agg = {name: {"terms": {"field": name, "size": 200}} for name in FACET_FIELDS}
        res = searcher.aggregate(query, agg)
        return {name: {b["key"]: int(b["doc_count"]) for b in res.get(name, {}).get("buckets", [])}
                for name in FACET_FIELDS}
