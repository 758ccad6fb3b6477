"""The public exports: the designated-company list and the public catalogue, row by row for streaming.

Rows are read in keyset batches inside one read transaction, so a large export never sits in memory.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from certification.models import Certificate
from core import clock, csvsafe
from registry.models import Company, Solution
from registry.reference import CATEGORY_LABELS

BATCH = 500

DESIGNATED_COLUMNS = ["business_number", "name_ko", "name_en", "region", "size_class", "website",
                      "certificate_number", "certificate_status", "valid_from", "valid_until", "scope", "scope_ko",
                      "page"]
CATALOGUE_COLUMNS = ["solution_id", "ref", "title_ko", "title_en", "category", "category_ko", "industries",
                     "min_level", "deployment_mode", "price_min_krw", "price_max_krw", "lead_time_weeks",
                     "company_name_ko", "company_business_number", "company_region", "certificate_number"]


def _active(now: datetime) -> Any:
    return (Certificate.status == "active") & (Certificate.valid_until > now)


def designated_rows(session: Session, *, base_url: str) -> Iterator[dict[str, Any]]:
    """Companies holding an active certificate right now, by business number."""
    now, after = clock.now(), ""
    while True:
        batch = session.execute(
            select(Company, Certificate).join(Certificate, Certificate.company_id == Company.id)
            .where(_active(now), Company.business_number > after)
            .order_by(Company.business_number).limit(BATCH)).all()
        for company, cert in batch:
            yield {"business_number": company.business_number, "name_ko": company.name_ko,
                   "name_en": company.name_en, "region": company.region, "size_class": company.size_class,
                   "website": company.website, "certificate_number": cert.number, "certificate_status": "active",
                   "valid_from": cert.valid_from.isoformat(), "valid_until": cert.valid_until.isoformat(),
                   "scope": list(cert.scope or []),
                   "scope_ko": [CATEGORY_LABELS.get(c, (c, c))[0] for c in cert.scope or []],
                   "page": f"{base_url.rstrip('/')}/pages/companies/{company.id}"}
        if len(batch) < BATCH:
            return
        after = batch[-1][0].business_number


def catalogue_rows(session: Session, *, base_url: str) -> Iterator[dict[str, Any]]:
    """Published solutions of actively designated suppliers within the fields their certificate covers
    (what search shows as designated), by id."""
    now, after = clock.now(), ""
    while True:
        batch = session.execute(
            select(Solution, Company, Certificate).join(Company, Company.id == Solution.company_id)
            .join(Certificate, Certificate.company_id == Company.id)
            .where(_active(now), Solution.status == "published", Solution.id > after)
            .order_by(Solution.id).limit(BATCH)).all()
        for sol, company, cert in batch:
            if sol.category not in (cert.scope or []):
                continue  # outside the designated fields: not a designated solution (certification/scope.py)
            yield {"solution_id": sol.id, "ref": sol.ref, "title_ko": sol.title_ko, "title_en": sol.title_en,
                   "category": sol.category, "category_ko": CATEGORY_LABELS.get(sol.category, ("", ""))[0],
                   "industries": list(sol.industries or []), "min_level": sol.min_level,
                   "deployment_mode": sol.deployment_mode, "price_min_krw": sol.price_min_krw,
                   "price_max_krw": sol.price_max_krw, "lead_time_weeks": sol.lead_time_weeks,
                   "company_name_ko": company.name_ko, "company_business_number": company.business_number,
                   "company_region": company.region, "certificate_number": cert.number}
        if len(batch) < BATCH:
            return
        after = batch[-1][0].id


DATASETS: dict[str, tuple[Callable[..., Iterator[dict[str, Any]]], list[str]]] = {
    "designated-companies": (designated_rows, DESIGNATED_COLUMNS),
    "catalogue": (catalogue_rows, CATALOGUE_COLUMNS),
}


def stream(engine: Engine, dataset: str, fmt: str, *, base_url: str) -> Iterator[bytes]:
    """CSV in UTF-8 with a BOM (Excel opens Hangul right), or one JSON document, chunk by chunk."""
    rows_of, columns = DATASETS[dataset]
    with Session(bind=engine) as session:
        rows = rows_of(session, base_url=base_url)
        if fmt == "csv":
            buf = io.StringIO()
            writer = csvsafe.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
            writer.writeheader()
            yield "\ufeff".encode() + _drain(buf)
            for i, row in enumerate(rows, 1):
                writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
                if i % 200 == 0:
                    yield _drain(buf)
            yield _drain(buf)
            return
        head = {"dataset": dataset, "generated_at": clock.now().isoformat(), "columns": columns}
        yield (json.dumps(head, ensure_ascii=False)[:-1] + ',"items":[').encode()
        for i, row in enumerate(rows):
            yield ((", " if i else "") + json.dumps(row, ensure_ascii=False)).encode()
        yield b"]}"


def _drain(buf: io.StringIO) -> bytes:
    data = buf.getvalue().encode()
    buf.seek(0)
    buf.truncate()
    return data
