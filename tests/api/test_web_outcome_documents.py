"""The SME's outcome form with its evidence file, through HTTP as a browser sends it (multipart, CSRF): the
figure and its PDF are kept together and the page links the document; a file that is not what it claims
comes back on the form in Korean with the figures kept and nothing written (neither the figure nor the
file); another SME's document by URL answers the same 404 page as a missing one."""

from __future__ import annotations

from tests.api import programme_helpers as h
from tests.api.test_web_projects import M, _csrf, _plan, _project, _setup, http  # noqa: F401 (fixture)
from tests.api.web_helpers import sign_in
from tests.evidence.helpers import exe, pdf


def _started(http, app, mint):  # noqa: F811
    admin, sme, solution_id = _setup(http, app, mint)
    sign_in(http, "kim.sme")
    pid = _project(http)
    assert _plan(http, pid, solution_id, str(100 * M), str(100 * M)).status_code == 303
    for line in http.get(f"/v1/programme/projects/{pid}", headers=sme["token"]).json()["budget_lines"]:
        assert h.approve(http, admin, pid, line["id"]).status_code == 200
    csrf = _csrf(http, f"/web/sme/projects/{pid}")
    for action in ("contract", "start"):
        r = http.post(f"/web/sme/projects/{pid}/transitions", data={"csrf_token": csrf, "action": action},
                      follow_redirects=False)
        assert r.status_code == 303, r.text
    return sme, pid, csrf


def test_an_outcome_with_its_evidence_file_and_a_refused_file(http, app, mint):  # noqa: F811
    sme, pid, csrf = _started(http, app, mint)
    page = http.get(f"/web/sme/projects/{pid}").text
    assert 'enctype="multipart/form-data"' in page
    assert '<label for="evidence_file">' in page

    fields = {"csrf_token": csrf, "metric": "defect_rate", "before": "3.4", "after": "0.8", "note": "3개월 평균"}
    refused = http.post(f"/web/sme/projects/{pid}/outcomes", data=fields,
                        files={"evidence_file": ("측정기록.pdf", exe(), "application/pdf")})
    assert refused.status_code == 422
    assert 'id="outcome-errors"' in refused.text
    assert "측정기록.pdf" in refused.text
    assert 'value="3.4"' in refused.text  # the input is kept
    assert 'value="3개월 평균"' in refused.text
    assert http.get(f"/v1/programme/projects/{pid}", headers=sme["token"]).json()["outcomes"] == []

    body = pdf("불량률 측정 기록")
    r = http.post(f"/web/sme/projects/{pid}/outcomes", data=fields,
                  files={"evidence_file": ("불량률_측정기록.pdf", body, "application/pdf")}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = http.get(f"/web/sme/projects/{pid}").text
    assert "불량률: 3.4 → 0.8 %" in page
    assert "불량률_측정기록.pdf" in page
    outcome = http.get(f"/v1/programme/projects/{pid}", headers=sme["token"]).json()["outcomes"][0]
    docs = http.get(f"/v1/programme/projects/{pid}/outcomes/{outcome['id']}/documents", headers=sme["token"]).json()
    assert [d["filename"] for d in docs] == ["불량률_측정기록.pdf"]
    assert f'href="/web/sme/documents/{docs[0]["id"]}"' in page
    got = http.get(f"/web/sme/documents/{docs[0]['id']}")
    assert got.status_code == 200
    assert got.content == body

    # without a file the figure alone is kept (the evidence is optional)
    r = http.post(f"/web/sme/projects/{pid}/outcomes", follow_redirects=False,
                  data={**fields, "metric": "lead_time", "before": "10", "after": "7", "note": ""},
                  files={"evidence_file": ("", b"", "application/octet-stream")})
    assert r.status_code == 303, r.text
    assert len(http.get(f"/v1/programme/projects/{pid}", headers=sme["token"]).json()["outcomes"]) == 2

    # another SME: the document answers as a missing one
    doc_id = docs[0]["id"]
    http.cookies.clear()
    sign_in(http, "lee.sme")
    missing = "00000000-0000-4000-8000-00000000000" + doc_id[-1]
    a = http.get(f"/web/sme/documents/{doc_id}", headers={"accept": "text/html"})
    b = http.get(f"/web/sme/documents/{missing}", headers={"accept": "text/html"})
    assert a.status_code == b.status_code == 404
    assert a.headers["content-type"].startswith("text/html")
    assert a.text.replace(doc_id, "ID") == b.text.replace(missing, "ID")


def test_the_outcome_form_with_a_file_needs_its_csrf_token(http, app, mint):  # noqa: F811
    sme, pid, _ = _started(http, app, mint)
    r = http.post(f"/web/sme/projects/{pid}/outcomes", headers={"accept": "text/html"},
                  data={"metric": "defect_rate", "before": "3.4", "after": "0.8", "csrf_token": "위조된-토큰"},
                  files={"evidence_file": ("a.pdf", pdf(), "application/pdf")})
    assert r.status_code == 403
    assert "보안 확인 토큰(CSRF)이 없거나 맞지 않아 요청을 처리하지 않았습니다." in r.text
    assert http.get(f"/v1/programme/projects/{pid}", headers=sme["token"]).json()["outcomes"] == []
