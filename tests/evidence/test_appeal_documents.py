"""An appeal's documents go through the evidence checks and into `axr audit verify`: replacing one's bytes
on disk makes it exit 1 naming the document and its appeal; an executable named .pdf is refused (422)."""

from __future__ import annotations

import secrets

from tests.api.designation_builders import Desk
from tests.cli.runner import axr_in_process


def test_a_replaced_appeal_document_is_named_by_audit_verify(client, mint, engine, settings):
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.application_in("rejected")
    r = client.post("/v1/appeals", headers=s.token,
                    json={"application_id": app_id, "reasons_ko": "반려 사유에 대한 소명 자료를 제출합니다."})
    assert r.status_code == 201, r.text
    appeal_id = r.json()["id"]
    body = b"%PDF-1.7\n% " + secrets.token_hex(8).encode() + b"\n%%EOF\n"  # bytes no other test stores
    r = client.post(f"/v1/appeals/{appeal_id}/documents", headers=s.token,
                    files={"file": ("소명서.pdf", body, "application/pdf")})
    assert r.status_code == 201, r.text
    doc = r.json()
    r = client.post(f"/v1/appeals/{appeal_id}/documents", headers={**s.token, "Accept-Language": "en"},
                    files={"file": ("소명서2.pdf", b"MZ\x90\x00\x03\x00\x00\x00PE\x00\x00", "application/pdf")})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"

    ok = axr_in_process(settings, "audit", "verify")
    assert ok.exit_code == 0, ok.output
    (settings.documents_path() / doc["sha256"][:2] / doc["sha256"]).write_bytes(b"%PDF-1.7\n%%EOF\n")
    bad = axr_in_process(settings, "audit", "verify")
    assert bad.exit_code == 1, bad.output
    assert f"document check FAILED for document {doc['id']} of appeal {appeal_id}" in bad.stderr
    assert f"문서 검증 실패: 이의신청 {appeal_id}의 문서 {doc['id']}('소명서.pdf')" in bad.stderr
