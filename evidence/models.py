"""The evidence document row: which application (and criterion), appeal or project outcome it supports,
what it is, and its digest. The bytes are in the blob store under the digest; the digest is also in the
audit event that attached it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from certification import appeal_models  # noqa: F401  (evidence_document.appeal_id refers to it)
from core import clock
from core.db import Base
from core.ids import new_id
from programme import models as programme_models  # noqa: F401  (evidence_document.outcome_id refers to it)


class EvidenceDocument(Base):
    __tablename__ = "evidence_document"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # an application's document, an appeal's (appeal_id set) or a programme outcome's (outcome_id set)
    application_id: Mapped[str | None] = mapped_column(ForeignKey("application.id", ondelete="RESTRICT"))
    appeal_id: Mapped[str | None] = mapped_column(ForeignKey("appeal.id", ondelete="RESTRICT"), index=True)
    outcome_id: Mapped[str | None] = mapped_column(ForeignKey("programme_outcome.id", ondelete="RESTRICT"),
                                                   index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # "criterion", "supplement", "appeal" or "outcome"
    criterion: Mapped[str | None] = mapped_column(String(16))  # E1..E5 for a criterion's evidence
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(200))
    audit_seq: Mapped[int] = mapped_column(BigInteger)  # the event that attached it (and holds its digest)
    uploaded_at: Mapped[datetime] = mapped_column(default=clock.now)
    # the virus scan (evidence/scan.py): "clean" only when clamd said so, else "not_scanned"
    scan_status: Mapped[str] = mapped_column(String(16), default="not_scanned", server_default="not_scanned")
    scanned_at: Mapped[datetime | None] = mapped_column()
    scanner: Mapped[str | None] = mapped_column(String(200))  # clamd's VERSION, e.g. "ClamAV 1.4.6/27480/..."

    __table_args__ = (Index("ix_evidence_document_application", "application_id", "uploaded_at"),)
