"""What the matcher reads: a solution as indexed (`SearchDoc`) and an SME need (`NeedQuery`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from matching.readiness import Holding

LEVELS: tuple[str, ...] = ("basic", "intermediate1", "intermediate2", "advanced")
ALL_MANUFACTURING = "*"


@dataclass(frozen=True, kw_only=True, slots=True)
class SolutionFacts:
    """What ranking reads of a solution: the structured facts, without its texts.

    The embedded index keeps these for every indexed solution, so the matcher can rank hundreds of
    candidates without reading them from the database. Prices are in KRW (not millions).
    """

    id: str
    supplier_id: str
    category: str
    industries: Sequence[str]  # KSIC divisions such as "C22"; "*" means all of manufacturing
    min_level: str  # one of LEVELS
    price_min_krw: int
    price_max_krw: int
    region: str  # Korean short name, e.g. 경기
    deployment_mode: str = "on_premise"
    tips_stage: str | None = None
    track_record: float | None = None  # 0..1, share of reference cases with measured outcomes

    def __post_init__(self) -> None:
        if self.min_level not in LEVELS:
            raise ValueError(f"min_level must be one of {LEVELS}, got {self.min_level!r}")
        if self.price_min_krw < 0 or self.price_max_krw < self.price_min_krw:
            raise ValueError("price range must satisfy 0 <= price_min_krw <= price_max_krw")


@dataclass(frozen=True, kw_only=True, slots=True)
class SearchDoc(SolutionFacts):
    """One designated solution, flattened for search: its facts plus the texts and names shown."""

    supplier_name: str
    title_ko: str
    title_en: str
    description_ko: str
    description_en: str
    ref: str | None = None  # public reference, e.g. the solution's catalogue number


@dataclass(frozen=True)
class NeedQuery:
    """An SME need: free text plus the structured facts that decide fit."""

    text: str
    industry: str | None = None  # KSIC division, e.g. "C22"
    smart_factory_level: str | None = None  # one of LEVELS
    budget_krw: int | None = None
    region: str | None = None
    categories: list[str] | None = None  # categories the SME asked for explicitly
    inventory: tuple[Holding, ...] | None = None  # the SME's data inventory; None: unknown (readiness neutral)

    def __post_init__(self) -> None:
        if self.smart_factory_level is not None and self.smart_factory_level not in LEVELS:
            raise ValueError(f"smart_factory_level must be one of {LEVELS}")


@dataclass(frozen=True)
class SearchFilters:
    """Exact-value filters for plain search; a None field does not filter."""

    categories: list[str] | None = None
    industries: list[str] | None = None  # "*" solutions match any industry filter
    max_level: str | None = None  # solutions deployable at this level or below
    regions: list[str] | None = None
    deployment_modes: list[str] | None = None
    tips_stages: list[str] | None = None
    max_price_krw: int | None = None  # solutions whose lowest price fits
    exclude_ids: list[str] = field(default_factory=list)
