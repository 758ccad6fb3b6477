"""Issue 13, end to end over HTTP with Korean data: an admin opens a call (공고); a supplier applies to it with
a document per criterion; the facts are frozen at submission; a supplement is answered with a document; the
panel approves a scope of two of the supplier's three fields; the solution of the third field is not
designated in search or matches; the supplier is told at each step (a real SMTP server on loopback receives
the Korean mails, the inbox lists them); a rejected supplier appeals and a panel disjoint from the original
decides."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from core import clock
from notices.dispatch import Dispatcher
from tests import factories
from tests.api.designation_builders import LOW_SCORES, SCORES, Desk
from tests.conftest import bearer
from tests.evidence.helpers import pdf

MAIL = "jijeong@nuri-vision.kr"
VISION = {"title_ko": "사출 부품 외관 불량 비전 검사", "title_en": "Vision inspection of molded parts",
          "description_ko": "산업용 카메라와 딥러닝으로 사출품의 스크래치와 미성형을 전수 검사합니다.",
          "category": "vision_inspection", "industries": ["C22"]}
QUALITY = {"title_ko": "사출 공정 품질 예측", "title_en": "Quality prediction for injection moulding",
           "description_ko": "금형 온도와 사출 압력 데이터로 불량 발생을 미리 예측합니다.",
           "category": "quality_prediction", "industries": ["C22"]}
PDM = {"title_ko": "진동 기반 설비 예지보전", "title_en": "Vibration-based predictive maintenance",
       "description_ko": "모터와 감속기의 진동 데이터를 분석해 고장을 미리 알려 줍니다.",
       "category": "predictive_maintenance", "industries": ["C22"]}
SCOPE = ["quality_prediction", "vision_inspection"]


def _body(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()  # type: ignore[no-any-return]


def _upload(desk: Desk, app_id: str, token: dict[str, str], name: str, **form: str) -> dict[str, Any]:
    r = desk.client.post(f"/v1/applications/{app_id}/documents", headers=token, data=form,
                         files={"file": (name, pdf(name), "application/pdf")})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def _deliver(engine: Any, settings: Any, smtp: Any) -> None:
    result = Dispatcher(engine, settings.model_copy(update={"smtp_url": smtp.url})).step()
    assert result.failed == 0


def test_call_documents_supplement_scope_notices_and_appeal(client, mint, engine, settings, smtp):
    desk = Desk.open(client, mint, engine, n_reviewers=6)
    panel = [sub for sub, _ in desk.reviewers[:3]]

    # 1. the admin opens a call; the public lists it
    now = clock.now()
    call = desk.post("/v1/admin/calls", desk.admin, {
        "title_ko": "2027년 제1차 제조 AI 전문기업 지정 공고", "summary_ko": "제조 AI 전 분야 지정 신청을 받습니다.",
        "criteria_version": "v1", "rubric_version": "v1", "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=30)).isoformat()}, expect=201)
    assert [c["id"] for c in client.get("/v1/public/calls").json()] == [call["id"]]

    # 2. a supplier with solutions in three fields applies to the call, a document per criterion
    token = bearer(mint("supplier"))
    company = desk.post("/v1/companies", token, factories.company(name_ko="누리비전 주식회사",
                                                                  contact_email=MAIL), expect=201)
    solution_ids = {}
    for body in (VISION, QUALITY, PDM):
        solution_ids[body["category"]] = desk.post("/v1/solutions", token,
                                                   factories.solution(company["id"], **body), expect=201)["id"]
    app = desk.post("/v1/applications", token, {"company_id": company["id"], "call_id": call["id"]}, expect=201)
    app_id = app["id"]
    for criterion, name in (("E2", "AI_인력_재직증명.pdf"), ("E3", "2025_연구개발비_명세서.pdf")):
        doc = _upload(desk, app_id, token, name, purpose="criterion", criterion=criterion)
        assert doc["criterion"] == criterion
    assert desk.post(f"/v1/applications/{app_id}/submit", token)["state"] == "under_review"

    # 3. the facts are frozen: a later edit of the company does not change what is screened
    frozen = client.get(f"/v1/applications/{app_id}/facts", headers=desk.admin)
    assert frozen.status_code == 200, frozen.text
    before = frozen.json()
    r = client.get(f"/v1/companies/{company['id']}", headers=token)
    r = client.patch(f"/v1/companies/{company['id']}", json={"ai_staff": 40},
                     headers={**token, "If-Match": r.headers["ETag"]})
    assert r.status_code == 200, r.text
    after = client.get(f"/v1/applications/{app_id}/facts", headers=desk.admin).json()
    assert after["facts"] == before["facts"]
    assert after["facts"]["company"]["ai_staff"] == 12  # what was screened
    assert after["changes"]  # and the reviewers see the edit as a change

    # 4. a supplement is requested and answered with a document
    desk.post(f"/v1/applications/{app_id}/panel", desk.admin, {"reviewers": panel})
    for _, tok in desk.reviewers[:2]:
        desk.post(f"/v1/applications/{app_id}/declaration", tok, {"has_conflict": False})
    desk.post(f"/v1/applications/{app_id}/supplement-request", desk.reviewer,
              {"message": "도입 실적의 불량률 측정 근거를 보완해 주세요."})
    answer = _upload(desk, app_id, token, "2025_전수검사_기록.pdf", purpose="supplement")
    assert answer["purpose"] == "supplement"
    desk.post(f"/v1/applications/{app_id}/resubmit", token, {"answer": "전수검사 기록을 첨부했습니다."})

    # 5. the panel approves two of the three fields
    for _, tok in desk.reviewers[:2]:
        desk.post(f"/v1/applications/{app_id}/reviews", tok, {"scores": SCORES}, expect=201)
    desk.post(f"/v1/applications/{app_id}/decision", desk.reviewer,
              {"decision": "approve", "reason": "비전 검사·품질 예측 분야 기준 충족", "scope": SCOPE})
    cert = client.get(f"/v1/certificates?company_id={company['id']}", headers=desk.admin).json()["items"][0]
    assert cert["scope"] == SCOPE
    public = client.get(f"/v1/public/certificates/{cert['number']}").json()
    assert [f["name_ko"] for f in public["scope"]] == ["품질 예측", "비전 검사"]

    # 6. search and matching show the two fields' solutions as designated, not the third
    sme = bearer(mint("sme"))
    found = [i["id"] for i in client.get("/v1/search", params={"q": ""}, headers=sme).json()["items"]]
    assert solution_ids["vision_inspection"] in found
    assert solution_ids["quality_prediction"] in found
    assert solution_ids["predictive_maintenance"] not in found
    r = client.post("/v1/match", headers=sme, json={"text": "모터 진동으로 설비 고장을 미리 알고 싶어요"})
    assert solution_ids["predictive_maintenance"] not in [m["solution_id"] for m in r.json()["matches"]]

    # 7. a second supplier is rejected, appeals, and a panel without the original members decides
    rival = desk.supplier(name_ko="한빛스마트 주식회사", contact_email=MAIL)
    second = desk.post("/v1/applications", rival.token, {"company_id": rival.company["id"], "call_id": call["id"]},
                       expect=201)["id"]
    desk.post(f"/v1/applications/{second}/submit", rival.token)
    desk.post(f"/v1/applications/{second}/panel", desk.admin, {"reviewers": panel})
    for _, tok in desk.reviewers[:2]:
        desk.post(f"/v1/applications/{second}/declaration", tok, {"has_conflict": False})
        desk.post(f"/v1/applications/{second}/reviews", tok, {"scores": LOW_SCORES}, expect=201)
    desk.post(f"/v1/applications/{second}/decision", desk.reviewer, {"decision": "reject", "reason": "평균 점수 미달"})
    appeal = desk.post("/v1/appeals", rival.token, {
        "application_id": second, "reasons_ko": "도입 실적 평가에 누락된 2025년 사례가 있습니다."}, expect=201)
    r = client.post(f"/v1/admin/appeals/{appeal['id']}/panel", json={"reviewers": [panel[0], desk.reviewers[4][0]]},
                    headers=desk.admin)
    assert r.status_code == 409, r.text  # the original panel may not sit
    desk.post(f"/v1/admin/appeals/{appeal['id']}/panel", desk.admin,
              {"reviewers": [desk.reviewers[4][0], desk.reviewers[5][0]]})
    out = desk.post(f"/v1/appeals/{appeal['id']}/decision", desk.reviewers[4][1],
                    {"outcome": "dismissed", "reason": "추가 사례를 반영해도 기준 점수에 미달합니다."})
    assert out["state"] == "dismissed"

    # 8. every step reached the mailbox in Korean (English after it) and the inbox
    _deliver(engine, settings, smtp)
    subjects = [m["Subject"] for m in smtp.to(MAIL)]
    for expected in ("자격 요건 검토", "보완 요청", "지정 승인", "이의신청"):
        assert any(expected in s for s in subjects), (expected, subjects)
    korean = [_body(m).split("\n---\n")[0] for m in smtp.to(MAIL)]
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in k) for k in korean)
    kinds = [n["kind"] for n in client.get("/v1/me/notices", params={"limit": 50}, headers=token).json()["items"]]
    assert kinds[:3] == ["screening_result", "supplement_requested", "decision"]
    rival_kinds = [n["kind"] for n in client.get("/v1/me/notices", params={"limit": 50},
                                                 headers=rival.token).json()["items"]]
    assert rival_kinds[-1].startswith("appeal")
