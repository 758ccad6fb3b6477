"""Build programme objects through HTTP for the programme API tests: a cohort with selected SMEs
(imported from CSV), designated suppliers, consultants and projects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from registry.bizno import with_check_digit
from tests import factories
from tests.api.test_search_api import VISION, _designated_supplier
from tests.conftest import bearer


def cohort_with_smes(client, mint, admin, numbers: list[str], year: int = 2026, encoding: str = "cp949",
                     extra_rows: str = "") -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """Import the SMEs as candidates from a CSV upload, select them all; returns the import report and,
    per business number, {"id", "token"} (the SME's organisation is derived from its number)."""
    assert client.post("/v1/programme/cohorts", json={"year": year, "capacity": 100, "name_ko": f"{year}년 기수"},
                       headers=admin).status_code == 201
    lines = ["사업자등록번호,기업명,업종,지역,스마트공장수준"]
    lines += [f"{n},한빛정밀{i} 주식회사,C22,경남,기초" for i, n in enumerate(numbers)]
    body = ("\n".join(lines) + "\n" + extra_rows).encode(encoding)
    r = client.post(f"/v1/programme/cohorts/{year}/candidates", headers=admin,
                    files={"file": ("후보.csv", body, "text/csv")})
    assert r.status_code == 200, r.text
    report = r.json()
    members = {m["sme_id"] for m in client.get(f"/v1/programme/cohorts/{year}/members", headers=admin).json()}
    smes: dict[str, dict[str, str]] = {}
    for n in numbers:
        org = "bizno:" + n.replace("-", "")
        token = bearer(mint("sme", org=org))
        sme = client.get("/v1/smes", headers=token).json()["items"][0]
        assert sme["id"] in members
        r = client.post(f"/v1/programme/cohorts/{year}/members/{sme['id']}/select",
                        json={"reason": "수준 진단 결과 적합"}, headers=admin)
        assert r.status_code == 200, r.text
        r = client.post(f"/v1/programme/smes/{sme['id']}/profile/confirmed-level", json={"level": "basic"},
                        headers=admin)  # as the pre-consultant would: the stage rules read it
        assert r.status_code == 200, r.text
        smes[n] = {"id": sme["id"], "token": token}
    return report, smes


def number(i: int) -> str:
    return with_check_digit(str(401_000_000 + i))


def supplier(client, mint, admin, **company: Any):
    """A designated supplier with the VISION solution: (token, company, [solution id], certificate)."""
    return _designated_supplier(client, mint, admin, [VISION], **company)


NEED = "사출품 미성형 불량을 카메라로 자동 검사하고 싶습니다"


def project(client, sme_token, need_text: str = NEED, group_id: str | None = None,
            stages: bool = True) -> dict[str, Any]:
    """A planned project of the SME; with `stages`, its AI stage plan (2026: data collection), which needs the
    level confirmed (`cohort_with_smes` does that)."""
    need = client.post("/v1/needs", json=factories.need(text=need_text, smart_factory_level="basic",
                                                        budget_krw=150_000_000), headers=sme_token)
    assert need.status_code == 201, need.text
    body = {"need_id": need.json()["id"], "title_ko": "AI 비전 검사 도입", "year": 2026}
    r = client.post("/v1/programme/projects", json={**body, **({"group_id": group_id} if group_id else {})},
                    headers=sme_token)
    assert r.status_code == 201, r.text
    if stages:
        plan = client.put(f"/v1/programme/projects/{r.json()['id']}/stages", headers=sme_token,
                          json={"stages": [{"year": 2026, "stage": "data_collection"}]})
        assert plan.status_code == 200, plan.text
        return plan.json()
    return r.json()


def poster(client, project_id: str, default: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """post(path, body, headers=default): a POST to the project's sub-path that must succeed (200 or 201)."""
    def post(path: str, body: dict[str, Any], headers: dict[str, str] = default) -> dict[str, Any]:
        r = client.post(f"/v1/programme/projects/{project_id}/{path}", json=body, headers=headers)
        assert r.status_code in (200, 201), f"{path}: {r.text}"
        return r.json()
    return post


def started(client, admin, sme_token, project_id: str, solution_id: str) -> Callable[..., dict[str, Any]]:
    """Take a planned project (its stage plan set: 2026, data collection) through the supplier choice, budget
    (100M + 100M, approved), contract and start; returns its `poster`."""
    post = poster(client, project_id, sme_token)
    post("supplier", {"solution_id": solution_id})
    envelope(client, admin)
    for source in ("gov", "own"):
        line = post("budget-lines", {"year": 2026, "source": source, "amount_krw": 100_000_000,
                                     "stage": "data_collection"})
        post(f"budget-lines/{line['id']}/approve", {}, admin)
    for action in ("contract", "start"):
        post("transitions", {"action": action})
    return post


def completed(client, admin, sme_token, project_id: str, solution_id: str, consultant: tuple[dict, dict],
              outcomes: tuple[tuple[str, float, float], ...] = (("defect_rate", 3.4, 0.8),),
              accept: bool = True) -> None:
    """Take a planned project through its stage plan (2026: data collection), budget (100M + 100M), contract,
    start, outcomes, completion, the post-consultation that confirms its outcomes and (unless `accept` is
    False) the officer's acceptance of the completion."""
    post = started(client, admin, sme_token, project_id, solution_id)
    for metric, before, after in outcomes:
        post("outcomes", {"metric": metric, "before": before, "after": after})
    post("transitions", {"action": "complete"})
    post("consultants", {"consultant_id": consultant[0]["id"], "kind": "post"}, admin)
    post("consultations", {"kind": "post", "evaluation_ko": "현장에서 확인함", "rating": 4}, consultant[1])
    if accept:
        post("completion/accept", {}, admin)


def consultant(client, mint, admin, sub: str, affiliations: list[dict[str, Any]] | None = None):
    r = client.post("/v1/programme/consultants", headers=admin,
                    json={"sub": sub, "name": "이정훈", "organisation": "한국생산성본부",
                          "affiliations": affiliations or []})
    assert r.status_code == 201, r.text
    return r.json(), bearer(mint("consultant", sub=sub))


def envelope(client, admin, year: int = 2026, gov_krw: int = 2_400_000_000_000) -> None:
    """The fiscal year's government envelope (12,000 places x 200M unless given), set by the officer."""
    r = client.put(f"/v1/programme/envelopes/{year}", json={"gov_krw": gov_krw}, headers=admin)
    assert r.status_code == 200, r.text


def approve(client, admin, project_id: str, line_id: str) -> Any:
    return client.post(f"/v1/programme/projects/{project_id}/budget-lines/{line_id}/approve", headers=admin)


def plan_stages(client, admin, sme_token, project_id: str, plan: dict[int, str] | None = None,
                level: str = "basic") -> dict[str, Any]:
    """A pre-consultant's confirmed level (the officer confirms it here) and the project's yearly AI stage plan
    (default 2026: data collection), set by the SME."""
    sme_id = client.get(f"/v1/programme/projects/{project_id}", headers=sme_token).json()["sme_id"]
    r = client.post(f"/v1/programme/smes/{sme_id}/profile/confirmed-level", json={"level": level}, headers=admin)
    assert r.status_code == 200, r.text
    stages = [{"year": y, "stage": s} for y, s in sorted((plan or {2026: "data_collection"}).items())]
    r = client.put(f"/v1/programme/projects/{project_id}/stages", json={"stages": stages}, headers=sme_token)
    assert r.status_code == 200, r.text
    return r.json()
