"""Seeded generator of the programme's population for the selection bench: SMEs of the smart-factory
population with their profiles (sales, employees, confirmed level, diagnosis), a cohort with its
applications, and a selection rule file with quotas.

    .venv/bin/python bench/gen_programme.py [--smes 70000] [--applications 15000] [--capacity 12000]
        [--year 2027] [--seed 7] [--rule-out var/bench/selection-rule-2027.json]

Writes into the database of AXR_DATABASE_URL (migrated first), which must hold no SMEs yet, with bulk
inserts; then `axr selection rule load FILE` and `axr selection run YEAR` (docs/benchmarks.md).
Same seed, same population, same applications, same rule.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REGIONS = {"경기": 26, "서울": 18, "경남": 8, "경북": 7, "인천": 6, "부산": 6, "대구": 5, "충남": 5, "충북": 4,
           "대전": 4, "울산": 3, "광주": 3, "전북": 2, "전남": 2, "강원": 1, "세종": 1, "제주": 1}
KSIC = {"C25": 18, "C29": 14, "C28": 12, "C22": 10, "C26": 9, "C20": 8, "C10": 8, "C24": 7, "C30": 7, "C27": 7}
LEVELS = {"basic": 45, "intermediate1": 30, "intermediate2": 17, "advanced": 8}
NAMES = ("정밀", "산업", "테크", "금속", "화학", "식품", "전자", "기계", "오토", "소재")


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def rule(year: int, capacity: int) -> dict[str, Any]:
    return {"year": year, "capacity": capacity, "waitlist_max": 2000,
            "eligibility": {"min_sales_krw": 1_000_000_000, "min_employees": 5, "min_level": "basic",
                            "require_confirmed_level": True, "exclude_prior_cohort": True},
            "quotas": [{"by": "region", "max": {"경기": 2800, "서울": 2000, "*": 1000}},
                       {"by": "size_band", "max": {"중견기업": 1200}}],
            "weights": {"sales": 0.3, "level": 0.3, "diagnosis": 0.3, "supply_chain": 0.1}}


def generate(*, smes: int, applications: int, capacity: int, year: int, seed: int) -> dict[str, int]:
    from sqlalchemy import func, insert, select

    from core import clock, migrate
    from core.db import get_engine, unit_of_work
    from core.settings import get_settings
    from programme.models import Cohort, CohortMember
    from programme.selection_models import SmeProfile
    from registry.bizno import with_check_digit
    from registry.models import Sme

    url = get_settings().database_url
    migrate.upgrade(url)
    rng = random.Random(seed)
    now = clock.now()
    sme_rows, profiles = [], []
    for i in range(smes):
        bn = with_check_digit(f"{600_000_000 + i:09d}")
        sme_id = f"00000000-0000-4000-8000-{i:012d}"
        region, ksic, declared = _pick(rng, REGIONS), _pick(rng, KSIC), _pick(rng, LEVELS)
        employees = int(rng.lognormvariate(3.4, 0.9)) + 1
        sales = int(rng.lognormvariate(22.3, 1.0))  # median about 4.8 billion KRW
        confirmed = declared if rng.random() < 0.93 else None
        if confirmed and rng.random() < 0.15:  # the pre-consultant often confirms a lower level
            confirmed = "basic"
        sme_rows.append({"id": sme_id, "owner_org": "bizno:" + bn.replace("-", ""), "business_number": bn,
                         "name_ko": f"{rng.choice(NAMES)}{i} 주식회사", "name_en": None, "ksic": ksic,
                         "region": region, "smart_factory_level": declared,
                         "cohort_year": year - 1 if rng.random() < 0.02 else None,
                         "status": "candidate", "budget_gov_krw": 0, "budget_own_krw": 0, "version": 1,
                         "created_at": now, "updated_at": now})
        profiles.append({"sme_id": sme_id, "sales_krw": sales, "employees": employees,
                         "founded_year": rng.randint(1975, year - 2), "confirmed_level": confirmed,
                         "diagnosis_score": round(rng.uniform(30, 100), 1) if confirmed else None,
                         "supply_chain": rng.random() < 0.25, "prior_support": rng.random() < 0.6,
                         "updated_at": now})
    chosen = sorted(rng.sample(range(smes), applications))
    opened = date(year - 1, 11, 1)
    with unit_of_work(get_engine(url)) as session:
        if session.scalar(select(func.count()).select_from(Sme)):
            raise SystemExit("the database already holds SMEs; use an empty one")
        cohort = Cohort(year=year, capacity=capacity, name_ko=f"{year}년 제조 AX 중소기업")
        session.add(cohort)
        session.flush()
        for start in range(0, smes, 5000):
            session.execute(insert(Sme), sme_rows[start:start + 5000])
            session.execute(insert(SmeProfile), profiles[start:start + 5000])
        members = [{"id": f"10000000-0000-4000-8000-{i:012d}", "cohort_id": cohort.id, "sme_id": sme_rows[i]["id"],
                    "state": "candidate", "applied_on": opened + timedelta(days=rng.randrange(45)),
                    "version": 1, "updated_at": now} for i in chosen]
        for start in range(0, len(members), 5000):
            session.execute(insert(CohortMember), members[start:start + 5000])
    return {"smes": smes, "applications": applications, "capacity": capacity}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smes", type=int, default=70_000)
    ap.add_argument("--applications", type=int, default=15_000)
    ap.add_argument("--capacity", type=int, default=12_000)
    ap.add_argument("--year", type=int, default=2027)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rule-out", type=Path, default=ROOT / "var" / "bench" / "selection-rule-2027.json")
    args = ap.parse_args()
    started = time.perf_counter()
    counts = generate(smes=args.smes, applications=args.applications, capacity=args.capacity, year=args.year,
                      seed=args.seed)
    args.rule_out.parent.mkdir(parents=True, exist_ok=True)
    args.rule_out.write_text(json.dumps(rule(args.year, args.capacity), ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
    print(json.dumps({**counts, "year": args.year, "seed": args.seed, "rule": str(args.rule_out),
                      "seconds": round(time.perf_counter() - started, 1)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
