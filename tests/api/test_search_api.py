"""Search and matching through HTTP with Hangul: what an SME types, what it gets back."""

from __future__ import annotations

from tests import factories
from tests.conftest import bearer

VISION = {"title_ko": "사출 부품 비전 불량 검출", "title_en": "Vision defect detection for molded parts",
          "description_ko": "산업용 카메라와 딥러닝으로 사출 성형품의 스크래치와 미성형을 실시간으로 검출합니다.",
          "description_en": "Detects scratches and short shots on molded parts in real time.",
          "category": "vision_inspection", "industries": ["C22"]}
PDM = {"title_ko": "진동 기반 설비 예지보전", "title_en": "Vibration-based predictive maintenance",
       "description_ko": "모터와 감속기의 진동 데이터를 분석해 고장을 미리 알려 줍니다.",
       "description_en": "Warns of motor and gearbox failures before they happen.",
       "category": "predictive_maintenance", "industries": ["C29"], "min_level": "intermediate1"}


def _designated_supplier(client, mint, admin, solutions, **company):
    """A supplier with published solutions and an active certificate (via the real workflow)."""
    from tests.api.test_designation_flow import SCORES

    token = bearer(mint("supplier"))
    c = client.post("/v1/companies", json=factories.company(**company), headers=token).json()
    ids = []
    for body in solutions:
        r = client.post("/v1/solutions", json=factories.solution(c["id"], **body), headers=token)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    app = client.post("/v1/applications", json={"company_id": c["id"]}, headers=token).json()
    client.post(f"/v1/applications/{app['id']}/submit", headers=token)
    subs = []
    for i in range(2):
        sub = f"rv-{c['id'][-6:]}-{i}"
        client.post("/v1/admin/reviewers", json={"sub": sub, "name": "심사위원", "org": "ministry"}, headers=admin)
        subs.append(sub)
    client.post(f"/v1/applications/{app['id']}/panel", json={"reviewers": subs}, headers=admin)
    for sub in subs:
        rv = bearer(mint("reviewer", org="ministry", sub=sub))
        client.post(f"/v1/applications/{app['id']}/declaration", json={"has_conflict": False}, headers=rv)
        client.post(f"/v1/applications/{app['id']}/reviews", json={"scores": SCORES}, headers=rv)
    r = client.post(f"/v1/applications/{app['id']}/decision", json={"decision": "approve"},
                    headers=bearer(mint("reviewer", org="ministry", sub=subs[0])))
    assert r.status_code == 200, r.text
    cert = client.get(f"/v1/certificates?company_id={c['id']}", headers=admin).json()["items"][0]
    return token, c, ids, cert


def test_search_understands_particles_spacing_typos_and_english(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    _, _, (vision_id, pdm_id), _ = _designated_supplier(client, mint, admin, [VISION, PDM])
    sme = bearer(mint("sme"))

    def top(q):
        r = client.get("/v1/search", params={"q": q}, headers=sme)
        assert r.status_code == 200, r.text
        return [i["id"] for i in r.json()["items"]]

    assert top("검출을")[0] == vision_id          # particle stripped
    assert top("불량검출")[0] == vision_id         # spacing variant of 불량 검출
    assert top("붕량 검출")[0] == vision_id        # one jamo off
    assert top("predictive maintenance")[0] == pdm_id  # English query, Korean wording in the thesaurus
    hit = client.get("/v1/search", params={"q": "미성형 불량"}, headers=sme).json()["items"][0]
    assert "미성형" in hit["highlights"]["description_ko"]


def test_filters_facets_and_suspension_hide_solutions_at_once(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    _, _, (vision_id, pdm_id), cert = _designated_supplier(client, mint, admin, [VISION, PDM])
    sme = bearer(mint("sme"))
    body = client.get("/v1/search", params={"q": "", "category": "predictive_maintenance"}, headers=sme).json()
    assert [i["id"] for i in body["items"]] == [pdm_id]
    assert body["facets"]["category"]["predictive_maintenance"] == 1

    r = client.post(f"/v1/certificates/{cert['number']}/suspend", json={"reason": "점검"}, headers=admin)
    assert r.status_code == 200
    assert client.get("/v1/search", params={"q": "불량 검출"}, headers=sme).json()["items"] == []
    r = client.post("/v1/match", json={"text": "사출품 미성형 불량 검사"}, headers=sme)
    assert r.status_code == 200
    assert r.json()["matches"] == []


def test_match_explains_itself_in_korean_and_english(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    _designated_supplier(client, mint, admin, [VISION, PDM])
    sme = bearer(mint("sme"))
    r = client.post("/v1/match", json={"text": "사출품에 미성형 불량이 자주 나와요", "industry": "C22",
                                       "smart_factory_level": "basic", "budget_krw": 150_000_000, "region": "경기"},
                    headers=sme)
    assert r.status_code == 200, r.text
    best = r.json()["matches"][0]
    assert best["title_ko"] == VISION["title_ko"]
    assert abs(sum(best["breakdown"].values()) - best["score"]) < 1e-9
    assert any("기초 단계" in x for x in best["reasons_ko"])
    assert any("basic" in x for x in best["reasons_en"])


def test_edit_is_searchable_after_the_outbox_is_applied(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    token, _, (vision_id, _), _ = _designated_supplier(client, mint, admin, [VISION, PDM])
    sme = bearer(mint("sme"))
    assert client.get("/v1/search", params={"q": "도금"}, headers=sme).json()["items"] == []
    etag = client.get(f"/v1/solutions/{vision_id}", headers=token).headers["ETag"]
    r = client.patch(f"/v1/solutions/{vision_id}", json={"description_ko": "도금 표면의 얼룩과 핀홀을 검출합니다."},
                     headers={**token, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert [i["id"] for i in client.get("/v1/search", params={"q": "도금"}, headers=sme).json()["items"]] == [vision_id]


def test_admin_edits_the_thesaurus_and_search_follows(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    _, _, (vision_id, _), _ = _designated_supplier(client, mint, admin, [VISION, PDM])
    sme = bearer(mint("sme"))
    assert client.get("/v1/search", params={"q": "눈검사기"}, headers=sme).json()["items"] == []
    current = client.get("/v1/admin/thesaurus", headers=admin).json()
    current["version"] = "2026-test"
    current["groups"].append({"id": "test.slang", "categories": {"vision_inspection": 1.0},
                              "terms": ["눈검사기", "비전 검사"]})
    r = client.post("/v1/admin/thesaurus", json=current, headers=admin)
    assert r.status_code == 201, r.text
    assert client.post("/v1/admin/thesaurus", json=current, headers=admin).status_code == 409
    assert client.post("/v1/admin/thesaurus", json={"version": "x", "groups": []}, headers=admin).status_code == 422
    assert client.post("/v1/admin/thesaurus", json=current, headers=sme).status_code == 403
    items = client.get("/v1/search", params={"q": "눈검사기"}, headers=sme).json()["items"]
    assert [i["id"] for i in items] == [vision_id]


def test_reindex_of_a_dropped_index_restores_identical_results(client, mint, app):
    admin = bearer(mint("admin", org="ministry"))
    _designated_supplier(client, mint, admin, [VISION, PDM])
    sme = bearer(mint("sme"))
    queries = ["불량 검출", "예지보전", "vibration", ""]
    before = [client.get("/v1/search", params={"q": q}, headers=sme).json()["items"] for q in queries]
    service = app.state.search()
    service.index.clear()
    assert client.get("/v1/search", params={"q": "불량 검출"}, headers=sme).json()["items"] == []
    assert service.rebuild() == 2
    after = [client.get("/v1/search", params={"q": q}, headers=sme).json()["items"] for q in queries]
    assert after == before


def test_a_service_started_on_an_empty_index_folder_fills_it_from_the_database(client, mint, engine, tmp_path):
    """A new server process, or one whose index folder was lost, answers its first query fully."""
    from sqlalchemy.orm import Session

    from api.search_runtime import designated
    from matching.service import SearchService

    admin = bearer(mint("admin", org="ministry"))
    _designated_supplier(client, mint, admin, [VISION, PDM])
    sme = bearer(mint("sme"))
    expected = [i["id"] for i in client.get("/v1/search", params={"q": "불량 검출"}, headers=sme).json()["items"]]
    assert expected
    fresh = SearchService.embedded(engine, tmp_path / "new-index", designated)
    with Session(engine) as session:
        assert [i.doc.id for i in fresh.search(session, "불량 검출").items] == expected


def test_a_token_accepted_once_is_refused_when_it_expires(client, mint):
    import base64
    import json
    import time

    # the first search of a test builds the index: done first, with another token, so the clock below only
    # runs for the requests this test is about (a loaded machine took over a second for the first one)
    assert client.get("/v1/search", params={"q": "검사"}, headers=bearer(mint("sme"))).status_code == 200
    raw = mint("sme", ttl=5)  # exp is whole seconds: at least 4 s left now
    payload = raw.split(".")[1]
    exp = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"]
    token = bearer(raw)
    assert client.get("/v1/search", params={"q": "검사"}, headers=token).status_code == 200
    time.sleep(max(0.0, exp - time.time()) + 0.2)  # past exp: the verified-token cache keeps the token's window
    r = client.get("/v1/search", params={"q": "검사"}, headers=token)
    assert r.status_code == 401, r.text


def test_a_second_process_on_the_server_index_folder_reads_what_the_server_writes(client, mint, app, engine):
    """`axr match` beside a running server: the server holds the folder's writer and applies the outbox;
    the CLI's service cannot write there, so it follows the server's commits instead of failing."""
    from sqlalchemy.orm import Session

    from api.search_runtime import designated
    from matching.service import SearchService

    admin, sme = bearer(mint("admin", org="ministry")), bearer(mint("sme"))
    _designated_supplier(client, mint, admin, [VISION])
    assert client.get("/v1/search", params={"q": "불량 검출"}, headers=sme).json()["items"]  # server indexed
    cli = SearchService.embedded(engine, app.state.settings.search_dir(), designated)
    _designated_supplier(client, mint, admin, [PDM])  # pending in the outbox
    with Session(engine) as session:
        assert [i.doc.title_ko for i in cli.search(session, "예지보전").items] == []  # not applied yet, no error
        assert cli.follower
        assert [i.doc.title_ko for i in cli.search(session, "불량 검출").items] == [VISION["title_ko"]]
    assert client.get("/v1/search", params={"q": "예지보전"}, headers=sme).json()["items"]  # the server applies
    with Session(engine) as session:
        assert [i.doc.title_ko for i in cli.search(session, "예지보전").items] == [PDM["title_ko"]]


def test_the_engine_is_told_of_each_thesaurus_version_in_force(client, mint, engine):
    """Meilisearch keeps synonyms of its own: the service hands every new version to the engine."""
    from api.search_runtime import designated
    from matching.engine import TantivyIndex
    from matching.service import SearchService
    from matching.thesaurus import Thesaurus

    class Told(TantivyIndex):
        def __init__(self) -> None:
            super().__init__(None)
            self.told: list[str] = []

        def use_thesaurus(self, thesaurus: Thesaurus) -> None:
            self.told.append(thesaurus.version)

    service = SearchService(Told(), engine, designated)
    admin = bearer(mint("admin", org="ministry"))
    service.sync()
    assert service.index.told == []  # the shipped thesaurus is in force: nothing to tell
    current = client.get("/v1/admin/thesaurus", headers=admin).json()
    for version in ("2026-12", "2027-01"):
        current["version"] = version
        assert client.post("/v1/admin/thesaurus", json=current, headers=admin).status_code == 201
        service.sync()
        service.sync()
    assert service.index.told == ["2026-12", "2027-01"]


def test_after_a_bulk_apply_the_pending_probe_visits_no_stale_rows(app, engine):
    """Marking a bulk import's events updates every outbox row; on PostgreSQL the old row versions
    stay in the pending index until vacuumed, and each query's probe visited all of them (8 ms at
    100k). The consumer vacuums after a bulk apply."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from core import outbox
    from core.db import writer
    from matching import index_sync

    service = app.state.search()
    service.sync()
    with Session(writer(engine)) as session:
        outbox.record_many(session, [{"resource": "solution", "resource_id": f"gone-{i}", "action": "updated"}
                                     for i in range(index_sync.VACUUM_AFTER + 200)])
        session.commit()
    assert service.sync() == index_sync.VACUUM_AFTER + 200
    with Session(engine) as session:
        assert not index_sync.has_pending(session)
    if engine.dialect.name == "postgresql":
        probe = "SELECT 1 FROM outbox_event WHERE indexed_at IS NULL"
        with engine.connect() as conn:
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {probe}").scalar_one()
        node = plan[0]["Plan"]
        while node.get("Plans"):
            node = node["Plans"][0]  # down to the index scan
        assert "Index" in node["Node Type"]
        assert node["Actual Rows"] == 0  # no stale versions left to visit
    else:
        with engine.connect() as conn:
            plan = " ".join(str(r) for r in conn.execute(text(
                "EXPLAIN QUERY PLAN SELECT 1 FROM outbox_event WHERE indexed_at IS NULL")).all())
        assert "ix_outbox_event_pending" in plan


def test_a_warm_start_loads_search_before_the_first_request(settings, engine, tmp_path):
    """`axr serve` sets AXR_SEARCH_WARM: Kiwi and the index load in the background at start-up."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    for warm in (True, False):
        app = create_app(settings.model_copy(update={"index_dir": tmp_path / f"index-{warm}", "search_warm": warm}),
                         engine=engine)
        with TestClient(app):
            assert app.state.search_warmed.wait(60 if warm else 0.5) is warm
            assert (tmp_path / f"index-{warm}" / "axr-index.json").exists() is warm  # the index opened, or not


def test_a_write_committed_while_the_index_fills_does_not_fail_the_sync(client, mint, engine):
    """The index sync reads, fills the index (long), then marks events. Another connection committing
    meanwhile (the webhook worker, a request) must not make the marking fail: on SQLite a read
    transaction that tries to write after such a commit is refused at once ("database is locked")."""
    from sqlalchemy.orm import Session

    from api.search_runtime import designated
    from core import outbox
    from core.db import writer
    from matching import index_sync
    from matching.engine import TantivyIndex

    admin = bearer(mint("admin", org="ministry"))
    _designated_supplier(client, mint, admin, [VISION])

    def active_while_someone_writes(session, ids):
        with Session(writer(engine)) as other:  # e.g. the webhook worker fanning out
            outbox.record(other, resource="webhook_test", resource_id="x", action="created", public=False)
            other.commit()
        return designated(session, ids)

    index = TantivyIndex(None)
    with Session(engine) as session:
        assert index_sync.apply_outbox(session, index, lambda ids: active_while_someone_writes(session, ids)) > 0
        assert not index_sync.has_pending(session)
    assert index.count() == 1
