"""Demo population and the 2027 selection round: 44 smart-factory SMEs of the register beside the six
demo SMEs (the denominator of adoption: 50), each with a profile (sales, employees, the level a
pre-consultant confirmed), and a round of nine applications ranked by rule with a regional quota and a
waiting list. Fixed data, no randomness: tests/programme/test_demo_kpis.py checks the figures by hand.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from core.principal import Principal
from programme import cohorts, selection
from programme.models import Cohort
from programme.schemas import CohortCreate
from programme.selection_models import SelectionRun, SmeProfile
from registry.bizno import with_check_digit
from registry.models import Sme

ROUND_YEAR = 2027
# region, KSIC, employees, sales (억 원), confirmed level, diagnosis: the register, 44 SMEs; the first
# nine apply to the 2027 round, in falling order of every factor (so their ranks are 1, 2, ... by hand)
REGISTER: list[tuple[str, str, int, int, str | None, float | None]] = [
    ("경기", "C29", 180, 300, "intermediate2", 90.0),  # rank 1: selected
    ("경기", "C29", 150, 250, "intermediate2", 88.0),  # rank 2: waiting list 1 (경기 quota of 1 is full)
    ("경기", "C25", 120, 200, "intermediate1", 85.0),  # rank 3: waiting list 2 (경기 quota)
    ("경남", "C25", 90, 120, "intermediate1", 80.0),   # rank 4: selected
    ("부산", "C24", 70, 80, "intermediate1", 75.0),    # rank 5: selected
    ("대구", "C22", 60, 60, "basic", 72.0),            # rank 6: selected (the fourth place)
    ("인천", "C28", 50, 40, "basic", 65.0),            # rank 7: waiting list 3 (no place left)
    ("광주", "C27", 20, 8, "basic", 60.0),             # refused: sales 8억 < 10억
    ("광주", "C27", 25, 15, None, None),               # refused: no level confirmed by a pre-consultant
    *[("경기", "C29", 40 + 10 * i, 30 + 5 * i, "basic", 60.0 + i) for i in range(9)],
    *[("경남", "C25", 35 + 5 * i, 25 + 3 * i, "basic", 55.0 + i) for i in range(5)],
    *[("서울", "C26", 25 + 5 * i, 40 + 4 * i, "intermediate1", 50.0 + i) for i in range(6)],
    *[("부산", "C24", 300 + 10 * i, 350, "basic", 58.0) for i in range(4)],
    *[("인천", "C28", 45 + 5 * i, 28, "basic", 52.0) for i in range(3)],
    *[("대구", "C22", 30 + 5 * i, 22, "basic", 54.0) for i in range(3)],
    *[("충북", "C20", 70, 60, "intermediate1", 62.0) for _ in range(3)],
    *[("울산", "C30", 150, 150, "basic", 57.0) for _ in range(2)],
]
APPLICANTS = 9
PROFILES = {"demo-sme-01": 120, "demo-sme-02": 80, "demo-sme-03": 60, "demo-sme-04": 250, "demo-sme-05": 45,
            "demo-sme-06": 30}  # employees of the six demo SMEs, for accidents per 1,000 workers
RULE = {"year": ROUND_YEAR, "capacity": 4, "waitlist_max": 3,
        "eligibility": {"min_sales_krw": 1_000_000_000, "min_employees": 5, "min_level": "basic",
                        "require_confirmed_level": True, "exclude_prior_cohort": True},
        "quotas": [{"by": "region", "max": {"경기": 1}}],
        "weights": {"sales": 0.3, "level": 0.3, "diagnosis": 0.3, "supply_chain": 0.1}}
EOK = 100_000_000


def load_population(session: Session, smes: dict[str, Sme]) -> list[Sme]:
    """The register's SMEs (bizno organisations, as the cohort import makes them) with their profiles."""
    for org, employees in PROFILES.items():
        session.add(SmeProfile(sme_id=smes[org].id, sales_krw=employees * 40_000_000, employees=employees,
                               confirmed_level=smes[org].smart_factory_level, diagnosis_score=70.0))
    out = []
    for i, (region, ksic, employees, sales, level, diagnosis) in enumerate(REGISTER):
        bn = with_check_digit(f"{710_000_000 + i:09d}")
        sme = Sme(owner_org="bizno:" + bn.replace("-", ""), business_number=bn,
                  name_ko=f"데모{region}제조{i + 1:02d} 주식회사", ksic=ksic, region=region,
                  smart_factory_level=level or "basic", status="candidate")
        session.add(sme)
        session.flush()
        session.add(SmeProfile(sme_id=sme.id, sales_krw=sales * EOK, employees=employees, founded_year=2005 + i % 15,
                               confirmed_level=level, diagnosis_score=diagnosis, supply_chain=i == 0))
        out.append(sme)
    session.flush()
    return out


def run_round(session: Session, register: list[Sme], p: Principal) -> SelectionRun:
    """The 2027 round: nine applications, four places, 경기 at most one, a waiting list of three."""
    cohort: Cohort = cohorts.create_cohort(session, data=CohortCreate(year=ROUND_YEAR, capacity=4,
                                                                      name_ko="2027년 제조 AX 선도 중소기업"))
    for n, sme in enumerate(register[:APPLICANTS]):
        cohorts.add_candidate(session, cohort=cohort, sme=sme, on=date(2026, 11, 2 + n))
    selection.load_rule(session, document=RULE, p=p)
    return selection.run(session, year=ROUND_YEAR, p=p)
