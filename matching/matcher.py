"""Use cases: match an SME need to designated solutions, and plain solution search.

Both analyse the text once, correct typos against the index vocabulary, expand with the
thesaurus, retrieve a few hundred candidates from the index and drop every solution that is not
designated at query time: its supplier's active certificate must cover its category (the scope);
the index may lag the database.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from matching.analysis import AnalyzedQuery, QueryTerm, analyze_many, analyze_query, analyze_query_tokens
from matching.documents import NeedQuery, SearchDoc, SearchFilters, SolutionFacts
from matching.engine import Hit, SearchIndex
from matching.fuzzy import FuzzyVocabulary, eligible
from matching.need_reading import NeedReading, read_need
from matching.readiness import Requirement
from matching.scoring import Candidate, Match, best, rank
from matching.thesaurus import CategoryInference, Thesaurus, default_thesaurus
from matching.weights import MatchWeights

DocLoader = Callable[[list[str]], dict[str, SearchDoc]]
# (supplier id, category) pairs -> those an active certificate covers now; one call asks about many
Designated = Callable[[set[tuple[str, str]]], set[tuple[str, str]]]
# solution ids -> the data profiles each declares (only those that declare some)
RequirementLoader = Callable[[list[str]], Mapping[str, Sequence[Requirement]]]


EXACT_MAX_TERMS = 3  # queries of at most this many words may be names or abbreviations


@dataclass(frozen=True)
class PreparedQuery:
    """A text ready for retrieval: weighted tokens and the categories it points to."""

    analyzed: AnalyzedQuery
    terms: dict[str, QueryTerm]
    categories: CategoryInference
    reading: NeedReading | None = None
    gram_weight: float = 0.0

    def weights(self) -> dict[str, float]:
        return {t: q.weight for t, q in self.terms.items()}

    def exact(self, boost: float) -> dict[str, float]:
        """The query's own name-like words (as typed, not synonyms or corrections): Latin words and
        abbreviations (APS, SCADA, TwinLine) and words Kiwi does not know (product names such as
        워커핏), for the titles that carry them. Common Korean nouns (검사) get no such boost."""
        if boost <= 0 or len(self.analyzed.terms) > EXACT_MAX_TERMS:
            return {}  # a sentence is not a name
        return {t: boost for t in self.analyzed.tokens
                if t in self.analyzed.suspects or (t.isascii() and t.isalnum())}

    def grams(self) -> dict[str, float]:
        """The need's own words as weighted character bigrams, for the engine's gram fields."""
        if self.reading is None or self.gram_weight <= 0:
            return {}
        return {g: n * self.gram_weight for g, n in self.reading.grams.items()}


_thesaurus_vocab: dict[int, FuzzyVocabulary] = {}


def _thesaurus_vocabulary(thesaurus: Thesaurus) -> FuzzyVocabulary:
    key = id(thesaurus)
    if key not in _thesaurus_vocab:
        _thesaurus_vocab.clear()  # one thesaurus is live at a time; drop the old one's vocabulary
        _thesaurus_vocab[key] = FuzzyVocabulary(thesaurus.vocabulary())
    return _thesaurus_vocab[key]


def prepare_query(text: str, *, index: SearchIndex, thesaurus: Thesaurus, weights: MatchWeights
                  ) -> PreparedQuery:
    """Read the need (set aside what it lacks and its amounts), analyse, correct typos (one jamo or
    letter off), expand synonyms, and infer categories from the thesaurus (a prior only)."""
    reading = read_need(text)
    aq = analyze_query_tokens(reading.text, reading.tokens) if reading.tokens else analyze_query(reading.text)
    aq = AnalyzedQuery(text, aq.terms, aq.tokens, aq.expansions, aq.suspects)
    vocab = _thesaurus_vocabulary(thesaurus)
    fuzzy: list[QueryTerm] = []
    corrected_terms = list(aq.terms)
    corrected_tokens = list(aq.tokens)
    for tok in aq.tokens:
        if tok not in aq.suspects or not eligible(tok) or index.has_term(tok) or tok in vocab:
            continue
        alternatives = list(dict.fromkeys(index.similar_terms(tok) + vocab.similar(tok)))[:3]
        for alt in alternatives:
            fuzzy.append(QueryTerm(alt, weights.fuzzy_weight, "fuzzy", tok))
            corrected_tokens.append(alt)
        if alternatives:
            corrected_terms = [alternatives[0] if t == tok else t for t in corrected_terms]
            if tok not in aq.terms:
                corrected_terms.append(alternatives[0])
    corrected = AnalyzedQuery(text, tuple(corrected_terms), tuple(dict.fromkeys(corrected_tokens)))
    group_matches = thesaurus.matches(corrected)
    inference = thesaurus.infer_categories(corrected, group_matches)
    expansions = thesaurus.expand(corrected, group_matches)
    if fuzzy:
        # synonyms reached only through a guessed correction count less, like the correction
        direct = {q.token for q in thesaurus.expand(aq)}
        fw = weights.fuzzy_weight
        expansions = [q if q.token in direct else QueryTerm(q.token, q.weight * fw, q.source, q.origin)
                      for q in expansions]
    expansions.sort(key=lambda q: (-q.weight, q.token))
    aq.expansions.extend(fuzzy)
    aq.expansions.extend(expansions[: weights.max_expansions])
    return PreparedQuery(aq, aq.weighted(weights.compound_weight), inference, reading, weights.gram_weight)


def match(
    need: NeedQuery,
    *,
    index: SearchIndex,
    docs: DocLoader,
    is_active: Designated,
    thesaurus: Thesaurus | None = None,
    weights: MatchWeights | None = None,
    limit: int = 50,
    texts: DocLoader | None = None,
    requirements: RequirementLoader | None = None,
) -> list[Match]:
    """Ranked designated solutions for a need, each with its score breakdown and reasons.

    `texts` loads solutions for their titles only (feedback words); default `docs`. `requirements` loads the
    data profiles of candidates, read only when the need carries the SME's inventory (readiness fit).

    Candidates are ranked on the facts the index keeps (`Hit.facts`); only the shown ones are read
    from the database, and are ranked again on those rows, with reasons. Each returned match
    carries its `SearchDoc` (see `shown_docs`)."""
    thesaurus = thesaurus or default_thesaurus()
    weights = weights or MatchWeights()
    pq = prepare_query(need.text, index=index, thesaurus=thesaurus, weights=weights)
    query_weights, grams, exact = pq.weights(), pq.grams(), pq.exact(weights.exact_title_boost)

    more: dict[str, float] = {}
    if weights.feedback_terms > 0:  # the few closest solutions first (a small top-k is cheap), for their words
        closest = index.search(query_weights, limit=weights.feedback_docs_terms, stable_ties=False,
                               with_total=False, grams=grams, exact=exact).hits
        more = _feedback_terms(closest, texts or docs, query_weights, weights) if closest else {}
        query_weights = {**more, **query_weights}
    text_hits = index.search(query_weights, limit=weights.text_candidates, stable_ties=False,
                             with_total=False, grams=grams, exact=exact).hits
    found: dict[str, Hit] = {h.doc_id: h for h in text_hits}
    facts = _facts_of(text_hits, docs)
    categories = _estimate_categories(pq.categories.strength, text_hits, facts, weights)
    wanted = [c for c, s in categories.items() if s >= weights.category_min_share]
    wanted += [c for c in need.categories or [] if c not in wanted]
    if wanted:
        # Solutions of the need's kind even when its words miss them: first those the SME can
        # deploy (industry, level, budget), then the rest of the kind.
        in_kind = SearchFilters(categories=sorted(wanted))
        fitting = SearchFilters(
            categories=sorted(wanted), industries=[need.industry] if need.industry else None,
            max_level=need.smart_factory_level, max_price_krw=need.budget_krw)
        extra: list[Hit] = []
        pages = index.search_each(
            query_weights, [(fitting, weights.category_candidates), (in_kind, weights.category_candidates // 2)],
            include_unmatched=True, stable_ties=False, with_total=False,
            grams=grams if weights.grams_in_kind else None, exact=exact)
        for page in pages:
            for h in page.hits:
                if h.doc_id not in found:
                    found[h.doc_id] = h
                    extra.append(h)
        facts.update(_facts_of(extra, docs))

    candidates = [Candidate(facts[h.doc_id], h.score) for h in found.values() if h.doc_id in facts]
    top_text = max((c.text_score for c in candidates), default=0.0)
    needs_data = requirements([c.doc.id for c in candidates]) if requirements and need.inventory is not None else {}
    ranked, active = _best_designated(need, candidates, categories, weights, is_active, limit, top_text, needs_data)
    # Second pass on the few shown, as the database has them now: name the query words each
    # solution contains, for reasons.
    loaded = docs([c.doc.id for c in ranked])
    changed = {_key(d) for d in loaded.values()} - active  # a category changed since it was indexed
    if changed:
        active |= is_active(changed)
    text_score = {c.doc.id: c.text_score for c in candidates}
    ordered = _ordered(pq.terms)
    shown = [Candidate(doc, text_score[doc.id], tuple(_present(_doc_text(doc), ordered, 8)))
             for doc in loaded.values() if _key(doc) in active]
    return rank(need, shown, categories, weights, top_text=top_text, evidence=pq.categories.evidence,
                labels=thesaurus.labels, requirements=needs_data)


def _key(doc: SolutionFacts) -> tuple[str, str]:
    return doc.supplier_id, doc.category


def _best_designated(need: NeedQuery, candidates: list[Candidate], categories: Mapping[str, float],
                     weights: MatchWeights, is_active: Designated, limit: int, top_text: float,
                     requirements: Mapping[str, Sequence[Requirement]] | None = None,
                     ) -> tuple[list[Candidate], set[tuple[str, str]]]:
    """The `limit` best candidates designated now (supplier active, category within its scope), and
    their (supplier, category) pairs.

    Designation is checked against the database for the best few only (the index holds designated
    solutions, so a miss is rare: a change the index has not applied yet); a pair found not designated
    is dropped and the next best are checked, until the top is all designated."""
    checked: set[tuple[str, str]] = set()
    inactive: set[tuple[str, str]] = set()
    while True:
        pool = [c for c in candidates if _key(c.doc) not in inactive] if inactive else candidates
        top = best(need, pool, categories, weights, k=limit, top_text=top_text, requirements=requirements)
        new = {_key(c.doc) for c in top} - checked
        if not new:
            return top, checked - inactive
        active = is_active(new)
        checked |= new
        inactive |= new - active
        if new <= active:
            return top, checked - inactive


def _feedback_terms(hits: list[Hit], docs: DocLoader, query: Mapping[str, float], weights: MatchWeights
                    ) -> dict[str, float]:
    """Words the closest solutions' titles share (pseudo-relevance feedback; a word in both the Korean
    and the English title of one solution counts twice, as a name usually is): the catalogue's own
    words for the need, in Korean and English alike, so an English need reaches a solution written
    in Korean only through the bilingual ones that rank first."""
    top = docs([h.doc_id for h in hits[: weights.feedback_docs_terms]])
    counts: dict[str, int] = {}
    for doc in top.values():
        for terms in _title_terms(doc.title_ko, doc.title_en):  # Korean and English titles each count
            for tok in terms:
                if tok not in query:
                    counts[tok] = counts.get(tok, 0) + 1
    shared = sorted((t for t, n in counts.items() if n >= weights.feedback_min_docs), key=lambda t: (-counts[t], t))
    return {t: weights.feedback_terms for t in shared[: weights.feedback_max_terms]}


@lru_cache(maxsize=10_000)
def _title_terms(title_ko: str, title_en: str) -> tuple[frozenset[str], ...]:
    """Each title's content words (cached: the same solutions come back as neighbours query after query)."""
    return tuple(frozenset(t for t in a.terms if len(t) > 1 and not t.isdigit())
                 for a in analyze_many([title_ko, title_en]))


def shown_docs(matches: list[Match]) -> dict[str, SearchDoc]:
    """The `SearchDoc` each match of `match` carries, by solution id."""
    return {m.doc_id: m.doc for m in matches if isinstance(m.doc, SearchDoc)}


def _facts_of(hits: list[Hit], docs: DocLoader) -> dict[str, SolutionFacts]:
    """The facts of each hit: as the index keeps them, or from the database for an engine that does not."""
    out: dict[str, SolutionFacts] = {h.doc_id: h.facts for h in hits if h.facts is not None}
    missing = [h.doc_id for h in hits if h.facts is None]
    if missing:
        out.update(docs(missing))
    return out


def _categories(hits: list[Hit], docs: DocLoader) -> dict[str, str]:
    """Each hit's category: as the index keeps it, or from the database for an engine that does not."""
    return {doc_id: f.category for doc_id, f in _facts_of(hits, docs).items()}


def _estimate_categories(prior: Mapping[str, float], hits: list[Hit], facts: Mapping[str, SolutionFacts],
                         weights: MatchWeights) -> dict[str, float]:
    """The need's kind as the live catalogue labels it: the categories of the solutions whose texts
    are closest to the need (its best text hits, by score), with the thesaurus' evidence as a prior
    (summed group strengths, each unit worth `thesaurus_prior` of the neighbours' share of 1)."""
    feedback: dict[str, float] = {}
    for h in hits[: weights.feedback_docs]:
        f = facts.get(h.doc_id)
        if f is not None and h.score > 0:
            feedback[f.category] = feedback.get(f.category, 0.0) + h.score ** weights.feedback_power
    total = sum(feedback.values())
    cats = {c: v / total for c, v in feedback.items()} if total else {}
    for c, strength in prior.items():
        cats[c] = cats.get(c, 0.0) + weights.thesaurus_prior * strength
    total = sum(cats.values())
    return {c: v / total for c, v in cats.items()} if total else {}


def _doc_text(doc: SearchDoc) -> str:
    return f"{doc.title_ko} {doc.title_en} {doc.description_ko} {doc.description_en}".lower()


def matched_terms(doc: SearchDoc, terms: Mapping[str, QueryTerm], limit: int = 8) -> list[str]:
    """Query words (then synonyms) that appear in the solution's title or description."""
    return _present(_doc_text(doc), _ordered(terms), limit)


def highlights(doc: SearchDoc, terms: Mapping[str, QueryTerm] | list[str]) -> dict[str, list[str]]:
    """Per field, the query words and synonyms it contains, for the API to mark up (`terms` may be
    already `_ordered`, when highlighting many documents)."""
    fields = {"title_ko": doc.title_ko, "title_en": doc.title_en,
              "description_ko": doc.description_ko, "description_en": doc.description_en}
    ordered = terms if isinstance(terms, list) else _ordered(terms)
    whole = _doc_text(doc)
    ordered = [p for p in ordered if p in whole]  # the few probes this solution has, then per field
    return {name: _present(value.lower(), ordered, 12) if ordered else [] for name, value in fields.items()}


_SOURCE_ORDER = {"query": 0, "fuzzy": 1, "compound": 2, "synonym": 3}


def _ordered(terms: Mapping[str, QueryTerm]) -> list[str]:
    """Probe strings, the SME's own words first; English stems lose a Snowball 'i' (batteri)."""
    ranked = sorted(terms.values(), key=lambda q: (_SOURCE_ORDER.get(q.source, 9), -q.weight, q.token))
    out = []
    for q in ranked:
        probe = q.token[:-1] if q.token.isascii() and q.token.endswith("i") else q.token
        if len(probe) >= 2 or probe.isdigit():
            out.append(probe)
    return out


@lru_cache(maxsize=4096)
def _word_starting(probe: str) -> re.Pattern[str]:
    """A whole word that starts with the English probe (an unstemmed form of the stem)."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(probe)}[a-z0-9]*")


def _present(text: str, ordered: list[str], limit: int) -> list[str]:
    """The words of `text` that the probes find, as the text spells them: a Korean probe is a word
    itself (불량, 검사); an English stem is shown as the whole word it starts (autom -> automation),
    and one found only inside a word (ng in tuning) is not shown."""
    out: list[str] = []
    for probe in ordered:
        if probe not in text:
            continue
        shown = probe
        if probe.isascii():
            m = _word_starting(probe).search(text)
            if m is None:
                continue
            shown = m.group(0)
        if any(shown in o or o in shown for o in out):
            continue  # 불량 and 불량검출: show one
        out.append(shown)
        if len(out) >= limit:
            break
    return out


# --- plain search ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SearchItem:
    doc: SearchDoc
    score: float
    highlights: dict[str, list[str]]


@dataclass
class SearchResults:
    items: list[SearchItem]
    total: int  # matching documents in the index, before the designation check
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    next_cursor: str | None = None


def encode_cursor(score: float, doc_id: str) -> str:
    raw = json.dumps([repr(float(score)), doc_id], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, str]:
    """Raises ValueError on a cursor this module did not produce."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        score_s, doc_id = json.loads(raw)
        return float(score_s), str(doc_id)
    except Exception as exc:  # any malformed input is the client's error
        raise ValueError("invalid cursor") from exc


def search(
    text: str,
    *,
    index: SearchIndex,
    docs: DocLoader,
    is_active: Designated,
    filters: SearchFilters | None = None,
    limit: int = 20,
    cursor: str | None = None,
    thesaurus: Thesaurus | None = None,
    weights: MatchWeights | None = None,
    with_facets: bool = True,
) -> SearchResults:
    """Text search with filters, facets and keyset pagination ordered by (score desc, id asc)."""
    thesaurus = thesaurus or default_thesaurus()
    weights = weights or MatchWeights()
    pq = prepare_query(text, index=index, thesaurus=thesaurus, weights=weights) if text.strip() else None
    query_weights = pq.weights() if pq else {}
    grams = {g: w * weights.gram_weight_search / weights.gram_weight for g, w in pq.grams().items()
             } if pq and weights.gram_weight > 0 and weights.gram_weight_search > 0 else {}
    exact = pq.exact(weights.exact_title_boost_search) if pq else {}
    after = decode_cursor(cursor) if cursor else None
    fetch = limit + 1  # the index holds designated suppliers only (but for lag), so rarely more
    facets: dict[str, dict[str, int]] | None = None
    while True:
        page = index.search(query_weights, filters=filters, limit=fetch,
                            with_facets=with_facets and facets is None, grams=grams, exact=exact)
        if facets is None:
            facets = page.facets
        hits = [h for h in page.hits if after is None or (-h.score, h.doc_id) > (-after[0], after[1])]
        category = _categories(hits, docs)
        active = is_active({(h.supplier_id, category[h.doc_id]) for h in hits if h.doc_id in category})
        hits = [h for h in hits if (h.supplier_id, category.get(h.doc_id)) in active]
        if len(hits) > limit or len(page.hits) < fetch:
            break
        fetch *= 2
    shown = hits[:limit]
    loaded = docs([h.doc_id for h in shown])
    changed = {_key(d) for d in loaded.values()} - active  # a category changed since it was indexed
    if changed:
        allowed = active | is_active(changed)
        loaded = {i: d for i, d in loaded.items() if _key(d) in allowed}
    ordered = _ordered(pq.terms) if pq else []
    items = [SearchItem(loaded[h.doc_id], h.score, highlights(loaded[h.doc_id], ordered))
             for h in shown if h.doc_id in loaded]
    next_cursor = encode_cursor(shown[-1].score, shown[-1].doc_id) if len(hits) > limit and shown else None
    return SearchResults(items, page.total, facets or {}, next_cursor)
