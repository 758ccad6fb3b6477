"""Public certificate verification at its edges: unknown and mistyped numbers, and the rate limit."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.app import create_app
from certification import numbers
from certification.numbers import ALPHABET
from core.settings import Settings
from tests.api.designation_builders import Desk


def _mistyped(number: str) -> str:
    """The same number with a wrong check character (the last one)."""
    wrong = next(c for c in ALPHABET if c != number[-1])
    return number[:-1] + wrong


def test_unknown_and_mistyped_numbers(client, engine) -> None:
    unknown = numbers.generate(2026)
    r = client.get(f"/v1/public/certificates/{unknown}")
    assert r.status_code == 404, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/not-found")
    assert r.json()["status"] == 404

    r = client.get(f"/v1/public/certificates/{_mistyped(unknown)}", headers={"Accept-Language": "en"})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"].endswith("/certificate-number-invalid")
    assert "check character" in body["title"]

    for garbage in ("AXR-2026-0000-0000-0", "hello", "AXR-26-ABCD-EFGH-J"):
        r = client.get(f"/v1/public/certificates/{garbage}")
        assert r.status_code == 422, garbage
        assert r.headers["content-type"] == "application/problem+json"


def test_a_number_typed_by_a_person_is_found(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    _, number = desk.certificate("active")
    typed = number.lower().replace("-", " ")
    r = client.get(f"/v1/public/certificates/{typed}")
    assert r.status_code == 200, r.text
    assert r.json()["number"] == number
    assert client.get(f"/v1/public/certificates/{_mistyped(number)}").status_code == 422


def test_the_request_after_the_quota_gets_429_with_rate_limit_headers(settings, engine, client, mint) -> None:
    desk = Desk.open(client, mint, engine)
    _, number = desk.certificate("active")
    limited = Settings(database_url=settings.database_url, data_dir=settings.data_dir, _env_file=None,
                       rate_limit_public=3, rate_limit_window_seconds=3600)  # type: ignore[call-arg]
    with TestClient(create_app(limited, engine=engine), raise_server_exceptions=False) as public:
        seen = []
        for _ in range(3):
            r = public.get(f"/v1/public/certificates/{number}")
            assert r.status_code == 200, r.text
            assert r.headers["RateLimit-Policy"] == '"public";q=3;w=3600'
            seen.append(int(re.search(r";r=(\d+)", r.headers["RateLimit"]).group(1)))
        assert seen == [2, 1, 0]

        r = public.get(f"/v1/public/certificates/{number}")
        assert r.status_code == 429, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["type"].endswith("/rate-limited")
        retry = int(r.headers["Retry-After"])
        assert 0 < retry <= 3600
        assert r.headers["RateLimit-Policy"] == '"public";q=3;w=3600'
        assert re.fullmatch(rf'"public";r=0;t={retry}', r.headers["RateLimit"])
        # Every public endpoint shares the quota; the authenticated API does not count against it.
        assert public.get("/v1/public/audit/tree-head").status_code == 429
        assert public.get("/v1/health").status_code == 200


def test_a_refused_public_request_still_reports_the_quota(client) -> None:
    """A mistyped or unknown number counts against the caller's quota; the 4xx says how much is left."""
    for path in ("/v1/public/certificates/AXR-2026-0000-0000-Z", "/v1/public/certificates/nonsense"):
        r = client.get(path)
        assert r.status_code in (404, 422), r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert r.headers["RateLimit-Policy"].startswith('"public"')
        assert re.search(r";r=\d+;t=\d+$", r.headers["RateLimit"])


def _claims(statement: str) -> dict:
    import base64
    import json

    payload = statement.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_a_revoked_or_suspended_certificate_says_it_is_not_in_force(client, mint, engine) -> None:
    from core.korean import date_ko

    desk = Desk.open(client, mint, engine)
    _, number = desk.certificate("active")
    r = client.get(f"/v1/public/certificates/{number}")
    assert (r.json()["in_force"], r.json()["notice_ko"], r.json()["status_reason"]) == (True, None, None)

    desk.post(f"/v1/certificates/{number}/revoke", desk.admin, {"reason": "허위 실적 자료 제출이 확인됨"})
    body = client.get(f"/v1/public/certificates/{number}").json()
    today = date_ko(body["checked_at"])
    assert body["status"] == "revoked"
    assert body["in_force"] is False
    assert body["status_reason"] == "허위 실적 자료 제출이 확인됨"
    assert date_ko(body["status_changed_at"]) == today
    assert body["notice_ko"] == f"이 지정서는 {today}에 지정이 취소되어 지정 효력이 없습니다."
    assert body["notice_en"].startswith("This designation was revoked on ")
    claims = _claims(body["statement"])  # the signed statement says the same
    assert (claims["in_force"], claims["status_reason"], claims["notice_ko"]) == \
        (False, "허위 실적 자료 제출이 확인됨", body["notice_ko"])

    _, suspended = desk.certificate("suspended")
    body = client.get(f"/v1/public/certificates/{suspended}").json()
    assert body["in_force"] is False
    assert body["status_reason"] == "현장 점검 결과 확인 중"
    assert body["notice_ko"] == f"이 지정서는 {today}부터 효력이 정지되어 현재 지정 효력이 없습니다."
