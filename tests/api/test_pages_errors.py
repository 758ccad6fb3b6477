"""The public pages answer like pages: errors are HTML in the page's language (never problem+json), an
unknown `lang` is Korean, dates are Korean days on Korean time, and only designated companies show under
the designated-companies list (a revoked or never-designated company gets a plain 404 page)."""

from __future__ import annotations

import re

from tests import factories
from tests.api.portal_helpers import designated
from tests.conftest import bearer


def _text(html: str) -> str:
    main = html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_an_unknown_lang_is_korean_and_errors_are_pages(client):
    r = client.get("/pages/companies?lang=fr")
    assert r.status_code == 200
    assert r.headers["content-language"] == "ko"
    assert "제조 AI 전문기업 지정 명단" in r.text

    r = client.get("/pages/companies?page=0", headers={"Accept-Language": "en"})  # the page's lang, not the header
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert _text(r.text).startswith("입력값이 올바르지 않습니다 쪽은 1 이상이어야 합니다")

    r = client.get("/pages/companies?page=0&lang=en")
    assert r.status_code == 422
    assert "Invalid input" in _text(r.text)

    r = client.get("/pages/no-such-page", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert _text(r.text).startswith("페이지를 찾을 수 없습니다")
    assert "{" not in _text(r.text)

    # the API keeps problem+json, in the language the client asks for
    r = client.get("/v1/public/certificates/AXR-0000", headers={"Accept-Language": "en"})
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["title"].startswith("The certificate number")


def test_only_designated_companies_show_under_the_list(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    _, active, _, _ = designated(client, mint, name_ko="한빛비전 주식회사")
    _, revoked, _, cert = designated(client, mint, name_ko="취소된기업")
    assert client.post(f"/v1/certificates/{cert['number']}/revoke", json={"reason": "허위 실적"},
                       headers=admin).status_code == 200
    supplier = bearer(mint("supplier"))
    never = client.post("/v1/companies", json=factories.company(name_ko="미지정기업"), headers=supplier)
    assert never.status_code == 201, never.text

    r = client.get(f"/pages/companies/{active['id']}")
    assert r.status_code == 200
    page = _text(r.text)
    assert "한빛비전 주식회사" in page
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일 ~ \d{4}년 \d{1,2}월 \d{1,2}일", page)  # validity as Korean days

    r = client.get(f"/pages/companies/{revoked['id']}")
    assert r.status_code == 404
    page = _text(r.text)
    assert page.startswith("지정기업이 아닙니다 취소된기업은 현재 지정기업 명단에 없습니다. 지정 상태: 지정 취소")
    assert "솔루션" not in page  # no profile under the list's branding
    assert f"/pages/verify?number={cert['number']}" in r.text  # the history stays public

    r = client.get(f"/pages/companies/{never.json()['id']}?lang=en")
    assert r.status_code == 404
    assert _text(r.text).startswith("Not a designated company")
    assert "Check the certificate history" not in r.text
