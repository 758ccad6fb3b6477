"""One speed-up for the contract run that changes nothing it generates: build each regex strategy once.

The spec states its text rule as a pattern whose negated character class names about 140,000 code points
(`^[^\\u0000-\\u0008 ... \\U000F0000-\\U0010FFFF]*...$`, api/params.py). Hypothesis turns such a class into a
strategy by adding its code points one by one (about 3 s), and schemathesis asks for the same pattern again
for every operation, phase and coverage variant: without the cache the run spends most of its time there.
A strategy is an immutable description of values, so sharing one between operations draws the same values.
"""

from __future__ import annotations

from typing import Any


def memoize_regex_strategies() -> None:
    """Cache hypothesis's `base_regex_strategy` by (pattern, flags, alphabet); a no-op on a hypothesis
    without that function (the run is then only slower)."""
    from hypothesis.strategies._internal import regex

    original = getattr(regex, "base_regex_strategy", None)
    if original is None or getattr(original, "_axr_memoized", False):
        return
    cache: dict[tuple[Any, ...], Any] = {}

    def memoized(pattern: Any, *, parsed: Any = None, alphabet: Any) -> Any:
        key = (pattern.pattern, int(pattern.flags), repr(alphabet))
        strategy = cache.get(key)
        if strategy is None:
            strategy = cache[key] = original(pattern, parsed=parsed, alphabet=alphabet)
        return strategy

    memoized._axr_memoized = True  # type: ignore[attr-defined]
    regex.base_regex_strategy = memoized
