"""Evidence documents over HTTP, with Korean data: a supplier attaches a file per criterion to its draft
and a document to its supplement answer; the bytes are stored under their SHA-256 and the digest is in
the audit event; a file that is not what its name says is refused (422, Korean and English), an
over-size one answers 413; only whoever may read the application may download (others: 404)."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from certification.models import AuditLogEntry
from core.korean import josa, quoted
from evidence.models import EvidenceDocument
from tests.api.designation_builders import Desk
from tests.conftest import bearer
from tests.evidence.helpers import exe, pdf, png, upload, zip_archive


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (conn.scalar(select(func.count()).select_from(EvidenceDocument)),
                conn.scalar(select(func.count()).select_from(AuditLogEntry)))


def test_a_criterion_document_is_stored_by_digest_and_recorded_in_the_audit_log(client, mint, engine, settings):
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.draft()
    content = pdf("2025년 연구개발비 집행 내역")
    r = upload(client, app_id, s.token, content, "2025_연구개발비_명세서.pdf", criterion="E3")
    assert r.status_code == 201, r.text
    doc = r.json()
    sha = hashlib.sha256(content).hexdigest()
    assert doc["sha256"] == sha
    assert (doc["filename"], doc["media_type"], doc["criterion"], doc["size"]) == \
        ("2025_연구개발비_명세서.pdf", "application/pdf", "E3", len(content))
    assert (doc["scan"], doc["scanned_at"], doc["scanner"]) == ("not_scanned", None, None)  # no clamd configured
    assert (settings.documents_path() / sha[:2] / sha).read_bytes() == content

    events = client.get("/v1/audit/events", params={"subject_type": "application", "subject_id": app_id},
                        headers=desk.admin).json()["items"]
    attached = [e for e in events if e["action"] == "attach_document"]
    assert len(attached) == 1
    assert attached[0]["seq"] == doc["audit_seq"]
    assert attached[0]["payload"]["sha256"] == sha
    assert attached[0]["payload"]["document_id"] == doc["id"]

    listed = client.get(f"/v1/applications/{app_id}/documents", headers=s.token).json()
    assert [d["id"] for d in listed] == [doc["id"]]
    got = client.get(doc["download"], headers=s.token)
    assert got.status_code == 200
    assert got.content == content
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "filename*=UTF-8''2025_%EC%97%B0%EA%B5%AC" in got.headers["content-disposition"]

    # the application still submits and screens: attaching is a note on it, not a move
    assert desk.post(f"/v1/applications/{app_id}/submit", s.token)["state"] == "under_review"
    # and once submitted the criteria evidence is closed
    r = upload(client, app_id, s.token, pdf(), "추가_증빙.pdf", criterion="E3")
    assert r.status_code == 409, r.text
    assert r.json()["type"].endswith("/documents-closed")


def test_a_file_that_is_not_what_its_name_says_is_refused_in_korean_and_english(client, mint, engine):
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.draft()
    before = _counts(engine)
    r = upload(client, app_id, s.token, exe(), "사업자등록증.pdf")
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"] == "https://axr.go.kr/problems/document-content-mismatch"
    assert body["title"] == "파일 내용이 이름이나 형식과 다릅니다"
    assert body["detail"] == ("'사업자등록증.pdf' 파일은 PDF 문서라고 되어 있으나 내용은 Windows 실행 파일입니다. "
                              "파일을 확인해 주세요.")
    r = upload(client, app_id, {**s.token, "Accept-Language": "en"}, exe(), "사업자등록증.pdf")
    assert r.json()["detail"] == "The file claims to be a PDF document but its content is a Windows executable."
    assert r.json()["filename"] == "사업자등록증.pdf"

    r = upload(client, app_id, s.token, zip_archive(), "실적증명서.pdf")
    assert r.status_code == 422
    assert "내용은 ZIP 압축 파일입니다" in r.json()["detail"]
    r = upload(client, app_id, s.token, png(), "공정사진.jpg", media_type="image/jpeg")
    assert r.status_code == 422
    assert "JPEG 이미지라고 되어 있으나 내용은 PNG 이미지입니다" in r.json()["detail"]
    # a real PDF declared as an image by the client is refused too: name, type and content must agree
    r = upload(client, app_id, s.token, pdf(), "명세서.pdf", media_type="image/png")
    assert r.status_code == 422
    r = upload(client, app_id, s.token, exe(), "setup.exe", media_type="application/octet-stream")
    assert r.status_code == 422
    assert r.json()["type"].endswith("/document-type-not-accepted")
    assert r.json()["detail"].startswith("'setup.exe'는 받을 수 있는 형식이 아닙니다.")
    assert _counts(engine) == before  # nothing recorded

    # a PNG named .png and a folder-laden name are accepted, the name cleaned
    r = upload(client, app_id, s.token, png(), "C:\\현장\\공정:사진|1.png", media_type="image/png", criterion="E4")
    assert r.status_code == 201, r.text
    assert (r.json()["filename"], r.json()["media_type"]) == ("공정_사진_1.png", "image/png")


def test_an_over_size_file_answers_413(settings, engine, tmp_path, mint):
    from fastapi.testclient import TestClient

    from api.app import create_app

    app = create_app(settings.model_copy(update={"index_dir": tmp_path / "index", "document_max_bytes": 4000}),
                     engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        desk = Desk.open(client, mint, engine, n_reviewers=0)  # same signing key: the tokens pass here too
        s, app_id = desk.draft()
        r = upload(client, app_id, s.token, pdf("가" * 2000), "대용량_보고서.pdf")
        assert r.status_code == 413, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["type"].endswith("/document-too-large")
        assert r.json()["detail"] == "증빙 파일은 4KB까지 올릴 수 있습니다."
        # far beyond the limit, the body is refused before it is read
        r = upload(client, app_id, s.token, pdf("가" * 200_000), "대용량_보고서.pdf")
        assert r.status_code == 413
        assert r.headers["content-type"] == "application/problem+json"
        assert client.get(f"/v1/applications/{app_id}/documents", headers=s.token).json() == []


def test_a_supplement_answer_carries_its_document(client, mint, engine):
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.application_in("supplement_requested")
    r = upload(client, app_id, s.token, pdf("전수 검사 기록"), "2025_3-8월_전수검사_기록.pdf", purpose="supplement",
               criterion="")
    assert r.status_code == 201, r.text
    assert r.json()["purpose"] == "supplement"
    assert r.json()["criterion"] is None
    answer = {"answer": "2025년 3~8월 전수 검사 기록(12만 개)을 첨부합니다."}
    assert desk.post(f"/v1/applications/{app_id}/resubmit", s.token, answer)["state"] == "under_review"
    # the panel reads it
    listed = client.get(f"/v1/applications/{app_id}/documents", headers=desk.reviewer).json()
    assert [d["filename"] for d in listed] == ["2025_3-8월_전수검사_기록.pdf"]
    # with the request answered, no more supplement documents
    r = upload(client, app_id, s.token, pdf(), "추가.pdf", purpose="supplement", criterion="")
    assert r.status_code == 409


def test_only_those_who_may_read_the_application_may_download(client, mint, engine):
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.draft()  # another supplier's application
    other_supplier, other_app = desk.draft()  # the owner's: evidence on the draft, then submitted to a panel of one
    content = pdf("AI 인력 재직 증명")
    r = upload(client, other_app, other_supplier.token, content, "AI_인력_재직증명서.pdf", criterion="E2")
    assert r.status_code == 201, r.text
    doc = r.json()
    desk.post(f"/v1/applications/{other_app}/submit", other_supplier.token)
    desk.post(f"/v1/applications/{other_app}/panel", desk.admin, {"reviewers": [desk.reviewers[0][0]]})

    url = doc["download"]
    expect = {
        "owner": (other_supplier.token, 200),
        "admin": (desk.admin, 200),
        "reviewer on the panel": (desk.reviewers[0][1], 200),
        "reviewer not on the panel": (desk.reviewers[1][1], 404),
        "another supplier": (s.token, 404),
        "an SME": (bearer(mint("sme")), 404),
        "a portal (no registry scope)": (bearer(mint("portal")), 403),
    }
    for who, (headers, status) in expect.items():
        r = client.get(url, headers=headers)
        assert r.status_code == status, (who, r.status_code, r.text)
        if status == 200:
            assert r.content == content, who
        else:
            assert r.headers["content-type"] == "application/problem+json", who
        if status == 404:
            assert r.json()["detail"] == f"문서 {josa(quoted(doc['id']), '를')} 찾을 수 없습니다.", who
            # the same answer as for an id that does not exist
            missing = client.get("/v1/documents/01a00000-0000-7000-8000-000000000000/content", headers=headers)
            assert missing.status_code == 404, who
    # nor may another supplier list or attach to it
    assert client.get(f"/v1/applications/{other_app}/documents", headers=s.token).status_code == 404
    r = upload(client, app_id, other_supplier.token, pdf(), "남의_신청.pdf")
    assert r.status_code == 404


def test_a_download_whose_stored_bytes_were_replaced_is_refused(client, mint, engine, settings):
    desk = Desk.open(client, mint, engine, n_reviewers=0)
    s, app_id = desk.draft()
    doc = upload(client, app_id, s.token, pdf("매출 증빙"), "매출_증빙.pdf", criterion="E3").json()
    (settings.documents_path() / doc["sha256"][:2] / doc["sha256"]).write_bytes(pdf("바꿔치기한 내용"))
    r = client.get(doc["download"], headers=s.token)
    assert r.status_code == 503
    assert r.json()["type"].endswith("/integrity-check-failed")
