"""Fixtures for the matching tests: the shared eval catalogue in an in-memory index, and small docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.documents import SearchDoc
from matching.engine import TantivyIndex
from matching.evaluation import Catalogue, load_catalogue

# The development sets, copied into the repository from shared/eval (refresh: see bench/data/eval/SOURCE.md)
EVAL_DIR = Path(__file__).resolve().parents[2] / "bench" / "data" / "eval"
DATA_DIR = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(EVAL_DIR / "catalogue.json")


@pytest.fixture(scope="session")
def catalogue_index(catalogue: Catalogue) -> TantivyIndex:
    index = TantivyIndex(None)
    index.upsert(catalogue.docs.values())
    return index


def make_doc(doc_id: str, title_ko: str, description_ko: str = "", **kw: object) -> SearchDoc:
    """A solution with sensible defaults; Korean text only unless title_en/description_en given."""
    fields: dict[str, object] = {
        "supplier_id": f"sup-{doc_id}", "supplier_name": f"공급사 {doc_id}", "title_en": "",
        "description_en": "", "category": "vision_inspection", "industries": ["*"], "min_level": "basic",
        "price_min_krw": 50_000_000, "price_max_krw": 100_000_000, "region": "경기",
    }
    fields.update(kw)
    return SearchDoc(id=doc_id, title_ko=title_ko, description_ko=description_ko, **fields)  # type: ignore[arg-type]


class Store:
    """In-memory stand-in for the database: documents by id and the set of active suppliers."""

    def __init__(self, docs: list[SearchDoc], inactive: set[str] | None = None) -> None:
        self.docs = {d.id: d for d in docs}
        self.inactive = inactive or set()

    def load(self, ids: list[str]) -> dict[str, SearchDoc]:
        return {i: self.docs[i] for i in ids if i in self.docs}

    def active(self, pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
        """The matcher's designation check: (supplier, category) pairs of suppliers not made inactive."""
        return {(s, c) for s, c in pairs if s not in self.inactive}


def sample_docs() -> list[SearchDoc]:
    """Five solutions across categories, industries and regions, shared by the engine tests."""
    return [
        make_doc("V1", "사출품 불량검출 비전 시스템", "카메라로 성형품의 스크래치와 미성형을 검사합니다.",
                 industries=["C22"], region="경기"),
        make_doc("V2", "원단 결함 검사", "직물의 얼룩과 구멍을 라인 스캔 카메라로 찾아냅니다.",
                 industries=["C13"], region="부산"),
        make_doc("P1", "설비 예지보전", "모터와 감속기의 진동을 분석해 고장을 미리 알려 줍니다.",
                 category="predictive_maintenance", industries=["C29"], min_level="intermediate1",
                 price_min_krw=100_000_000, price_max_krw=250_000_000, region="경남"),
        make_doc("E1", "공장 에너지 관리", "설비별 전력 사용량을 계측하고 피크 전력을 예측합니다.",
                 category="energy_management", region="충북", deployment_mode="cloud", tips_stage="selected"),
        make_doc("S1", "지게차 충돌 방지", "지게차 카메라가 보행자를 인식해 경고합니다.",
                 category="industrial_safety", region="인천"),
    ]


@pytest.fixture
def small_docs() -> list[SearchDoc]:
    return sample_docs()


@pytest.fixture
def small_index(small_docs: list[SearchDoc]) -> TantivyIndex:
    index = TantivyIndex(None)
    index.upsert(small_docs)
    return index
