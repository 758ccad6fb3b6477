"""The one way an uploaded file becomes a stored document, for every upload path (an application's
criterion or supplement evidence, an appeal's documents, a performance report's evidence): size and type
checked from the content, virus-scanned when clamd is configured, then stored by digest.

Nothing is stored unless every check passed: a refused file leaves no blob and no row. `record` then adds the
row with the audit event that carries the digest, the same way for every kind of document.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from certification import audit_log
from core.principal import Principal
from evidence import scan, sniff
from evidence.errors import (
    DocumentContentMismatch,
    DocumentEmpty,
    DocumentInfected,
    DocumentTooLarge,
    DocumentTooLargeToScan,
    DocumentTypeNotAccepted,
    ScannerUnavailable,
)
from evidence.store import BlobStore

log = logging.getLogger("axr.evidence")


class _Document(Protocol):
    id: str
    audit_seq: int


D = TypeVar("D", bound=_Document)


@dataclass(frozen=True)
class Accepted:
    filename: str
    media_type: str
    size: int
    sha256: str
    scan: scan.ScanRecord

    def audit(self) -> dict[str, Any]:
        """The file's part of the attaching audit event's payload."""
        return {"filename": self.filename, "media_type": self.media_type, "size": self.size, "sha256": self.sha256,
                "scan": self.scan.status, "scanner": self.scan.scanner}

    def columns(self) -> dict[str, Any]:
        """The document row's columns that describe the file (EvidenceDocument and ReportDocument alike)."""
        return {"filename": self.filename, "media_type": self.media_type, "size": self.size, "sha256": self.sha256,
                "scan_status": self.scan.status, "scanned_at": self.scan.scanned_at, "scanner": self.scan.scanner}


def checked(content: bytes, filename: str | None, declared_type: str | None, max_bytes: int) -> tuple[str, str]:
    """The file's clean name and the type read from its content, or the refusal (413, 422)."""
    if len(content) > max_bytes:
        raise DocumentTooLarge(max_bytes)
    if not content:
        raise DocumentEmpty("내용이 없는 파일은 올릴 수 없습니다.", "An empty file cannot be attached.")
    name = sniff.clean_filename(filename)
    verdict = sniff.check(content, name, declared_type)
    if verdict.refusal == "extension":
        raise DocumentTypeNotAccepted(name)
    if verdict.refusal == "content":
        raise DocumentContentMismatch(name, verdict.claimed or "", verdict.media_type)
    return name, verdict.media_type or "application/octet-stream"


def scanned(scanner: scan.Clamd | None, name: str, content: bytes) -> scan.ScanRecord:
    """"not_scanned" without a scanner; "clean" when clamd said OK; else the refusal (422, 413, 503)."""
    if scanner is None:
        return scan.NOT_SCANNED
    try:
        verdict = scanner.scan(content)
    except scan.StreamTooLarge as exc:
        raise DocumentTooLargeToScan(name) from exc
    except scan.ScannerUnavailable as exc:
        log.error("virus scan failed, upload refused: %s", exc)
        raise ScannerUnavailable() from exc
    if verdict.signature is not None:
        log.warning("upload refused: clamd found %s in %r", verdict.signature, name)
        raise DocumentInfected(name, verdict.signature)
    return scan.record(verdict)


def accept(store: BlobStore, scanner: scan.Clamd | None, *, content: bytes, filename: str | None,
           declared_type: str | None, max_bytes: int) -> Accepted:
    """Check, scan, then store the file; the caller records the row and its audit event."""
    name, media_type = checked(content, filename, declared_type, max_bytes)
    record = scanned(scanner, name, content)
    sha = store.put(content)
    return Accepted(name, media_type, len(content), sha, record)


def record(session: Session, doc: D, *, actor: Principal, action: str, subject_type: str, subject_id: str,
           state: str, payload: dict[str, Any]) -> D:
    """Add the document's row and the audit event that attaches it (the payload, with the file's part from
    `Accepted.audit()`, gets the document's id); the row keeps the event's seq, which verification follows."""
    session.add(doc)
    session.flush()
    event = audit_log.append(session, actor=actor, subject_type=subject_type, subject_id=subject_id, action=action,
                             from_state=state, to_state=state, payload={**payload, "document_id": doc.id})
    doc.audit_seq = event.seq
    session.flush()
    return doc
