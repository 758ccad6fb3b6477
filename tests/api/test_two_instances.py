"""Two API instances on one database, each with its own embedded search index fed from the outbox (issue 17,
item 3): a write acknowledged by one instance is found by the other's search within the asserted lag, and a
designation change is seen by both at once (checked against the database at query time). Each index keeps its
own place in the outbox, so one instance applying an event does not hide it from the other."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from api.app import create_app
from tests import factories
from tests.api.designation_builders import Desk
from tests.conftest import bearer

LAG_SECONDS = 2.0  # a query applies a short backlog itself, so the lag is one request's sync


def _found(c: TestClient, headers: dict, q: str) -> list[str]:
    r = c.get("/v1/search", params={"q": q}, headers=headers)
    assert r.status_code == 200, r.text
    return [h["solution"]["id"] if "solution" in h else h["id"] for h in r.json()["items"]]


def _within_lag(c: TestClient, headers: dict, q: str, wanted: str, present: bool = True) -> float:
    started = time.monotonic()
    while True:
        if (wanted in _found(c, headers, q)) == present:
            return time.monotonic() - started
        assert time.monotonic() - started < LAG_SECONDS, f"{wanted} not {'found' if present else 'gone'} in time"
        time.sleep(0.05)


def test_a_write_through_one_instance_is_found_by_the_other(settings, engine, tmp_path, client, mint):
    desk = Desk.open(client, mint, engine)
    supplier, number = desk.certificate("active")
    one = create_app(settings.model_copy(update={"index_dir": tmp_path / "one"}), engine=engine)
    two = create_app(settings.model_copy(update={"index_dir": tmp_path / "two"}), engine=engine)
    reader = bearer(mint("sme", org="org_reader"))
    with TestClient(one) as a, TestClient(two) as b:
        _found(a, reader, "비전")  # both indexes filled and caught up
        _found(b, reader, "비전")
        body = factories.solution(supplier.company["id"], title_ko="용접 비드 형상 딥러닝 검사기",
                                  description_ko="레이저 용접 비드의 기공과 언더컷을 카메라 영상으로 판정합니다.")
        made = a.post("/v1/solutions", json=body, headers=supplier.token)
        assert made.status_code == 201, made.text
        sid = made.json()["id"]
        assert sid in _found(a, reader, "용접 비드 기공")  # at once in the instance that took the write
        lag = _within_lag(b, reader, "용접 비드 기공", sid)
        assert lag < LAG_SECONDS

        # a suspension through the other instance: neither shows the supplier's solutions any more
        r = b.post(f"/v1/certificates/{number}/suspend", json={"reason": "현장 점검 결과 확인 중"},
                   headers=desk.admin)
        assert r.status_code == 200, r.text
        assert sid not in _found(a, reader, "용접 비드 기공")
        assert sid not in _found(b, reader, "용접 비드 기공")


def test_an_index_folder_of_before_its_own_outbox_place_picks_up_where_the_shared_marking_says(
        settings, engine, tmp_path, client, mint):
    """An index folder written before indexes kept their place (no axr-outbox.json) is not rebuilt: it starts
    from the outbox rows' shared marking and records its own place from its next batch on."""
    desk = Desk.open(client, mint, engine)
    supplier, _ = desk.certificate("active")
    folder = tmp_path / "upgraded"
    reader = bearer(mint("sme", org="org_reader"))
    first = create_app(settings.model_copy(update={"index_dir": folder}), engine=engine)
    with TestClient(first) as a:
        _found(a, reader, "비전")
    first.state.search().index._writer = None  # let the folder's writer lock go, as a stopped server does
    del first
    import gc

    gc.collect()
    (folder / "axr-outbox.json").unlink()
    again = create_app(settings.model_copy(update={"index_dir": folder}), engine=engine)
    with TestClient(again) as b:
        assert again.state.search().index.applied_seq() is None
        assert not again.state.search().index.needs_rebuild
        body = factories.solution(supplier.company["id"], title_ko="주조품 기공 엑스레이 판독",
                                  description_ko="알루미늄 주조품의 내부 기공을 엑스레이 영상으로 판독합니다.")
        made = b.post("/v1/solutions", json=body, headers=supplier.token)
        assert made.status_code == 201, made.text
        assert made.json()["id"] in _found(b, reader, "주조품 기공 엑스레이")
        assert again.state.search().index.applied_seq() is not None
        assert (folder / "axr-outbox.json").exists()
