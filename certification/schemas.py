"""Pydantic schemas of designation: applications, panel, reviews, certificates, public verification."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from registry.fields import LongText, Name, Read, ShortText, Strict
from registry.reference import Category

SubId = Annotated[str, Field(min_length=1, max_length=200)]


Fields = Annotated[list[Category], Field(min_length=1, max_length=12)]


class ApplicationCreate(Strict):
    company_id: str = Field(max_length=36)
    kind: Literal["initial", "renewal", "scope_change"] = Field(
        "initial", description="scope_change: add fields to an active certificate (name them in `scope`)")
    statement_ko: LongText | None = Field(
        None, examples=["사출·프레스 공정 비전 검사 솔루션으로 지정을 신청합니다."])
    call_id: str | None = Field(None, max_length=36, description="The call (공고) applied to; required for an "
                                "initial application once the registry has calls (GET /v1/public/calls)")
    field: Category | None = Field(None, description="The field the application counts against, when the call "
                                   "has quotas by field", examples=["vision_inspection"])
    scope: Fields | None = Field(
        None, description="The fields (solution categories) applied for; default: the categories of the "
                          "company's published solutions at submission. Required for a scope change.",
        examples=[["vision_inspection", "quality_prediction"]])


class Reason(Strict):
    reason: ShortText | None = Field(None, examples=["제출 서류 보완 후 재신청 예정"])


class RequiredReason(Strict):
    reason: ShortText = Field(examples=["고객사 데이터 유출 사고 조사 중"])


class SupplementRequest(Strict):
    message: LongText = Field(examples=["제조업 적용 사례의 불량률 측정 근거 자료를 보완해 주세요."])


class SupplementAnswer(Strict):
    answer: LongText = Field(examples=["측정 보고서(2025년 3월)를 첨부합니다. 불량률 3.2% → 0.9%."])


class PanelAssign(Strict):
    reviewers: list[SubId] = Field(min_length=1, max_length=10)


class Declaration(Strict):
    has_conflict: bool
    note: ShortText | None = Field(None, examples=["신청 기업의 자문위원으로 활동한 적이 있음"])


class ReviewCreate(Strict):
    scores: dict[str, int] = Field(examples=[{"technology": 4, "manufacturing_fit": 4, "track_record": 3,
                                              "delivery": 4, "growth_tips": 3}])
    comments: LongText | None = Field(None, examples=["현장 적용 사례가 구체적이며 성과 측정이 명확함"])


class BusinessStatusConfirmation(Strict):
    status: Literal["active", "suspended", "closed"] = Field(
        description="The status the reviewer saw in the register: active (계속사업자), suspended (휴업자), "
                    "closed (폐업자)", examples=["active"])
    note: ShortText = Field(description="What was looked at, and when",
                            examples=["홈택스 사업자등록 상태조회(2026-12-03): 부가가치세 일반과세자, 계속사업자"])


class Decision(Strict):
    decision: Literal["approve", "reject"]
    reason: ShortText | None = Field(None, examples=["심사위원 평균 4.1점으로 기준 충족"])
    scope: Fields | None = Field(
        None, description="With approve: the fields the certificate covers, within those applied for "
                          "(default: all of them); a scope change adds them to the certificate",
        examples=[["vision_inspection", "quality_prediction"]])


class ReviewerCreate(Strict):
    sub: str = Field(max_length=200, description="The reviewer's token subject (user id)")
    name: Name = Field(examples=["이서연"])
    org: str = Field(max_length=64, examples=["ministry"])
    related_orgs: list[SubId] = Field(default_factory=list, max_length=50)


class ApplicationRead(Read):
    id: str
    company_id: str
    kind: str
    state: str
    statement_ko: str | None
    requested_scope: list[str] | None = Field(
        description="Fields the supplier applied for (null: its published solutions' categories at submission)")
    criteria_version: str | None
    call_id: str | None = None
    call_field: str | None = None
    screening: dict[str, Any] | None
    supplement_message: str | None
    supplement_answer: str | None
    decision_reason: str | None
    certificate_id: str | None
    submitted_at: datetime | None
    decided_at: datetime | None
    created_at: datetime
    allowed_actions: list[str] = Field(default_factory=list, description="What the caller may do next")


class FactChange(BaseModel):
    path: str = Field(examples=["company.ai_staff"])
    frozen: Any = Field(description="The value at submission (null: added since)", examples=[12])
    current: Any = Field(description="The value in the live records now (null: removed since)", examples=[2])


class FrozenFacts(BaseModel):
    """The facts the application was screened on, frozen at submission, and what changed since."""

    frozen_at: datetime | None = Field(description="Submission time; null for a draft (nothing frozen yet)")
    digest: str | None = Field(description="SHA-256 of the snapshot's RFC 8785 form, as in the screening event")
    facts: dict[str, Any] | None
    changes: list[FactChange] = Field(description="Live records that differ from the snapshot, path by path")


class SeatRead(Read):
    reviewer_sub: str
    assigned_at: datetime
    declared_at: datetime | None
    has_conflict: bool | None
    removed: bool


class ReviewRead(Read):
    reviewer_sub: str
    rubric_version: str
    scores: dict[str, int]
    comments: str | None
    weighted: str
    submitted_at: datetime


class CertificateRead(Read):
    number: str
    company_id: str
    status: str = Field(description="active, suspended, revoked or expired (expiry evaluated on read)")
    valid_from: datetime
    valid_until: datetime
    status_reason: str | None
    scope: list[str] = Field(description="The fields (category codes) the designation covers",
                             examples=[["quality_prediction", "vision_inspection"]])


class ScopeField(BaseModel):
    code: str = Field(examples=["vision_inspection"])
    name_ko: str = Field(examples=["비전 검사"])
    name_en: str = Field(examples=["Vision inspection"])


class InclusionProof(BaseModel):
    leaf_index: int
    tree_size: int
    root_hash: str
    leaf_hash: str
    audit_path: list[str]


class SignedTreeHead(BaseModel):
    tree_size: int
    root_hash: str
    timestamp: datetime
    signature: str = Field(description="Compact JWS (Ed25519) over the RFC 8785 tree-head payload")


class PublicCertificate(BaseModel):
    number: str
    status: str
    company_name_ko: str
    company_name_en: str | None
    business_number: str
    valid_from: datetime
    valid_until: datetime
    checked_at: datetime
    scope: list[ScopeField] = Field(description="The fields the designation covers: a solution of another "
                                                "field is not designated")
    scope_ko: str = Field(description="The fields in Korean, as one line", examples=["비전 검사, 품질 예측"])
    in_force: bool = Field(description="Whether the designation is in force now (only an active certificate is)")
    status_changed_at: datetime | None = Field(
        None, description="When it stopped being in force (suspension, revocation or expiry); null while active")
    status_reason: str | None = Field(None, description="The recorded reason of a suspension or revocation",
                                      examples=["허위 실적 자료 제출이 확인됨"])
    notice_ko: str | None = Field(None, description="One plain sentence saying the designation is not in force",
                                  examples=["이 지정서는 2026년 12월 2일에 지정이 취소되어 지정 효력이 없습니다."])
    notice_en: str | None = None
    statement: str = Field(
        description="Compact JWS (Ed25519) of this verification, checkable offline with the JWKS")
    decision_proof: InclusionProof | None = Field(
        None, description="RFC 9162 inclusion proof of the latest event")
    tree_head: SignedTreeHead | None = None


class AuditEventRead(BaseModel):
    """One audit event as recorded in its hashed entry (staff view)."""

    seq: int = Field(description="Position in the log: the leaf index of the Merkle tree")
    at: datetime
    actor: str | None = Field(description="Token subject of who acted, or 'system'")
    role: str | None
    subject_type: str = Field(examples=["certificate"])
    subject_id: str
    action: str = Field(examples=["suspend"])
    from_state: str | None
    to_state: str | None
    reason: str | None
    payload: dict[str, Any]
    leaf_hash: str = Field(description="RFC 9162 leaf hash of the entry (base64)")


class CertificateEvent(BaseModel):
    """One step of a certificate's public history; who acted is not shown."""

    seq: int
    at: datetime
    action: str = Field(description="issue, import, suspend, reinstate, revoke, renew or expire",
                        examples=["revoke"])
    from_state: str | None
    to_state: str | None
    reason: str | None = Field(examples=["실적 자료 허위 기재 확인"])
    valid_from: datetime | None
    valid_until: datetime | None
    leaf_hash: str
    inclusion_proof: InclusionProof | None = Field(
        description="RFC 9162 inclusion proof against `tree_head` (null only for an event newer than it)")


class CertificateHistory(BaseModel):
    number: str
    status: str = Field(description="The status now, as the public verification reports it")
    events: list[CertificateEvent]
    tree_head: SignedTreeHead | None
