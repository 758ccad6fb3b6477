"""Korean and English text analysis: the same tokens for documents and queries.

Hangul goes through Kiwi (one instance per process) with a domain user dictionary; English is
lower-cased, British spellings are folded to American and words are stemmed with Snowball (the
stemmer shipped in tantivy). Adjacent content words are also emitted joined (불량 검출 -> 불량검출,
x ray -> xray), so spacing variants and compounds match each other.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_EN_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*|[^\sa-z0-9]")
# Kiwi tags kept as content terms, and tags that may sit inside a compound run.
_NOUN_TAGS = frozenset({"NNG", "NNP", "NR", "SL", "SN", "SH", "XR"})
_VERB_TAGS = frozenset({"VV", "VA"})
_LATIN_PART = re.compile(r"[a-z0-9]+")
_APOSTROPHES = frozenset({"'", "\u2019"})
_CLITICS = frozenset({"s", "re", "ve", "ll", "d", "m", "t"})  # we're, it's, I'll, don't
_BRITISH = {
    "colour": "color", "colours": "colors", "behaviour": "behavior", "labour": "labor",
    "centre": "center", "metre": "meter", "fibre": "fiber", "grey": "gray", "tyre": "tire",
    "aluminium": "aluminum", "programme": "program", "mould": "mold", "moulds": "molds",
    "moulded": "molded", "moulding": "molding", "analyse": "analyze", "analyses": "analyzes",
    "analysed": "analyzed", "analysing": "analyzing", "catalogue": "catalog", "modelling": "modeling",
    "travelling": "traveling", "labelling": "labeling", "levelling": "leveling",
}
_ISE = re.compile(r"^(\w{4,})is(e|es|ed|ing|ation|ations|er|ers)$")
_ISE_KEEP = frozenset({
    "advise", "expertise", "enterprise", "exercise", "franchise", "merchandise", "premise",
    "promise", "compromise", "supervise", "surprise", "televise", "revise", "concise", "precise",
    "comprise", "devise", "otherwise", "likewise", "clockwise", "disguise", "chastise", "noise",
    "raise", "praise", "cruise", "treatise", "paradise", "improvise", "incise", "excise",
})


@dataclass(frozen=True)
class Analysis:
    """Result of analysing one text.

    `terms` are the content words in reading order (particles and endings stripped, compounds
    from the user dictionary split into their parts); `tokens` are what gets indexed: the terms
    plus adjacent pairs and whole compounds, each once, in first-seen order.
    """

    terms: tuple[str, ...]
    tokens: tuple[str, ...]
    # tokens that may be misspellings: words Kiwi does not know, words it broke into single
    # syllables (붕량 -> 붕|량), and English words; only these are corrected against the index
    suspects: frozenset[str] = frozenset()


@dataclass(frozen=True)
class QueryTerm:
    """One token to look up, with the weight it carries and the query word it came from."""

    token: str
    weight: float
    source: str  # "query", "compound", "synonym" or "fuzzy"
    origin: str


@dataclass
class AnalyzedQuery:
    """A query after analysis; the thesaurus and typo expansion add further `QueryTerm`s."""

    text: str
    terms: tuple[str, ...]
    tokens: tuple[str, ...]
    expansions: list[QueryTerm] = field(default_factory=list)
    suspects: frozenset[str] = frozenset()

    def weighted(self, compound_weight: float = 0.6) -> dict[str, QueryTerm]:
        """Every token to search with its best weight: query words, joined pairs, expansions."""
        out: dict[str, QueryTerm] = {}
        term_set = set(self.terms)
        for tok in self.tokens:
            if tok in term_set:
                qt = QueryTerm(tok, 1.0, "query", tok)
            else:
                qt = QueryTerm(tok, compound_weight, "compound", tok)
            _keep_best(out, qt)
        for qt in self.expansions:
            _keep_best(out, qt)
        return out


def _keep_best(out: dict[str, QueryTerm], qt: QueryTerm) -> None:
    old = out.get(qt.token)
    if old is None or qt.weight > old.weight:
        out[qt.token] = qt


# --- resources ---------------------------------------------------------------------------------

def _data_lines(name: str) -> list[str]:
    text = resources.files("matching.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.rstrip("\n") for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Words dropped from analysis (Korean nouns and stems, English words), from data."""
    return frozenset(ln.strip().lower() for ln in _data_lines("stopwords.txt"))


@lru_cache(maxsize=1)
def user_dictionary() -> dict[str, tuple[str, tuple[str, ...]]]:
    """word -> (Kiwi tag, parts) from `data/userdict.tsv`; parts are empty for a simple word."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for ln in _data_lines("userdict.tsv"):
        cols = ln.split("\t")
        word = cols[0].strip()
        tag = cols[1].strip() if len(cols) > 1 and cols[1].strip() else "NNG"
        parts = tuple(cols[2].split()) if len(cols) > 2 else ()
        out[word] = (tag, parts)
    return out


_kiwi_lock = threading.Lock()
_kiwi_instance: Any = None


def kiwi() -> Any:
    """The process-wide Kiwi analyser with the domain dictionary, created on first use.

    Kiwi takes ~2.5 s and ~540 MB to load, so there must be exactly one per process; after
    construction `tokenize` is safe to call from several threads.
    """
    global _kiwi_instance
    if _kiwi_instance is None:
        with _kiwi_lock:
            if _kiwi_instance is None:
                from kiwipiepy import Kiwi

                k = Kiwi()
                for word, (tag, _parts) in user_dictionary().items():
                    k.add_user_word(word, tag, 0.0)
                _kiwi_instance = k
    return _kiwi_instance


def load_kiwi() -> None:
    """Load Kiwi and run its first analysis now. Both hold the interpreter lock for seconds at a stretch
    (measured: 1.1 s and 1.8 s on 2 cores), which stalls every other thread of the process: a server does
    this before it accepts connections, not while it answers them."""
    kiwi().tokenize("불량 검출")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import tantivy

    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw())
    return builder.filter(tantivy.Filter.stemmer("english")).build()


@lru_cache(maxsize=50_000)
def english_term(word: str) -> str:
    """Normalise one lower-case English word: British -> American spelling, Snowball stem."""
    w = _BRITISH.get(word, word)
    m = _ISE.match(w)
    if m and w not in _ISE_KEEP:
        w = f"{m.group(1)}iz{m.group(2)}"
    if not w.isalpha() or len(w) <= 3:
        return w
    stems = _stemmer().analyze(w)
    return stems[0] if stems else w


# --- analysis ----------------------------------------------------------------------------------

def has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text))


def analyze(text: str) -> Analysis:
    """Analyse one text (Korean, English or mixed) into terms and index tokens."""
    if not text or not text.strip():
        return Analysis((), ())
    if has_hangul(text):
        return _from_chunks(_korean_chunks(kiwi().tokenize(text)))
    return _from_chunks(_english_chunks(text))


def analyze_many(texts: Sequence[str]) -> list[Analysis]:
    """Analyse many texts; Kiwi runs them as one batch, which is faster for indexing."""
    out: list[Analysis | None] = [None] * len(texts)
    korean = [i for i, t in enumerate(texts) if t and has_hangul(t)]
    if korean:
        for i, toks in zip(korean, kiwi().tokenize([texts[i] for i in korean]), strict=True):
            out[i] = _from_chunks(_korean_chunks(toks))
    return [a if a is not None else analyze(texts[i]) for i, a in enumerate(out)]


def analyze_query(text: str) -> AnalyzedQuery:
    """Analyse a search text; expansion is added later by the thesaurus and typo lookup."""
    a = analyze(text)
    return AnalyzedQuery(text=text, terms=a.terms, tokens=a.tokens, suspects=a.suspects)


def analyze_query_tokens(text: str, tokens: Iterable[Any]) -> AnalyzedQuery:
    """`analyze_query` of a Korean text from Kiwi tokens already made (one Kiwi pass per query)."""
    a = _from_chunks(_korean_chunks(tokens))
    return AnalyzedQuery(text=text, terms=a.terms, tokens=a.tokens, suspects=a.suspects)


# A phrase is a list of word runs that may be joined: adjacent nouns with nothing but spaces
# between. Each piece of a run is (term or None, surface, suspect): glue suffixes (화, 기) have no
# term of their own; suspect marks a word Kiwi did not know.
Piece = tuple[str | None, str, bool]


def _korean_chunks(tokens: Iterable[Any]) -> list[list[list[Piece]]]:
    """Group Kiwi tokens into phrases (split at particles, verbs, punctuation) of word runs.

    This loop runs once per Kiwi token of every indexed text (about 40 million at 100k solutions),
    so it is written flat: no helper calls, each token attribute read once."""
    stop = stopwords()
    udict = user_dictionary()
    nouns, verbs = _NOUN_TAGS, _VERB_TAGS
    phrases: list[list[list[Piece]]] = []
    phrase: list[list[Piece]] = []
    run: list[Piece] = []
    last_word = -1
    sl_end = apos_end = -1  # where the last Latin piece and the last apostrophe ended
    sl_raw = ""
    sl_count = 0  # pieces the last Latin word added to the run
    for t in tokens:
        tag = t.tag
        if "-" in tag:
            tag = tag.split("-", 1)[0]
        form = t.form
        position = t.word_position
        if position != last_word:  # a new word (eojeol): the run so far ends
            if run:
                phrase.append(run)
                run = []
            last_word = position
        if tag == "SL":
            # Kiwi may cut a Latin word and keep a full stop in a piece (shipy|ard., V|ision.AI,
            # MES.): a piece that starts where the previous Latin piece ended continues that word,
            # and the word's parts are its letters and digits (vision.ai -> vision, ai). An English
            # clitic after an apostrophe (we're, it's) is no word of its own.
            start = t.start
            if start == sl_end:
                if sl_count and len(run) >= sl_count:
                    del run[-sl_count:]
                sl_raw += form
            elif start == apos_end and form.lower() in _CLITICS:
                continue
            else:
                sl_raw = form
            sl_end = start + t.len
            sl_count = 0
            for part in _LATIN_PART.findall(sl_raw.lower()):
                if part not in stop:
                    term = english_term(part)
                    run.append((term, term, True))
                    sl_count += 1
            continue
        if tag in nouns:
            term = form
            if term not in stop:
                entry = udict.get(form)
                if entry and entry[1]:
                    run.extend((part, part, False) for part in entry[1])
                else:
                    run.append((term, term, bool(t.oov)))
                continue
        elif tag == "XSN":  # a suffix (화, 기) joins the run it follows; alone it is skipped
            if run:
                run.append((None, form, False))
            continue
        elif tag == "XPN":
            run.append((None, form, False))
            continue
        elif tag == "SO" and form == "-" and run:
            continue  # X-ray, COVID-19: the hyphen joins within a word
        if form in _APOSTROPHES:
            apos_end = t.start + t.len
        # Anything else ends the phrase; meaningful adverbs (미리, 갑자기) and verb stems stand alone.
        if run:
            phrase.append(run)
            run = []
        if phrase:
            phrases.append(phrase)
            phrase = []
        if (tag == "MAG" or tag in verbs) and len(form) >= 2 and form not in stop:
            phrases.append([[(form, form, False)]])
    if run:
        phrase.append(run)
    if phrase:
        phrases.append(phrase)
    return phrases


def _english_chunks(text: str) -> list[list[list[Piece]]]:
    stop = stopwords()
    phrases: list[list[list[Piece]]] = []
    phrase: list[list[Piece]] = []
    for raw in _EN_WORD.findall(text.lower().replace("\u2019", "'")):
        if not raw[0].isalnum():
            if phrase:
                phrases.append(phrase)
                phrase = []
            continue
        head, apostrophe, tail = raw.partition("'")
        if apostrophe and tail in _CLITICS:
            raw = head  # we're, company's: the clitic is no word of its own
        if raw in stop:
            if phrase:
                phrases.append(phrase)
                phrase = []
            continue
        run: list[Piece] = []
        for part in re.split(r"[-']", raw):
            if part and part not in ("s",):
                term = english_term(part)
                run.append((term, term, True))
        if run:
            phrase.append(run)
    if phrase:
        phrases.append(phrase)
    return phrases


def _from_chunks(phrases: list[list[list[Piece]]]) -> Analysis:
    terms: list[str] = []
    tokens: dict[str, None] = {}
    suspects: set[str] = set()
    for phrase in phrases:
        flat_terms: list[str] = []
        for run in phrase:
            if len(run) == 1:  # most words: one piece, no whole form to add
                term, _surface, suspect = run[0]
                if term is not None:
                    terms.append(term)
                    flat_terms.append(term)
                    tokens.setdefault(term)
                    if suspect:
                        suspects.add(term)
                continue
            broken = False
            for term, _surface, suspect in run:
                if term is None:
                    continue
                terms.append(term)
                flat_terms.append(term)
                # a one-character piece of a longer word (붕|량, 3|d) is noise alone
                if len(term) > 1:
                    tokens.setdefault(term)
                elif _HANGUL.match(term):
                    broken = True
                if suspect:
                    suspects.add(term)
            # the whole word as written (자동화, 작업자, 불량검출, xray)
            whole = "".join(p[1] for p in run)
            tokens.setdefault(whole)
            if broken:
                suspects.add(whole)  # Kiwi broke an unknown word into syllables: 붕|량
        for a, b in zip(flat_terms, flat_terms[1:], strict=False):
            tokens.setdefault(a + b)
    return Analysis(tuple(terms), tuple(tokens), frozenset(suspects))
