"""The rest of the SME's journey in Chromium (Debian's, driven by Playwright) on the demo data: the demo
SME sme03 (sme01 has graduated from its cohort, so it may open no new project) signs in through the
authorization-code flow, describes a need, compares, keeps the matches as a project's shortlist, plans the
project with a shortlisted solution and a yearly budget (first over the cap: the Korean reason on the form),
and, once the officer approved the budget (through the API here; the officer's pages are test_web_admin*.py),
contracts, starts and records an outcome with its evidence PDF (first an executable named .pdf: refused on
the form in Korean, the figures kept), and downloads it back from the outcome list; then the project pages at
390 px. Every step is a link or a form (no JavaScript of ours); axe-core checks every page. Screenshots of
each step at 1280 and 390 px go to the run's output folder (tests/api/browser.py)."""

from __future__ import annotations

import httpx

from tests.api.axe import assert_accessible
from tests.api.browser import SHOTS, shots
from tests.api.live_server import live_server
from tests.cli.runner import axr_in_process
from tests.conftest import bearer
from tests.evidence.helpers import exe, pdf

NEED = "사출 성형품에 미성형 불량이 자주 나와서 카메라로 자동 검사하고 싶습니다"


def test_sme_shortlists_plans_a_project_and_records_an_outcome(app, settings, browser, mint, tmp_path):
    loaded = axr_in_process(settings, "demo", "load")
    assert loaded.exit_code == 0, loaded.output
    SHOTS.mkdir(parents=True, exist_ok=True)
    admin = bearer(mint("admin", org="ministry"))

    with live_server(app) as base:
        context = browser.new_context(locale="ko-KR")
        page = context.new_page()
        page.goto(base + "/web/sme")
        page.fill("#username", "sme03")
        page.fill("#password", "demo-password-m03")
        page.click("#signin-submit")
        assert page.url == base + "/web/sme"
        projects_before = page.locator("#projects li").count()

        page.click("#new-need")
        page.fill("#text", NEED)
        page.fill("#budget_krw", "150000000")
        page.click("#need-submit")
        assert "/web/sme/needs/" in page.url, page.locator("main").inner_text()
        need_url = page.url
        matches = page.locator("#matches li.match")
        assert matches.count() >= 2
        first = matches.nth(0).locator("h3 a").inner_text()
        for i in range(2):
            matches.nth(i).locator("input.compare-pick").check()
        page.click("#compare-submit")
        assert page.locator("#compare thead th").count() == 3

        # Keep the matches as the shortlist of a new project.
        page.goto(need_url)
        assert page.locator("label[for=title_ko]").is_visible()
        page.fill("#title_ko", "사출 외관 AI 비전 검사 도입")
        page.click("#shortlist-submit")
        assert "/web/sme/projects/" in page.url, page.locator("main").inner_text()
        project_url = page.url
        project_id = project_url.rsplit("/", 1)[1]
        assert page.locator("#project-title").inner_text() == "사출 외관 AI 비전 검사 도입"
        assert page.locator("#shortlist li.shortlisted").first.inner_text().startswith(first)
        shots(page, "web-07-project-shortlist")
        assert_accessible(page, "project with its shortlist")

        # Plan it with the first shortlisted solution; over the government cap first.
        page.locator("#shortlist a.choose").first.click()
        assert "/plan?solution=" in page.url
        assert_accessible(page, "plan form")
        page.select_option("#stage-1", "data_collection")
        page.fill("#gov-1", "250000000")
        page.fill("#own-1", "250000000")
        page.click("#plan-submit")
        errors = page.locator("#plan-errors").inner_text()
        assert "연간 한도" in errors, errors
        assert page.input_value("#gov-1") == "250000000"  # the form keeps what was typed
        shots(page, "web-08-plan-refused")
        assert_accessible(page, "plan refused")
        page.fill("#gov-1", "100000000")
        page.fill("#own-1", "100000000")
        page.click("#plan-submit")
        assert page.url == project_url, page.locator("main").inner_text()
        assert page.locator("#chosen").inner_text().endswith(first)
        assert page.locator("#budget tbody tr").count() == 2
        assert "승인 대기" in page.locator("#budget").inner_text()

        # The officer approves the two lines (API); the SME contracts and starts on the page.
        with httpx.Client(base_url=base) as api:
            lines = api.get(f"/v1/programme/projects/{project_id}", headers=admin).json()["budget_lines"]
            for line in lines:
                r = api.post(f"/v1/programme/projects/{project_id}/budget-lines/{line['id']}/approve",
                             headers=admin)
                assert r.status_code == 200, r.text
        page.reload()
        page.click("#action-contract")
        page.click("#action-start")
        assert "수행 중" in page.locator("#project-state").inner_text()
        page.select_option("#metric", "defect_rate")
        page.fill("#before", "3.4")
        page.fill("#after", "0.8")
        page.fill("#note", "도입 전 3개월 평균 대비 도입 후 3개월 평균")
        assert_accessible(page, "project under way with the outcome form")
        fake, evidence = tmp_path / "측정기록.pdf", tmp_path / "불량률_측정기록.pdf"
        fake.write_bytes(exe())
        evidence.write_bytes(pdf("불량률 측정 기록"))
        page.set_input_files("#evidence_file", str(fake))
        page.click("#outcome-submit")
        errors = page.locator("#outcome-errors").inner_text()
        assert "측정기록.pdf" in errors, errors
        assert page.input_value("#before") == "3.4"  # the figures are kept; the file is chosen again
        assert page.locator("#no-outcomes").is_visible()  # and nothing was written
        shots(page, "web-09-outcome-refused")
        assert_accessible(page, "outcome refused")
        page.set_input_files("#evidence_file", str(evidence))
        page.click("#outcome-submit")
        assert "불량률: 3.4 → 0.8 %" in page.locator("#outcome-list").inner_text()
        link = page.locator("#outcome-list a.outcome-doc")
        assert link.inner_text() == "불량률_측정기록.pdf"
        with page.expect_download() as got:
            link.click()
        assert got.value.suggested_filename == "불량률_측정기록.pdf"
        assert open(got.value.path(), "rb").read() == evidence.read_bytes()
        shots(page, "web-09-project-outcome")
        assert_accessible(page, "project with its outcome and evidence")

        page.goto(base + "/web/sme")
        assert page.locator("#projects li").count() == projects_before + 1
        page.locator(f"#projects a[href='/web/sme/projects/{project_id}']").click()
        assert page.url == project_url

        phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                    storage_state=context.storage_state())
        mobile = phone.new_page()
        for name, url in (("project", project_url), ("plan", project_url + "/plan")):
            mobile.goto(url)
            assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, name
            mobile.screenshot(path=str(SHOTS / f"web-10-phone-{name}.png"), full_page=True)
            assert_accessible(mobile, f"{name} at 390 px")
        phone.close()
        context.close()
