"""Designations (certificates): issue, renew, suspend, reinstate, revoke, expire, and the answer the
matcher relies on: which suppliers are actively designated right now.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from certification import audit_log, audit_state, lifecycle, numbers, scope
from certification.audit import decode_entry
from certification.certificates import Certificate as CertValue
from certification.certificates import add_years, effective_status, renewal_open
from certification.models import Application, AuditLogEntry, Certificate
from core import clock, outbox
from core.db import core_reader
from core.errors import Conflict, NotFound
from core.korean import josa
from core.principal import Principal
from notices import events as notify

log = logging.getLogger("axr.audit")


class AlreadyDesignated(Conflict):
    title_ko = "이미 유효한 지정서가 있습니다"
    title_en = "The company already holds a live certificate"


def _value(cert: Certificate) -> CertValue:
    return CertValue(cert.number, cert.status, cert.valid_from, cert.valid_until)


def status_now(cert: Certificate, now: datetime | None = None) -> str:
    """Expiry is evaluated on read: past valid_until a certificate is expired even before the job runs."""
    return effective_status(_value(cert), now or clock.now())


_ACTIVE_AMONG = select(Certificate.company_id).where(
    Certificate.status == "active", Certificate.valid_until > bindparam("now"),
    Certificate.company_id.in_(bindparam("ids", expanding=True)))


def active_company_ids(session: Session, company_ids: Iterable[str] | None = None) -> set[str]:
    """The companies whose designation is active at this moment (the search and matching invariant)."""
    if company_ids is None:
        stmt = select(Certificate.company_id).where(Certificate.status == "active",
                                                    Certificate.valid_until > clock.now())
        return set(session.scalars(stmt))
    ids = list(set(company_ids))
    if not ids:
        return set()
    # every search and match asks this: a statement built once, run on the session's connection
    return set(core_reader(session).execute(_ACTIVE_AMONG, {"now": clock.now(), "ids": ids}).scalars())


def is_actively_designated(session: Session, company_id: str) -> bool:
    return company_id in active_company_ids(session, [company_id])


def live_certificate(session: Session, company_id: str) -> Certificate | None:
    return session.scalars(select(Certificate).where(
        Certificate.company_id == company_id, Certificate.status.in_(("active", "suspended")))).one_or_none()


def get_by_number(session: Session, number: str, *, lock: bool = False) -> Certificate:
    stmt = select(Certificate).where(Certificate.number == numbers.parse(number))
    cert = session.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if cert is None:
        raise _not_found(number)
    return cert


def _not_found(number: str) -> NotFound:
    return NotFound(f"지정번호 {josa(number, '을')} 찾을 수 없습니다.", f"Certificate {number} was not found.")


def _state(cert: Certificate) -> dict[str, object]:
    return {"state": cert.status, "company_id": cert.company_id, "valid_from": cert.valid_from,
            "valid_until": cert.valid_until, "scope": cert.scope, "last_event_seq": cert.last_event_seq}


def attested(session: Session, number: str) -> tuple[Certificate, AuditLogEntry]:
    """The certificate with its latest audit event, read in one statement (so one snapshot, even while
    a change commits), refused with IntegrityCheckFailed (503) unless that event is intact, filed under
    this certificate, covered by the latest signed tree head, and leads to the stored status, company
    and period: the only state a public answer may vouch for. The earlier history is `axr audit
    verify`'s to check (it replays all of it)."""
    latest = aliased(AuditLogEntry)
    last_seq = (select(func.max(latest.seq))
                .where(latest.subject_type == "certificate", latest.subject_id == Certificate.number)
                .correlate(Certificate).scalar_subquery())
    row = session.execute(select(Certificate, AuditLogEntry)
                          .outerjoin(AuditLogEntry, AuditLogEntry.seq == last_seq)
                          .where(Certificate.number == numbers.parse(number))).one_or_none()
    if row is None:
        raise _not_found(number)
    cert, event = row
    if event is None:
        problems = ["no audit event"]
    else:
        try:
            doc = decode_entry(event.entry)
        except ValueError:
            problems = [f"event {event.seq} is not canonical JSON"]
        else:
            problems = audit_state.check_latest(
                "certificate", cert.number, _state(cert), seq=event.seq, entry=event.entry,
                stored_hash=event.leaf_hash, columns=audit_log.stored_columns(event), doc=doc)
        head = audit_log.latest_tree_head(session)
        if not problems and (head is None or head.size <= event.seq):
            # every transaction that appends also signs: an event beyond the signed head was chained
            # by someone without the key
            problems = [f"event {event.seq} is covered by no signed tree head"]
    if problems:
        log.error("certificate %s disagrees with its audit log: %s", cert.number, "; ".join(problems))
        raise audit_state.IntegrityCheckFailed(cert.number)
    return cert, event


def _record(session: Session, cert: Certificate, p: Principal | str, action: str, before: str | None,
            reason: str | None) -> int:
    entry = audit_log.append(session, actor=p, subject_type="certificate", subject_id=cert.number,
                             action=action, from_state=before, to_state=cert.status, reason=reason,
                             payload={"company_id": cert.company_id,
                                      "valid_from": cert.valid_from.isoformat(),
                                      "valid_until": cert.valid_until.isoformat(), "scope": list(cert.scope)})
    cert.last_event_seq = entry.seq
    # certificate events re-index the company's solutions (matching/index_sync.py), scope changes too
    outbox.record(session, resource="certificate", resource_id=cert.id, action=action,
                  payload={"number": cert.number, "company_id": cert.company_id, "status": cert.status,
                           "scope": list(cert.scope)})
    session.flush()
    return entry.seq


def issue(session: Session, *, application: Application, p: Principal, years: int,
          fields: list[str]) -> Certificate:
    """Issue a new certificate for an approved initial application, covering `fields` (scope.py)."""
    if live_certificate(session, application.company_id) is not None:
        raise AlreadyDesignated()
    now = clock.now()
    for _ in range(5):  # a number collision is ~1e-12; retry rather than fail
        cert = Certificate(number=numbers.generate(now.year), company_id=application.company_id,
                           application_id=application.id, status="active", valid_from=now,
                           valid_until=add_years(now, years), status_changed_at=now,
                           scope=scope.normalise(fields))
        try:
            with session.begin_nested():
                session.add(cert)
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - five collisions in a row
        raise Conflict()
    _record(session, cert, p, "issue", None, None)
    return cert


def record_existing(session: Session, *, company_id: str, status: str, p: Principal | str,
                    years: int = 3, fields: list[str] | None = None) -> Certificate:
    """Bring a designation granted outside this system onto the record (catalogue import, migration),
    in the given state, with its own audit event; expired ones get a period that has run out. Its scope
    is `fields`, or the categories of the company's published solutions now."""
    scopes = {company_id: fields} if fields is not None else None
    return record_existing_many(session, [(company_id, status)], p=p, years=years, scopes=scopes)[0]


def record_existing_many(session: Session, designations: list[tuple[str, str]], *, p: Principal | str,
                         years: int = 3, scopes: Mapping[str, Sequence[str]] | None = None) -> list[Certificate]:
    """`record_existing` for many (company id, status) pairs at once: one insert, one head lock. `scopes`
    gives each company's fields (company id -> categories); a company it leaves out gets the categories
    of its published solutions now."""
    now = clock.now()
    certs: list[Certificate] = []
    taken: set[str] = set()
    for company_id, status in designations:
        start = now - timedelta(days=365 * years + 30) if status == "expired" else now
        number = numbers.generate(start.year)
        while number in taken:  # tens of thousands in one batch make a collision merely unlikely
            number = numbers.generate(start.year)
        taken.add(number)
        fields = scopes[company_id] if scopes is not None and company_id in scopes else \
            scope.of_company_solutions(session, company_id)
        certs.append(Certificate(number=number, company_id=company_id, application_id=None,
                                 scope=scope.normalise(fields),
                                 status=status, valid_from=start, valid_until=add_years(start, years),
                                 status_changed_at=now, revoked_at=now if status == "revoked" else None,
                                 status_reason="imported" if status != "active" else None))
    session.add_all(certs)
    session.flush()
    reason = "imported from an existing register"
    entries = audit_log.append_many(session, actor=p, events=[dict(
        subject_type="certificate", subject_id=c.number, action="import", to_state=c.status, reason=reason,
        payload={"company_id": c.company_id, "valid_from": c.valid_from.isoformat(),
                 "valid_until": c.valid_until.isoformat(), "scope": list(c.scope)}) for c in certs])
    for cert, entry in zip(certs, entries, strict=True):
        cert.last_event_seq = entry.seq
    outbox.record_many(session, [dict(resource="certificate", resource_id=c.id, action="import",
                                      payload={"number": c.number, "company_id": c.company_id, "status": c.status,
                                               "scope": list(c.scope)})
                                 for c in certs])
    session.flush()
    return certs


def renew(session: Session, *, cert: Certificate, application: Application, p: Principal,
          years: int, fields: list[str]) -> Certificate:
    """An approved renewal keeps the number; the new period starts where the old one ends, and the
    scope is the one the renewal's panel decided."""
    before = cert.status
    lifecycle.transition(lifecycle.MachineKind.certificate, status_now(cert), "renew", "system")
    cert.valid_until = add_years(cert.valid_until, years)
    cert.scope = scope.normalise(fields)
    cert.application_id = application.id
    _record(session, cert, p, "renew", before, None)
    return cert


def change_scope(session: Session, *, cert: Certificate, application: Application, p: Principal,
                 granted: list[str]) -> Certificate:
    """An approved scope change adds the granted fields to an active certificate (number and period kept)."""
    if status_now(cert) != "active":
        raise Conflict("유효한(효력 있는) 지정서에만 지정 분야를 추가할 수 있습니다.",
                       "Fields are added to an active certificate only.", state=status_now(cert))
    cert.scope = scope.extended(cert, granted)
    cert.application_id = application.id
    _record(session, cert, p, "change_scope", cert.status, None)
    return cert


def change_status(session: Session, *, cert: Certificate, action: str, p: Principal,
                  reason: str | None) -> Certificate:
    """Suspend, reinstate or revoke (reviewer or admin; a reason where the table says so)."""
    current = status_now(cert)
    if current != cert.status:  # expired on read: write it first so the table sees the truth
        expire(session, cert=cert)
    nxt = lifecycle.transition(lifecycle.MachineKind.certificate, cert.status, action, p.role, reason=reason)
    before = cert.status
    cert.status, cert.status_reason, cert.status_changed_at = nxt, reason, clock.now()
    if nxt == "revoked":
        cert.revoked_at = clock.now()
    seq = _record(session, cert, p, action, before, reason)
    notify.certificate_status(session, cert=cert, seq=seq, action=action)
    return cert


def expire(session: Session, *, cert: Certificate) -> Certificate:
    before = cert.status
    cert.status = lifecycle.transition(lifecycle.MachineKind.certificate, cert.status, "expire", "system")
    cert.status_changed_at = clock.now()
    _record(session, cert, "system", "expire", before, "valid_until passed")
    return cert


def expire_due(session: Session) -> list[str]:
    """Move every certificate past valid_until to expired (`axr certificates expire`)."""
    due = session.scalars(select(Certificate).where(
        Certificate.status.in_(("active", "suspended")), Certificate.valid_until <= clock.now())
        .order_by(Certificate.valid_until).with_for_update()).all()
    for cert in due:
        expire(session, cert=cert)
    return [c.number for c in due]


def renewal_window() -> timedelta:
    return timedelta(days=90)


def renewal_open_now(cert: Certificate) -> bool:
    """Whether a renewal may be applied for today (the rule certification.service.create checks), so a page
    offers the form only then."""
    return renewal_open(_value(cert), clock.now(), renewal_window())
