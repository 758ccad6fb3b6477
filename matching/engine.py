"""The search index port (`SearchIndex`) and its embedded implementation on tantivy.

Documents are analysed in Python (matching.analysis) and indexed as whitespace-joined tokens, so
every engine behind the port sees the same Korean segmentation. Queries arrive as weighted tokens.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import tantivy

from matching.analysis import analyze_many
from matching.documents import LEVELS, SearchDoc, SearchFilters
from matching.fuzzy import eligible, to_jamo, within_one_edit

FACET_FIELDS: tuple[str, ...] = (
    "category", "industry", "min_level", "region", "deployment_mode", "tips_stage")
NO_STAGE = "none"
MAX_TIE_FETCH = 10_000


@dataclass(frozen=True)
class Hit:
    doc_id: str
    score: float
    supplier_id: str


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
    ) -> SearchPage:
        """Best-first hits for weighted tokens, ties broken by document id.

        With `include_unmatched` (or no terms) every document passing the filters is a hit,
        scored 0 when no term matches. Without `stable_ties`, which of many documents tied at
        the cut make the page is left to the engine (cheaper; fine for candidate retrieval).
        """
        ...

    def count(self) -> int: ...

    def clear(self) -> None: ...

    def has_term(self, token: str) -> bool: ...

    def similar_terms(self, token: str) -> list[str]: ...


class _CompactVocabulary:
    """The index's typo vocabulary (same lookups as `fuzzy.FuzzyVocabulary`), sized for 100k documents:
    almost every one-deletion key names a single term, so a key maps to that term as a plain string
    and only shared keys hold a tuple (a set per key cost ~150 MB at 100k documents)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._neighbours: dict[str, str | tuple[str, ...]] = {}

    def add(self, terms: Iterable[str]) -> None:
        with self._lock:
            nb = self._neighbours
            for term in terms:
                if not eligible(term):
                    continue
                key = to_jamo(term)
                for k in {key[:i] + key[i + 1:] for i in range(len(key))} | {key}:
                    old = nb.get(k)
                    if old is None:
                        nb[k] = term
                    elif isinstance(old, str):
                        if old != term:
                            nb[k] = (old, term)
                    elif term not in old:
                        nb[k] = (*old, term)

    def similar(self, term: str, limit: int = 3) -> list[str]:
        if not eligible(term):
            return []
        key = to_jamo(term)
        found: set[str] = set()
        for k in {key[:i] + key[i + 1:] for i in range(len(key))} | {key}:
            v = self._neighbours.get(k)
            if v is not None:
                found.update((v,) if isinstance(v, str) else v)
        found.discard(term)
        hits = [t for t in found if within_one_edit(key, to_jamo(t))]
        hits.sort(key=lambda t: (abs(len(t) - len(term)), t))
        return hits[:limit]


def _schema() -> Any:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, fast=True, tokenizer_name="raw")
    sb.add_text_field("supplier_id", stored=True, fast=True, tokenizer_name="raw")
    sb.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
    for name in FACET_FIELDS:
        sb.add_text_field(name, fast=True, tokenizer_name="raw")
    sb.add_integer_field("level_rank", indexed=True, fast=True)
    sb.add_integer_field("price_min", indexed=True, fast=True)
    return sb.build()


class TantivyIndex:
    """Embedded `SearchIndex` on tantivy, on disk at `path` or in memory when `path` is None."""

    def __init__(self, path: str | None = None, *, title_boost: float = 2.0, writer_heap: int = 64_000_000
                 ) -> None:
        self._schema = _schema()
        self._title_boost = title_boost
        if path is not None and tantivy.Index.exists(path):
            self._index = tantivy.Index.open(path)
            self._schema = self._index.schema
        else:
            self._index = tantivy.Index(self._schema, path=path)
        self._writer_heap = writer_heap
        self._writer: Any = None
        self._lock = threading.Lock()
        self._vocab = _CompactVocabulary()
        self._terms: set[str] = set()
        self._load_vocabulary()

    # --- writes --------------------------------------------------------------------------------

    def _get_writer(self) -> Any:
        if self._writer is None:
            self._writer = self._index.writer(self._writer_heap, 1)
        return self._writer

    def upsert(self, docs: Iterable[SearchDoc]) -> None:
        self.apply(docs, ())

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
            for d, ta, ba in zip(batch, titles, bodies, strict=True):
                w.delete_documents_by_term("id", d.id)
                w.add_document(self._document(d, ta.tokens, ba.tokens))
                new_terms.update(ta.tokens)
                new_terms.update(ba.tokens)
            w.commit()
            self._index.reload()
            fresh = new_terms - self._terms
            self._terms |= fresh
            self._vocab.add(fresh)

    def _document(self, d: SearchDoc, title: Iterable[str], body: Iterable[str]) -> Any:
        doc = tantivy.Document()
        doc.add_text("id", d.id)
        doc.add_text("supplier_id", d.supplier_id)
        doc.add_text("title", " ".join(title))
        doc.add_text("body", " ".join(body))
        doc.add_text("category", d.category)
        for ind in d.industries or ["*"]:
            doc.add_text("industry", ind)
        doc.add_text("min_level", d.min_level)
        doc.add_text("region", d.region)
        doc.add_text("deployment_mode", d.deployment_mode)
        doc.add_text("tips_stage", d.tips_stage or NO_STAGE)
        doc.add_integer("level_rank", LEVELS.index(d.min_level))
        doc.add_integer("price_min", int(d.price_min_krw))
        return doc

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        with self._lock:
            w = self._get_writer()
            for i in ids:
                w.delete_documents_by_term("id", i)
            w.commit()
            self._index.reload()

    def clear(self) -> None:
        with self._lock:
            w = self._get_writer()
            w.delete_all_documents()
            w.commit()
            self._index.reload()
            self._terms = set()
            self._vocab = _CompactVocabulary()

    def count(self) -> int:
        return int(self._index.searcher().num_docs)

    # --- vocabulary ----------------------------------------------------------------------------

    def _load_vocabulary(self) -> None:
        searcher = self._index.searcher()
        if searcher.num_docs == 0:
            return
        terms: set[str] = set()
        for fname in ("title", "body"):
            terms.update(t for t, _ in searcher.terms_with_prefix(fname, ""))
        self._terms = terms
        self._vocab.add(terms)

    def has_term(self, token: str) -> bool:
        return token in self._terms

    def similar_terms(self, token: str) -> list[str]:
        return self._vocab.similar(token)

    # --- search --------------------------------------------------------------------------------

    def _text_query(self, terms: Mapping[str, float]) -> Any:
        clauses = []
        for tok, w in terms.items():
            if w <= 0 or not tok:
                continue
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(
                tantivy.Query.term_query(self._schema, "title", tok), w * self._title_boost)))
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(
                tantivy.Query.term_query(self._schema, "body", tok), w)))
        return tantivy.Query.boolean_query(clauses) if clauses else None

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

    def _query(self, terms: Mapping[str, float], filters: SearchFilters | None, include_unmatched: bool
               ) -> Any:
        text = self._text_query(terms)
        filt = self._filter_queries(filters)
        clauses: list[tuple[Any, Any]] = [
            (tantivy.Occur.Must, tantivy.Query.const_score_query(q, 0.0)) for q in filt]
        if filters is not None:
            for i in filters.exclude_ids:
                clauses.append((tantivy.Occur.MustNot, tantivy.Query.term_query(self._schema, "id", i)))
        if text is None or include_unmatched:
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
    ) -> SearchPage:
        query = self._query(terms, filters, include_unmatched)
        searcher = self._index.searcher()
        want = offset + limit
        fetch = max(want + 1, 16) if stable_ties else max(want, 1)
        while True:
            result = searcher.search(query, fetch, count=True)
            raw = result.hits
            # Fetch past the cut until the score drops, so that documents tied at the cut are
            # ordered by id rather than by their place in the segments.
            if not stable_ties or len(raw) < fetch or want == 0 or raw[-1][0] < raw[want - 1][0]:
                break
            if fetch >= MAX_TIE_FETCH:
                break  # thousands tied at the cut (e.g. unscored browsing): order within is best effort
            fetch *= 2
        hits = []
        for score, addr in raw:
            d = searcher.doc(addr)
            hits.append(Hit(d["id"][0], float(score), d["supplier_id"][0]))
        hits.sort(key=lambda h: (-h.score, h.doc_id))
        page = SearchPage(hits=hits[offset:want], total=int(getattr(result, "count", 0) or 0))
        if with_facets:
            page.facets = self._facets(searcher, query)
        return page

    def _facets(self, searcher: Any, query: Any) -> dict[str, dict[str, int]]:
        agg = {name: {"terms": {"field": name, "size": 200}} for name in FACET_FIELDS}
        res = searcher.aggregate(query, agg)
        return {name: {b["key"]: int(b["doc_count"]) for b in res.get(name, {}).get("buckets", [])}
                for name in FACET_FIELDS}
