"""The programme officer's journey in Chromium (Debian's, driven by Playwright) on the demo data, at desktop
(1280 px) and phone (390 px) size: the demo SME sme05 submits 2026 government budget lines through the API (the
demo's lines are all decided), the demo officer `admin` signs in through the authorization-code flow, opens the
start page, approves one line, is refused the next in Korean (the SME's 200M yearly cap, the year's envelope:
nothing written), returns it with a reason, reads the KPI dashboard with its Korean charts and the 2027
selection round (ranked list and waiting list). Screenshots of
each step at both sizes go to the run's output folder (tests/api/browser.py); axe-core checks every page."""

from __future__ import annotations

import httpx

from tests.api.axe import assert_accessible
from tests.api.browser import SHOTS
from tests.api.live_server import live_server
from tests.cli.runner import axr_in_process
from tests.conftest import bearer

M = 1_000_000
SIZES = {"desktop": {"viewport": {"width": 1280, "height": 900}},
         "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}}
# per size: one line the officer approves and one that then breaks the cap (sme05 has 100M approved for 2026;
# the year's envelope of 700M has 580M approved, so the desktop's second line breaks the envelope too)
AMOUNTS = {"desktop": (50 * M, 80 * M), "phone": (30 * M, 40 * M)}


def _lines(api: httpx.Client, sme: dict[str, str], project_id: str, amounts: tuple[int, int]) -> list[str]:
    ids = []
    for amount in amounts:
        r = api.post(f"/v1/programme/projects/{project_id}/budget-lines", headers=sme,
                     json={"year": 2026, "source": "gov", "amount_krw": amount, "stage": "data_collection",
                           "note": "2026년 추가 정부지원금"})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


def _step(page, size: str, n: int, name: str) -> None:
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    page.screenshot(path=str(SHOTS / f"web-admin-{size}-{n:02d}-{name}.png"), full_page=True)
    assert_accessible(page, f"officer {name} ({size})")


def _journey(browser, base: str, size: str, approve_id: str, refuse_id: str) -> None:
    context = browser.new_context(locale="ko-KR", **SIZES[size])
    page = context.new_page()
    page.goto(base + "/web")
    assert page.url.startswith(base + "/oauth/authorize?")
    page.fill("#username", "admin")
    page.fill("#password", "demo-password-admin")
    page.click("#signin-submit")
    assert page.url == base + "/web/admin", page.url
    assert page.locator("h1").inner_text() == "사업 담당관 업무"
    assert "작업표준서 기반 제조 LLM 도입" in page.locator("#pending").inner_text()
    assert "2027년 기수" in page.locator("#round").inner_text()
    _step(page, size, 1, "start")

    page.click("#to-budgets")
    line = page.locator(f"#line-{approve_id}")
    assert "작업표준서 기반 제조 LLM 도입" in line.inner_text()
    assert "한도 2억 원" in line.inner_text()
    _step(page, size, 2, "budgets")
    page.click(f"#approve-{approve_id}")
    assert page.locator("#done").inner_text() == "승인했습니다."
    assert page.locator(f"#line-{approve_id}").count() == 0
    _step(page, size, 3, "approved")

    page.click(f"#approve-{refuse_id}")
    error = page.locator(f"#line-{refuse_id} #form-error").inner_text()
    assert "연간 한도 2억 원을 넘습니다" in error, error
    if size == "desktop":
        assert "사업 예산 총액" in error, error
    _step(page, size, 4, "refused")
    page.fill(f"#reason-{refuse_id}", "연간 한도를 넘어 반려합니다. 금액을 줄여 다시 신청하세요.")
    page.click(f"#return-{refuse_id}")
    assert page.locator("#done").inner_text() == "반려했습니다."
    assert page.locator(f"#line-{refuse_id}").count() == 0
    _step(page, size, 5, "returned")

    page.goto(base + "/web/admin/kpis")
    assert page.locator("h1").inner_text() == "성과지표 대시보드"
    assert "전망(추정)" in page.locator("#trajectory-adoption_rate").inner_text()
    for name in ("adoption", "designated", "budget", "regions"):
        img = page.locator(f"#chart-{name} img")
        img.scroll_into_view_if_needed()
        assert page.evaluate("(el) => el.complete && el.naturalWidth > 0", img.element_handle()), name
        assert img.get_attribute("alt")
    _step(page, size, 6, "kpis")

    page.click("#main-nav-selection")
    page.click("a[href='/web/admin/selection/2027']")
    assert page.locator("h1").inner_text() == "2027년 제조 AX 선도 중소기업 선정"
    assert page.locator("#decisions-selected tbody tr").count() == 4
    assert page.locator("#decisions-waitlisted tbody tr").count() == 3
    _step(page, size, 7, "selection")
    context.close()


def test_officer_approves_a_budget_and_reads_the_kpi_dashboard(app, settings, browser, mint):
    loaded = axr_in_process(settings, "demo", "load")
    assert loaded.exit_code == 0, loaded.output
    SHOTS.mkdir(parents=True, exist_ok=True)
    sme = bearer(mint("sme", org="demo-sme-05"))
    admin = bearer(mint("admin", org="ministry"))

    with live_server(app) as base, httpx.Client(base_url=base) as api:
        projects = api.get("/v1/programme/projects", headers=sme).json()["items"]
        project_id = next(p["id"] for p in projects if p["state"] == "planned")
        for size in SIZES:
            approve_id, refuse_id = _lines(api, sme, project_id, AMOUNTS[size])
            _journey(browser, base, size, approve_id, refuse_id)

        lines = {x["id"]: x for x in api.get(f"/v1/programme/projects/{project_id}", headers=admin)
                 .json()["budget_lines"]}
        approved = [x for x in lines.values() if x["status"] == "approved" and x["source"] == "gov"]
        assert sum(x["amount_krw"] for x in approved) == 180 * M  # 100M of the demo, 50M and 30M here
        assert sum(x["status"] == "submitted" for x in lines.values()) == 0
