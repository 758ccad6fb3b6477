"""ORM models of monitoring after designation: the annual performance report (실적 보고) with its evidence
files, the suspension case a missed report opens, and the flags on edits to a designated listing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import Base
from core.ids import new_id


class PerformanceReport(Base):
    """One designation year's report: drafted, evidence attached, then submitted (on time or late)."""

    __tablename__ = "performance_report"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    certificate_id: Mapped[str] = mapped_column(ForeignKey("certificate.id", ondelete="RESTRICT"), index=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"), index=True)
    year: Mapped[int] = mapped_column(Integer)  # the designation year it reports on (1, 2, ...)
    due_on: Mapped[date] = mapped_column(Date)  # the anniversary of the designation (KST)
    state: Mapped[str] = mapped_column(String(16), default="draft")  # draft, submitted
    deployments: Mapped[int] = mapped_column(Integer)
    manufacturing_ai_revenue_krw: Mapped[int] = mapped_column(BigInteger)
    ai_staff: Mapped[int] = mapped_column(Integer)
    summary_ko: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    on_time: Mapped[bool | None] = mapped_column(default=None)

    __table_args__ = (UniqueConstraint("certificate_id", "year"),)


class ReportDocument(Base):
    """An evidence file of a report; bytes in the evidence blob store under the digest, which the audit
    event that attached it also carries."""

    __tablename__ = "report_document"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    report_id: Mapped[str] = mapped_column(ForeignKey("performance_report.id", ondelete="RESTRICT"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(200))
    audit_seq: Mapped[int] = mapped_column(BigInteger)
    uploaded_at: Mapped[datetime] = mapped_column(default=clock.now)
    # the virus scan (evidence/scan.py): "clean" only when clamd said so, else "not_scanned"
    scan_status: Mapped[str] = mapped_column(String(16), default="not_scanned", server_default="not_scanned")
    scanned_at: Mapped[datetime | None] = mapped_column()
    scanner: Mapped[str | None] = mapped_column(String(200))  # clamd's VERSION, e.g. "ClamAV 1.4.6/27480/..."


class SuspensionCase(Base):
    """Opened when a year's report was not submitted by its due date plus the grace period; a reviewer
    suspends the certificate or closes the case."""

    __tablename__ = "suspension_case"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    certificate_id: Mapped[str] = mapped_column(ForeignKey("certificate.id", ondelete="RESTRICT"), index=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="open")  # open, suspended, closed
    opened_at: Mapped[datetime] = mapped_column(default=clock.now)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decision_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("certificate_id", "year"), Index("ix_suspension_case_state", "state"))


class ListingEdit(Base):
    """An edit to a designated company's listing (its facts or a published solution), for a reviewer to
    acknowledge."""

    __tablename__ = "listing_edit"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"))
    certificate_number: Mapped[str] = mapped_column(String(40))
    resource: Mapped[str] = mapped_column(String(16))  # company, solution
    resource_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(16))  # created, updated
    changes: Mapped[list[Any]] = mapped_column(default=list)  # [{"field", "before", "after"}]
    in_scope: Mapped[bool | None] = mapped_column(default=None)  # a solution: within the designated fields
    edited_by: Mapped[str] = mapped_column(String(200))
    edited_at: Mapped[datetime] = mapped_column(default=clock.now)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_listing_edit_open", "acknowledged_at", "edited_at"),
                      Index("ix_listing_edit_company", "company_id", "edited_at"))
