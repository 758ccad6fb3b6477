"""Korean text helpers: the particle that follows a word (이/가, 을/를, 은/는, 과/와, 으로/로) and amounts
of money in the units people read (1.5억 원, 8,000만 원), and dates on Korean time as sentences write them.

A particle depends on how the word before it ends when read aloud: a Hangul syllable by its final
consonant (받침), a digit or a number by its Korean reading (3 삼, 10 십, 100 백), a Latin letter by its
name (n 엔, l 엘, k 케이). Closing quotes and brackets are skipped: `'v2'가`, `(C22)가`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

_PAIRS = {  # particle after a final consonant, after a vowel
    "이": ("이", "가"), "가": ("이", "가"),
    "을": ("을", "를"), "를": ("을", "를"),
    "은": ("은", "는"), "는": ("은", "는"),
    "과": ("과", "와"), "와": ("과", "와"),
    "으로": ("으로", "로"), "로": ("으로", "로"),
    "이나": ("이나", "나"), "나": ("이나", "나"),
    "이라": ("이라", "라"), "라": ("이라", "라"),
}
_RIEUL = 8  # index of ㄹ among the final consonants of a syllable
# the final consonant of each digit's reading: 영 일 이 삼 사 오 육 칠 팔 구 (0 none, else a jong index)
_DIGIT_FINAL = {"0": 21, "1": _RIEUL, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": _RIEUL, "8": _RIEUL, "9": 0}
# a number ending in zeros is read by its last unit: 십 백 천 만 ... 억 ... 조
_ZEROS_FINAL = {1: 17, 2: 1, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 1, 9: 1, 10: 1, 11: 1, 12: 0}
# Latin letters by their Korean names: 엘 엠 엔 알 end in a consonant, the rest in a vowel
_LETTER_FINAL = {"l": _RIEUL, "m": 16, "n": 4, "r": _RIEUL}
_SKIP = "'\"’”)]}》〉」』 ."


def final_consonant(word: str) -> int:
    """The final consonant of `word` read aloud: 0 for a vowel ending, else its jong index (8 is ㄹ)."""
    text = word.rstrip(_SKIP) or word
    if not text:
        return 0
    last = text[-1]
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28
    if last.isdigit():
        digits = ""
        for ch in reversed(text):
            if not ch.isdigit() and ch != ",":
                break
            digits = ch + digits if ch != "," else digits
        stripped = digits.rstrip("0")
        if digits and stripped != digits and stripped:
            return _ZEROS_FINAL.get(len(digits) - len(stripped), 0)
        return _DIGIT_FINAL.get(last, 0)
    if last.isascii() and last.isalpha():
        return _LETTER_FINAL.get(last.lower(), 0)
    return 0


def particle(word: str, p: str) -> str:
    """The form of particle `p` (either form of the pair: "이" or "가", "으로" or "로" ...) after `word`."""
    after_consonant, after_vowel = _PAIRS[p]
    final = final_consonant(word)
    if after_consonant == "으로":
        return "으로" if final and final != _RIEUL else "로"
    return after_consonant if final else after_vowel


def josa(word: object, p: str) -> str:
    """`word` followed by the right form of particle `p`: josa("파일", "을") -> "파일을", josa("v2", "이") -> "v2가"."""
    text = str(word)
    return text + particle(text, p)


_EOK, _MAN = 100_000_000, 10_000


def krw(amount: int | float) -> str:
    """An amount of won as people read it: 1.5억 원, 2억 원, 1억 2,345만 원, 8,000만 원, 5,000원."""
    amount = int(round(amount))
    sign, amount = ("-", -amount) if amount < 0 else ("", amount)
    if amount >= _EOK:
        eok, rest = divmod(amount, _EOK)
        if rest == 0:
            text = f"{eok:,}억 원"
        elif rest % (_EOK // 10) == 0:
            text = f"{eok:,}.{rest // (_EOK // 10)}억 원"
        elif rest % _MAN == 0:
            text = f"{eok:,}억 {rest // _MAN:,}만 원"
        else:
            text = f"{amount:,}원"
    elif amount >= _MAN and amount % _MAN == 0:
        text = f"{amount // _MAN:,}만 원"
    else:
        text = f"{amount:,}원"
    return sign + text


KST = timezone(timedelta(hours=9), "KST")


def kst(value: datetime) -> datetime:
    """`value` on Korean time (a naive datetime is taken as UTC, as the database stores it)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(KST)


def date_ko(value: date | datetime | str) -> str:
    """A day as a Korean sentence writes it, on Korean time: 2029년 9월 3일."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    day = kst(value).date() if isinstance(value, datetime) else value
    return f"{day.year}년 {day.month}월 {day.day}일"


def datetime_ko(value: datetime | str) -> str:
    """A moment as a Korean sentence writes it, on Korean time: 2029년 9월 3일 05:14(KST)."""
    moment = kst(datetime.fromisoformat(value) if isinstance(value, str) else value)
    return f"{date_ko(moment)} {moment:%H:%M}(KST)"


def _duration(seconds: int, h: str, m: str, s: str, s_alone: str) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}{h} {minutes}{m}" if minutes else f"{hours}{h}"
    if minutes:
        return f"{minutes}{m} {secs}{s}" if secs else f"{minutes}{m}"
    return f"{secs}{s_alone}"


def duration_ko(seconds: int) -> str:
    """A wait as people say it: 45초, 16분 51초, 2시간 5분."""
    return _duration(seconds, "시간", "분", "초", "초")


def duration_en(seconds: int) -> str:
    """45 seconds, 16 min 51 s, 2 h 5 min."""
    return _duration(seconds, " h", " min", " s", " seconds")


def quoted(value: object) -> str:
    """What the user typed, shown back in quotes so a sentence does not read it as the registry's word."""
    return f"'{value}'"
