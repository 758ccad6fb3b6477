"""Designation scope through HTTP with Korean data: the panel approves two of a supplier's three fields; the
solution of the third field is not shown as designated in search, facets or matches; the public verification
names the fields in Korean (JSON, signed statement, page); a scope-change application adds the third."""

from __future__ import annotations

import base64
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from certification.models import Certificate
from tests import factories
from tests.api.designation_builders import SCORES, Desk
from tests.api.test_search_api import PDM, VISION
from tests.conftest import bearer

QUALITY = {"title_ko": "사출 공정 품질 예측", "title_en": "Quality prediction for injection molding",
           "description_ko": "금형 온도와 사출 압력 데이터로 불량 발생을 미리 예측합니다.",
           "category": "quality_prediction", "industries": ["C22"]}
TWO = ["vision_inspection", "quality_prediction"]


def _supplier_with_three_fields(desk: Desk) -> tuple[dict[str, str], dict, dict[str, str]]:
    token = bearer(desk.mint("supplier"))
    c = desk.client.post("/v1/companies", json=factories.company(), headers=token).json()
    ids = {}
    for body in (VISION, QUALITY, PDM):
        r = desk.client.post("/v1/solutions", json=factories.solution(c["id"], **body), headers=token)
        assert r.status_code == 201, r.text
        ids[body["category"]] = r.json()["id"]
    return token, c, ids


def _review(desk: Desk, app_id: str, token: dict[str, str]) -> None:
    assert desk.post(f"/v1/applications/{app_id}/submit", token)["state"] == "under_review"
    desk.post(f"/v1/applications/{app_id}/panel", desk.admin, {"reviewers": [s for s, _ in desk.reviewers[:3]]})
    for _, tok in desk.reviewers[:2]:
        desk.post(f"/v1/applications/{app_id}/declaration", tok, {"has_conflict": False})
        desk.post(f"/v1/applications/{app_id}/reviews", tok, {"scores": SCORES}, expect=201)


def _designated_for_two(desk: Desk) -> tuple[dict[str, str], dict, dict[str, str], str]:
    token, c, ids = _supplier_with_three_fields(desk)
    app = desk.post("/v1/applications", token, {"company_id": c["id"]}, expect=201)
    assert app["requested_scope"] is None  # the fields of its published solutions, frozen at submission
    _review(desk, app["id"], token)
    # a field the application did not ask for cannot be granted
    r = desk.client.post(f"/v1/applications/{app['id']}/decision", headers=desk.reviewer,
                         json={"decision": "approve", "scope": ["vision_inspection", "energy_management"]})
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("신청하지 않은 분야는 지정할 수 없습니다: 에너지 관리")
    decided = desk.post(f"/v1/applications/{app['id']}/decision", desk.reviewer,
                        {"decision": "approve", "reason": "비전 검사·품질 예측 분야 기준 충족", "scope": TWO})
    assert decided["state"] == "approved"
    cert = desk.client.get(f"/v1/certificates?company_id={c['id']}", headers=desk.admin).json()["items"][0]
    return token, c, ids, cert["number"]


def _search_ids(desk: Desk, sme: dict[str, str], **params: str) -> tuple[list[str], dict]:
    r = desk.client.get("/v1/search", params=params, headers=sme)
    assert r.status_code == 200, r.text
    return [i["id"] for i in r.json()["items"]], r.json()["facets"]


def test_a_solution_outside_the_approved_scope_is_not_designated(client, mint, engine):
    desk = Desk.open(client, mint, engine)
    _, c, ids, number = _designated_for_two(desk)
    cert = client.get(f"/v1/certificates/{number}", headers=desk.admin).json()
    assert cert["scope"] == sorted(TWO)
    sme = bearer(mint("sme"))

    shown, facets = _search_ids(desk, sme, q="")
    assert set(shown) == {ids["vision_inspection"], ids["quality_prediction"]}
    assert "predictive_maintenance" not in facets["category"]  # not counted either
    assert _search_ids(desk, sme, q="예지보전")[0] == []
    assert _search_ids(desk, sme, q="", category="predictive_maintenance")[0] == []
    assert _search_ids(desk, sme, q="불량 검출")[0][0] == ids["vision_inspection"]

    r = client.post("/v1/match", headers=sme, json={"text": "모터 진동으로 설비 고장을 미리 알고 싶어요 (예지보전)",
                                                     "industry": "C29", "smart_factory_level": "intermediate1"})
    assert r.status_code == 200, r.text
    assert ids["predictive_maintenance"] not in [m["solution_id"] for m in r.json()["matches"]]
    r = client.post("/v1/match", headers=sme, json={"text": "사출품 미성형 불량을 카메라로 검사하고 싶어요",
                                                     "industry": "C22", "smart_factory_level": "basic"})
    assert r.json()["matches"][0]["solution_id"] == ids["vision_inspection"]
    # the public directory of designated companies lists it under its designated fields only
    assert c["name_ko"] in client.get("/pages/companies", params={"category": "quality_prediction"}).text
    assert c["name_ko"] not in client.get("/pages/companies", params={"category": "predictive_maintenance"}).text
    page = client.get(f"/pages/companies/{c['id']}").text
    assert page.count("지정 분야 밖 (지정 솔루션 아님)") == 1  # the predictive-maintenance solution
    assert "품질 예측, 비전 검사" in page
    # the solution itself stays in the catalogue, just not among designated results
    assert client.get(f"/v1/solutions/{ids['predictive_maintenance']}", headers=sme).status_code == 200


def test_the_public_verification_names_the_fields_in_korean(client, mint, engine):
    desk = Desk.open(client, mint, engine)
    _, _, _, number = _designated_for_two(desk)
    body = client.get(f"/v1/public/certificates/{number}").json()
    assert [(f["code"], f["name_ko"]) for f in body["scope"]] == [("quality_prediction", "품질 예측"),
                                                                  ("vision_inspection", "비전 검사")]
    assert body["scope_ko"] == "품질 예측, 비전 검사"
    payload = body["statement"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["scope_ko"] == "품질 예측, 비전 검사"
    assert [f["code"] for f in claims["scope"]] == sorted(TWO)
    page = client.get("/pages/verify", params={"number": number})
    assert page.status_code == 200
    assert "지정 분야" in page.text
    assert "품질 예측, 비전 검사" in page.text


def test_a_scope_change_application_adds_a_field(client, mint, engine):
    desk = Desk.open(client, mint, engine)
    token, c, ids, number = _designated_for_two(desk)
    sme = bearer(mint("sme"))
    # a field already covered is not a change; an empty request names nothing
    r = client.post("/v1/applications", headers=token, json={"company_id": c["id"], "kind": "scope_change",
                                                              "scope": ["vision_inspection"]})
    assert r.status_code == 422, r.text
    assert "이미 지정된 분야입니다: 비전 검사" in r.json()["detail"]
    r = client.post("/v1/applications", headers=token, json={"company_id": c["id"], "kind": "scope_change"})
    assert r.status_code == 422
    app = desk.post("/v1/applications", token, {"company_id": c["id"], "kind": "scope_change",
                                                "scope": ["predictive_maintenance"],
                                                "statement_ko": "예지보전 분야를 추가하려 합니다."}, expect=201)
    assert app["requested_scope"] == ["predictive_maintenance"]
    _review(desk, app["id"], token)
    assert _search_ids(desk, sme, q="예지보전")[0] == []  # not before the decision
    desk.post(f"/v1/applications/{app['id']}/decision", desk.reviewer, {"decision": "approve", "reason": "기준 충족"})
    cert = client.get(f"/v1/certificates/{number}", headers=desk.admin).json()
    assert cert["scope"] == sorted([*TWO, "predictive_maintenance"])
    assert cert["status"] == "active"  # same number, same period
    assert _search_ids(desk, sme, q="예지보전")[0] == [ids["predictive_maintenance"]]
    history = client.get(f"/v1/public/certificates/{number}/history").json()
    assert [e["action"] for e in history["events"]] == ["issue", "change_scope"]
    with Session(engine) as s:
        assert s.scalars(select(Certificate.scope).where(Certificate.number == number)).one() == cert["scope"]


def test_a_scope_edited_in_the_database_is_refused_by_the_public_verification(client, mint, engine):
    """The scope is in every certificate event: a scope widened by SQL disagrees with the log."""
    from sqlalchemy import update

    from core.db import writer

    desk = Desk.open(client, mint, engine)
    _, _, _, number = _designated_for_two(desk)
    with writer(engine).begin() as conn:
        conn.execute(update(Certificate).where(Certificate.number == number)
                     .values(scope=sorted([*TWO, "predictive_maintenance"])))
    assert client.get(f"/v1/public/certificates/{number}").status_code == 503
