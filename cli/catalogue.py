"""`axr import-catalogue` and `axr match`: the evaluation catalogue's format in, ranked matches out."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import typer
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rich.console import Console
from rich.progress import Progress
from sqlalchemy import select
from sqlalchemy.orm import Session

from certification import designations
from cli.jobs import job
from core.principal import Principal
from registry import service
from registry.bizno import with_check_digit
from registry.models import Company, Solution
from registry.schemas import CompanyCreate, SolutionCreate

err = Console(stderr=True)
IMPORTER = "import-catalogue"


def _org(name: str) -> str:
    return "catalogue:" + hashlib.sha256(name.encode()).hexdigest()[:16]


def _business_number(name: str) -> str:
    """The catalogue has no business numbers: derive a stable, valid one from the supplier name."""
    n = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 800_000_000 + 100_000_000
    return with_check_digit(str(n))


def _company(session: Session, supplier: dict[str, Any]) -> Company:
    org = _org(supplier["name"])
    company = session.scalars(select(Company).where(Company.owner_org == org)).one_or_none()
    if company is None:
        p = Principal(sub=IMPORTER, role="supplier", org=org)
        company = service.create_company(session, p=p, data=CompanyCreate(
            business_number=_business_number(supplier["name"]), name_ko=supplier["name"], region=supplier["region"]))
        if supplier.get("designation", "none") != "none":
            designations.record_existing(session, company_id=company.id, status=supplier["designation"], p=IMPORTER)
    return company


def _solution_body(item: dict[str, Any], company_id: str) -> SolutionCreate:
    price = item["price_million_krw"]
    return SolutionCreate(
        company_id=company_id, title_ko=item["title"]["ko"], title_en=item["title"].get("en"),
        description_ko=item["description"]["ko"], description_en=item["description"].get("en"),
        category=item["category"], industries=item["industries"], min_level=item["min_level"],
        deployment_mode=item.get("deployment_mode", "hybrid"), price_min_krw=int(price["min"] * 1_000_000),
        price_max_krw=int(price["max"] * 1_000_000), status="published")


def import_catalogue(file: Path) -> dict[str, int]:
    data = json.loads(file.read_text(encoding="utf-8"))
    items = data["solutions"]
    counts = {"solutions": 0, "skipped": 0, "companies": 0}
    with job() as session, Progress(console=err, transient=False) as progress:
        task = progress.add_task("importing", total=len(items))
        before = set(session.scalars(select(Company.id)))
        for item in items:
            if session.scalar(select(Solution.id).where(Solution.ref == item["id"])):
                counts["skipped"] += 1
            else:
                company = _company(session, item["supplier"])
                p = Principal(sub=IMPORTER, role="supplier", org=company.owner_org)
                solution = service.create_solution(session, data=_solution_body(item, company.id), p=p)
                solution.ref = item["id"]
                counts["solutions"] += 1
            progress.advance(task)
        counts["companies"] = len(set(session.scalars(select(Company.id))) - before)
    return counts


class NeedIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    text: str = Field(min_length=1, max_length=5000)
    industry: str | None = None
    smart_factory_level: str | None = None
    budget_million_krw: float | None = Field(None, ge=0)
    region: str | None = None
    categories: list[str] | None = None


def match_stdin(limit: int) -> dict[str, Any]:
    from api.search_runtime import build_search_service
    from matching.documents import NeedQuery
    from matching.index_sync import load_docs

    try:
        need = NeedIn.model_validate_json(sys.stdin.read())
    except ValidationError as exc:
        err.print(f"[red]invalid need:[/] {exc}")
        raise typer.Exit(2) from exc
    query = NeedQuery(text=need.text, industry=need.industry, smart_factory_level=need.smart_factory_level,
                      budget_krw=int(need.budget_million_krw * 1_000_000) if need.budget_million_krw is not None
                      else None, region=need.region, categories=need.categories)
    search = build_search_service()
    with job() as session:
        matches = search.match(session, query, limit=limit)
        refs = load_docs(session, [m.doc_id for m in matches])
    return {"matches": [{"ref": refs[m.doc_id].ref or m.doc_id, "id": m.doc_id, "score": round(m.score, 6),
                         "breakdown": {k: round(v, 6) for k, v in m.breakdown.items()},
                         "reasons": m.reasons_ko, "reasons_en": m.reasons_en,
                         "title_ko": refs[m.doc_id].title_ko} for m in matches]}
