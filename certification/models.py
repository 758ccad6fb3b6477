"""ORM models of designation: criteria versions, applications, panels, reviews, certificates, and the
append-only audit log (RFC 9162 leaves) with its head and signed tree heads.

What must never happen twice is a database constraint, not only code: one open application per
company, one live (active or suspended) certificate per company, one review per reviewer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from certification import call_models  # noqa: F401  (application.call_id refers to it)
from core import clock
from core.db import Base
from core.ids import new_id

OPEN_STATES = ("draft", "submitted", "screening", "under_review", "supplement_requested", "resubmitted")
LIVE_CERT_STATES = ("active", "suspended")
_open_sql = "state IN (" + ", ".join(f"'{s}'" for s in OPEN_STATES) + ")"
_live_sql = "status IN (" + ", ".join(f"'{s}'" for s in LIVE_CERT_STATES) + ")"


class CriteriaVersion(Base):
    __tablename__ = "criteria_version"

    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date)
    digest: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]]
    loaded_by: Mapped[str] = mapped_column(String(200))
    loaded_at: Mapped[datetime] = mapped_column(default=clock.now)


class ReviewerProfile(Base):
    """A ministry reviewer: their organisation and recorded relations, for conflict detection."""

    __tablename__ = "reviewer_profile"

    sub: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    org: Mapped[str] = mapped_column(String(64))
    related_orgs: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Application(Base):
    __tablename__ = "application"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"), index=True)
    applicant_org: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="initial")
    state: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    statement_ko: Mapped[str | None] = mapped_column(Text)
    criteria_version: Mapped[str | None] = mapped_column(ForeignKey("criteria_version.version"))
    call_id: Mapped[str | None] = mapped_column(ForeignKey("call.id", ondelete="RESTRICT"), index=True)  # calls.py
    call_field: Mapped[str | None] = mapped_column(String(40))  # the category it counts against a call's quota
    screening: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    facts: Mapped[dict[str, Any] | None] = mapped_column(default=None)  # frozen at submission (snapshot.py)
    # the fields (category codes) the supplier applies for; None: those of its published solutions (scope.py)
    requested_scope: Mapped[list[Any] | None] = mapped_column(default=None)
    supplement_message: Mapped[str | None] = mapped_column(Text)
    supplement_answer: Mapped[str | None] = mapped_column(Text)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    certificate_id: Mapped[str | None] = mapped_column(String(36))
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("uq_application_one_open", "company_id", unique=True,
              sqlite_where=text(_open_sql), postgresql_where=text(_open_sql)),
    )


class PanelSeat(Base):
    """A reviewer on an application's panel; a declared or detected conflict removes them."""

    __tablename__ = "panel_seat"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    reviewer_sub: Mapped[str] = mapped_column(ForeignKey("reviewer_profile.sub"))
    assigned_by: Mapped[str] = mapped_column(String(200))
    assigned_at: Mapped[datetime] = mapped_column(default=clock.now)
    declared_at: Mapped[datetime | None]
    has_conflict: Mapped[bool | None]
    conflict_reason: Mapped[str | None] = mapped_column(Text)
    removed: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (UniqueConstraint("application_id", "reviewer_sub"),)


class Review(Base):
    __tablename__ = "review"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    reviewer_sub: Mapped[str] = mapped_column(String(200))
    rubric_version: Mapped[str] = mapped_column(String(40))
    scores: Mapped[dict[str, Any]]
    comments: Mapped[str | None] = mapped_column(Text)
    weighted: Mapped[str] = mapped_column(String(20))  # exact decimal text of the weighted mean
    submitted_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (UniqueConstraint("application_id", "reviewer_sub"),)


class Certificate(Base):
    """A designation: the certificate of a company, renewed in place (the number is kept)."""

    __tablename__ = "certificate"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"), index=True)
    application_id: Mapped[str | None] = mapped_column(ForeignKey("application.id"))  # None: imported
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime]
    status_reason: Mapped[str | None] = mapped_column(Text)
    # the fields (category codes, sorted) the designation covers, decided by the panel (scope.py)
    scope: Mapped[list[Any]] = mapped_column(default=list)
    status_changed_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_event_seq: Mapped[int | None] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("uq_certificate_one_live", "company_id", unique=True,
              sqlite_where=text(_live_sql), postgresql_where=text(_live_sql)),
    )


class AuditLogEntry(Base):
    """One leaf of the audit Merkle tree. Rows are only ever inserted."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    entry: Mapped[bytes] = mapped_column(LargeBinary)  # RFC 8785 canonical JSON
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    root_after: Mapped[bytes] = mapped_column(LargeBinary(32))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (Index("ix_audit_log_subject", "subject_type", "subject_id", "seq"),)


class AuditHead(Base):
    """The writer's state of the log (one row): appends lock it, so sequence numbers never fork."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    root: Mapped[bytes] = mapped_column(LargeBinary(32))
    frontier: Mapped[list[Any]] = mapped_column(default=list)  # hex hashes of the compact range


class SignedTreeHeadRow(Base):
    __tablename__ = "signed_tree_head"

    size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    root: Mapped[bytes] = mapped_column(LargeBinary(32))
    timestamp: Mapped[datetime]
    signature: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
