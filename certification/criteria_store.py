"""Criteria versions kept in the database: loading a new version, and the one in force on a date."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from certification.errors import CriteriaFileInvalid
from certification.models import CriteriaVersion
from certification.rules import DATA_DIR, CriteriaSet, active_criteria, builtin_criteria, parse_criteria
from core.errors import Conflict
from core.korean import date_ko, josa


class NoCriteriaInForce(Conflict):
    title_ko = "시행 중인 자격 기준이 없습니다"
    title_en = "No eligibility criteria in force"


class CriteriaVersionExists(Conflict):
    title_ko = "이미 등록된 기준 버전입니다"
    title_en = "This criteria version is already loaded"


def _digest(document: dict[str, Any]) -> str:
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def load_version(session: Session, *, document: Any, loaded_by: str) -> CriteriaSet:
    """Validate and keep a criteria document; versions are immutable once loaded."""
    if not isinstance(document, dict):
        raise CriteriaFileInvalid("<request>", ["the document must be a mapping"])
    document = json.loads(json.dumps(document, default=str))  # dates as ISO text, as stored
    criteria = parse_criteria(document, "<request>", _digest(document))
    if session.get(CriteriaVersion, criteria.version) is not None:
        raise CriteriaVersionExists(f"버전 {josa(criteria.version, '은')} 이미 있습니다.",
                                    f"Version {criteria.version} already exists.")
    session.add(CriteriaVersion(version=criteria.version, effective_from=criteria.effective_from,
                                digest=criteria.digest, document=document, loaded_by=loaded_by))
    session.flush()
    return criteria


def all_versions(session: Session) -> list[CriteriaSet]:
    rows = session.scalars(select(CriteriaVersion).order_by(CriteriaVersion.effective_from)).all()
    return [parse_criteria(r.document, r.version, r.digest) for r in rows]


def in_force(session: Session, on: date) -> CriteriaSet:
    """The version in force on a date; the built-in v1 is loaded the first time none is."""
    versions = all_versions(session)
    if not versions:
        builtin = builtin_criteria("v1")
        document = yaml.safe_load((DATA_DIR / "criteria-v1.yaml").read_text(encoding="utf-8"))
        load_version(session, document=document, loaded_by="system")
        versions = all_versions(session)
        assert versions[0].version == builtin.version
    try:
        return active_criteria(versions, on)
    except LookupError as exc:
        raise NoCriteriaInForce(f"{date_ko(on)}에 시행 중인 자격 기준이 없습니다.",
                                f"No eligibility criteria version is in force on {on.isoformat()}.") from exc


def by_version(session: Session, version: str) -> CriteriaSet | None:
    row = session.get(CriteriaVersion, version)
    return parse_criteria(row.document, row.version, row.digest) if row else None
