"""Thesaurus versions in the database: an admin saves a new version, every process picks it up.

Versions are immutable; the newest row is in force, and with none the shipped YAML is."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from core.errors import PROBLEM_BASE, Conflict, Invalid
from core.korean import josa
from matching.models import ThesaurusVersion
from matching.thesaurus import Thesaurus, ThesaurusError, default_thesaurus


class InvalidThesaurus(Invalid):
    type = PROBLEM_BASE + "invalid-thesaurus"
    title_ko = "동의어 사전이 올바르지 않습니다"
    title_en = "The thesaurus is invalid"


class ThesaurusVersionExists(Conflict):
    title_ko = "이미 있는 동의어 사전 버전입니다"
    title_en = "This thesaurus version already exists"


def latest_seq_query() -> ScalarSelect[Any]:
    """The newest version's seq (NULL while only the shipped thesaurus exists), as a subquery."""
    return select(func.max(ThesaurusVersion.seq)).scalar_subquery()


def latest_seq(session: Session) -> int:
    return session.scalar(select(latest_seq_query())) or 0


def current(session: Session) -> tuple[int, Thesaurus]:
    row = session.scalars(select(ThesaurusVersion).order_by(ThesaurusVersion.seq.desc()).limit(1)).first()
    if row is None:
        return 0, default_thesaurus()
    return row.seq, Thesaurus.from_data(row.document)


def save(session: Session, *, document: Any, created_by: str) -> Thesaurus:
    try:
        thesaurus = Thesaurus.from_data(document)
    except ThesaurusError as exc:
        where = re.match(r"([\w\[\].]+):", str(exc)) or re.search(r"`(\w+)`", str(exc))
        place = f" (위치: {where.group(1)})" if where else ""
        raise InvalidThesaurus(f"동의어 사전의 형식이 올바르지 않습니다{place}",
                               f"Thesaurus error: {exc}") from exc
    if session.scalar(select(ThesaurusVersion.seq).where(ThesaurusVersion.version == thesaurus.version)):
        raise ThesaurusVersionExists(f"버전 {josa(thesaurus.version, '이')} 이미 있습니다.",
                                     f"Version {thesaurus.version} already exists.")
    session.add(ThesaurusVersion(version=thesaurus.version, document=thesaurus.to_data(), created_by=created_by))
    session.flush()
    return thesaurus
