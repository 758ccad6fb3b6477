"""`SearchIndex` on Meilisearch (the official `meilisearch` client), for deployments beyond one machine.

What is sent to Meilisearch
    Documents are analysed here, by the same Kiwi analyser as for the embedded index
    (matching.analysis), and stored with the analysed tokens as space-joined text (`title`, `body`,
    the only searchable attributes) and as a filterable array (`terms`). Korean segmentation is
    therefore ours, not lindera/ko-dic's. The raw bilingual fields are stored for display only.
    Korean particles are also configured as stop words, as a defence for any text that reaches
    Meilisearch unanalysed (our own tokens contain no particles). Meilisearch's typo tolerance is
    switched off: it counts Hangul syllables and never applies under 5 characters; typo correction
    is done before the query reaches the index (matching.fuzzy, jamo by jamo, through
    `has_term`/`similar_terms`), and the corrections arrive as ordinary weighted terms.

Which documents match (exact, not approximated)
    A hit is a document passing the filters whose `terms` array holds at least one query token
    (`terms IN [...]`): a filter on exact token values, so neither lindera's re-segmentation of our
    joined compounds nor Meilisearch's prefix or typo matching changes the result set. `total` and the
    facet counts are read from that same filtered search (exhaustive pagination, `hitsPerPage: 0`).
    Above `pagination.maxTotalHits`, `totalHits` is capped, so the total is taken as the sum of the
    `category` facet counts (every document has exactly one category; facet counts are not capped).

Ranking (the approximation)
    Meilisearch has no per-term weights, so scores are computed here, in Python, from the analysed
    tokens returned with each hit::

        score(d) = sum over query tokens t in d of  w_t * idf_t * (title_boost * [t in title] + [t in body])
        idf_t    = ln(1 + (N - df_t + 0.5) / (df_t + 0.5))      df_t, N counted by Meilisearch (filters)

    This is BM25 with tf = 1 (our token lists hold each token once, as for tantivy) and no length
    normalisation (b = 0): a token in a long description counts as much as in a short one, and df is
    counted over title and body together, where tantivy counts per field. Absolute scores therefore
    differ from `TantivyIndex`; the order is close, not identical. Ties are broken by id.

    - When the hits (query and filters) number at most `rescore_limit` (default 1,000), every hit is
      fetched and scored: the order is exact under the formula above, and pages at any offset agree.
    - Above that, candidates come from Meilisearch's own relevance ranking: one query with the (at most
      10, Meilisearch's limit) heaviest tokens first and `matchingStrategy: last`, plus one query per
      heavy token (at most `per_term_queries`), each returning `window` hits (at least offset+limit);
      the union is re-scored with the formula. A document outside every window cannot make the page,
      so for very large result sets the top is approximate and deep pages fetched with different
      offsets may disagree. `stable_ties` is not needed on the exact path and cannot be honoured on
      this one.
    - Hits with no query token (`include_unmatched`, or no terms) score 0 and follow in id order; above
      `rescore_limit` they are listed by Meilisearch's sort on `id`, which compares normalised
      (lower-cased) strings: ids that differ only in letter case may order differently from Python.

Consistency
    Every write (documents, settings) waits for its Meilisearch task (`wait_for_task`) and raises
    `MeiliIndexError` unless it succeeded, so a write is visible to searches when the call returns.
    The typo vocabulary (`has_term`, `similar_terms`) is kept in this process: filled on upsert and,
    once, lazily from the index by paging the documents' `terms`. Terms upserted by other processes
    after that load are not seen until restart (they only affect typo suggestions, not matching).

Document ids must be Meilisearch primary keys: ASCII letters, digits, `-` and `_`, at most 511 bytes.
Offsets beyond `max_total_hits` (default 10,000) return no hits.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import meilisearch
from meilisearch.errors import MeilisearchApiError

from matching.analysis import analyze_many
from matching.documents import LEVELS, SearchDoc, SearchFilters
from matching.engine import FACET_FIELDS, NO_STAGE, Hit, SearchPage
from matching.fuzzy import FuzzyVocabulary
from matching.thesaurus import Thesaurus, default_thesaurus

DEFAULT_INDEX_UID = "solutions"
PRIMARY_KEY = "id"
ALL_INDUSTRIES = "*"
MAX_QUERY_WORDS = 10  # Meilisearch reads only the first ten words of `q`

# Korean particles (josa) and the copula's commonest forms. Our analysed text holds none of them;
# they guard text that reaches Meilisearch unanalysed. Single-syllable nouns spelled like a particle
# (도 "province", 과 "department") are dropped from such text too: Meilisearch stop words are global.
KOREAN_PARTICLES: tuple[str, ...] = (
    "은", "는", "이", "가", "을", "를", "에", "에서", "에게", "께", "한테", "의", "도", "만", "로", "으로",
    "와", "과", "랑", "이랑", "하고", "부터", "까지", "보다", "처럼", "같이", "마다", "조차", "마저", "밖에",
    "이나", "나", "이며", "며", "에도", "에는", "으로서", "로서", "으로써", "로써", "이다", "입니다",
)

# SearchIndex facet name -> Meilisearch attribute
FACET_ATTRIBUTES: dict[str, str] = {
    "category": "category", "industry": "industries", "min_level": "min_level", "region": "region",
    "deployment_mode": "deployment_mode", "tips_stage": "tips_stage",
}
SEARCHABLE_ATTRIBUTES: list[str] = ["title", "body"]  # order matters: Meilisearch's `attribute` rule
FILTERABLE_ATTRIBUTES: list[str] = [
    "category", "industries", "min_level", "level_rank", "region", "deployment_mode", "tips_stage",
    "price_min_krw", "supplier_id",
    "id",  # exclude_ids and delete by id
    "terms",  # which documents match: exact token values
]
SORTABLE_ATTRIBUTES: list[str] = ["id", "level_rank", "price_min_krw"]
RETRIEVED_FOR_SCORING: list[str] = ["id", "supplier_id", "title", "body"]
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,511}$")


class MeiliIndexError(RuntimeError):
    """A Meilisearch task failed or timed out; the message carries Meilisearch's error."""


# --- translation: pure functions, tested without a server --------------------------------------

def quote(value: str) -> str:
    """A filter value as a double-quoted Meilisearch string: backslashes and quotes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def one_of(attribute: str, values: Iterable[str]) -> str:
    return f"{attribute} IN [{', '.join(quote(v) for v in values)}]"


def all_of(*parts: str | None) -> str | None:
    """Conjunction of the non-empty expressions, each parenthesised; None when there are none."""
    kept = [p for p in parts if p]
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    return " AND ".join(f"({p})" for p in kept)


def filter_expression(filters: SearchFilters | None) -> str | None:
    """The Meilisearch filter for `SearchFilters`, with the semantics of `TantivyIndex`."""
    if filters is None:
        return None
    parts: list[str] = []
    if filters.categories:
        parts.append(one_of("category", filters.categories))
    if filters.industries:
        parts.append(one_of("industries", [*filters.industries, ALL_INDUSTRIES]))
    if filters.regions:
        parts.append(one_of("region", filters.regions))
    if filters.deployment_modes:
        parts.append(one_of("deployment_mode", filters.deployment_modes))
    if filters.tips_stages:
        parts.append(one_of("tips_stage", filters.tips_stages))
    if filters.max_level is not None:
        parts.append(f"level_rank <= {LEVELS.index(filters.max_level)}")
    if filters.max_price_krw is not None:
        parts.append(f"price_min_krw <= {int(filters.max_price_krw)}")
    if filters.exclude_ids:
        parts.append(f"NOT ({one_of('id', filters.exclude_ids)})")
    return all_of(*parts)


def positive_terms(terms: Mapping[str, float]) -> dict[str, float]:
    return {t: float(w) for t, w in terms.items() if t and w > 0}


def matched_filter(base: str | None, tokens: Iterable[str]) -> str | None:
    toks = list(tokens)
    return all_of(base, one_of("terms", toks) if toks else None)


def unmatched_filter(base: str | None, tokens: Iterable[str]) -> str | None:
    toks = list(tokens)
    return all_of(base, f"NOT ({one_of('terms', toks)})" if toks else None)


def idf(n_docs: int, df: int) -> float:
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def ranked_tokens(terms: Mapping[str, float], idfs: Mapping[str, float]) -> list[str]:
    """Tokens heaviest first (weight x idf), ties by token."""
    return sorted(terms, key=lambda t: (-terms[t] * idfs.get(t, 1.0), t))


def query_text(terms: Mapping[str, float], idfs: Mapping[str, float]) -> str:
    """`q` for Meilisearch's candidate ranking: heaviest tokens first, at most ten words."""
    return " ".join(ranked_tokens(terms, idfs)[:MAX_QUERY_WORDS])


def weighted_score(terms: Mapping[str, float], idfs: Mapping[str, float], title: Iterable[str],
                   body: Iterable[str], title_boost: float) -> float:
    tset, bset = set(title), set(body)
    score = 0.0
    for tok, w in terms.items():
        field = (title_boost if tok in tset else 0.0) + (1.0 if tok in bset else 0.0)
        if field:
            score += w * idfs.get(tok, 1.0) * field
    return score


def facets_from(distribution: Mapping[str, Mapping[str, int]] | None) -> dict[str, dict[str, int]]:
    """Meilisearch's `facetDistribution` under the `SearchIndex` facet names (all present)."""
    dist = distribution or {}
    return {name: {str(k): int(v) for k, v in dist.get(attr, {}).items()}
            for name, attr in FACET_ATTRIBUTES.items() if name in FACET_FIELDS}


def exact_total(result: Mapping[str, Any]) -> int:
    """Matches of a `hitsPerPage` search: `totalHits`, or the category counts when it is capped."""
    by_category = (result.get("facetDistribution") or {}).get("category") or {}
    return max(int(result.get("totalHits") or result.get("estimatedTotalHits") or 0),
               sum(int(v) for v in by_category.values()))


def synonyms_map(thesaurus: Thesaurus) -> dict[str, list[str]]:
    """Meilisearch synonyms (mutual, per thesaurus group) in analysed form.

    Each entry is analysed like documents; it contributes its terms joined by spaces and, when it
    has several, also joined without (the compound token our analyser emits: 불량 검출 -> 불량검출).
    A form found in several groups gets the union of their forms.
    """
    pairs = [(gi, term) for gi, g in enumerate(thesaurus.groups) for term in g.terms]
    analyses = analyze_many([t for _, t in pairs])
    forms_by_group: dict[int, list[str]] = {}
    for (gi, _term), a in zip(pairs, analyses, strict=True):
        if not a.terms:
            continue
        forms = [" ".join(a.terms).lower()]
        if len(a.terms) > 1:
            forms.append("".join(a.terms).lower())
        group_forms = forms_by_group.setdefault(gi, [])
        group_forms.extend(f for f in forms if f not in group_forms)
    out: dict[str, set[str]] = {}
    for forms in forms_by_group.values():
        if len(forms) < 2:
            continue
        for f in forms:
            out.setdefault(f, set()).update(o for o in forms if o != f)
    return {k: sorted(v) for k, v in sorted(out.items())}


def settings_payload(thesaurus: Thesaurus | None = None, *, max_total_hits: int = 10_000,
                     max_values_per_facet: int = 200) -> dict[str, Any]:
    """The index settings this adapter relies on (PATCH /indexes/{uid}/settings)."""
    return {
        "searchableAttributes": list(SEARCHABLE_ATTRIBUTES),
        "filterableAttributes": list(FILTERABLE_ATTRIBUTES),
        "sortableAttributes": list(SORTABLE_ATTRIBUTES),
        "stopWords": list(KOREAN_PARTICLES),
        "synonyms": synonyms_map(thesaurus) if thesaurus is not None else {},
        "typoTolerance": {"enabled": False},
        "pagination": {"maxTotalHits": int(max_total_hits)},
        "faceting": {"maxValuesPerFacet": int(max_values_per_facet)},
    }


_UNORDERED = frozenset({"filterableAttributes", "sortableAttributes", "stopWords"})


def settings_to_update(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, Any]:
    """The part of `wanted` that `current` (GET settings) does not already hold."""
    out: dict[str, Any] = {}
    for key, want in wanted.items():
        have = current.get(key)
        if key in _UNORDERED:
            same = isinstance(have, list) and sorted(map(str, have)) == sorted(map(str, want))
        elif key == "synonyms":
            same = isinstance(have, Mapping) and {k: sorted(v) for k, v in have.items()} == want
        elif isinstance(want, Mapping):
            same = isinstance(have, Mapping) and all(have.get(k) == v for k, v in want.items())
        else:
            same = have == want
        if not same:
            out[key] = want
    return out


def to_document(doc: SearchDoc, title_tokens: Sequence[str], body_tokens: Sequence[str]) -> dict[str, Any]:
    """The Meilisearch document for a solution: analysed tokens, filter fields, raw text for display."""
    if not _ID_RE.match(doc.id):
        raise ValueError(f"document id {doc.id!r} is not a valid Meilisearch primary key "
                         "(ASCII letters, digits, - and _, at most 511 bytes)")
    return {
        "id": doc.id,
        "supplier_id": doc.supplier_id,
        "supplier_name": doc.supplier_name,
        "title_ko": doc.title_ko,
        "title_en": doc.title_en,
        "description_ko": doc.description_ko,
        "description_en": doc.description_en,
        "title": " ".join(title_tokens),
        "body": " ".join(body_tokens),
        "terms": list(dict.fromkeys([*title_tokens, *body_tokens])),
        "category": doc.category,
        "industries": list(doc.industries) or [ALL_INDUSTRIES],
        "min_level": doc.min_level,
        "level_rank": LEVELS.index(doc.min_level),
        "region": doc.region,
        "deployment_mode": doc.deployment_mode,
        "tips_stage": doc.tips_stage or NO_STAGE,
        "price_min_krw": int(doc.price_min_krw),
        "price_max_krw": int(doc.price_max_krw),
        "track_record": doc.track_record,
        "ref": doc.ref,
    }


def count_query(index_uid: str, filter_: str | None, facets: Iterable[str] = ()) -> dict[str, Any]:
    """A multi-search query that returns no hits, only the exact count and facet distribution."""
    q: dict[str, Any] = {"indexUid": index_uid, "q": "", "page": 1, "hitsPerPage": 0,
                         "facets": sorted({"category", *facets})}
    if filter_:
        q["filter"] = filter_
    return q


def fetch_query(index_uid: str, filter_: str | None, *, q: str = "", limit: int, offset: int = 0,
                sort: list[str] | None = None, matching_strategy: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"indexUid": index_uid, "q": q, "limit": limit, "offset": offset,
                            "attributesToRetrieve": list(RETRIEVED_FOR_SCORING)}
    if filter_:
        body["filter"] = filter_
    if sort:
        body["sort"] = sort
    if matching_strategy:
        body["matchingStrategy"] = matching_strategy
    return body


# --- the adapter -------------------------------------------------------------------------------

class MeiliIndex:
    """`SearchIndex` on a Meilisearch server at `url` (see the module docstring for semantics)."""

    def __init__(self, url: str, api_key: str | None = None, *, index_uid: str = DEFAULT_INDEX_UID,
                 thesaurus: Thesaurus | None = None, title_boost: float = 2.0, max_total_hits: int = 10_000,
                 rescore_limit: int = 1_000, window: int = 200, per_term_queries: int = 8,
                 task_timeout_ms: int = 300_000, batch_size: int = 1_000, timeout_s: int | None = 30,
                 configure: bool = True) -> None:
        self._client = meilisearch.Client(url, api_key, timeout=timeout_s)
        self._applied: int | None = None
        self.uid = index_uid
        self._index = self._client.index(index_uid)
        self._thesaurus = thesaurus
        self._title_boost = title_boost
        self._max_total_hits = max_total_hits
        self._rescore_limit = min(rescore_limit, max_total_hits)
        self._window = window
        self._per_term_queries = per_term_queries
        self._task_timeout_ms = task_timeout_ms
        self._batch_size = batch_size
        self._lock = threading.Lock()
        self._vocab = FuzzyVocabulary()
        self._vocab_loaded = False
        if configure:
            self.configure()

    # --- setup ---------------------------------------------------------------------------------

    def settings(self) -> dict[str, Any]:
        return settings_payload(self._thesaurus if self._thesaurus is not None else default_thesaurus(),
                                max_total_hits=self._max_total_hits)

    def configure(self) -> None:
        """Create the index if missing and apply the settings that differ (a no-op when in place)."""
        try:
            self._client.get_index(self.uid)
        except MeilisearchApiError as exc:
            if exc.code != "index_not_found":
                raise
            self._wait(self._client.create_index(self.uid, {"primaryKey": PRIMARY_KEY}).task_uid)
        changes = settings_to_update(self._index.get_settings(), self.settings())
        if changes:
            self._wait(self._index.update_settings(changes).task_uid)

    def drop(self) -> None:
        """Delete the whole index, settings included (tests and decommissioning)."""
        self._wait(self._client.delete_index(self.uid).task_uid)

    def _wait(self, task_uid: int) -> None:
        task = self._client.wait_for_task(task_uid, timeout_in_ms=self._task_timeout_ms, interval_in_ms=50)
        if task.status != "succeeded":
            raise MeiliIndexError(f"Meilisearch task {task_uid} ({task.type}) {task.status}: {task.error}")

    # --- writes --------------------------------------------------------------------------------

    def upsert(self, docs: Iterable[SearchDoc]) -> None:
        batch = list(docs)
        if not batch:
            return
        texts = [f"{d.title_ko}\n{d.title_en}" for d in batch] + [
            f"{d.description_ko}\n{d.description_en}" for d in batch]
        analyses = analyze_many(texts)
        titles, bodies = analyses[: len(batch)], analyses[len(batch):]
        payload = [to_document(d, ta.tokens, ba.tokens)
                   for d, ta, ba in zip(batch, titles, bodies, strict=True)]
        for start in range(0, len(payload), self._batch_size):
            chunk = payload[start: start + self._batch_size]
            self._wait(self._index.add_documents(chunk, primary_key=PRIMARY_KEY).task_uid)
        new_terms = {t for a in analyses for t in a.tokens}
        with self._lock:
            self._vocab.add(new_terms)

    def delete(self, ids: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), self._batch_size):
            chunk = wanted[start: start + self._batch_size]
            self._wait(self._index.delete_documents(filter=one_of("id", chunk)).task_uid)

    def clear(self) -> None:
        self._wait(self._index.delete_all_documents().task_uid)
        with self._lock:
            self._vocab = FuzzyVocabulary()
            self._vocab_loaded = True

    def count(self) -> int:
        return int(self._index.get_stats().number_of_documents)

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
        return [self.search(terms, filters=f, limit=n, include_unmatched=include_unmatched, stable_ties=stable_ties,
                            with_total=with_total) for f, n in variants]

    def reload(self) -> None:
        pass  # every search reads the server's current documents

    def applied_seq(self) -> int | None:
        """This process's place in the outbox; at start None: the shared marking of the outbox rows says
        where every instance writing this one server index has got to (matching/index_sync.py)."""
        return self._applied

    def mark_applied(self, seq: int) -> None:
        self._applied = int(seq)

    def use_thesaurus(self, thesaurus: Thesaurus) -> None:
        """Synonyms follow the thesaurus version in force (only the settings that differ are sent)."""
        self._thesaurus = thesaurus
        self.configure()

    @property
    def needs_rebuild(self) -> bool:
        return False  # the server keeps its documents; `axr reindex` rebuilds on request

    # --- vocabulary ----------------------------------------------------------------------------

    def _ensure_vocabulary(self) -> None:
        if self._vocab_loaded:
            return
        with self._lock:
            if self._vocab_loaded:
                return
            terms: set[str] = set()
            offset, page = 0, 1_000
            while True:
                res = self._index.get_documents({"fields": ["terms"], "limit": page, "offset": offset})
                for doc in res.results:
                    terms.update(getattr(doc, "terms", None) or [])
                offset += len(res.results)
                if len(res.results) < page:
                    break
            self._vocab.add(terms)
            self._vocab_loaded = True

    def has_term(self, token: str) -> bool:
        self._ensure_vocabulary()
        return token in self._vocab

    def similar_terms(self, token: str) -> list[str]:
        self._ensure_vocabulary()
        return self._vocab.similar(token)

    # --- search --------------------------------------------------------------------------------

    def _multi(self, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return list(self._client.multi_search(queries)["results"])

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
        grams: Mapping[str, float] | None = None,  # Meilisearch matches word prefixes itself
        exact: Mapping[str, float] | None = None,  # and ranks exact words first (its `exactness` rule)
    ) -> SearchPage:
        toks = positive_terms(terms)
        base = filter_expression(filters)
        matched = matched_filter(base, toks)
        scope = base if (include_unmatched or not toks) else matched
        facet_attrs = list(FACET_ATTRIBUTES.values()) if with_facets else []
        want = min(offset + limit, self._max_total_hits)

        # round 1: size of the result set, facets, and the statistics for idf
        queries = [count_query(self.uid, scope, facet_attrs)]
        if toks:
            queries.append(count_query(self.uid, matched))
            queries.append(count_query(self.uid, None))
            queries += [count_query(self.uid, one_of("terms", [t])) for t in toks]
        res = self._multi(queries)
        total = exact_total(res[0])
        page = SearchPage(hits=[], total=total,
                          facets=facets_from(res[0].get("facetDistribution")) if with_facets else {})
        idfs: dict[str, float] = {}
        n_matched = 0
        if toks:
            n_matched = exact_total(res[1])
            n_docs = exact_total(res[2])
            idfs = {t: idf(n_docs, exact_total(r)) for t, r in zip(toks, res[3:], strict=True)}
        if total == 0 or want <= offset:
            return page

        if total <= self._rescore_limit:
            # every hit fetched and scored here: exact order, (score desc, id asc)
            fetched = self._multi([fetch_query(self.uid, scope, limit=total)])[0]["hits"]
            hits = self._score(fetched, toks, idfs)
            page.hits = hits[offset:want]
            return page

        hits = []
        if toks and offset < n_matched:
            hits = self._ranked_window(toks, idfs, base, matched, min(want, n_matched))
        if (include_unmatched or not toks) and want > n_matched:
            start = max(offset, n_matched)
            rest = self._multi([fetch_query(
                self.uid, unmatched_filter(base, toks) if toks else base, limit=want - start,
                offset=start - n_matched, sort=["id:asc"])])[0]["hits"]
            hits += [Hit(str(h["id"]), 0.0, str(h["supplier_id"])) for h in rest]
        page.hits = hits[offset:want] if toks and offset < n_matched else hits[: want - offset]
        return page

    def _ranked_window(self, toks: dict[str, float], idfs: dict[str, float], base: str | None,
                       matched: str | None, want: int) -> list[Hit]:
        """Candidates from Meilisearch's relevance ranking, re-scored with our weights (approximate)."""
        size = min(self._max_total_hits, max(self._window, want))
        queries = [fetch_query(self.uid, matched, q=query_text(toks, idfs), limit=size,
                               matching_strategy="last")]
        for tok in ranked_tokens(toks, idfs)[: self._per_term_queries]:
            queries.append(fetch_query(self.uid, all_of(base, one_of("terms", [tok])), q=tok, limit=size))
        seen: dict[str, dict[str, Any]] = {}
        for r in self._multi(queries):
            for h in r["hits"]:
                seen.setdefault(str(h["id"]), h)
        return self._score(list(seen.values()), toks, idfs)[:want]

    def _score(self, raw: Iterable[Mapping[str, Any]], toks: Mapping[str, float], idfs: Mapping[str, float]
               ) -> list[Hit]:
        hits = [Hit(str(h["id"]), weighted_score(toks, idfs, str(h.get("title") or "").split(),
                                                 str(h.get("body") or "").split(), self._title_boost),
                    str(h["supplier_id"])) for h in raw]
        hits.sort(key=lambda h: (-h.score, h.doc_id))
        return hits
