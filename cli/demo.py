"""Loads the bilingual demo data through the same services the API uses; running it twice adds nothing."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from rich.progress import Progress
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cli.demo_designation import designate
from cli.demo_programme import load_programme
from cli.jobs import job
from core import clock
from core.accounts import UserAccount, hash_secret
from core.principal import Principal
from registry import service
from registry.models import Company, Sme, Solution
from registry.schemas import CompanyCreate, NeedCreate, SmeCreate, SolutionCreate, TipsLinkageCreate


def demo_data() -> dict[str, Any]:
    return json.loads(resources.files("cli").joinpath("data/demo.json").read_text(encoding="utf-8"))


def sign_in_examples() -> list[dict[str, str]]:
    """The first demo account of each role (username, password, role), for the web sign-in form's hint."""
    seen: dict[str, dict[str, str]] = {}
    for account in demo_data().get("accounts", []):
        seen.setdefault(account["role"], {k: account[k] for k in ("username", "password", "role")})
    return list(seen.values())


def load_demo(*, only_if_empty: bool) -> str:
    data = demo_data()
    with job() as session:
        if only_if_empty and session.scalar(select(func.count()).select_from(Company)):
            return "skipped: the database already holds companies"
        counts = {"companies": 0, "solutions": 0, "smes": 0, "needs": 0, "accounts": 0}
        with Progress(transient=True) as progress:
            task = progress.add_task("demo", total=len(data["suppliers"]) + len(data["smes"]))
            for entry in data["suppliers"]:
                _supplier(session, entry, counts)
                progress.advance(task)
            for entry in data["smes"]:
                _sme(session, entry, counts)
                progress.advance(task)
        for account in data.get("accounts", []):
            if not session.scalar(select(UserAccount.id).where(UserAccount.username == account["username"])):
                session.add(UserAccount(username=account["username"],
                                        password_hash=hash_secret(account["password"]),
                                        role=account["role"], org_id=account.get("org")))
                counts["accounts"] += 1
        session.flush()
        for entry in data["suppliers"]:
            designate(session, entry)
        counts.update(load_programme(session))
    return "loaded " + ", ".join(f"{v} {k}" for k, v in counts.items())


def _supplier(session: Session, entry: dict[str, Any], counts: dict[str, int]) -> None:
    p = Principal(sub="demo", role="supplier", org=entry["org"], scopes=frozenset({"registry:write"}))
    company = session.scalars(select(Company).where(Company.owner_org == entry["org"])).one_or_none()
    if company is None:
        company = service.create_company(session, data=CompanyCreate.model_validate(entry["company"]), p=p)
        counts["companies"] += 1
        for tips in entry.get("tips", []):
            service.add_tips_linkage(session, company=company, data=TipsLinkageCreate.model_validate(tips),
                                     p=p, today=clock.now().date())
    for raw in entry["solutions"]:
        raw = dict(raw)
        ref = raw.pop("ref")
        if session.scalar(select(Solution.id).where(Solution.ref == ref)):
            continue
        solution = service.create_solution(
            session, data=SolutionCreate.model_validate({**raw, "company_id": company.id}), p=p)
        solution.ref = ref
        counts["solutions"] += 1


def _sme(session: Session, entry: dict[str, Any], counts: dict[str, int]) -> None:
    p = Principal(sub="demo", role="sme", org=entry["org"], scopes=frozenset({"registry:write"}))
    if session.scalar(select(Sme.id).where(Sme.owner_org == entry["org"])):
        return
    facts = {k: v for k, v in entry["sme"].items() if k != "cohort_year"}  # the ministry's, not the SME's
    sme = service.create_sme(session, data=SmeCreate.model_validate(facts), p=p)
    sme.cohort_year = entry["sme"].get("cohort_year")
    sme.status = "selected" if sme.cohort_year else "candidate"
    counts["smes"] += 1
    for need in entry["needs"]:
        service.create_need(session, data=NeedCreate.model_validate({**need, "sme_id": sme.id}), p=p)
        counts["needs"] += 1
