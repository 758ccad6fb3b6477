"""Datasets across tenants over HTTP: private to the owner, group to the lead firm and accepted members (not an
invitee, not another tenant), public to anyone (the public catalogue in DCAT-AP terms, and the change feed).
What a caller may not see answers 404, never 403."""

from __future__ import annotations

from typing import Any

from tests.api import programme_helpers as h
from tests.conftest import bearer

G = "/v1/programme/groups"


def _dataset(sme_id: str | None, access: str, group_id: str | None = None, **extra: Any) -> dict[str, Any]:
    body = {"title_ko": "프레스 2호기 모터 전류 (2025년)", "title_en": "Press line 2 motor current (2025)",
            "description_ko": "인버터에서 1 kHz로 읽은 상전류. 정지·고장 구간 표시 포함.",
            "keywords": ["모터 전류", "프레스"], "profile_code": "motor_current", "industry": "C29",
            "licence": "CC BY 4.0", "temporal_start": "2025-01-01", "temporal_end": "2025-12-31",
            "spatial": "경남 창원", "media_format": "text/csv", "access": access,
            "anonymisation_ko": "작업자·설비 식별 정보 없음. 시각은 분 단위로 절사.",
            "file_uri": "s3://axr-datasets/hanbit/current-2025.csv"}
    return {**body, **({"sme_id": sme_id} if sme_id else {}), **({"group_id": group_id} if group_id else {}),
            **extra}


def _made(r) -> str:
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _seen(client, dataset_id: str, token) -> int:
    return client.get(f"/v1/datasets/{dataset_id}", headers=token).status_code


def test_dataset_access_follows_its_setting_across_tenants(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    a, c = h.number(191), h.number(192)
    _, smes = h.cohort_with_smes(client, mint, admin, [a, c], encoding="utf-8")
    member, invitee = smes[a], smes[c]
    stranger, supplier, portal = bearer(mint("sme")), bearer(mint("supplier")), bearer(mint("portal"))
    lead = bearer(mint("sme", org="lead-daehan"))
    group = {"name_ko": "대한모빌리티 협력사 AX", "lead_name_ko": "대한모빌리티"}
    gid = _made(client.post(G, json=group, headers=lead))
    for s in (member, invitee):
        assert client.post(f"{G}/{gid}/members", json={"sme_id": s["id"]}, headers=lead).status_code == 201
    r = client.post(f"{G}/{gid}/members/{member['id']}/accept", json={"share": []}, headers=member["token"])
    assert r.status_code == 200, r.text

    # private: the owner and staff only
    private = _made(client.post("/v1/datasets", json=_dataset(member["id"], "private"), headers=member["token"]))
    assert _seen(client, private, member["token"]) == 200
    assert _seen(client, private, admin) == 200
    for other in (lead, invitee["token"], stranger, supplier):
        assert _seen(client, private, other) == 404
    assert client.get(f"/v1/public/datasets/{private}").status_code == 404

    # group: the lead and accepted members; not an invitee, not another tenant
    shared = _made(client.post("/v1/datasets", json=_dataset(member["id"], "group", gid), headers=member["token"]))
    led = _made(client.post("/v1/datasets", json=_dataset(None, "group", gid, title_ko="협력사 공동 품질 검사 기록",
                                                          profile_code="quality_inspection"), headers=lead))
    for dataset_id in (shared, led):
        assert _seen(client, dataset_id, lead) == 200
        assert _seen(client, dataset_id, member["token"]) == 200
        for other in (invitee["token"], stranger, supplier):
            assert _seen(client, dataset_id, other) == 404
    listed = client.get("/v1/datasets", headers=member["token"]).json()["items"]
    assert {d["id"] for d in listed} == {private, shared, led}
    assert client.get("/v1/datasets", headers=invitee["token"]).json()["items"] == []

    # an invitee is no member: it cannot share into the group; a stranger cannot even name it
    r = client.post("/v1/datasets", json=_dataset(invitee["id"], "group", gid), headers=invitee["token"])
    assert r.status_code == 422
    assert "수락한 그룹" in r.json()["detail"]
    r = client.post("/v1/datasets", json=_dataset(None, "group", gid), headers=stranger)
    assert r.status_code == 404
    r = client.post("/v1/datasets", json=_dataset(member["id"], "private"), headers=stranger)
    assert r.status_code == 404
    r = client.post("/v1/datasets", json=_dataset(member["id"], "group"), headers={**member["token"],
                                                                                  "Accept-Language": "en"})
    assert r.status_code == 422
    assert r.json()["detail"] == "access=group needs the group_id."
    assert client.post("/v1/datasets", json=_dataset(None, "public"), headers=supplier).status_code == 403

    # public: anyone, without a token, in DCAT-AP terms; and in the change feed (the others are not)
    public = _made(client.post("/v1/datasets", json=_dataset(member["id"], "public"), headers=member["token"]))
    for anyone in (stranger, supplier, invitee["token"]):
        assert _seen(client, public, anyone) == 200
    r = client.get("/v1/public/datasets", params={"theme": "motor_current"})
    assert r.status_code == 200, r.text
    [item] = r.json()["items"]
    assert item["identifier"] == public
    assert item["title"] == {"ko": "프레스 2호기 모터 전류 (2025년)", "en": "Press line 2 motor current (2025)"}
    assert item["keyword"] == ["모터 전류", "프레스"]
    assert item["themeLabel"] == {"ko": "모터 전류", "en": "motor current"}
    assert item["license"] == "CC BY 4.0"
    assert item["temporal"] == {"startDate": "2025-01-01", "endDate": "2025-12-31"}
    assert item["publisher"] == "한빛정밀0 주식회사"
    assert item["distribution"] == [{"format": "text/csv", "accessURL": "s3://axr-datasets/hanbit/current-2025.csv"}]
    assert client.get("/v1/public/datasets", params={"theme": "energy_meter"}).json()["items"] == []
    feed = client.get("/v1/feed/changes", params={"resource": "dataset"}, headers=portal)
    assert feed.status_code == 200, feed.text
    events = feed.json()["items"]
    assert [e["resource_id"] for e in events] == [public]
    assert events[0]["type"] == "dataset.created"
    assert events[0]["link"].endswith(f"/v1/public/datasets/{public}")
