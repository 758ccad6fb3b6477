"""Selection cohorts: the yearly cohort, SMEs moving candidate -> selected -> graduated | dropped, and
the bulk import of candidates from a CSV file with Korean headers (UTF-8 or CP949).

The import writes each good row whole (the SME if new, and its candidacy) inside a savepoint and
reports each bad row with its line number and reasons, so one bad row loses nothing else.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from certification import audit_log
from core import clock
from core.errors import Invalid, NotFound
from core.i18n import message_ko
from core.principal import Principal
from programme import lifecycle
from programme.errors import AlreadyExists, CohortFull
from programme.models import Cohort, CohortMember
from programme.schemas import CohortCreate, ImportReport, ImportRowError
from registry.models import Sme
from registry.reference import LEVEL_LABELS
from registry.schemas import SmeCreate

HEADERS = {
    "사업자등록번호": "business_number", "기업명": "name_ko", "업체명": "name_ko", "영문명": "name_en",
    "업종": "ksic", "업종코드": "ksic", "KSIC": "ksic", "지역": "region", "시도": "region",
    "스마트공장수준": "smart_factory_level", "스마트공장 수준": "smart_factory_level", "수준": "smart_factory_level",
}
REQUIRED = ("business_number", "name_ko", "ksic", "region", "smart_factory_level")
HEADER_KO = {code: next(h for h, c in HEADERS.items() if c == code) for code in set(HEADERS.values())}  # usual header
HEADER_EN = {"business_number": "business number", "name_ko": "company name", "name_en": "English name",
             "ksic": "industry (KSIC)", "region": "region", "smart_factory_level": "smart-factory level"}
_LEVEL_BY_KO = {ko: code for code, (ko, _) in LEVEL_LABELS.items()}
Progress = Callable[[int, int], object]
_UNREADABLE = {  # by the first word of the csv module's message
    "field": (f"{csv.field_size_limit():,}자를 넘는 칸이 있습니다.",
              f"A cell is longer than {csv.field_size_limit():,} characters."),
    "new-line": ("줄바꿈이 CR 문자뿐입니다. CRLF 또는 LF 줄바꿈으로 저장해 주세요.",
                 "Lines end with a bare CR; save the file with CRLF or LF line breaks."),
}


def create_cohort(session: Session, *, data: CohortCreate) -> Cohort:
    if session.scalar(select(Cohort.id).where(Cohort.year == data.year)):
        raise AlreadyExists(f"{data.year}년 기수가 이미 있습니다.", f"A cohort for {data.year} exists.")
    cohort = Cohort(**data.model_dump())
    try:  # two concurrent creations both pass the check above; the unique year refuses the second
        with session.begin_nested():
            session.add(cohort)
    except IntegrityError as exc:
        raise AlreadyExists(f"{data.year}년 기수가 이미 있습니다.", f"A cohort for {data.year} exists.") from exc
    return cohort


def get_cohort(session: Session, year: int) -> Cohort:
    cohort = session.scalars(select(Cohort).where(Cohort.year == year)).one_or_none()
    if cohort is None:
        raise NotFound(f"{year}년 기수를 찾을 수 없습니다.", f"No cohort for {year}.")
    return cohort


def listed(session: Session) -> list[Cohort]:
    """Every cohort, by year."""
    return list(session.scalars(select(Cohort).order_by(Cohort.year)))


def lock_cohort(session: Session, cohort: Cohort) -> None:
    """Serialise the changes that count the cohort's places (its capacity is an aggregate rule)."""
    session.execute(select(Cohort.id).where(Cohort.id == cohort.id).with_for_update(key_share=True))


def counts(session: Session, cohort: Cohort) -> dict[str, int]:
    rows = session.execute(select(CohortMember.state, func.count()).where(CohortMember.cohort_id == cohort.id)
                           .group_by(CohortMember.state)).all()
    return {state: n for state, n in rows}


def members(session: Session, cohort: Cohort, state: str | None = None) -> list[CohortMember]:
    stmt = select(CohortMember).where(CohortMember.cohort_id == cohort.id).order_by(CohortMember.id)
    return list(session.scalars(stmt.where(CohortMember.state == state) if state else stmt))


def add_candidate(session: Session, *, cohort: Cohort, sme: Sme, on: date | None = None) -> CohortMember:
    member = CohortMember(cohort_id=cohort.id, sme_id=sme.id, state="candidate", applied_on=on or clock.now().date())
    session.add(member)
    session.flush()
    return member


def add_candidate_once(session: Session, *, cohort: Cohort, sme: Sme) -> CohortMember:
    if session.scalar(select(CohortMember.id).where(CohortMember.cohort_id == cohort.id,
                                                    CohortMember.sme_id == sme.id)):
        raise AlreadyExists("이미 이 기수의 후보입니다.", "Already a candidate of this cohort.")
    try:  # the unique (cohort, SME) pair refuses a concurrent second candidacy
        with session.begin_nested():
            return add_candidate(session, cohort=cohort, sme=sme)
    except IntegrityError as exc:
        raise AlreadyExists("이미 이 기수의 후보입니다.", "Already a candidate of this cohort.") from exc


def change_member(session: Session, *, cohort: Cohort, sme_id: str, action: str, p: Principal,
                  reason: str | None, on: date | None = None) -> CohortMember:
    """Select, graduate or drop an SME of the cohort; selection stops at the cohort's capacity.

    The cohort row is locked first (FOR NO KEY UPDATE: candidates may still be added meanwhile), so
    concurrent selections count the places one after another; on SQLite the write lock does the same."""
    lock_cohort(session, cohort)
    member = session.scalars(select(CohortMember).where(CohortMember.cohort_id == cohort.id,
                                                        CohortMember.sme_id == sme_id).with_for_update()).one_or_none()
    if member is None:
        raise NotFound(f"{cohort.year}년 기수에 {sme_id} 후보가 없습니다.",
                       f"{sme_id} is not in the {cohort.year} cohort.")
    before = member.state
    nxt = lifecycle.transition(lifecycle.MEMBER, member.state, action, p.role, reason=reason)
    if nxt == "selected":
        taken = session.scalar(select(func.count()).select_from(CohortMember).where(
            CohortMember.cohort_id == cohort.id, CohortMember.state.in_(("selected", "graduated"))))
        if (taken or 0) >= cohort.capacity:
            raise CohortFull(f"정원 {cohort.capacity}개사가 모두 선정되었습니다.",
                             f"All {cohort.capacity} places are taken.")
    day = on or clock.now().date()
    member.state, member.reason = nxt, reason or member.reason
    setattr(member, {"selected": "selected_on", "graduated": "graduated_on", "dropped": "dropped_on"}[nxt], day)
    sme = session.get_one(Sme, sme_id)
    sme.status = nxt
    if nxt == "selected":
        sme.cohort_year = cohort.year
    audit_log.append(session, actor=p, subject_type=lifecycle.MEMBER, subject_id=member.id, action=action,
                     from_state=before, to_state=nxt, reason=reason,
                     payload={"cohort_year": cohort.year, "sme_id": sme_id, "on": day.isoformat()})
    session.flush()
    return member


# ---- CSV import ------------------------------------------------------------------------------------
def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then CP949, the usual encoding of Korean spreadsheets."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise Invalid("파일 인코딩은 UTF-8 또는 CP949여야 합니다.", "The file must be UTF-8 or CP949.")


def _row_values(row: dict[str, Any], year: int) -> dict[str, Any]:
    values = {key: (row.get(key) or "").strip() for key in set(HEADERS.values())}
    level = values["smart_factory_level"]
    values["smart_factory_level"] = _LEVEL_BY_KO.get(level, level)
    return {k: v for k, v in values.items() if v != "" or k in REQUIRED}


def _reasons(exc: ValidationError) -> tuple[list[str], list[str]]:
    """Each problem of a row in Korean, naming the column by its header and the levels by their Korean
    names (스마트공장수준은 허용된 값 중 하나여야 합니다 (기초, 중간1, 중간2, 고도화)), and in English."""
    ko, en = [], []
    for e in exc.errors():
        code = next((str(x) for x in e["loc"] if isinstance(x, str)), "")
        header = HEADER_KO.get(code, "")
        ko.append(message_ko(dict(e), name=header or "값"))
        msg = str(e["msg"]).removeprefix("Value error, ")
        if code == "smart_factory_level" and e["type"] in ("enum", "literal_error"):
            msg = f"must be one of {', '.join(ko for ko, _ in LEVEL_LABELS.values())} ({', '.join(LEVEL_LABELS)})"
        en.append(f"{HEADER_EN.get(code, 'value')}: {msg}")
    return ko, en


def import_candidates(session: Session, *, cohort: Cohort, raw: bytes, p: Principal,
                      progress: Progress | None = None) -> ImportReport:
    """Import candidates from a CSV file; returns what was imported and each refused row's reasons."""
    text, encoding = decode(raw)
    reader = csv.DictReader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:  # refused whole: a cell over the csv module's limit, or bare-CR line breaks
        raise Invalid(*_UNREADABLE.get(str(exc).split(" ")[0], ("CSV 형식이 올바르지 않습니다.", "Malformed CSV.")),
                      line=reader.line_num + 1) from exc
    mapped = {h: HEADERS.get((h or "").strip()) for h in reader.fieldnames or []}
    missing = [k for k in REQUIRED if k not in mapped.values()]
    if missing:
        raise Invalid(f"필수 열이 없습니다: {', '.join(HEADER_KO[m] for m in missing)}",
                      f"Missing columns: {', '.join(HEADER_KO[m] for m in missing)} (the first line holds the "
                      "Korean headers)",
                      expected_headers=sorted(HEADERS))
    report = ImportReport(year=cohort.year, encoding=encoding, rows=len(rows), imported=0, already_candidates=0,
                          errors=[])
    existing = set(session.scalars(select(CohortMember.sme_id).where(CohortMember.cohort_id == cohort.id)))
    for i, raw_row in enumerate(rows):
        if progress:  # every row counts, refused ones too, so the bar ends full
            progress(i, len(rows))
        line = i + 2  # the header is line 1 (cells with line breaks are not expected in this file)
        row: dict[str, Any] = {}
        for k, v in raw_row.items():
            name = mapped.get(k) if k is not None else None
            if name:
                row[name] = v
        extra = raw_row.get(None)  # type: ignore[call-overload]
        if extra:
            report.errors.append(ImportRowError(
                line=line, business_number=row.get("business_number"),
                reasons=[f"칸이 머리글보다 {len(extra)}개 많습니다 (쉼표가 든 값은 큰따옴표로 감싸세요)"],
                reasons_en=[f"{len(extra)} more cells than headers (quote values that hold a comma)"]))
            continue
        try:
            data = SmeCreate.model_validate(_row_values(row, cohort.year))
        except ValidationError as exc:
            ko, en = _reasons(exc)
            report.errors.append(ImportRowError(line=line, business_number=row.get("business_number"),
                                                reasons=ko, reasons_en=en))
            continue
        try:
            with session.begin_nested():
                sme = session.scalars(select(Sme).where(Sme.business_number == data.business_number)).one_or_none()
                if sme is None:
                    # not on the registry yet: the SME's organisation id is derived from its number until
                    # an account is bound to it
                    sme = Sme(owner_org="bizno:" + data.business_number.replace("-", ""),
                              **data.model_dump())
                    session.add(sme)
                    session.flush()
                if sme.id in existing:
                    report.already_candidates += 1
                else:
                    add_candidate(session, cohort=cohort, sme=sme)
                    existing.add(sme.id)
                    report.imported += 1
        except IntegrityError:
            report.errors.append(ImportRowError(
                line=line, business_number=data.business_number,
                reasons=["등록된 수요기업과 조직 또는 사업자등록번호가 겹칩니다"],
                reasons_en=["conflicts with a registered SME (organisation or number)"]))
    if progress:
        progress(len(rows), len(rows))
    audit_log.append(session, actor=p, subject_type="cohort", subject_id=cohort.id, action="import",
                     payload={"rows": report.rows, "imported": report.imported,
                              "errors": [e.line for e in report.errors]})
    return report
