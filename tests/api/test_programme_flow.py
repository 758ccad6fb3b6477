"""The SME programme end to end through HTTP with Korean data: cohort from a CP949 CSV with one bad row,
selection, pre-consulting, a snapshotted shortlist, a designated supplier, budget rules, completion,
post-consulting that confirms outcomes, and the supplier's track record in the match score."""

from __future__ import annotations

from tests.api import programme_helpers as h
from tests.conftest import bearer

M = 1_000_000
BAD_ROW = "123-45-67890,오류정밀 주식회사,C99,경남,기초\n"


def _post(client, path, headers, body=None, expect=200):
    r = client.post(path, json=body, headers=headers)
    assert r.status_code == expect, f"{path}: {r.status_code} {r.text}"
    return r.json()


def test_programme_end_to_end(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    n1, n2 = h.number(1), h.number(2)
    report, smes = h.cohort_with_smes(client, mint, admin, [n1, n2], extra_rows=BAD_ROW)
    assert report["encoding"] == "cp949"
    assert report["imported"] == 2
    assert [e["line"] for e in report["errors"]] == [4]  # header, two good rows, then the bad one
    sme = smes[n1]["token"]

    s_token, company, (solution_id,), _ = h.supplier(client, mint, admin)
    project = h.project(client, sme)
    pid = project["id"]
    assert project["state"] == "planned"
    assert project["allowed_actions"] == ["cancel", "contract"]

    # pre-consulting by a neutral consultant; one on the supplier's board is refused once it is chosen
    neutral, neutral_tok = h.consultant(client, mint, admin, "consultant-lee")
    tied, _ = h.consultant(client, mint, admin, "consultant-park",
                           [{"name": company["name_ko"], "company_id": company["id"]}])
    _post(client, f"/v1/programme/projects/{pid}/consultants", admin, {"consultant_id": neutral["id"], "kind": "pre"})
    pre = _post(client, f"/v1/programme/projects/{pid}/consultations", neutral_tok,
                {"kind": "pre", "assessed_level": "basic", "recommended_stages": ["1단계: AI 비전 검사"],
                 "priority_needs": ["사출 외관 불량"]}, expect=201)
    assert pre["assessed_level"] == "basic"

    # the shortlist keeps the matches as they are now
    snap = _post(client, f"/v1/programme/projects/{pid}/shortlist", sme, {"limit": 5}, expect=201)
    first = next(i for i in snap["items"] if i["solution_id"] == solution_id)
    before_track = first["breakdown"]["track_record"]

    _post(client, f"/v1/programme/projects/{pid}/supplier", sme, {"solution_id": solution_id})
    r = client.post(f"/v1/programme/projects/{pid}/consultants", json={"consultant_id": tied["id"], "kind": "post"},
                    headers=admin)
    assert r.status_code == 403
    assert r.json()["type"].endswith("consultant-conflict")

    # budget: the SME submits 200M + 200M; nothing counts until the officer approves (the SME cannot)
    h.envelope(client, admin)
    lines = [_post(client, f"/v1/programme/projects/{pid}/budget-lines", sme,
                   {"year": 2026, "source": source, "amount_krw": 200 * M, "note": "1차년도",
                    "stage": "data_collection"}, expect=201)
             for source in ("gov", "own")]
    assert [x["status"] for x in lines] == ["submitted", "submitted"]
    r = client.post(f"/v1/programme/projects/{pid}/transitions", json={"action": "contract"}, headers=sme)
    assert r.status_code == 422
    assert "승인된 예산이 없습니다" in r.json()["detail"]
    assert h.approve(client, sme, pid, lines[0]["id"]).status_code == 403
    for line in lines:
        r = h.approve(client, admin, pid, line["id"])
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "approved"
    assert h.approve(client, admin, pid, lines[0]["id"]).status_code == 409  # decided once
    # one more won of government money is over the cap
    r = client.post(f"/v1/programme/projects/{pid}/budget-lines", json={"year": 2026, "source": "gov",
                                                                        "amount_krw": 1}, headers=sme)
    assert r.status_code == 422, r.text
    assert r.json()["type"].endswith("budget-rule")
    assert "200,000,000" in client.post(f"/v1/programme/projects/{pid}/budget-lines", headers={
        **sme, "Accept-Language": "en"}, json={"year": 2026, "source": "gov", "amount_krw": 1,
                                                     "stage": "data_collection"}).json()["detail"]

    for action in ("contract", "start"):
        _post(client, f"/v1/programme/projects/{pid}/transitions", sme, {"action": action})
    _post(client, f"/v1/programme/projects/{pid}/expenditures", sme,
          {"year": 2026, "source": "gov", "amount_krw": 150 * M, "spent_on": "2026-06-01",
           "description": "비전 검사 장비 구매"}, expect=201)
    r = client.post(f"/v1/programme/projects/{pid}/expenditures", headers=sme, json={
        "year": 2026, "source": "gov", "amount_krw": 50 * M + 1, "spent_on": "2026-07-01", "description": "추가 구매"})
    assert r.status_code == 422
    for metric, before, after in (("defect_rate", 3.4, 0.8), ("industrial_accidents", 2, 1)):
        _post(client, f"/v1/programme/projects/{pid}/outcomes", sme,
              {"metric": metric, "before": before, "after": after, "note": "3개월 평균 비교"}, expect=201)
    done = _post(client, f"/v1/programme/projects/{pid}/transitions", sme, {"action": "complete"})
    assert done["state"] == "completed"
    assert done["completed_on"]

    _post(client, f"/v1/programme/projects/{pid}/consultants", admin, {"consultant_id": neutral["id"], "kind": "post"})
    _post(client, f"/v1/programme/projects/{pid}/consultations", neutral_tok,
          {"kind": "post", "evaluation_ko": "불량률 감소를 현장에서 확인함", "rating": 5}, expect=201)
    detail = client.get(f"/v1/programme/projects/{pid}", headers=sme).json()
    assert all(o["confirmed_at"] for o in detail["outcomes"])
    assert detail["shortlists"][0]["items"] == snap["items"]  # history is not rewritten

    # the confirmed project is now part of the supplier's track record
    need_id = project["need_id"]
    r = client.post(f"/v1/programme/needs/{need_id}/matches", headers=sme)
    assert r.status_code == 200, r.text
    best = next(m for m in r.json()["items"] if m["id"] == solution_id)
    assert best["breakdown"]["track_record"] > before_track
    assert client.get(f"/v1/programme/projects/{pid}", headers=sme).json()["shortlists"][0]["items"][0][
        "breakdown"] == snap["items"][0]["breakdown"]

    # completed and evaluated is not adopted yet: only the officer's acceptance counts
    events = client.get("/v1/reports/kpis", headers=admin).json()["overall"]
    assert (events["selected_smes"], events["adopted_smes"], events["adoption_rate"]) == (2, 0, 0.0)
    assert events["outcomes"]["defect_rate"]["projects"] == 1
    accepted = _post(client, f"/v1/programme/projects/{pid}/completion/accept", admin, {})
    assert (accepted["state"], accepted["allowed_actions"]) == ("accepted", [])
    events = client.get("/v1/reports/kpis", headers=admin).json()["overall"]
    assert (events["adopted_smes"], events["adoption_rate"]) == (1, 0.5)


def test_suspended_or_revoked_supplier_is_refused(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    _, smes = h.cohort_with_smes(client, mint, admin, [h.number(11)], encoding="utf-8")
    sme = smes[h.number(11)]["token"]
    for action in ("suspend", "revoke"):
        _, _, (solution_id,), cert = h.supplier(client, mint, admin)
        _post(client, f"/v1/certificates/{cert['number']}/{action}", admin, {"reason": "현장 점검 결과 확인 중"})
        project = h.project(client, sme)
        r = client.post(f"/v1/programme/projects/{project['id']}/supplier", json={"solution_id": solution_id},
                        headers=sme)
        assert r.status_code == 422, r.text
        assert r.json()["type"].endswith("supplier-not-designated")


def test_suspension_after_choice_blocks_the_contract(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    _, smes = h.cohort_with_smes(client, mint, admin, [h.number(21)], encoding="utf-8")
    sme = smes[h.number(21)]["token"]
    _, _, (solution_id,), cert = h.supplier(client, mint, admin)
    pid = h.project(client, sme)["id"]
    _post(client, f"/v1/programme/projects/{pid}/supplier", sme, {"solution_id": solution_id})
    h.envelope(client, admin)
    for source in ("gov", "own"):
        line = _post(client, f"/v1/programme/projects/{pid}/budget-lines", sme,
                     {"year": 2026, "source": source, "amount_krw": 100 * M, "stage": "data_collection"}, expect=201)
        assert h.approve(client, admin, pid, line["id"]).status_code == 200
    _post(client, f"/v1/certificates/{cert['number']}/suspend", admin, {"reason": "점검"})
    r = client.post(f"/v1/programme/projects/{pid}/transitions", json={"action": "contract"}, headers=sme)
    assert r.status_code == 422
    r = client.post(f"/v1/programme/projects/{pid}/transitions", json={"action": "complete"}, headers=sme)
    assert r.status_code == 409
    assert r.json()["allowed_actions"] == ["cancel", "contract"]


def test_a_solution_outside_the_suppliers_designated_fields_is_refused(client, mint):
    """The supplier is designated for vision inspection only: its later predictive-maintenance solution
    cannot be chosen for a project."""
    from tests import factories
    from tests.api.test_search_api import PDM

    admin = bearer(mint("admin", org="ministry"))
    _, smes = h.cohort_with_smes(client, mint, admin, [h.number(31)], encoding="utf-8")
    sme = smes[h.number(31)]["token"]
    s_token, company, (vision_id,), cert = h.supplier(client, mint, admin)
    assert cert["scope"] == ["vision_inspection"]
    pdm = client.post("/v1/solutions", json=factories.solution(company["id"], **PDM), headers=s_token).json()
    project = h.project(client, sme)
    r = client.post(f"/v1/programme/projects/{project['id']}/supplier", json={"solution_id": pdm["id"]},
                    headers=sme)
    assert r.status_code == 422, r.text
    assert r.json()["type"].endswith("supplier-not-designated")
    assert "지정 분야에 이 솔루션의 분야(예지보전)가 없습니다" in r.text
    _post(client, f"/v1/programme/projects/{project['id']}/supplier", sme, {"solution_id": vision_id})
