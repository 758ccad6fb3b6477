"""Reading a need before its words are searched: what it lacks or does not want, and amounts.

An SME writes "MES도 아직 없고" (we have no MES yet) or "ERP 같은 큰 시스템은 필요 없어요": those
words name what the solution must do *without*, so they must not pull MES or ERP products up.
Amounts ("예산 3천만 원", "5천") are facts for the budget fit, not content: 천 is also a word for
cloth. Both are read from Kiwi's morpheme tags (existence verb 없다, 필요하지 않다, 이미 ... 사용,
Korean numerals and counters), never from a list of need words. The result is the need's text with
those spans blanked out, which the rest of the matcher analyses as usual, and what was set aside
(for reasons and tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from matching.analysis import has_hangul, kiwi, stopwords

# A clause ends at a connective or final ending and at sentence punctuation; "-지" is the
# connective of a negated verb (필요하지 않다), which belongs to the same clause.
_CLAUSE_END_TAGS = frozenset({"EC", "EF", "SF", "SP"})
_NEGATION_CONNECTIVE = "지"
_PURPOSE_ENDINGS = frozenset({"도록", "게"})  # 불량이 없도록: a goal, not a lack
_CONTENT_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "XR", "NR", "SN"})
_USE_VERBS = frozenset({"쓰", "사용", "도입", "운영", "구축"})  # 이미 X를 사용하고: already there
_EN_LACK = re.compile(
    r"\b(?:no|without|lack(?:ing)?|(?:do not|don't|dont|doesn't) (?:have|need|want)|not need|no need for|"
    r"(?:do not|don't) use|already (?:have|use|run)(?: an?)?)\s+(?:an?\s+|any\s+|the\s+)?([a-z][\w-]*)",
    re.IGNORECASE)
_EN_AMOUNT = re.compile(r"\b\d[\d,.]*(?:\s*(?:million|billion|thousand|k|m|won|krw|%))*(?=\W|$)", re.IGNORECASE)


@dataclass(frozen=True)
class NeedReading:
    """The need's text as searched, and the words set aside from it with why."""

    text: str  # the original text with set-aside spans blanked (same length, so offsets hold)
    absent: tuple[str, ...]  # things the SME lacks, does not need, or already has
    amounts: tuple[str, ...]  # amounts and counts, read as facts rather than content
    grams: dict[str, float]  # character bigrams of the content words left, counted (engine.GRAM_TOKENIZER)
    # Kiwi's tokens of the text with each set-aside one replaced by a phrase break, so the analyser
    # need not tokenize the blanked text again (None: no Hangul, nothing was tokenized)
    tokens: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class _Break:
    """Stands where a set-aside token was: a punctuation mark to the analyser, ending the phrase."""

    start: int
    len: int
    word_position: int
    form: str = " "
    tag: str = "SP"
    oov: bool = False


def read_need(text: str) -> NeedReading:
    """Blank out what a need says it lacks or does not want, and its amounts."""
    chars = list(text)
    absent: list[str] = []
    amounts: list[str] = []
    tokens: list[Any] = kiwi().tokenize(text) if has_hangul(text) else []
    if tokens:
        for start, end in _negated_spans(tokens):
            absent.append(text[start:end])
            chars[start:end] = " " * (end - start)
        for start, end in _amount_spans(tokens):
            if text[start:end].strip() and chars[start] != " ":
                amounts.append(text[start:end])
            chars[start:end] = " " * (end - start)
    masked = "".join(chars)
    for m in _EN_LACK.finditer(masked):
        absent.append(m.group(1))
        s, e = m.span(1)
        chars[s:e] = " " * (e - s)
    masked = "".join(chars)
    for m in _EN_AMOUNT.finditer(masked):
        if has_hangul(masked[m.end():m.end() + 2]):
            continue  # 5축, 3D: a number that is part of a word is left to the analyser
        amounts.append(m.group(0).strip())
        s, e = m.span()
        chars[s:e] = " " * (e - s)
    masked = "".join(chars)
    kept = tuple(_Break(t.start, t.len, t.word_position) if _blanked(t, masked) else t for t in tokens
                 ) if tokens else None
    return NeedReading(masked, tuple(dict.fromkeys(absent)), tuple(dict.fromkeys(amounts)),
                       _grams(_content_words(tokens, masked) if tokens else _english_words(masked)), kept)


def _blanked(t: Any, masked: str) -> bool:
    return t.len > 0 and not masked[t.start:t.start + t.len].strip()


_GRAM_RUN_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "XR", "XSN", "XPN", "SN"})
_GRAM_STEM_TAGS = frozenset({"VV", "VA"})
_EN_WORDS = re.compile(r"[a-z0-9]+")


def _content_words(tokens: list[Any], masked: str) -> list[str]:
    """The need's content words as written: runs of nouns (with their suffixes) inside one word,
    and verb stems, leaving out particles, endings and the blanked spans."""
    words: list[str] = []
    run: list[str] = []
    last = -1
    for t in tokens:
        tag = t.tag.split("-", 1)[0]
        blank = _blanked(t, masked)
        if t.word_position != last or tag not in _GRAM_RUN_TAGS or blank:
            if run:
                words.append("".join(run))
                run = []
            last = t.word_position
        if blank:
            continue
        if tag in _GRAM_RUN_TAGS:
            run.append(t.form.lower())
        elif tag in _GRAM_STEM_TAGS and len(t.form) >= 2:
            words.append(t.form)
    if run:
        words.append("".join(run))
    return words


def _english_words(text: str) -> list[str]:
    stop = stopwords()
    return [w for w in _EN_WORDS.findall(text.lower()) if w not in stop]


def _grams(words: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for w in words:
        for i in range(len(w) - 1):
            g = w[i:i + 2]
            out[g] = out.get(g, 0.0) + 1.0
    return out


def _negated_spans(tokens: list[Any]) -> list[tuple[int, int]]:
    """Character spans of the content words that a clause says are absent, unneeded or in use."""
    spans: list[tuple[int, int]] = []
    clause: list[Any] = []
    for i, t in enumerate(tokens):
        tag = t.tag.split("-", 1)[0]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        negates = False
        if tag == "VA" and t.form == "없":
            negates = not (nxt is not None and nxt.tag.startswith("EC") and nxt.form in _PURPOSE_ENDINGS)
        elif tag == "VX" and t.form == "않":
            negates = any(c.form == "필요" for c in clause)
        elif t.form in _USE_VERBS and any(c.form == "이미" and c.tag == "MAG" for c in clause):
            negates = True
        if negates:
            spans.extend((c.start, c.start + c.len) for c in clause
                         if c.tag.split("-", 1)[0] in _CONTENT_TAGS and c.len > 0)
            clause = []
            continue
        if tag in _CLAUSE_END_TAGS and not (tag == "EC" and t.form == _NEGATION_CONNECTIVE):
            clause = []
            continue
        clause.append(t)
    return spans


def _amount_spans(tokens: list[Any]) -> list[tuple[int, int]]:
    """Spans of amounts and counts: a number with a Korean numeral or counter (3천만 원, 6대), and
    Korean numerals alone (천만원)."""
    spans: list[tuple[int, int]] = []
    for i, t in enumerate(tokens):
        tag = t.tag.split("-", 1)[0]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        nxt_tag = nxt.tag.split("-", 1)[0] if nxt is not None else ""
        if tag == "NR":
            spans.append((t.start, t.start + t.len))
        elif tag == "SN" and nxt is not None and nxt_tag in ("NR", "NNB") and nxt.word_position == t.word_position:
            spans.append((t.start, t.start + t.len))
        elif tag == "NNB" and t.form in ("원", "만원", "억원"):
            spans.append((t.start, t.start + t.len))
    return spans
