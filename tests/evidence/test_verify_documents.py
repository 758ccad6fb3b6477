"""`axr audit verify` hashes every stored evidence document: replacing a document's bytes on disk (or
deleting the file, or editing the digest in its row) makes it exit 1 naming the document and its file."""

from __future__ import annotations

from sqlalchemy import update

from core.db import writer
from evidence.models import EvidenceDocument
from tests.api.designation_builders import Desk
from tests.cli.runner import axr_in_process
from tests.evidence.helpers import pdf, png, upload


def test_audit_verify_names_a_document_whose_bytes_were_replaced(client, mint, engine, settings):
    desk = Desk.open(client, mint, engine, n_reviewers=0)
    s, app_id = desk.draft()
    kept = upload(client, app_id, s.token, pdf("AI 인력 명단"), "AI_인력_명단.pdf", criterion="E2").json()
    swapped = upload(client, app_id, s.token, png(), "현장_적용_사진.png", media_type="image/png",
                     criterion="E4").json()

    ok = axr_in_process(settings, "audit", "verify")
    assert ok.exit_code == 0, ok.output
    assert "2 document(s) match their recorded digests" in ok.stdout

    blob = settings.documents_path() / swapped["sha256"][:2] / swapped["sha256"]
    blob.write_bytes(png())  # same name, other bytes
    bad = axr_in_process(settings, "audit", "verify")
    assert bad.exit_code == 1, bad.output
    assert f"document check FAILED for document {swapped['id']} of application {app_id}" in bad.stderr
    assert "bytes were replaced" in bad.stderr
    assert f"문서 검증 실패: 신청 {app_id}의 문서 {swapped['id']}('현장_적용_사진.png'): 저장된 파일의 내용이" \
        in bad.stderr
    assert kept["id"] not in bad.stderr  # the intact one is not named
    assert "audit log check FAILED" not in bad.stderr  # the log itself is intact
    # the pass can be skipped (a quick check of the log alone)
    assert axr_in_process(settings, "audit", "verify", "--no-documents").exit_code == 0

    blob.unlink()
    gone = axr_in_process(settings, "audit", "verify")
    assert gone.exit_code == 1
    assert "the stored file is missing" in gone.stderr


def test_audit_verify_names_a_row_whose_digest_was_edited(client, mint, engine, settings):
    desk = Desk.open(client, mint, engine, n_reviewers=0)
    s, app_id = desk.draft()
    doc = upload(client, app_id, s.token, pdf("매출 증빙"), "매출_증빙.pdf").json()
    other = upload(client, app_id, s.token, pdf("다른 파일"), "다른_파일.pdf").json()
    # point the row at another stored (intact) blob: only the audit event's digest gives it away
    with writer(engine).begin() as conn:
        conn.execute(update(EvidenceDocument).where(EvidenceDocument.id == doc["id"])
                     .values(sha256=other["sha256"]))
    bad = axr_in_process(settings, "audit", "verify")
    assert bad.exit_code == 1, bad.output
    assert f"문서 {doc['id']}('매출_증빙.pdf')" in bad.stderr
    assert f"differs from the one event {doc['audit_seq']} recorded" in bad.stderr
