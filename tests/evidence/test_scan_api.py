"""Virus scanning over HTTP with a real clamd: an infected PDF is refused (422, Korean then English, naming
the file and the signature) and nothing is stored; a clean one is stored as "clean" with clamd's version,
in the row and in the audit event; a configured clamd that does not answer refuses the upload (503,
Retry-After) rather than storing it unscanned. The same holds on every upload path: an application's
evidence, an appeal's documents and a performance report's evidence."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import func, select

from certification.models import AuditLogEntry
from certification.monitoring_models import ReportDocument
from core import clock
from core.korean import kst
from evidence.models import EvidenceDocument
from tests.api.designation_builders import APPROVE, Desk
from tests.api.test_monitoring import FIGURES, _due
from tests.evidence.clamd_server import MARKER, STREAM_MAX_BYTES, ClamdServer
from tests.evidence.helpers import pdf, upload


def _counts(engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(conn.scalar(select(func.count()).select_from(t))  # type: ignore[return-value]
                     for t in (EvidenceDocument, ReportDocument, AuditLogEntry))


def _blob(settings, content: bytes):
    sha = hashlib.sha256(content).hexdigest()
    return settings.documents_path() / sha[:2] / sha


def infected() -> bytes:
    return pdf("2025년 연구개발비 집행 내역 " + MARKER.decode())


def test_an_infected_pdf_is_refused_in_korean_and_english_and_nothing_is_stored(client, mint, engine, settings,
                                                                                 scanning: ClamdServer):
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.draft()
    before = _counts(engine)
    content = infected()
    r = upload(client, app_id, s.token, content, "연구개발비_명세서.pdf", criterion="E3")
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"] == "https://axr.go.kr/problems/document-infected"
    assert body["title"] == "악성코드가 발견된 파일입니다"
    assert body["detail"] == (f"'연구개발비_명세서.pdf' 파일에서 악성코드({scanning.signature})가 발견되어 받지 "
                              "않았습니다. 파일을 검사한 뒤 다시 올려 주세요.")
    assert (body["filename"], body["signature"]) == ("연구개발비_명세서.pdf", scanning.signature)
    en = upload(client, app_id, {**s.token, "Accept-Language": "en"}, content, "연구개발비_명세서.pdf").json()
    assert en["detail"].startswith(f"Malware ({scanning.signature}) was found in the file")
    assert _counts(engine) == before
    assert not _blob(settings, content).exists()


def test_a_clean_pdf_is_stored_as_clean_with_the_scanner_version(client, mint, engine, settings,
                                                                 scanning: ClamdServer):
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.draft()
    content = pdf("2025년 연구개발비 집행 내역")
    r = upload(client, app_id, s.token, content, "연구개발비_명세서.pdf", criterion="E3")
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["scan"] == "clean"
    assert doc["scanner"].startswith("ClamAV ")
    assert doc["scanned_at"] is not None
    assert _blob(settings, content).read_bytes() == content
    assert client.get(f"/v1/applications/{app_id}/documents", headers=s.token).json()[0]["scan"] == "clean"
    events = client.get("/v1/audit/events", params={"subject_type": "application", "subject_id": app_id},
                        headers=desk.admin).json()["items"]
    payload = next(e["payload"] for e in events if e["action"] == "attach_document")
    assert (payload["scan"], payload["scanner"]) == ("clean", doc["scanner"])


def test_a_configured_clamd_that_does_not_answer_refuses_the_upload(client, app, mint, engine, settings, tmp_path):
    app.state.settings = app.state.settings.model_copy(update={"clamd_socket": str(tmp_path / "clamd.sock")})
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.draft()
    before = _counts(engine)
    content = pdf("검사 못 한 파일")
    r = upload(client, app_id, s.token, content, "명세서.pdf", criterion="E3")
    assert r.status_code == 503, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["retry-after"] == "30"
    assert r.json()["type"] == "https://axr.go.kr/problems/virus-scanner-unavailable"
    assert r.json()["detail"] == "바이러스 검사를 할 수 없어 파일을 받지 않았습니다. 잠시 후 다시 올려 주세요."
    assert _counts(engine) == before
    assert not _blob(settings, content).exists()


def test_a_file_over_clamds_stream_limit_is_refused_as_too_large_to_scan(client, mint, engine, settings,
                                                                         scanning: ClamdServer):
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.draft()
    content = pdf("큰 파일 " + "0" * (STREAM_MAX_BYTES + 1024))
    assert len(content) < settings.document_max_bytes  # ours would take it; clamd will not scan it
    r = upload(client, app_id, s.token, content, "큰_명세서.pdf", criterion="E3")
    assert r.status_code == 413, r.text
    assert r.json()["type"] == "https://axr.go.kr/problems/document-too-large-to-scan"
    assert not _blob(settings, content).exists()


def test_appeal_and_report_uploads_are_scanned_too(client, mint, engine, settings, scanning: ClamdServer):
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.application_in("rejected")
    appeal = desk.post("/v1/appeals", s.token, {"application_id": app_id,
                                                "reasons_ko": "반려 사유에 대한 소명 자료를 제출합니다."}, expect=201)
    before = _counts(engine)
    r = client.post(f"/v1/appeals/{appeal['id']}/documents", headers=s.token,
                    files={"file": ("소명서.pdf", infected(), "application/pdf")})
    assert r.status_code == 422, r.text
    assert r.json()["type"].endswith("/document-infected")
    assert _counts(engine) == before
    r = client.post(f"/v1/appeals/{appeal['id']}/documents", headers=s.token,
                    files={"file": ("소명서.pdf", pdf("소명 자료"), "application/pdf")})
    assert (r.status_code, r.json()["scan"]) == (201, "clean"), r.text

    desk2 = Desk.open(client, mint, engine)
    s2, app2 = desk2.reviewed()
    desk2.post(f"/v1/applications/{app2}/decision", desk2.reviewer, APPROVE)
    cert = client.get(f"/v1/certificates?company_id={s2.company['id']}", headers=desk2.admin).json()["items"][0]
    clock.advance(timedelta(days=(_due(cert, 1) - kst(clock.now()).date()).days - 5))
    report = desk2.post(f"/v1/certificates/{cert['number']}/performance-reports", s2.token, FIGURES, expect=201)
    before = _counts(engine)
    url = f"/v1/performance-reports/{report['id']}/documents"
    r = client.post(url, headers=s2.token, files={"file": ("도입실적.pdf", infected(), "application/pdf")})
    assert r.status_code == 422, r.text
    assert r.json()["signature"] == scanning.signature
    assert _counts(engine) == before
    r = client.post(url, headers=s2.token, files={"file": ("도입실적.pdf", pdf("도입 실적"), "application/pdf")})
    assert r.status_code == 201, r.text
    assert r.json()["scan"] == "clean"
    assert r.json()["scanner"].startswith("ClamAV ")
    filed = client.get(f"/v1/performance-reports/{report['id']}", headers=desk2.reviewer).json()
    assert [d["scan"] for d in filed["documents"]] == ["clean"]
