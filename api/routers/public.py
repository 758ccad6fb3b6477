"""Public endpoints, no token: certificate verification (JSON) and the audit log's tree heads and proofs."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.params import Int64
from api.ratelimit import public_rate_limit
from api.schemas import PROBLEM_RESPONSES
from certification import audit_events, audit_log, designations, scope
from certification.audit import decode_entry
from certification.schemas import CertificateHistory, InclusionProof, PublicCertificate, SignedTreeHead
from certification.standing import standing
from core import clock
from core.errors import NotFound
from core.keys import sign_compact
from registry.models import Company

router = APIRouter(tags=["public"], dependencies=[Depends(public_rate_limit)],
                   responses={**PROBLEM_RESPONSES, 429: PROBLEM_RESPONSES[400]})
STATEMENT_TYP = "axr-certificate-status+jws"
# refused rather than signed: the stored state disagrees with the certificate's audit events
INTEGRITY_FAILED = PROBLEM_RESPONSES[400] | {"description": "Integrity check failed (state vs. audit log)"}


def _tree_head(session: Session) -> SignedTreeHead | None:
    row = audit_log.latest_tree_head(session)
    if row is None:
        return None
    return SignedTreeHead(tree_size=row.size, root_hash=audit_log._b64(row.root), timestamp=row.timestamp,
                          signature=row.signature)


def verification(session: Session, request: Request, number: str) -> PublicCertificate:
    # refused (503) unless the certificate's latest audit event supports the stored state
    cert, event = designations.attested(session, number)
    company = session.get_one(Company, cert.company_id)
    head = _tree_head(session)
    proof = None
    if head is not None and head.tree_size > event.seq:
        found = audit_events.proofs(session, [event.seq], head.tree_size, head.root_hash, subject=cert.number)
        proof = InclusionProof(**found[event.seq])
    now = clock.now()
    status = designations.status_now(cert, now)
    stand = standing(status, cert.valid_until, decode_entry(event.entry))  # attested: the entry is intact
    claims = {"iss": request.app.state.settings.token_issuer, "number": cert.number,
              "status": status, "in_force": stand.in_force,
              "status_changed_at": stand.since.isoformat() if stand.since else None,
              "status_reason": stand.reason, "notice_ko": stand.notice_ko, "notice_en": stand.notice_en,
              "company": {
                  "name_ko": company.name_ko, "name_en": company.name_en,
                  "business_number": company.business_number},
              "valid_from": cert.valid_from.isoformat(), "valid_until": cert.valid_until.isoformat(),
              "scope": scope.describe(cert.scope), "scope_ko": scope.names_ko(cert.scope),
              "checked_at": now.isoformat(), "audit": {"tree_size": head.tree_size if head else 0,
                                                       "root_hash": head.root_hash if head else None}}
    statement = sign_compact(request.app.state.tokens.key, json.dumps(claims, ensure_ascii=False).encode(),
                             typ=STATEMENT_TYP)
    return PublicCertificate(number=cert.number, status=claims["status"], company_name_ko=company.name_ko,
                             company_name_en=company.name_en, business_number=company.business_number,
                             valid_from=cert.valid_from, valid_until=cert.valid_until, checked_at=now,
                             scope=claims["scope"], scope_ko=claims["scope_ko"],
                             in_force=stand.in_force, status_changed_at=stand.since, status_reason=stand.reason,
                             notice_ko=stand.notice_ko, notice_en=stand.notice_en,
                             statement=statement, decision_proof=proof, tree_head=head)


@router.get("/v1/public/certificates/{number}", response_model=PublicCertificate,
            responses={503: INTEGRITY_FAILED},
            summary="지정서 진위 확인 (인증 불필요) / Verify a certificate (no token)")
def verify_certificate(number: Annotated[str, Path(max_length=40, examples=["AXR-2026-7KQM-P3XD-H"])],
                       session: SessionDep, request: Request) -> PublicCertificate:
    return verification(session, request, number)


@router.get("/v1/public/certificates/{number}/history", response_model=CertificateHistory,
            responses={503: INTEGRITY_FAILED},
            summary="지정서 이력 (발급·정지·해제·취소·갱신, 포함 증명) / A certificate's history with proofs")
def certificate_history(number: Annotated[str, Path(max_length=40, examples=["AXR-2026-7KQM-P3XD-H"])],
                        session: SessionDep) -> CertificateHistory:
    return CertificateHistory.model_validate(audit_events.certificate_history(session, number))


@router.get("/v1/public/audit/tree-head", response_model=SignedTreeHead,
            summary="감사 로그 서명 트리 헤드 / Signed tree head of the audit log")
def tree_head(session: SessionDep) -> SignedTreeHead:
    head = _tree_head(session)
    if head is None:
        raise NotFound("아직 서명된 트리 헤드가 없습니다.", "No signed tree head yet.")
    return head


@router.get("/v1/public/audit/inclusion", response_model=InclusionProof,
            summary="포함 증명 / Inclusion proof of an audit event")
def inclusion(session: SessionDep, seq: Annotated[Int64, Query(ge=0)],
              tree_size: Annotated[Int64 | None, Query(ge=1)] = None) -> InclusionProof:
    return InclusionProof(**audit_log.inclusion_proof(session, seq, tree_size))


@router.get("/v1/public/audit/consistency", summary="일관성 증명 / Consistency proof between two tree sizes")
def consistency(session: SessionDep, first: Annotated[Int64, Query(ge=1)],
                second: Annotated[Int64 | None, Query(ge=1)] = None) -> dict[str, Any]:
    return audit_log.consistency_proof(session, first, second)
