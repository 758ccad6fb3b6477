"""Deterministic generator of realistic bilingual catalogues and query sets for the speed bench.

    .venv/bin/python bench/gen_catalogue.py --size 10000 [--seed 7] [--out DIR]

Writes DIR/catalogue-<size>.json in the format of shared/eval/catalogue.json (suppliers with their
designation state, 12 categories, Korean and English titles and descriptions) and
DIR/queries-<size>.json (search queries and SME needs, Korean and English, with industry, level,
budget and region). The words come from matching/data/thesaurus.yaml and the evaluation catalogue,
combined with parts, materials, processes, product names and measured outcomes, so the index
vocabulary grows with the catalogue the way a real one does. Same seed, same files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "bench" / "data" / "eval"  # a copy of shared/eval (bench/data/eval/SOURCE.md)
HANGUL = re.compile(r"[\uac00-\ud7a3]")

# Proportions in the evaluation catalogue, rounded: most suppliers listed are actively designated.
DESIGNATION = {"active": 0.72, "none": 0.08, "suspended": 0.06, "revoked": 0.06, "expired": 0.08}
REGIONS = {"경기": 26, "서울": 18, "경남": 8, "경북": 7, "인천": 6, "부산": 6, "대구": 5, "충남": 5, "충북": 4,
           "대전": 4, "울산": 3, "광주": 3, "전북": 2, "전남": 2, "강원": 1, "세종": 1, "제주": 1}
CATEGORY_SHARE = {"vision_inspection": 17, "predictive_maintenance": 12, "industrial_safety": 11,
                  "production_scheduling": 9, "energy_management": 9, "process_optimization": 8,
                  "quality_prediction": 8, "demand_forecasting": 6, "logistics_automation": 6,
                  "robotics_control": 5, "manufacturing_llm": 5, "data_platform": 5}
LEVELS = {"basic": 35, "intermediate1": 30, "intermediate2": 22, "advanced": 13}
PRICE = {"vision_inspection": (40, 250), "predictive_maintenance": (50, 400), "industrial_safety": (30, 200),
         "production_scheduling": (30, 300), "energy_management": (30, 250), "process_optimization": (80, 500),
         "quality_prediction": (60, 400), "demand_forecasting": (20, 150), "logistics_automation": (100, 900),
         "robotics_control": (150, 1200), "manufacturing_llm": (30, 300), "data_platform": (40, 400)}
DIVISIONS = [f"C{n}" for n in range(10, 35) if n != 12]

PARTS = [("사출품", "injection-molded parts"), ("프레스 부품", "stamped parts"), ("용접부", "weld seams"),
         ("PCB 기판", "PCBs"), ("이차전지 셀", "battery cells"), ("유리 기판", "glass substrates"),
         ("알루미늄 다이캐스팅", "aluminum die castings"), ("주물", "castings"), ("단조품", "forgings"),
         ("고무 패킹", "rubber gaskets"), ("식품 포장재", "food packaging"), ("의약품 바이알", "drug vials"),
         ("섬유 원단", "textile fabric"), ("필름", "film"), ("강판", "steel sheet"), ("볼트", "bolts"),
         ("베어링", "bearings"), ("기어", "gears"), ("모터 하우징", "motor housings"), ("커넥터", "connectors"),
         ("반도체 웨이퍼", "semiconductor wafers"), ("디스플레이 패널", "display panels"),
         ("가구 판재", "furniture panels"),
         ("도장면", "painted surfaces"), ("배관", "pipes"), ("타이어", "tires"), ("렌즈", "lenses"),
         ("화장품 용기", "cosmetic containers"), ("음료 병", "beverage bottles"), ("케이블", "cables"),
         ("자동차 시트", "car seats"), ("금형", "molds"), ("원자재 코일", "steel coils"), ("목재 합판", "plywood")]
MACHINES = [("사출기", "injection molding machines"), ("프레스", "presses"), ("CNC 가공기", "CNC machines"),
            ("컴프레서", "compressors"), ("펌프", "pumps"), ("감속기", "gearboxes"), ("컨베이어", "conveyors"),
            ("보일러", "boilers"), ("냉동기", "chillers"), ("열처리로", "heat-treatment furnaces"),
            ("용접 로봇", "welding robots"), ("도장 부스", "paint booths"), ("건조기", "dryers"),
            ("압출기", "extruders"), ("스핀들", "spindles"), ("공조기", "air handlers"), ("지게차", "forklifts"),
            ("AGV", "AGVs"), ("협동로봇", "cobots"), ("크레인", "cranes"), ("집진기", "dust collectors")]
TECH = [("딥러닝", "deep learning"), ("머신러닝", "machine learning"), ("디지털 트윈", "digital twin"),
        ("강화학습", "reinforcement learning"), ("시계열 분석", "time-series analysis"), ("엣지 AI", "edge AI"),
        ("생성형 AI", "generative AI"), ("이상 탐지", "anomaly detection"), ("최적화 알고리즘", "optimization"),
        ("자연어 처리", "natural language processing"), ("컴퓨터 비전", "computer vision"),
        ("진동 센서", "vibration sensors"), ("열화상 카메라", "thermal cameras"), ("3D 스캐너", "3D scanners"),
        ("IoT 게이트웨이", "IoT gateways"), ("MES 연동", "MES integration"), ("ERP 연동", "ERP integration"),
        ("OPC UA", "OPC UA"), ("PLC 데이터", "PLC data"), ("클라우드 대시보드", "cloud dashboards")]
OUTCOMES = [("불량률", "defect rate", "감소", "down"), ("설비 정지 시간", "unplanned downtime", "감소", "down"),
            ("에너지 비용", "energy cost", "절감", "down"), ("검사 인력", "inspection labor", "절감", "down"),
            ("납기 준수율", "on-time delivery", "향상", "up"), ("재고", "inventory", "감소", "down"),
            ("생산성", "productivity", "향상", "up"), ("수율", "yield", "향상", "up"),
            ("안전 사고", "safety incidents", "감소", "down"), ("작업 시간", "work time", "단축", "down"),
            ("전력 사용량", "power use", "절감", "down"), ("예측 정확도", "forecast accuracy", "향상", "up")]
BRAND_KO = ["딥", "스마트", "넥스", "에이아이", "비전", "퓨처", "하이", "그린", "블루", "코어", "유니", "메타", "제이",
            "한빛", "새론", "다온", "누리", "미래", "에코", "알파", "옴니", "큐브", "로직", "센스", "인텔리", "테크노"]
BRAND_KO2 = ["랩", "테크", "솔루션", "시스템즈", "웍스", "로보틱스", "인더스트리", "팩토리", "AI", "데이터", "비전",
             "엔지니어링", "이노베이션", "소프트", "네트웍스", "다이내믹스", "메카", "센서"]
SYLLABLES = "가나다라마바사아자차카타파하고노도로모보소오조코토포호구누두루무부수우주쿠투푸후기니디리미비시이지키티피히"
EN_NAMES = ["Neo", "Vision", "Sense", "Pro", "Max", "Edge", "Core", "Flow", "Guard", "Twin", "Pulse", "Smart",
            "Insight", "Link", "Wave", "Sight", "Forge", "Lumen", "Orbit", "Axis", "Nova", "Delta", "Sigma", "Opti"]
SUFFIX_KO = ["시스템", "플랫폼", "솔루션", "서비스", "엔진", "모듈", "패키지", "키트"]
SUFFIX_EN = ["system", "platform", "solution", "service", "engine", "module", "package", "kit"]


def _j(word: str, batchim: str, plain: str) -> str:
    """Word plus the particle form its last syllable takes (강판과, 기어와, 엣지 AI로, 딥러닝으로)."""
    last = ord(word[-1]) - 0xAC00 if word else -1
    if 0 <= last <= 11171:
        jong = last % 28
        if jong and not (plain == "로" and jong == 8):
            return word + batchim
    return word + plain


def _weighted(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _vocabulary() -> dict[str, dict[str, list[str]]]:
    """Per category, Korean and English terms from the thesaurus and sentences from the eval catalogue."""
    thesaurus = yaml.safe_load((ROOT / "matching" / "data" / "thesaurus.yaml").read_text(encoding="utf-8"))
    vocab: dict[str, dict[str, list[str]]] = {c: {"ko": [], "en": [], "sko": [], "sen": [], "tko": [], "ten": []}
                                              for c in CATEGORY_SHARE}
    for group in thesaurus["groups"]:
        for cat in group.get("categories") or {}:
            if cat in vocab:
                for term in group["terms"]:
                    vocab[cat]["ko" if HANGUL.search(str(term)) else "en"].append(str(term))
    eval_path = EVAL / "catalogue.json"
    if eval_path.exists():
        for s in json.loads(eval_path.read_text(encoding="utf-8"))["solutions"]:
            v = vocab[s["category"]]
            v["tko"].append(s["title"]["ko"])
            v["ten"].append(s["title"].get("en") or "")
            v["sko"] += [x.strip() + "." for x in s["description"]["ko"].split(".") if x.strip()]
            v["sen"] += [x.strip() + "." for x in (s["description"].get("en") or "").split(".") if x.strip()]
    return vocab


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = _vocabulary()

    def _brand(self, i: int) -> str:
        r = self.rng
        base = r.choice(BRAND_KO) + "".join(r.choice(SYLLABLES) for _ in range(r.randint(0, 2)))
        return f"{base}{r.choice(BRAND_KO2)}" + (f" {i}" if r.random() < 0.5 else "")

    def _product(self) -> tuple[str, str]:
        r = self.rng
        name = r.choice(EN_NAMES) + r.choice(EN_NAMES).lower() + (f" {r.choice('AXSMT')}{r.randint(1, 99)}"
                                                                  if r.random() < 0.6 else "")
        return name, name

    def suppliers(self, n: int) -> list[dict[str, Any]]:
        out, seen = [], set()
        for i in range(n):
            name = self._brand(i)
            while name in seen:
                name = f"{name} {i}"
            seen.add(name)
            out.append({"name": name, "designation": _weighted(self.rng, DESIGNATION),
                        "region": _weighted(self.rng, REGIONS), "category": _weighted(self.rng, CATEGORY_SHARE)})
        return out

    def solution(self, i: int, supplier: dict[str, Any]) -> dict[str, Any]:
        r = self.rng
        cat = supplier["category"] if r.random() < 0.8 else _weighted(r, CATEGORY_SHARE)
        v = self.vocab[cat]
        part_ko, part_en = r.choice(PARTS)
        mach_ko, mach_en = r.choice(MACHINES)
        tech_ko, tech_en = r.choice(TECH)
        term_ko = r.choice(v["ko"])
        term_en = r.choice(v["en"])
        product, product_en = self._product()
        k = r.randrange(len(SUFFIX_KO))
        title_ko = r.choice([f"{part_ko} {term_ko} {SUFFIX_KO[k]} {product}",
                             f"{tech_ko} 기반 {term_ko} {SUFFIX_KO[k]}",
                             f"{mach_ko} {term_ko} {product}"])
        title_en = r.choice([f"{product_en} {term_en} {SUFFIX_EN[k]} for {part_en}",
                             f"{term_en.capitalize()} {SUFFIX_EN[k]} with {tech_en}",
                             f"{product_en}: {term_en} for {mach_en}"])
        what, what_en, verb, direction = r.choice(OUTCOMES)
        pct = r.randint(5, 60)
        terms_ko = r.sample(v["ko"], min(3, len(v["ko"])))
        terms_en = r.sample(v["en"], min(3, len(v["en"])))
        ko = [f"{_j(part_ko, '과', '와')} {mach_ko} 현장에서 {terms_ko[0]}, {terms_ko[1]} 문제를 "
              f"{_j(tech_ko, '으로', '로')} 해결합니다.",
              f"{terms_ko[2]} 기능과 {_j(r.choice(TECH)[0], '을', '를')} 함께 제공하며 "
              f"{r.randint(2, 12)}주 안에 구축합니다.",
              f"도입 기업 {r.randint(3, 80)}곳에서 {_j(what, '을', '를')} 평균 {pct}% {verb}했습니다."]
        en = [f"Solves {terms_en[0]} and {terms_en[1]} on {part_en} and {mach_en} lines with {tech_en}.",
              f"Includes {terms_en[2]} and {r.choice(TECH)[1]}; deployed in {r.randint(2, 12)} weeks.",
              f"Across {r.randint(3, 80)} customer sites, {what_en} went {direction} by {pct}% on average."]
        if v["sko"] and r.random() < 0.5:
            j = r.randrange(len(v["sko"]))
            ko.insert(1, v["sko"][j])
            en.insert(1, v["sen"][min(j, len(v["sen"]) - 1)])
        if v["tko"] and r.random() < 0.15:  # some suppliers reuse a well-known product line's name
            j = r.randrange(len(v["tko"]))
            title_ko, title_en = f"{v['tko'][j]} {product}", f"{v['ten'][j]} {product_en}"
        lo, hi = PRICE[cat]
        pmin = round(r.uniform(lo, (lo + hi) / 2), -1) or 10
        industries = ["*"] if r.random() < 0.15 else sorted(r.sample(DIVISIONS, r.randint(1, 3)))
        return {"id": f"G{i:06d}", "supplier": {k2: supplier[k2] for k2 in ("name", "designation", "region")},
                "category": cat, "industries": industries, "min_level": _weighted(r, LEVELS),
                "deployment_mode": r.choice(["on_premise", "cloud", "hybrid"]),
                "price_million_krw": {"min": pmin, "max": round(pmin * r.uniform(1.2, 3.0), -1)},
                "title": {"ko": title_ko[:200], "en": title_en[:200]},
                "description": {"ko": " ".join(ko), "en": " ".join(en)}}

    def catalogue(self, size: int) -> dict[str, Any]:
        suppliers = self.suppliers(max(1, round(size / 3.3)))  # ~3.3 solutions per supplier
        sols = [self.solution(i, self.rng.choice(suppliers)) for i in range(size)]
        return {"levels": list(LEVELS), "generated": {"size": size, "suppliers": len(suppliers)}, "solutions": sols}

    def queries(self, n: int) -> dict[str, Any]:
        """Search texts and SME needs: shop-floor Korean (70%) and English (30%)."""
        r = self.rng
        needs_path = EVAL / "needs-dev.json"
        dev = ([x["text"] for x in json.loads(needs_path.read_text(encoding="utf-8"))["needs"]]
               if needs_path.exists() else [])
        search, match = [], []
        for _ in range(n):
            cat = _weighted(r, CATEGORY_SHARE)
            v = self.vocab[cat]
            part_ko, part_en = r.choice(PARTS)
            mach_ko, mach_en = r.choice(MACHINES)
            korean = r.random() < 0.7
            if korean:
                q = r.choice([r.choice(v["ko"]), f"{part_ko} {r.choice(v['ko'])}", f"{mach_ko} {r.choice(v['ko'])}"])
                text = r.choice([
                    f"{part_ko}에 {r.choice(v['ko'])} 문제가 자주 생겨서 {r.choice(v['ko'])} 도입하고 싶습니다",
                    f"{mach_ko} {r.choice(v['ko'])} 때문에 고민입니다. {r.choice(v['ko'])} 솔루션 찾아요",
                    r.choice(dev) if dev else f"{r.choice(v['ko'])} 필요"])
            else:
                q = r.choice([r.choice(v["en"]), f"{r.choice(v['en'])} {part_en}"])
                text = f"We need {r.choice(v['en'])} for our {part_en} line; {mach_en} {r.choice(v['en'])} is a problem"
            ctx = {"industry": r.choice(DIVISIONS), "smart_factory_level": _weighted(r, LEVELS),
                   "budget_million_krw": r.choice([50, 100, 150, 200, 300, 500]), "region": _weighted(r, REGIONS)}
            filt: dict[str, Any] = {}
            if r.random() < 0.3:
                filt["category"] = cat
            if r.random() < 0.2:
                filt["level"] = ctx["smart_factory_level"]
            search.append({"q": q, **filt})
            match.append({"text": text, **ctx})
        return {"search": search, "match": match}


def write(size: int, seed: int, out: Path, n_queries: int = 400) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed + size)
    cat_path, q_path = out / f"catalogue-{size}.json", out / f"queries-{size}.json"
    cat_path.write_text(json.dumps(gen.catalogue(size), ensure_ascii=False), encoding="utf-8")
    q_path.write_text(json.dumps(gen.queries(n_queries), ensure_ascii=False, indent=0), encoding="utf-8")
    return cat_path, q_path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, action="append", help="solutions (repeatable; default 1k, 10k, 100k)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--queries", type=int, default=400)
    p.add_argument("--out", default=str(ROOT / "var" / "bench"))
    args = p.parse_args(argv)
    for size in args.size or [1_000, 10_000, 100_000]:
        cat, q = write(size, args.seed, Path(args.out), args.queries)
        print(f"{cat} ({cat.stat().st_size / 1e6:.1f} MB), {q}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
