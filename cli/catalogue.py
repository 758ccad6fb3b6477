"""`axr import-catalogue` and `axr match`: the evaluation catalogue's format in, ranked matches out."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rich.console import Console
from rich.progress import Progress
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from certification import designations
from cli.errors import CliError, Where, read_json, validation_error
from cli.jobs import job
from core import clock, outbox
from core.ids import new_id
from registry.bizno import with_check_digit
from registry.models import Company, Solution
from registry.reference import Category, DeploymentMode, Level, Region
from registry.schemas import CompanyCreate, SolutionCreate

err = Console(stderr=True)
IMPORTER = "import-catalogue"


def _org(name: str) -> str:
    return "catalogue:" + hashlib.sha256(name.encode()).hexdigest()[:16]


def _business_number(name: str) -> str:
    """The catalogue has no business numbers: derive a stable, valid one from the supplier name."""
    n = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 800_000_000 + 100_000_000
    return with_check_digit(str(n))


def _solution_body(item: dict[str, Any], company_id: str) -> SolutionCreate:
    price = item["price_million_krw"]
    return SolutionCreate(
        company_id=company_id, title_ko=item["title"]["ko"], title_en=item["title"].get("en"),
        description_ko=item["description"]["ko"], description_en=item["description"].get("en"),
        category=item["category"], industries=item["industries"], min_level=item["min_level"],
        deployment_mode=item.get("deployment_mode", "hybrid"), price_min_krw=int(price["min"] * 1_000_000),
        price_max_krw=int(price["max"] * 1_000_000), status="published")


class _Importer:
    """Bulk import in one transaction: rows validated by the registry's schemas, inserted many at a time,
    each new company and solution with its outbox event (one counter lock, seqs in insertion order);
    imported designations go through `designations.record_existing_many` (certificates, audit, outbox)."""

    def __init__(self, session: Session, fields: dict[str, set[str]] | None = None) -> None:
        self.session = session
        # each supplier's categories across the whole catalogue: an imported designation covers them
        self.fields = fields or {}
        self.refs = set(session.scalars(select(Solution.ref).where(Solution.ref.is_not(None))))
        self.companies = dict(session.execute(select(Company.owner_org, Company.id)).tuples().all())
        self.numbers = set(session.scalars(select(Company.business_number)))

    def _business_number(self, name: str) -> str:
        number, salt = _business_number(name), 0
        while number in self.numbers:  # two names hashing to one number: derive another, stably
            salt += 1
            number = _business_number(f"{name}#{salt}")
        self.numbers.add(number)
        return number

    def chunk(self, items: list[dict[str, Any]], counts: dict[str, int]) -> None:
        new_companies: list[dict[str, Any]] = []
        designated: list[tuple[str, str]] = []
        scopes: dict[str, list[str]] = {}
        for item in items:
            sup = item["supplier"]
            org = _org(sup["name"])
            if item["id"] in self.refs or org in self.companies:
                continue
            data = CompanyCreate(business_number=self._business_number(sup["name"]), name_ko=sup["name"],
                                 region=sup["region"])
            cid = new_id()
            self.companies[org] = cid
            now = clock.now()
            new_companies.append({"id": cid, "owner_org": org, "version": 1, "created_at": now, "updated_at": now,
                                  **data.model_dump()})
            if sup.get("designation", "none") != "none":
                designated.append((cid, sup["designation"]))
                scopes[cid] = sorted(self.fields.get(org, {item["category"]}))
        if new_companies:
            self.session.execute(insert(Company), new_companies)
            outbox.record_many(self.session, [{"resource": "company", "resource_id": c["id"], "action": "created"}
                                              for c in new_companies])
            counts["companies"] += len(new_companies)
        designations.record_existing_many(self.session, designated, p=IMPORTER, scopes=scopes)
        rows: list[dict[str, Any]] = []
        for item in items:
            if item["id"] in self.refs:
                counts["skipped"] += 1
                continue
            self.refs.add(item["id"])
            now = clock.now()
            body = _solution_body(item, self.companies[_org(item["supplier"]["name"])])
            rows.append({"id": new_id(), "ref": item["id"], "version": 1, "created_at": now, "updated_at": now,
                         **body.model_dump()})
        if rows:
            self.session.execute(insert(Solution), rows)
            outbox.record_many(self.session, [{"resource": "solution", "resource_id": r["id"], "action": "created"}
                                              for r in rows])
            counts["solutions"] += len(rows)


class _Text(BaseModel):
    model_config = ConfigDict(extra="ignore")
    ko: str
    en: str | None = None


class _Supplier(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(min_length=1, max_length=200)
    region: Region
    designation: Literal["none", "active", "suspended", "revoked", "expired"] = "none"


class _Price(BaseModel):
    model_config = ConfigDict(extra="ignore")
    min: float = Field(ge=0)
    max: float = Field(ge=0)


class CatalogueItem(BaseModel):
    """One solution of the evaluation catalogue's format (other keys, such as grades, are ignored)."""

    model_config = ConfigDict(extra="ignore")
    id: str = Field(min_length=1, max_length=100)
    supplier: _Supplier
    category: Category
    industries: list[str] = Field(min_length=1)
    min_level: Level
    price_million_krw: _Price
    title: _Text
    description: _Text
    deployment_mode: DeploymentMode = DeploymentMode.hybrid


def read_catalogue(file: Path) -> list[dict[str, Any]]:
    """The catalogue's solutions, each checked against the format and the registry's rules; the first
    mistake is a `CliError` naming the file and the field (`solutions[3].category`)."""
    data = read_json(file)
    if not isinstance(data, dict) or not isinstance(data.get("solutions"), list):
        raise CliError("카탈로그는 \"solutions\" 배열을 가진 JSON 객체여야 합니다",
                       'a catalogue is a JSON object with a "solutions" array', where=Where(file=str(file)))
    items: list[dict[str, Any]] = data["solutions"]
    if not items:
        raise CliError("solutions 배열이 비어 있어 가져올 솔루션이 없습니다",
                       "the solutions array is empty: nothing to import",
                       where=Where(file=str(file), field="solutions"))
    for i, item in enumerate(items):
        try:
            checked = CatalogueItem.model_validate(item)
            _solution_body(checked.model_dump(mode="json"), company_id="-")
        except ValidationError as exc:
            raise validation_error(exc, file=str(file), prefix=("solutions", i)) from exc
    return items


def import_catalogue(file: Path, *, chunk: int = 2000) -> dict[str, int]:
    """Suppliers (with their designation) and published solutions; a solution whose catalogue id is
    already there as `ref` is skipped, so importing twice adds nothing."""
    return import_items(read_catalogue(file), chunk=chunk)


def import_items(items: list[dict[str, Any]], *, chunk: int = 2000) -> dict[str, int]:
    counts = {"solutions": 0, "skipped": 0, "companies": 0}
    with job() as session, Progress(console=err, transient=False) as progress:
        task = progress.add_task("importing", total=len(items))
        fields: dict[str, set[str]] = {}
        for item in items:
            fields.setdefault(_org(item["supplier"]["name"]), set()).add(item["category"])
        importer = _Importer(session, fields)
        for i in range(0, len(items), chunk):
            importer.chunk(items[i:i + chunk], counts)
            progress.advance(task, len(items[i:i + chunk]))
    if counts["solutions"]:
        _analyze()
    return counts


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk load: without them SQLite answers the designation
    check (status = 'active' AND company_id IN ...) through the status index, scanning every active
    certificate (8 ms per search at 100k solutions instead of 1.7 ms)."""
    from core.db import get_engine
    from core.settings import get_settings

    with get_engine(get_settings().database_url).begin() as conn:
        for table in ("company", "solution", "certificate"):  # not outbox_event: analysed right after a
            # bulk load it reads as all pending, and the pending-events probe then scans the table
            conn.execute(text(f"ANALYZE {table}"))
