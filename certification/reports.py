"""Annual performance reports (실적 보고) of designated companies, and the suspension cases a missed report
opens.

Year N's report is due on the N-th anniversary of the designation (the date `notices/due.py` reminds of,
in KST). The supplier drafts it (deployments, manufacturing-AI revenue, AI staff), attaches evidence files
(the evidence package's type checks and blob store; the digest goes into the attaching audit event) and
submits it; it is on time when submitted by the due date. A report not submitted by the due date plus the
grace period (`AXR_REPORT_GRACE_DAYS`, 30) opens a suspension case (`axr monitoring due`, and `axr worker`
once a day); a reviewer then suspends the certificate or closes the case with a reason.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Select, false, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from certification import audit_log, designations
from certification.certificates import add_years
from certification.models import Certificate
from certification.monitoring_models import PerformanceReport, ReportDocument, SuspensionCase
from core import clock
from core.errors import Conflict, Invalid, NotFound
from core.korean import date_ko, josa, kst, quoted
from core.principal import Principal
from evidence.intake import accept, record
from evidence.scan import Clamd
from evidence.store import BlobStore, digest
from notices import templates
from notices.outbox import enqueue
from registry.models import Company

OPENS_BEFORE = 90  # a year's report may be drafted from this many days before it is due
ATTACH = "attach_report_document"


def due_on(cert: Certificate, year: int) -> date:
    """The due date of year `year`'s report: the designation's anniversary, in KST."""
    return kst(add_years(cert.valid_from, year)).date()


def report_years(cert: Certificate) -> list[int]:
    """The years a report is owed for: every anniversary within the validity period."""
    until = kst(cert.valid_until).date()
    years, n = [], 1
    while due_on(cert, n) <= until:
        years.append(n)
        n += 1
    return years


def _not_found(what: str, obj_id: str) -> NotFound:
    return NotFound(f"{what} {josa(quoted(obj_id), '을')} 찾을 수 없습니다.", f"{obj_id} was not found.")


def _owns(p: Principal, company: Company) -> bool:
    return p.role == "supplier" and p.owns(company.owner_org)


def may_see(session: Session, report: PerformanceReport, p: Principal) -> bool:
    if p.role in ("reviewer", "admin"):
        return True
    return _owns(p, session.get_one(Company, report.company_id))


def load(session: Session, report_id: str, p: Principal, *, lock: bool = False) -> PerformanceReport:
    """The report if the caller may see it (its supplier, reviewers, admins); 404 for anyone else."""
    stmt = select(PerformanceReport).where(PerformanceReport.id == report_id)
    report = session.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if report is None or not may_see(session, report, p):
        raise _not_found("실적 보고", report_id)
    return report


def visible_stmt(p: Principal, certificate_id: str | None = None) -> Select[PerformanceReport]:
    stmt = select(PerformanceReport)
    if certificate_id:
        stmt = stmt.where(PerformanceReport.certificate_id == certificate_id)
    if p.role in ("reviewer", "admin"):
        return stmt
    owned = select(Company.id).where(Company.owner_org == (p.org or ""))
    return stmt.where(PerformanceReport.company_id.in_(owned)) if p.role == "supplier" else stmt.where(false())


def _submitted(session: Session, cert: Certificate) -> set[int]:
    return set(session.scalars(select(PerformanceReport.year).where(
        PerformanceReport.certificate_id == cert.id, PerformanceReport.state == "submitted")))


def open_for_filing(session: Session, cert: Certificate, today: date) -> list[int]:
    """The years whose report may be drafted today: not submitted, from OPENS_BEFORE days before due."""
    submitted = _submitted(session, cert)
    return [n for n in report_years(cert)
            if n not in submitted and due_on(cert, n) - timedelta(OPENS_BEFORE) <= today]


def draft(session: Session, *, number: str, p: Principal, year: int | None, deployments: int,
          revenue_krw: int, ai_staff: int, summary: str | None) -> PerformanceReport:
    """Draft a year's report for the caller's live certificate (the earliest year not yet submitted
    whose window is open, unless `year` is given)."""
    cert = designations.get_by_number(session, number, lock=True)
    company = session.get_one(Company, cert.company_id)
    if not _owns(p, company):
        raise designations._not_found(number)
    if cert.status not in ("active", "suspended") or designations.status_now(cert) not in ("active", "suspended"):
        raise Conflict("유효한 지정서에 대해서만 실적을 보고합니다.", "Reports are filed for a live certificate.")
    today = kst(clock.now()).date()
    submitted = _submitted(session, cert)
    years = report_years(cert)
    if year is None:
        open_years = open_for_filing(session, cert, today)
        if not open_years:
            nxt = next((n for n in years if n not in submitted), None)
            when = (f" 다음 보고는 {date_ko(due_on(cert, nxt) - timedelta(OPENS_BEFORE))}부터 작성할 수 있습니다."
                    if nxt else "")
            raise Conflict("지금 작성할 실적 보고가 없습니다." + when, "No report is open for filing now.")
        year = open_years[0]
    elif year not in years:
        listed = ", ".join(map(str, years))
        raise Invalid(f"{year}년 차 실적 보고는 이 지정서의 보고 대상이 아닙니다 (대상: {listed}년 차).",
                      f"Year {year} is not a report year of this certificate.",
                      errors=[{"pointer": "#/year", "detail": f"one of {years}"}])
    elif due_on(cert, year) - timedelta(OPENS_BEFORE) > today:
        raise Conflict(f"{year}년 차 실적 보고는 {date_ko(due_on(cert, year) - timedelta(OPENS_BEFORE))}부터 작성할 수 "
                       "있습니다.", f"Year {year}'s report opens {OPENS_BEFORE} days before it is due.")
    report = PerformanceReport(certificate_id=cert.id, company_id=cert.company_id, year=year,
                               due_on=due_on(cert, year), deployments=deployments,
                               manufacturing_ai_revenue_krw=revenue_krw, ai_staff=ai_staff, summary_ko=summary,
                               created_by=p.sub)
    try:
        with session.begin_nested():
            session.add(report)
    except IntegrityError as exc:
        raise Conflict(f"{year}년 차 실적 보고는 이미 작성되어 있습니다.",
                       f"The report for year {year} already exists.") from exc
    audit_log.append(session, actor=p, subject_type="performance_report", subject_id=report.id, action="draft",
                     to_state="draft", payload={"certificate": cert.number, "year": year,
                                                "due_on": report.due_on.isoformat()})
    return report


def attach(session: Session, store: BlobStore, *, report: PerformanceReport, p: Principal,
           filename: str | None, declared_type: str | None, content: bytes, max_bytes: int,
           scanner: Clamd | None = None) -> ReportDocument:
    """An evidence file for a draft report, checked (type from the content, virus scan) and stored as
    application evidence is."""
    if not _owns(p, session.get_one(Company, report.company_id)):
        raise _not_found("실적 보고", report.id)
    if report.state != "draft":
        raise Conflict("제출한 실적 보고에는 파일을 더 올릴 수 없습니다.", "A submitted report takes no more files.")
    got = accept(store, scanner, content=content, filename=filename, declared_type=declared_type,
                 max_bytes=max_bytes)
    doc = ReportDocument(report_id=report.id, **got.columns(), uploaded_by=p.sub, audit_seq=-1)
    return record(session, doc, actor=p, action=ATTACH, subject_type="performance_report", subject_id=report.id,
                  state=report.state, payload=got.audit())


def documents(session: Session, report: PerformanceReport) -> list[ReportDocument]:
    return list(session.scalars(select(ReportDocument).where(ReportDocument.report_id == report.id)
                                .order_by(ReportDocument.uploaded_at, ReportDocument.id)))


def load_document(session: Session, doc_id: str, p: Principal) -> ReportDocument:
    doc = session.get(ReportDocument, doc_id)
    report = session.get(PerformanceReport, doc.report_id) if doc is not None else None
    if doc is None or report is None or not may_see(session, report, p):
        raise _not_found("문서", doc_id)
    return doc


def content(store: BlobStore, doc: ReportDocument) -> bytes:
    from certification.audit_state import IntegrityCheckFailed

    data = store.get(doc.sha256)
    if data is None or digest(data) != doc.sha256:
        raise IntegrityCheckFailed(f"문서 {doc.filename}", "저장된 파일이 기록된 해시와 달라",
                                   "the stored file differs from its recorded digest")
    return data


def submit(session: Session, *, report: PerformanceReport, p: Principal) -> PerformanceReport:
    """File the report; it needs at least one evidence file. On time when submitted by the due date (KST)."""
    if not _owns(p, session.get_one(Company, report.company_id)):
        raise _not_found("실적 보고", report.id)
    if report.state != "draft":
        raise Conflict("이미 제출한 실적 보고입니다.", "The report was already submitted.")
    if not documents(session, report):
        raise Conflict("증빙 파일을 하나 이상 올린 뒤 제출해 주세요.", "Attach at least one evidence file first.")
    now = clock.now()
    report.state, report.submitted_at = "submitted", now
    report.on_time = kst(now).date() <= report.due_on
    cert = session.get_one(Certificate, report.certificate_id)
    audit_log.append(session, actor=p, subject_type="performance_report", subject_id=report.id, action="submit",
                     from_state="draft", to_state="submitted",
                     payload={"certificate": cert.number, "year": report.year, "on_time": report.on_time,
                              "deployments": report.deployments,
                              "manufacturing_ai_revenue_krw": report.manufacturing_ai_revenue_krw,
                              "ai_staff": report.ai_staff})
    session.flush()
    return report


# ---- missed reports ------------------------------------------------------------------------------------
def _case_text(company: str, number: str, year: int, due: date, grace: int) -> templates.Text:
    return templates.Text(
        "suspension_case",
        f"{templates.BRAND_KO} 실적 보고 미제출: 지정 정지 심사 시작",
        f"{templates.BRAND_EN} Report missed: suspension case opened",
        f"{company}의 지정서 {number}에 대한 {year}년 차 실적 보고가 기한({date_ko(due)})과 유예 기간 {grace}일이 "
        "지나도록 제출되지 않아 지정 정지 심사가 시작되었습니다. 지금이라도 보고를 제출하면 심사위원이 "
        "결정할 때 반영됩니다.",
        f"{company}'s report for year {year} of certificate {number} was due on {due.isoformat()} and was not "
        f"submitted within the {grace}-day grace period, so a suspension case is open. A report submitted now is "
        "taken into account when a reviewer decides.")


def open_overdue(session: Session, *, today: date, grace_days: int) -> list[SuspensionCase]:
    """Open a case for every active certificate's year whose report was not submitted by its due date plus
    `grace_days` (KST); each (certificate, year) opens once, however often this runs."""
    certs = session.scalars(select(Certificate).where(Certificate.status == "active")
                            .order_by(Certificate.valid_from)).all()
    opened: list[SuspensionCase] = []
    for cert in certs:
        if designations.status_now(cert) != "active":
            continue
        years = [n for n in report_years(cert) if due_on(cert, n) + timedelta(grace_days) < today]
        if not years:
            continue
        filed = {r.year: r for r in session.scalars(select(PerformanceReport).where(
            PerformanceReport.certificate_id == cert.id, PerformanceReport.state == "submitted"))}
        cased = set(session.scalars(select(SuspensionCase.year).where(SuspensionCase.certificate_id == cert.id)))
        for n in years:
            deadline = due_on(cert, n) + timedelta(grace_days)
            report = filed.get(n)
            if n in cased or (report is not None and report.submitted_at is not None
                              and kst(report.submitted_at).date() <= deadline):
                continue
            case = SuspensionCase(certificate_id=cert.id, company_id=cert.company_id, year=n, due_on=due_on(cert, n))
            try:
                with session.begin_nested():
                    session.add(case)
            except IntegrityError:
                continue  # opened by a concurrent run
            seq = audit_log.append(session, actor="system", subject_type="suspension_case", subject_id=case.id,
                                   action="open", to_state="open",
                                   reason=f"report for year {n} not submitted by {deadline.isoformat()}",
                                   payload={"certificate": cert.number, "year": n,
                                            "due_on": case.due_on.isoformat(), "grace_days": grace_days}).seq
            company = session.get_one(Company, cert.company_id)
            enqueue(session, event_key=f"audit:{seq}", recipient_org=company.owner_org,
                    text=_case_text(company.name_ko, cert.number, n, case.due_on, grace_days),
                    link=f"/v1/suspension-cases/{case.id}")
            opened.append(case)
    session.flush()
    return opened


def load_case(session: Session, case_id: str, p: Principal, *, lock: bool = False) -> SuspensionCase:
    stmt = select(SuspensionCase).where(SuspensionCase.id == case_id)
    case = session.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if case is None or not (p.role in ("reviewer", "admin")
                            or _owns(p, session.get_one(Company, case.company_id))):
        raise _not_found("정지 심사", case_id)
    return case


def decide_case(session: Session, *, case: SuspensionCase, p: Principal, suspend: bool,
                reason: str) -> SuspensionCase:
    """A reviewer suspends the certificate (the lifecycle's suspend, with the reason) or closes the case."""
    if case.state != "open":
        raise Conflict("이미 결정된 정지 심사입니다.", "The case was already decided.", state=case.state)
    cert = session.scalars(select(Certificate).where(Certificate.id == case.certificate_id)
                           .with_for_update()).one()
    if suspend:
        designations.change_status(session, cert=cert, action="suspend", p=p, reason=reason)
    case.state = "suspended" if suspend else "closed"
    case.decided_by, case.decided_at, case.decision_reason = p.sub, clock.now(), reason
    audit_log.append(session, actor=p, subject_type="suspension_case", subject_id=case.id,
                     action="suspend" if suspend else "close", from_state="open", to_state=case.state,
                     reason=reason, payload={"certificate": cert.number, "year": case.year})
    session.flush()
    return case


def verify_documents(session: Session, store: BlobStore) -> tuple[int, list[tuple[ReportDocument, str, str]]]:
    """Every report document: the digest its attaching audit event recorded is the row's, and the stored
    bytes hash to it (`axr audit verify`). Returns (documents checked, [(document, English, Korean)])."""
    from certification.audit import decode_entry
    from certification.models import AuditLogEntry

    docs = list(session.scalars(select(ReportDocument).order_by(ReportDocument.uploaded_at, ReportDocument.id)))
    events = {r.seq: r for r in session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == ATTACH))}
    problems: list[tuple[ReportDocument, str, str]] = []
    for doc in docs:
        row = events.get(doc.audit_seq)
        try:
            payload = decode_entry(row.entry).get("payload") or {} if row is not None else {}
        except ValueError:
            payload = {}
        if row is None or row.subject_id != doc.report_id or payload.get("document_id") != doc.id:
            problems.append((doc, f"no audit event {doc.audit_seq} attaches document {doc.id}",
                             f"문서 {doc.id}를 첨부한 감사 이벤트({doc.audit_seq})가 없습니다"))
        elif payload.get("sha256") != doc.sha256:
            problems.append((doc, f"the row's digest differs from the one event {doc.audit_seq} recorded",
                             f"문서 행의 해시가 감사 이벤트 {doc.audit_seq}에 기록된 해시와 다릅니다"))
        else:
            data = store.get(doc.sha256)
            if data is None:
                problems.append((doc, f"the stored file is missing ({store.where(doc.sha256)})",
                                 f"저장된 파일이 없습니다 ({store.where(doc.sha256)})"))
            elif digest(data) != doc.sha256:
                where = store.where(doc.sha256)
                problems.append((doc, f"the stored file's bytes were replaced ({where})",
                                 f"저장된 파일의 내용이 바뀌었습니다: 기록된 해시와 다릅니다 ({where})"))
    return len(docs), problems
