"""Data readiness fit: the data profiles a solution needs against those the SME collects.

Pure: the caller (shopdata/service.py) loads both sides with the vocabulary's labels. Each required profile is
met (held, at the sampling rate, volume and labelling asked), partly met (held, but short of one of them) or
missing; the value is their mean on met = 1, partly = `partial`, missing = `missing`. Without an inventory, or
for a solution that states no required data, the value is 0: nothing is known, so nothing moves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Requirement:
    profile_code: str
    label_ko: str
    label_en: str
    acquire_ko: str  # the project stage that produces the data, e.g. 센서 설치
    acquire_en: str
    required: bool = True
    min_rate_hz: float | None = None
    min_volume: int | None = None
    labelling: bool = False


@dataclass(frozen=True, slots=True)
class Holding:
    profile_code: str
    rate_hz: float | None = None
    volume: int | None = None
    labelled: bool = False


def rate_text(hz: float) -> str:
    """10000 -> "10 kHz", 2500 -> "2.5 kHz", 50 -> "50 Hz"."""
    if hz >= 1000:
        return f"{hz / 1000:g} kHz"
    return f"{hz:g} Hz"


def _needed(req: Requirement) -> tuple[str, str]:
    extra = f" {rate_text(req.min_rate_hz)}" if req.min_rate_hz else ""
    ko = f"{req.label_ko}{extra}" + (" (라벨 포함)" if req.labelling else "")
    en = f"{req.label_en}" + (f" at {rate_text(req.min_rate_hz)}" if req.min_rate_hz else "") + \
        (" (labelled)" if req.labelling else "")
    return ko, en


def _held(req: Requirement, h: Holding) -> tuple[str, str]:
    rate = f" {rate_text(h.rate_hz)}" if h.rate_hz else ""
    label_ko = "" if h.labelled or not req.labelling else " (라벨 없음)"
    label_en = "" if h.labelled or not req.labelling else " (unlabelled)"
    return (f"{req.label_ko}{rate}{label_ko}",
            f"{req.label_en}" + (f" at {rate_text(h.rate_hz)}" if h.rate_hz else "") + label_en)


def _state(req: Requirement, h: Holding | None) -> str:
    if h is None:
        return "missing"
    short = ((req.min_rate_hz is not None and (h.rate_hz is None or h.rate_hz < req.min_rate_hz))
             or (req.min_volume is not None and h.volume is not None and h.volume < req.min_volume)
             or (req.labelling and not h.labelled))
    return "partly" if short else "met"


def state(req: Requirement, holding: Holding | None) -> str:
    """"met", "partly" or "missing": how far the SME's holding of the profile meets the requirement."""
    return _state(req, holding)


def fit(requirements: Sequence[Requirement], holdings: Sequence[Holding] | None, *, partial: float = 0.0,
        missing: float = -1.0) -> tuple[float, list[tuple[str, str]]]:
    """The readiness value in [-1, 1] and one (Korean, English) reason per required profile, worst first."""
    required = [r for r in requirements if r.required]
    if holdings is None or not required:
        return 0.0, []
    held = {h.profile_code: h for h in holdings}
    values: list[float] = []
    worded: list[tuple[int, str, str]] = []
    for req in required:
        h = held.get(req.profile_code)
        state = _state(req, h)
        need_ko, need_en = _needed(req)
        if state == "met":
            values.append(1.0)
            worded.append((2, f"필요 데이터 보유: {need_ko}", f"Data in hand: {need_en}"))
            continue
        if state == "partly" and h is not None:
            values.append(partial)
            have_ko, have_en = _held(req, h)
            worded.append((1, f"필요 데이터: {need_ko}, 보유: {have_ko} → 데이터 보완 단계 필요",
                           f"Data needed: {need_en}; you have: {have_en} → a data upgrade stage is needed"))
            continue
        values.append(missing)
        worded.append((0, f"필요 데이터: {need_ko}, 보유: 없음 → {req.acquire_ko} 단계 필요",
                       f"Data needed: {need_en}; you have: none → a {req.acquire_en} stage is needed"))
    worded.sort(key=lambda w: w[0])
    return sum(values) / len(values), [(ko, en) for _, ko, en in worded]
